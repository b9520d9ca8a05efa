"""The static lookup accounting over hand-made compiled records."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dnsspec.errors import ResolveTimeout
from dnsspec.records import Record
from dnsspec.spf.cost import MAX_TERMS, Cost, Limits, lookup_cost, lookup_costs, term_cost
from dnsspec.spf.records_lookup import RecordsLookup
from dnsspec.spf.syntax import parse, parse_term

ZONE = "example.com."


def rec(name: str, rtype: str, *values: Any) -> Record:
    return Record(ZONE, name, rtype, 300, tuple(values))


def spf(name: str, text: str) -> Record:
    return rec(name, "TXT", text)


def cost(records: list[Record], domain: str = "example.com", **kwargs: Any) -> Cost:
    return asyncio.run(lookup_cost(domain, RecordsLookup(records, [ZONE]), **kwargs))


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("include:x.example", 1),
        ("a", 1),
        ("-mx:x.example/24", 1),
        ("ptr", 1),
        ("exists:%{i}.x.example", 1),
        ("redirect=x.example", 1),
        ("all", 0),
        ("ip4:192.0.2.0/24", 0),
        ("ip6:2001:db8::/32", 0),
        ("exp=x.example", 0),
        ("foo=bar", 0),
    ],
)
def test_term_cost(term: str, expected: int) -> None:
    assert term_cost(parse_term(term)) == expected


def test_addresses_only_cost_nothing() -> None:
    result = cost([spf("", "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all")])
    assert (result.lookups, result.voids, result.at_least, result.over_limit_path) == (
        0,
        0,
        False,
        None,
    )
    assert result.tree.record == "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"
    assert result.tree.hop == "example.com"


# dual-stack hosts: `a:hN` is no void lookup for IPv4 or IPv6 clients
HOSTS = [
    *(rec(f"h{i}", "A", f"192.0.2.{i}") for i in range(1, 9)),
    *(rec(f"h{i}", "AAAA", f"2001:db8::{i}") for i in range(1, 9)),
]


def test_nested_includes_and_over_limit_path() -> None:
    records = [
        spf("", "v=spf1 include:a.example.com mx -all"),
        rec("", "MX", {"preference": 10, "exchange": "h1.example.com."}),
        spf("a", "v=spf1 a mx:example.com include:B.example.com."),
        rec("a", "A", "192.0.2.100"),
        rec("a", "AAAA", "2001:db8::100"),
        spf("b", "v=spf1 " + " ".join(f"a:h{i}.example.com" for i in range(1, 9))),
        *HOSTS,
    ]
    result = cost(records)
    assert (result.lookups, result.voids, result.at_least) == (13, 0, False)
    # root include (1), a: a mx include (4), b: 7th a:h7 is the 11th lookup
    assert result.over_limit_path == (
        "example.com",
        "include:a.example.com",
        "include:b.example.com",
        "a:h7.example.com",
    )
    assert result.over_limit_term == 0  # the root's include:a.example.com
    tree = result.tree
    assert (tree.own_lookups, tree.lookups) == (2, 13)
    assert [c.hop for c in tree.children] == ["include:a.example.com"]
    a = tree.children[0]
    assert (a.own_lookups, a.own_voids, a.record) == (
        3,
        0,
        "v=spf1 a mx:example.com include:B.example.com.",
    )
    assert a.children[0].domain == "b.example.com"
    assert a.children[0].own_lookups == 8


def test_voids_and_void_limit_path() -> None:
    records = [
        spf("", "v=spf1 a:n1.example.com mx:n2.example.com include:i.example.com -all"),
        spf("i", "v=spf1 exists:n3.example.com a:aaaa.example.com a:h1.example.com"),
        rec("aaaa", "AAAA", "2001:db8::1"),
        rec("n2", "A", "192.0.2.1"),  # exists, but has no MX: void
        *HOSTS,
    ]
    result = cost(records)
    # n1 (no name) and n2 (no MX) are voids 1 and 2 for every client; i's exists:n3 is
    # the third; a:aaaa.example.com (AAAA only) is a fourth for IPv4 clients alone
    assert (result.lookups, result.voids, result.void_family) == (6, 4, "IPv4")
    assert (result.tree.own_voids, result.tree.children[0].own_voids) == (2, 2)
    assert result.tree.children[0].voids_by_family == (2, 1)
    assert result.tree.voids_by_family == (4, 3)
    path = ("example.com", "include:i.example.com", "exists:n3.example.com")
    assert result.over_limit_path == result.void_over_path == path
    assert result.over_limit_term == result.void_over_term == 2


def test_a_hosts_with_ipv4_only_are_voids_for_ipv6_clients() -> None:
    """Three IPv4-only a: hosts: fine for IPv4 clients, permerror for every IPv6 one."""
    records = [
        spf("", "v=spf1 ip4:192.0.2.0/24 a:m1.example.com a:m2.example.com a:m3.example.com -all"),
        *(rec(f"m{i}", "A", f"192.0.2.{i}") for i in (1, 2, 3)),
    ]
    result = cost(records)
    assert (result.lookups, result.voids, result.void_family) == (3, 3, "IPv6")
    assert result.void_over_path == ("example.com", "a:m3.example.com")
    assert result.void_over_term == 3  # the root's 4th term (index 3): a:m3
    assert result.tree.voids_by_family == (0, 3)


def test_a_dns_failure_under_a_term_is_unknown_not_fine() -> None:
    class Failing(RecordsLookup):
        async def a(self, name: str) -> list[Any]:
            if name.startswith("down."):
                raise ResolveTimeout("down.example.com A: timed out after 2s")
            return await super().a(name)

    records = [spf("", "v=spf1 a:down.example.com -all")]
    result = asyncio.run(lookup_cost("example.com", Failing(records, [ZONE])))
    assert result.at_least and result.tree.unknown
    assert result.tree.problem is not None and "temperror" in result.tree.problem


def test_redirect_followed_only_without_all() -> None:
    records = [
        spf("", "v=spf1 mx:h1.example.com redirect=_spf.example.com"),
        spf("_spf", "v=spf1 a:h2.example.com -all"),
        rec("h1", "MX", {"preference": 5, "exchange": "h2.example.com."}),
        *HOSTS,
    ]
    result = cost(records)
    assert (result.lookups, result.voids) == (3, 0)
    assert [c.hop for c in result.tree.children] == ["redirect=_spf.example.com"]
    ignored = cost([spf("", "v=spf1 -all redirect=_spf.example.com")])
    assert (ignored.lookups, ignored.tree.children) == (0, ())


def test_include_loop_is_marked() -> None:
    records = [
        spf("", "v=spf1 include:a.example.com -all"),
        spf("a", "v=spf1 include:b.example.com"),
        spf("b", "v=spf1 include:a.example.com"),
    ]
    result = cost(records)
    assert result.lookups == 3
    loop = result.tree.children[0].children[0].children[0]
    assert loop.hop == "include:a.example.com"
    assert loop.problem == "loop: a.example.com → b.example.com → a.example.com (permerror)"
    assert result.problems == (("include:a.example.com", loop.problem),)


def test_redirect_to_itself_is_a_loop() -> None:
    result = cost([spf("", "v=spf1 redirect=EXAMPLE.com.")])
    assert result.lookups == 1
    assert result.tree.children[0].problem == "loop: example.com → example.com (permerror)"


def test_third_party_names_are_unknown() -> None:
    records = [spf("", "v=spf1 include:_spf.google.com a:mail.other.example -all")]
    result = cost(records)
    assert (result.lookups, result.voids, result.at_least) == (2, 0, True)
    child = result.tree.children[0]
    assert (child.domain, child.unknown, child.record, child.problem) == (
        "_spf.google.com",
        True,
        None,
        None,
    )


def test_macro_targets() -> None:
    records = [
        spf("", "v=spf1 include:%{ir}.%{v}.x.example.com include:_spf.%{d} exists:%{i}.bl.example"),
        spf("_spf", "v=spf1 a:h1.example.com"),
        *HOSTS,
    ]
    result = cost(records)
    assert (result.lookups, result.voids, result.at_least) == (4, 0, True)
    unknown, followed = result.tree.children
    assert (unknown.domain, unknown.via, unknown.unknown) == (
        "%{ir}.%{v}.x.example.com",
        "include",
        True,
    )
    assert (followed.domain, followed.own_lookups, followed.unknown) == (
        "_spf.example.com",
        1,
        False,
    )


def test_record_problems_at_targets() -> None:
    records = [
        spf(
            "", "v=spf1 include:none.example.com include:two.example.com include:bad.example.com mx"
        ),
        rec("none", "TXT", "google-site-verification=x"),
        rec("two", "TXT", "v=spf1 -all", "v=spf1 ~all"),
        spf("bad", "v=spf1 a:museum"),
        rec("", "MX", *({"preference": i, "exchange": f"mx{i}.example.com."} for i in range(11))),
    ]
    result = cost(records)
    assert result.lookups == 4
    assert result.problems == (
        ("example.com", "mx has 11 names, more than 10 (permerror)"),
        ("include:none.example.com", "no SPF record (permerror)"),
        ("include:two.example.com", "2 SPF records (permerror)"),
        (
            "include:bad.example.com",
            "syntax error: invalid domain-spec 'museum': it must end in a top-level label"
            " (letters, digits, inner '-', not all digits) after a '.', or in a macro"
            " in term 'a:museum' (permerror)",
        ),
    )
    assert result.tree.children[2].record == "v=spf1 a:museum"


def test_depth_limit() -> None:
    records = [spf("", "v=spf1 include:d0.example.com")]
    records += [spf(f"d{i}", f"v=spf1 include:d{i + 1}.example.com") for i in range(30)]
    result = cost(records)
    assert result.lookups == 21
    assert result.over_limit_path == (
        "example.com",
        *(f"include:d{i}.example.com" for i in range(11)),
    )
    deepest = list(result.tree.walk())[-1]
    assert deepest.domain == "d20.example.com"
    assert deepest.problem == "nested deeper than 20 records (permerror)"


def test_root_without_record_and_given_policy() -> None:
    missing = cost([rec("", "A", "192.0.2.1")])
    assert (missing.lookups, missing.tree.problem, missing.tree.record) == (
        0,
        "no SPF record",
        None,
    )
    given = cost([], policy=parse("v=spf1 a:h1.example.com ptr -all"))
    assert (given.lookups, given.voids, given.tree.record) == (
        2,
        1,
        "v=spf1 a:h1.example.com ptr -all",
    )


def test_custom_limits() -> None:
    records = [spf("", "v=spf1 a:h1.example.com a:h2.example.com a:h3.example.com"), *HOSTS]
    result = cost(records, limits=Limits(lookups=2))
    assert (result.lookups, result.over_limit_path, result.over_limit_term) == (
        3,
        ("example.com", "a:h3.example.com"),
        2,
    )


def test_hostile_fan_out_is_bounded() -> None:
    def name(path: tuple[int, ...]) -> str:
        return "n" + "-".join(map(str, path))

    def includes(path: tuple[int, ...]) -> str:
        return "v=spf1 " + " ".join(f"include:{name((*path, j))}.example.com" for j in range(10))

    records = [spf("", includes(()))]
    records += [spf(name(p), includes(p)) for p in itertools.product(range(10), repeat=1)]
    records += [spf(name(p), includes(p)) for p in itertools.product(range(10), repeat=2)]
    records += [spf(name(p), includes(p)) for p in itertools.product(range(10), repeat=3)]
    result = cost(records)
    assert result.at_least
    assert result.lookups == 10 + 100 + 1000 + 10000
    nodes = list(result.tree.walk())
    cut = [
        n for n in nodes if n.problem == f"not followed: the tree has more than {MAX_TERMS} terms"
    ]
    assert cut and all(n.unknown and not n.children and n.own_lookups == 10 for n in cut)
    assert len(nodes) <= MAX_TERMS + 1 + 10


# --- a shared CostCache gives exactly the costs of separate walks -----------------

LABELS = ["p", "q", "r", "s", "t"]
_terms = st.one_of(
    st.sampled_from(LABELS).map(lambda n: f"include:{n}.example.com"),
    st.sampled_from(LABELS).map(lambda n: f"a:{n}.example.com"),
    st.sampled_from(["mx:gone.example.com", "exists:h1.example.com", "ip4:192.0.2.0/24"]),
)
_records = st.dictionaries(
    st.sampled_from(LABELS),
    st.lists(_terms, max_size=4).map(lambda ts: "v=spf1 " + " ".join(ts)),
    max_size=len(LABELS),
)


@settings(max_examples=200, deadline=None)
@given(published=_records, roots=st.lists(st.lists(_terms, max_size=4), min_size=1, max_size=6))
def test_shared_cache_equals_separate_walks(
    published: dict[str, str], roots: list[list[str]]
) -> None:
    """Loops, shared subtrees and missing records: lookup_costs (one CostCache, bounded
    concurrency) must give each root the Cost a walk of its own gives."""
    records = [spf(name, text) for name, text in published.items()]
    records += [rec(n, "A", "192.0.2.9") for n in LABELS if n not in published] + HOSTS
    policies = [parse("v=spf1 " + " ".join(terms)) for terms in roots]
    domains = [f"root{i}.example.com" for i in range(len(policies))]
    lookup = RecordsLookup(records, [ZONE])
    shared = asyncio.run(lookup_costs(list(zip(domains, policies, strict=True)), lookup))
    for domain, policy, got in zip(domains, policies, shared, strict=True):
        alone = asyncio.run(lookup_cost(domain, RecordsLookup(records, [ZONE]), policy=policy))
        assert got == alone


def test_cache_is_not_reused_across_a_loop_into_the_path() -> None:
    # root 0 caches b's subtree {b → c}; under root 1, whose own policy (a spec's)
    # includes b, the same subtree leads back to c: a loop, not the cached tree
    records = [spf("b", "v=spf1 include:c.example.com"), spf("c", "v=spf1 -all")]
    roots = [
        ("x.example.com", parse("v=spf1 include:b.example.com")),
        ("c.example.com", parse("v=spf1 include:b.example.com")),
    ]
    first, second = asyncio.run(lookup_costs(roots, RecordsLookup(records, [ZONE]), concurrency=1))
    assert (first.lookups, first.problems) == (2, ())
    loop = "loop: c.example.com → b.example.com → c.example.com (permerror)"
    assert (second.lookups, second.problems) == (2, (("include:c.example.com", loop),))


# --- issue 9: where lint and the engine disagreed ------------------------------------


def test_a_d_macro_include_is_followed_to_its_expanded_name() -> None:
    """`include:_sfp.%{d}` queries _sfp.example.com: the cost engine follows it there (and
    finds no such name: permerror), as check_host does."""
    records = [spf("_spf", "v=spf1 ip4:192.0.2.0/24 -all")]
    result = cost(records, policy=parse("v=spf1 include:_sfp.%{d} -all"))
    assert [(n.hop, n.problem) for n in result.tree.children] == [
        ("include:_sfp.example.com", "does not exist (NXDOMAIN, permerror)")
    ]
    ok = cost(records, policy=parse("v=spf1 include:_spf.%{d} -all"))
    assert [(n.hop, n.problem) for n in ok.tree.children] == [("include:_spf.example.com", None)]


def test_o_macro_names_the_domain_the_evaluation_started_at() -> None:
    records = [
        spf("", "v=spf1 include:_spf.example.com -all"),
        spf("_spf", "v=spf1 a:mail.%{o} a:mail.%{d} -all"),
        rec("mail", "A", "192.0.2.1"),
        rec("mail", "AAAA", "2001:db8::1"),
    ]
    result = cost(records)
    # mail.example.com exists (%{o}); mail._spf.example.com does not (%{d}): one void
    assert (result.lookups, result.voids, result.at_least) == (3, 1, False)


def test_terms_after_all_cost_nothing() -> None:
    """`v=spf1 -all a:h1 … a:h11`: check_host stops at -all after 0 lookups (§5.1)."""
    hosts = " ".join(f"a:h{n}.example.com" for n in range(1, 12))
    result = cost([spf("", f"v=spf1 -all {hosts}")])
    assert (result.lookups, result.voids, result.over_limit_path) == (0, 0, None)
    mid = cost([spf("", "v=spf1 a:n1.example.com ~all a:n2.example.com include:x.example")])
    assert (mid.lookups, mid.voids, mid.tree.children) == (1, 1, ())


def test_each_limit_has_its_own_path() -> None:
    """Three voids first, then an 11th lookup: the void path ends at the third void
    lookup, the lookup path at the 11th lookup."""
    voids = " ".join(f"a:n{n}.example.com" for n in range(1, 4))
    hosts = " ".join(f"a:h{n}.example.com" for n in range(1, 9))
    result = cost([spf("", f"v=spf1 {voids} {hosts} -all"), *HOSTS])
    assert (result.lookups, result.voids) == (11, 3)
    assert result.void_over_path == ("example.com", "a:n3.example.com")
    assert result.lookup_over_path == ("example.com", "a:h8.example.com")
    assert (result.void_over_term, result.lookup_over_term) == (2, 10)
    assert result.over_limit_path == result.void_over_path  # the first limit crossed
