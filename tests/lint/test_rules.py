"""One fixture per rule: the findings it gives, as (code, line, col, zone name)."""

from __future__ import annotations

import re
from ipaddress import IPv4Address, IPv6Address, ip_network
from pathlib import Path
from textwrap import dedent

import pytest
from dkim_fixtures import DKIM_FIXTURES
from hypothesis import given
from hypothesis import strategies as st
from lint_helpers import LintSpecs, write_zones
from mail_fixtures import MAIL_FIXTURES
from mta_sts_fixtures import MTA_STS_FIXTURES
from parked_fixtures import PARKED_FIXTURES
from tlsa_fixtures import TLSA_FIXTURES

from dnsspec.lint.catalogue import all_rules, get
from dnsspec.lint.context import LintContext
from dnsspec.lock import Lock, LockedLookup, LockedName
from dnsspec.spec.load import load_zones
from dnsspec.spf.syntax import Mechanism, Term

HOSTS = "\n".join(f"  h{n}: {{type: A, value: 192.0.2.{n}}}" for n in range(1, 10)).lstrip()
LONG = "\n".join(f"    - ip4:192.0.2.{n}" for n in range(1, 31))

# code -> (specs by zone, expected [(line, col, record_name)] in the file of the first zone)
FIXTURES: dict[str, tuple[dict[str, str], list[tuple[int, int, str]]]] = {
    "SPF101": (
        {
            "example.com": """
                spf: "v=spf1 mx redirect=_spf.example.com -all"
                subdomains:
                  _spf: {spf: none}
                """
        },
        [(1, 17, "")],
    ),
    "SPF102": (
        {
            "example.com": """
                spf:
                  mechanisms: [mx]
                  all: fail
                  modifiers: {redirec: _spf.example.com}
                """
        },
        [(4, 24, "")],
    ),
    "SPF103": (
        {
            "example.com": """
                spf:
                  mechanisms: [mx]
                subdomains:
                  ok: {spf: {redirect: example.com}}
                """
        },
        [(2, 3, "")],
    ),
    "SPF104": (
        {"example.com": 'spf: "v=spf1 mx -all a ip4:192.0.2.1"\n'},
        [(1, 22, ""), (1, 24, "")],
    ),
    "SPF105": (
        {
            "example.com": """
                spf:
                  mechanisms:
                    - mx
                    - ptr
                  all: fail
                """
        },
        [(4, 7, "")],
    ),
    "SPF106": (
        {
            "example.com": """
                spf:
                  mechanisms:
                    - ip4:192.0.2.0/24
                    - ip4:198.51.100.10/24
                    - ip6:2001:db8::1/32
                  all: fail
                """
        },
        [(4, 7, ""), (5, 7, "")],
    ),
    "SPF107": (
        {
            "example.com": """
                spf:
                  mechanisms:
                    - ip4:192.0.2.0/24
                    - ip4:192.0.2.128/25
                    - ip4:192.0.2.0/24
                    - "-ip4:198.51.100.1"
                    - ip4:198.51.100.0/24
                    - ip6:2001:db8::1
                    - ip6:2001:db8::/32
                  all: fail
                """
        },
        [(4, 7, ""), (5, 7, ""), (8, 7, "")],
    ),
    "SPF108": (
        {"example.com": "spf:\n  all: fail\n  mechanisms:\n" + LONG + "\n"},
        [(2, 3, "")],
    ),
    "SPF201": (
        {
            "example.com": dedent("""
                spf:
                  mechanisms:
                    - a
                    - mx
                    - include:_spf.example.com
                  all: fail
                subdomains:
                  _spf:
                    spf:
                      all: fail
                      mechanisms: [MECHS]
                records:
                  "":
                    - {type: A, value: 192.0.2.1}
                    - {type: MX, value: {preference: 10, exchange: h1.example.com.}}
                  HOSTS
                """)
            .replace("MECHS", ", ".join(f"a:h{n}.example.com" for n in range(1, 10)))
            .replace("HOSTS", HOSTS)
        },
        [(5, 7, "")],
    ),
    "SPF202": (
        {
            "example.com": dedent("""
                spf:
                  mechanisms: [a, MECHS]
                  all: fail
                records:
                  "": {type: A, value: 192.0.2.1}
                  HOSTS
                """)
            .replace("MECHS", ", ".join(f"a:h{n}.example.com" for n in range(1, 9)))
            .replace("HOSTS", HOSTS)
        },
        [(2, 3, "")],
    ),
    "SPF203": (
        {
            "example.com": """
                spf:
                  mechanisms: [a:gone1.example.com, a:gone2.example.com, a:gone3.example.com]
                  all: fail
                """
        },
        [(2, 58, "")],  # at the third void term
    ),
    "SPF204": (
        {
            "example.com": """
                spf:
                  mechanisms:
                    - ip4:192.0.2.0/24
                    - include:_spf.provider.example
                  all: fail
                """
        },
        [(4, 7, "")],
    ),
    "SPF205": (
        {
            "example.com": "spf:\n  mechanisms: [mx]\n  all: fail\nrecords:\n  '':\n"
            "    type: MX\n    values:\n"
            + "".join(
                f"      - {{preference: {n}, exchange: mx{n}.example.net.}}\n" for n in range(11)
            )
        },
        [(2, 16, "")],
    ),
    "SPF206": (
        {
            "example.com": """
                spf:
                  mechanisms:
                    - mx:www.example.com
                    - a:www.example.com
                  all: fail
                subdomains:
                  www: {spf: none}
                records:
                  www: {type: A, value: 192.0.2.80}
                """
        },
        [(3, 7, "")],
    ),
    "SPF207": (
        {
            "example.com": """
                spf:
                  mechanisms:
                    - include:_spf.provider.example
                    - include:_spf.gone.example
                  all: fail
                """
        },
        [(4, 7, "")],
    ),
    "SPF301": ({"example.com": "spf:\n  mechanisms: [mx]\n  all: pass\n"}, [(3, 8, "")]),
    "SPF302": ({"example.com": 'spf: "v=spf1 mx ?all"\n'}, [(1, 17, "")]),
    "SPF303": (
        {
            "example.com": """
                records:
                  "": {type: MX, value: {preference: 10, exchange: mx.example.com.}}
                  www: {type: A, value: 192.0.2.80}
                  "*": {type: AAAA, value: "2001:db8::80"}
                  dev: {type: NS, values: [ns1.example.net., ns2.example.net.]}
                  host.dev: {type: A, value: 192.0.2.9}
                  txtonly: {type: TXT, value: hello}
                subdomains:
                  mx:
                    spf: none
                records_note: null
                """.replace("records_note: null\n", "")
        },
        [(2, 7, ""), (3, 8, "www"), (4, 8, "*")],
    ),
    "SPF304": (
        {
            "example.com": """
                spf:
                  mechanisms: [include:_spf.example.com]
                  all: fail
                subdomains:
                  shop:
                    spf: {redirect: nospf.example.com}
                records:
                  _spf: {type: TXT, value: not-spf}
                  nospf: {type: A, value: 192.0.2.1}
                """
        },
        [(2, 16, ""), (6, 21, "shop")],
    ),
    "SPF305": (
        {
            "example.com": """
                spf:
                  redirect: _spf.example.com
                subdomains:
                  _spf:
                    spf: "v=spf1 ip4:192.0.2.0/24 redirect=example.com"
                  self:
                    spf: "v=spf1 include:self.example.com -all"
                """
        },
        [(2, 13, ""), (5, 35, "_spf"), (7, 18, "self")],
    ),
    "SPF306": (
        {
            "example.com": """
                spf: none
                subdomains:
                  dev: {spf: none}
                  x.dev: {spf: none}
                  ok: {spf: none}
                records:
                  dev: {type: NS, value: ns1.other.example.}
                """
        },
        [(3, 14, "dev"), (4, 16, "x.dev")],
    ),
    "DNS401": (
        {
            "example.com": """
                subdomains:
                  news:
                    spf: none
                records:
                  news: {type: CNAME, value: newsletter.example.net.}
                """
        },
        [(3, 10, "news")],
    ),
    "DNS402": (
        {
            "example.com": """
                records:
                  mail:
                    - type: TXT
                      values: ["v=spf1 mx -all", "v=spf1 a -all"]
                """
        },
        [(3, 7, "mail")],
    ),
    "SPEC101": (
        {"example.com": "# emptied by a bad merge\nttl: 300\n", "example.net": "spf: none\n"},
        [(1, 1, "")],
    ),
    "DNS403": (
        {
            "example.com": """
                records:
                  "":
                    - {type: MX, value: {preference: 10, exchange: mx.example.net.}}
                    - {type: SPF, value: "v=spf1 mx -all"}
                """
        },
        [(4, 7, "")],
    ),
}
FIXTURES.update(DKIM_FIXTURES)
FIXTURES.update(MTA_STS_FIXTURES)
FIXTURES.update(TLSA_FIXTURES)
FIXTURES.update(PARKED_FIXTURES)
FIXTURES.update(MAIL_FIXTURES)


