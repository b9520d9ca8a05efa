"""The ``spf:`` value in its three forms, and every unparseable term located."""

from __future__ import annotations

from ipaddress import IPv4Address
from pathlib import Path

import pytest

from dnsspec.errors import SpecError
from dnsspec.spec.load import load_zone
from dnsspec.spec.sites import policy_sites
from dnsspec.spf.syntax import Mechanism, Modifier, Policy, parse


def load(tmp_path: Path, text: str) -> list[tuple[str, str, tuple[str | int, ...]]]:
    file = tmp_path / "example.com.yaml"
    file.write_text(text)
    return [
        (s.name, s.value.text, s.path)
        for s in policy_sites(load_zone(file).spec)
        if not s.in_records
    ]


def problems(tmp_path: Path, text: str) -> list[str]:
    file = tmp_path / "example.com.yaml"
    file.write_text(text)
    with pytest.raises(SpecError) as info:
        load_zone(file)
    return [str(p).removeprefix(f"{file}:") for p in info.value.problems]


def only(tmp_path: Path, text: str) -> str:
    found = problems(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


ISSUE_EXAMPLE = """\
ttl: 3600
spf:
  mechanisms:
    - mx
    - ip4:192.0.2.0/24
    - ip6:2001:db8::/32
    - include:_spf.google.com
    - "~include:partner.example"
  all: fail
subdomains:
  lists:
    spf:
      mechanisms: [a, include:_spf.google.com]
      all: softfail
  www:
    spf: none
  legacy:
    spf: "v=spf1 a -all"
"""


def test_three_forms_apex_first_then_sorted(tmp_path: Path) -> None:
    assert load(tmp_path, ISSUE_EXAMPLE) == [
        (
            "",
            "v=spf1 mx ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.google.com "
            "~include:partner.example -all",
            ("spf",),
        ),
        ("legacy", "v=spf1 a -all", ("subdomains", "legacy", "spf")),
        ("lists", "v=spf1 a include:_spf.google.com ~all", ("subdomains", "lists", "spf")),
        ("www", "v=spf1 -all", ("subdomains", "www", "spf")),
    ]


def test_forms_and_policies(tmp_path: Path) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text(ISSUE_EXAMPLE)
    sites = {s.name: s.value for s in policy_sites(load_zone(file).spec)}
    assert (sites[""].form, sites["legacy"].form, sites["www"].form) == ("mapping", "raw", "none")
    assert sites["www"].policy == Policy((Mechanism("all", "-"),))
    assert sites[""].policy.mechanisms[1] == Mechanism(
        "ip4", address=IPv4Address("192.0.2.0"), prefix=24
    )
    assert sites[""].policy == parse(sites[""].text)


@pytest.mark.parametrize(
    ("result", "term"),
    [("fail", "-all"), ("softfail", "~all"), ("neutral", "?all"), ("pass", "+all")],
)
def test_all_results(tmp_path: Path, result: str, term: str) -> None:
    assert load(tmp_path, f"spf: {{all: {result}}}\n")[0][1] == f"v=spf1 {term}"


def test_omitted_all_emits_no_all(tmp_path: Path) -> None:
    assert load(tmp_path, "spf: {mechanisms: [mx]}\n")[0][1] == "v=spf1 mx"


def test_redirect_exp_and_unknown_modifiers_kept_in_order(tmp_path: Path) -> None:
    text = (
        "spf:\n  mechanisms: [a]\n  redirect: _spf.example.com\n  exp: explain.%{d}\n"
        "  modifiers: {Foo: bar.example, x-y: '%{i}'}\n"
    )
    assert load(tmp_path, text)[0][1] == (
        "v=spf1 a redirect=_spf.example.com exp=explain.%{d} Foo=bar.example x-y=%{i}"
    )


def test_raw_record_is_normalised(tmp_path: Path) -> None:
    text = "spf: 'v=spf1  MX   ip4:192.0.2.1 -all '\n"
    assert load(tmp_path, text)[0][1] == "v=spf1 mx ip4:192.0.2.1 -all"


def test_raw_redirect_beside_all_is_accepted(tmp_path: Path) -> None:
    text = "spf: v=spf1 mx redirect=_spf.example.com -all\n"
    policy = parse(load(tmp_path, text)[0][1])
    assert policy.redirect == "_spf.example.com"
    assert policy.all == Mechanism("all", "-")


def test_dual_cidr_and_macros(tmp_path: Path) -> None:
    text = "spf:\n  mechanisms: ['a:host.example.com/24//64', 'exists:%{ir}.%{l1r-}.e.example']\n"
    assert load(tmp_path, text)[0][1] == (
        "v=spf1 a:host.example.com/24//64 exists:%{ir}.%{l1r-}.e.example"
    )


def test_all_in_mechanisms_is_invalid(tmp_path: Path) -> None:
    assert only(tmp_path, "spf:\n  mechanisms: [mx, -all]\n") == (
        "2:20: spf.mechanisms[1]: '-all' is not allowed in mechanisms: `all` is its own key "
        "(hint: remove it from the list and write `all: fail` (or softfail, neutral, pass) "
        "beside `mechanisms:`)"
    )


def test_redirect_with_all_is_invalid_in_mapping(tmp_path: Path) -> None:
    message = only(tmp_path, "spf:\n  all: fail\n  redirect: _spf.example.com\n")
    assert message.startswith("3:13: spf.redirect: `redirect` and `all` cannot be combined")


@pytest.mark.parametrize(
    ("term", "reason"),
    [
        ("foo:bar.example", "unknown mechanism 'foo'"),
        ("ip4:192.0.2.300", "invalid ip4 address '192.0.2.300'"),
        ("ip4:192.0.2.0/33", "invalid ip4 prefix length /33"),
        ("ip6:2001:db8::/129", "invalid ip6 prefix length /129"),
        ("ip6:2001:db8::zz", "invalid ip6 address"),
        ("include:%{q}.example.com", "unknown macro letter 'q'"),
        ("include:example", "invalid domain-spec 'example'"),
        ("a:host.example.com/24//200", "invalid ip6 prefix length /200"),
        ("include:" + "a" * 64 + ".example.com", "is 64 octets long (at most 63)"),
        ("include:" + ".".join(["a" * 60] * 5) + ".com", "octets long (at most 253)"),
    ],
)
def test_bad_terms_located_at_the_list_item(tmp_path: Path, term: str, reason: str) -> None:
    message = only(tmp_path, f"spf:\n  mechanisms:\n    - mx\n    - '{term}'\n")
    assert message.startswith(f"4:7: spf.mechanisms[1]: invalid SPF mechanism '{term}': ")
    assert reason in message


def test_modifier_in_mechanisms(tmp_path: Path) -> None:
    assert only(tmp_path, "spf: {mechanisms: [redirect=x.example.com]}\n").startswith(
        "1:20: spf.mechanisms[0]: 'redirect=x.example.com' is a modifier, not a mechanism"
    )


def test_bad_redirect_and_exp_values(tmp_path: Path) -> None:
    found = problems(tmp_path, "spf:\n  redirect: 'bad domain'\n  exp: '%{z}.example.com'\n")
    assert [f.split(": ", 2)[:2] for f in found] == [
        ["2:13", "spf.redirect"],
        ["3:8", "spf.exp"],
    ]


def test_modifiers_redirect_and_duplicates(tmp_path: Path) -> None:
    assert only(tmp_path, "spf:\n  modifiers: {Redirect: x.example.com}\n").startswith(
        "2:14: spf.modifiers: modifier 'Redirect' has its own key"
    )
    assert only(tmp_path, "spf:\n  modifiers: {foo: a, FOO: b}\n").startswith(
        "2:14: spf.modifiers: duplicate modifier 'FOO'"
    )


def test_raw_record_errors_name_the_column(tmp_path: Path) -> None:
    assert only(
        tmp_path, "subdomains:\n  legacy:\n    spf: 'v=spf1 a ip4:1.2.3.999 -all'\n"
    ).startswith(
        "3:20: subdomains.legacy.spf: invalid SPF record at column 10 of the record: "
        "invalid ip4 address '1.2.3.999'"
    )


@pytest.mark.parametrize(
    "text",
    [
        'spf: "v=spf1 \\x61 ip4:1.2.3.999 -all"\n',  # an escape: columns no longer match
        "spf: >-\n  v=spf1 a\n  ip4:1.2.3.999 -all\n",  # folded over two lines
    ],
)
def test_raw_record_error_not_shown_verbatim_points_at_the_string(
    tmp_path: Path, text: str
) -> None:
    assert only(tmp_path, text).startswith("1:6: spf: invalid SPF record at column 10")


def test_raw_record_duplicate_modifier(tmp_path: Path) -> None:
    message = only(tmp_path, "spf: 'v=spf1 redirect=a.example redirect=b.example'\n")
    assert message.startswith(
        "1:33: spf: invalid SPF record at column 27 of the record: duplicate redirect= modifier"
    )


def test_raw_record_label_too_long(tmp_path: Path) -> None:
    label = "x" * 64
    message = only(tmp_path, f"spf: 'v=spf1 include:{label}.example.com -all'\n")
    assert message.startswith(f"1:6: spf: invalid SPF record: invalid domain '{label}.example.com'")


def test_other_strings_and_types(tmp_path: Path) -> None:
    assert only(tmp_path, "spf: nonee\n") == (
        "1:6: spf: expected a policy mapping, `none` or a raw 'v=spf1 …' record, got 'nonee' "
        "(hint: did you mean 'none'?)"
    )
    assert only(tmp_path, "spf: [mx]\n").startswith(
        "1:6: spf: expected a policy mapping, `none` or a raw 'v=spf1 …' record, got a list"
    )


def test_spf_null_is_refused_not_read_as_no_policy(tmp_path: Path) -> None:
    # an empty `spf:` is far more often a value forgotten than "no SPF here", which
    # leaving the key out says; tests/spec/test_zone.py checks the message
    found = problems(tmp_path, "spf:\nsubdomains: {www: {spf: null}}\n")
    assert [p.split(": ", 2)[1] for p in found] == ["spf", "subdomains.www.spf"]


def test_unknown_all_value_suggests(tmp_path: Path) -> None:
    assert only(tmp_path, "spf: {all: softfial}\n") == (
        "1:12: spf.all: expected 'fail', 'softfail', 'neutral' or 'pass', got the string "
        "'softfial' (hint: did you mean 'softfail'?)"
    )


def test_modifier_objects_round_trip(tmp_path: Path) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text("spf: {redirect: _spf.example.com}\n")
    (site,) = policy_sites(load_zone(file).spec)
    assert site.value.policy == Policy((Modifier("redirect", "_spf.example.com"),))