# DMARC1xx: the dmarc: records (issue #10)
FIXTURES.update(
    {
        "DMARC101": (
            {
                "example.com": """
                    spf: none
                    dmarc: {policy: none, rua: [mailto:dmarc@example.com]}
                    subdomains:
                      eu: {dmarc: "v=DMARC1; rua=mailto:dmarc@example.com"}
                      us: {dmarc: {policy: reject, rua: [mailto:dmarc@example.com]}}
                    """
            },
            [(2, 17, ""), (4, 15, "eu")],
        ),
        "DMARC102": (
            {
                "example.com": """
                    spf: none
                    dmarc: {policy: reject, testing: true}
                    subdomains:
                      eu: {dmarc: "v=DMARC1; p=quarantine; pct=50"}
                    """
            },
            [(2, 34, ""), (4, 40, "eu")],
        ),
        "DMARC103": (
            {
                "example.com": """
                    spf: none
                    dmarc:
                      policy: reject
                      subdomain_policy: none
                      nonexistent_policy: reject
                    """
            },
            [(4, 21, "")],
        ),
        "DMARC104": (
            {"example.com": 'spf: none\ndmarc: "v=DMARC1; p=reject; rf=afrf; ri=86400"\n'},
            [(2, 29, ""), (2, 38, "")],
        ),
        "DMARC105": (
            {"example.com": 'spf: none\ndmarc: "v=DMARC1; p=reject; sub=reject"\n'},
            [(2, 29, "")],
        ),
        "DMARC106": (
            {"example.com": "spf: none\ndmarc: {policy: reject}\n"},
            [(2, 8, "")],
        ),
        "DMARC107": (
            {
                "example.com": "spf: none\n"
                "dmarc: {policy: reject, rua: ['mailto:d@example.com!10m']}\n"
            },
            [(2, 31, "")],
        ),
        "DMARC108": (
            {
                "example.com": """
                    spf: none
                    dmarc:
                      policy: reject
                      rua: [mailto:d@example.com, mailto:agg@reports.example.net, mailto:x@e.org]
                    """,
                "e.org": """
                    spf: none
                    records:
                      example.com._report._dmarc: {type: TXT, value: v=DMARC1}
                    """,
            },
            [(4, 31, "")],
        ),
    }
)


# rules that need third-party answers get them from a lock
LOCK = Lock(
    names={
        "_spf.provider.example": LockedName(
            "2026-01-01T00:00:00Z", {"TXT": ("v=spf1 ip4:198.51.100.0/24 -all",)}, 0, 0
        ),
        "_spf.gone.example": LockedName("2026-01-01T00:00:00Z", {"TXT": ("some token",)}),
    }
)
LOOKUPS = {"SPF207": LOCK}


def test_every_rule_has_a_fixture() -> None:
    # the CFG rules read providers.yaml too: their fixtures are in tests/onboard/test_zone_list.py
    assert sorted(FIXTURES) == sorted(r.code for r in all_rules() if "zone_list" not in r.needs)


@pytest.mark.parametrize("code", sorted(FIXTURES))
def test_rule_fixture(code: str, lint_specs: LintSpecs) -> None:
    specs, expected = FIXTURES[code]
    lock = LOOKUPS.get(code)
    findings = lint_specs(specs, select=[code], lookup=LockedLookup(lock) if lock else None)
    first = f"{next(iter(specs))}.yaml"
    got = [(f.location.line, f.location.col, f.record_name) for f in findings]
    assert got == expected, [f.message for f in findings]
    assert all(f.code == code and f.location.file.name == first for f in findings)


def test_a_v_spf1_txt_under_records_is_linted_like_a_policy(lint_specs: LintSpecs) -> None:
    includes = " ".join(f"include:p{i}.example.com" for i in range(11))
    spec = f"""
    records:
      "":
        - {{type: TXT, values: ["site-verification=abc", "v=spf1 {includes} +all"]}}
      lists: {{type: TXT, value: "v=spf1 a -all"}}
      www: {{type: A, value: 192.0.2.10}}
    subdomains:
      lists:
        ignore: [SPF206]
    """
    providers = {
        f"p{i}.example.com": "spf: {mechanisms: [ip4:192.0.2.0/24], all: fail}" for i in range(11)
    }
    findings = lint_specs({"example.com": spec, **providers})
    got = {(f.code, f.record_name, f.location.line) for f in findings}
    assert got == {
        ("SPF201", "", 3),  # 11 includes: over the limit, at the TXT value
        ("SPF301", "", 3),  # +all
        ("SPF303", "www", 5),  # www has an A record and no SPF of its own
    }  # and lists' void `a` (SPF206) is ignored by its subdomain entry


def test_two_v_spf1_values_under_records_are_dns402_not_a_policy(lint_specs: LintSpecs) -> None:
    spec = """
    records:
      "": {type: TXT, values: ["v=spf1 +all", "v=spf1 -all"]}
    """
    findings = lint_specs({"example.com": spec})
    assert [f.code for f in findings if f.record_name == ""] == ["DNS402"]


def test_spf304_catches_a_mistyped_include_of_a_name_in_the_zone(lint_specs: LintSpecs) -> None:
    spec = """
    spf: {mechanisms: [include:_spf.example.com], all: fail}
    subdomains:
      _sfp: {spf: {mechanisms: [ip4:192.0.2.0/24], all: fail}}
      dev: {spf: none}
    records:
      dev: {type: NS, value: ns1.other.example.}
    """
    findings = lint_specs({"example.com": spec}, select=["SPF304"])
    assert [(f.code, f.location.line) for f in findings] == [("SPF304", 1)]


def test_spf304_expands_the_d_macro_as_the_evaluator_does(lint_specs: LintSpecs) -> None:
    """`include:_sfp.%{d}` queries _sfp.example.com (issue 9: lint gave up on any `%`)."""
    spec = """
    spf: {mechanisms: ["include:_sfp.%{d}"], all: fail}
    subdomains:
      _spf: {spf: {mechanisms: [ip4:192.0.2.0/24], all: fail}}
    """
    findings = lint_specs({"example.com": spec})
    assert [(f.code, f.location.line, f.location.col) for f in findings] == [("SPF304", 1, 20)]
    assert "include of _sfp.example.com" in findings[0].message


def test_spf207_reports_a_provider_that_redirects_to_a_spec_name_without_policy(
    lint_specs: LintSpecs,
) -> None:
    lock = Lock(
        names={
            "_spf.provider.example": LockedName(
                "2026-01-01T00:00:00Z", {"TXT": ("v=spf1 redirect=h1.example.com",)}, 1, 0
            ),
        }
    )
    spec = """
    spf: {mechanisms: [include:_spf.provider.example], all: fail}
    records:
      h1: {type: A, value: 192.0.2.1}
    """
    findings = lint_specs({"example.com": spec}, select=["SPF207"], lookup=LockedLookup(lock))
    assert [(f.code, f.location.line) for f in findings] == [("SPF207", 1)]
    assert "redirect=h1.example.com" in findings[0].message


def test_dns402_is_one_record_per_kind_per_name(lint_specs: LintSpecs) -> None:
    """Two DMARC records at _dmarc (the TXT classifier's kinds, not only SPF); a DMARC
    and an SPF record at one name, or a foreign token beside SPF, are fine."""
    spec = r"""
    records:
      "": {type: TXT, values: ["v=spf1 -all", "google-site-verification=abc"]}
      _dmarc:
        - {type: TXT, values: ['v=DMARC1\; p=reject', 'v=DMARC1\; p=none']}
      mix: {type: TXT, values: ['v=DMARC1\; p=reject', "v=spf1 -all"]}
    """
    findings = lint_specs({"example.com": spec}, select=["DNS402"])
    assert [(f.code, f.location.line, f.location.col, f.record_name) for f in findings] == [
        ("DNS402", 4, 7, "_dmarc")
    ]
    assert findings[0].message == (
        "_dmarc.example.com publishes 2 DMARC records: receivers apply no DMARC policy"
    )


def test_a_kinds_rules_read_its_sites_through_sites_of(tmp_path: Path) -> None:
    """What a new kind's rules iterate over: its sites, located like SPF's."""
    zones = load_zones(
        [write_zones(tmp_path, {"example.com": "subdomains:\n  www: {spf: none}\n"})]
    )
    ctx = LintContext(zones=tuple(zones), records=())
    (site,) = ctx.sites_of("spf")
    assert (site.name, site.display) == ("www", "www.example.com")
    violation = site.violation_at("msg")
    assert (violation.location.line, violation.location.col, violation.record_name) == (
        2,
        14,
        "www",
    )
    assert ctx.sites_of("dmarc") == ()


def _redundant_pairwise(terms: tuple[Term, ...]) -> dict[int, int]:
    """SPF107's definition, pair by pair (n²): what the sorting sweep must equal."""
    nets = [
        (
            i,
            t,
            ip_network(
                (t.address, t.prefix if t.prefix is not None else t.address.max_prefixlen),
                strict=False,
            ),
        )
        for i, t in enumerate(terms)
        if isinstance(t, Mechanism) and t.address is not None
    ]
    found = {}
    for i, term, net in nets:
        for j, other, other_net in nets:
            if j == i or other_net.version != net.version or not net.subnet_of(other_net):  # type: ignore[arg-type]
                continue
            if net == other_net and j > i:
                continue
            if j < i or other.qualifier == term.qualifier:
                found[i] = j
                break
    return found


@given(
    st.lists(
        st.builds(
            lambda q, v, a, p: Mechanism(
                "ip4" if v == 4 else "ip6",
                q,
                address=IPv4Address(a) if v == 4 else IPv6Address(a << 96),
                prefix=p if v == 4 else None if p is None else p * 4,
            ),
            st.sampled_from("+-~?"),
            st.sampled_from([4, 6]),
            st.integers(0, 2**32 - 1).map(lambda a: a & 0xFF0F0000),
            st.none() | st.integers(0, 32),
        ),
        max_size=12,
    )
)
def test_spf107_by_sorting_equals_the_pairwise_definition(terms: list[Mechanism]) -> None:
    from dnsspec.lint.rules.spf.ranges import _redundant

    assert _redundant(tuple(terms)) == _redundant_pairwise(tuple(terms))


@pytest.mark.parametrize("code", [c for c in sorted(FIXTURES) if c.startswith("PARKED")])
def test_parked_rule_docs_examples_fail_and_pass(code: str, lint_specs: LintSpecs) -> None:
    """The docs page's Example is a finding of the rule, its 'Use instead:' is none."""
    example, instead = re.findall(r"```yaml\n(.*?)```", get(code).docs, re.S)
    assert [f.code for f in lint_specs({"example.net": example}, select=[code])] != []
    assert lint_specs({"example.net": instead}, select=[code]) == []
