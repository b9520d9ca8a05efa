"""The plan's SPF section: who gains or loses authorization, by address range and by term."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "lint"))

import pytest
from lint_helpers import write_zones

from dnsspec.compile import compile_zones
from dnsspec.spec.load import load_zones
from dnsspec.sync.deltas.spf import _describe


def describe(tmp_path: Path, before: dict[str, str], after: dict[str, str], fqdn: str):  # type: ignore[no-untyped-def]
    """The SpfChange of ``fqdn`` between two sets of specs (zones compiled from each)."""
    records = {}
    for label, specs in (("before", before), ("after", after)):
        zones = load_zones([write_zones(tmp_path / label, specs)])
        records[label] = compile_zones(zones)
    names = sorted({f"{z}." for z in before} | {f"{z}." for z in after})

    def spf(label: str) -> list[str]:
        return [
            str(v)
            for r in records[label]
            if r.fqdn == fqdn and r.type == "TXT"
            for v in r.values
            if str(v).startswith("v=spf1")
        ]

    items = [(fqdn, spf("before"), spf("after"))]
    (change,) = asyncio.run(_describe(items, records["before"], records["after"], names, None))
    return change


def policy(*mechanisms: str) -> str:
    return "spf: {mechanisms: [" + ", ".join(mechanisms) + "], all: fail}\n"


def test_a_narrower_range_loses_only_the_difference(tmp_path: Path) -> None:
    change = describe(
        tmp_path,
        {"example.com": policy("ip4:192.0.2.0/25", "ip6:2001:db8::/32")},
        {"example.com": policy("ip4:192.0.2.0/26", "ip6:2001:db8::/32")},
        "example.com.",
    )
    assert change.authorized == ()
    assert change.deauthorized == ("ip4:192.0.2.64/26",)


def test_split_and_merged_ranges_are_no_change(tmp_path: Path) -> None:
    change = describe(
        tmp_path,
        {"example.com": policy("ip4:192.0.2.0/25", "ip4:192.0.2.128/25")},
        {"example.com": policy("ip4:192.0.2.0/24")},
        "example.com.",
    )
    assert (change.authorized, change.deauthorized) == ((), ())


def test_a_host_and_terms_gained(tmp_path: Path) -> None:
    change = describe(
        tmp_path,
        {"example.com": policy("ip4:192.0.2.0/24")},
        {"example.com": policy("ip4:192.0.2.0/24", "ip4:198.51.100.7", "mx", "~a")},
        "example.com.",
    )
    # a softfail `~a` authorizes nobody; the new host is shown without /32
    assert change.authorized == ("ip4:198.51.100.7", "mx")
    assert change.deauthorized == ()


def test_ranges_reached_through_an_include_are_compared_per_include(tmp_path: Path) -> None:
    apex = policy("include:_spf.example.com")
    change = describe(
        tmp_path,
        {"example.com": apex + "subdomains:\n  _spf: {" + policy("ip6:2001:db8::/32")[:-1] + "}\n"},
        {"example.com": apex + "subdomains:\n  _spf: {" + policy("ip6:2001:db8::/33")[:-1] + "}\n"},
        "example.com.",
    )
    assert change.deauthorized == ("ip6:2001:db8:8000::/33 (via _spf.example.com)",)
    assert change.authorized == ()


def test_a_markdown_cell_keeps_one_row_whatever_the_value() -> None:
    from dnsspec.sync.markdown import md_code

    assert md_code("a|b\nc\rd") == "`a\\|b\\nc\\rd`"
    assert "\n" not in md_code("x`y\nz")


def test_a_policy_that_asks_dns_nothing_is_walked_once_and_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: "v=spf1 -all" at a thousand parked names is one cost walk, not a thousand;
    the change at each name reads as a walk of its own gives."""
    import dnsspec.spf.cost
    import dnsspec.sync.deltas.spf as spf

    texts = ["v=spf1 ip4:192.0.2.0/24 -all", "v=spf1 -all"]
    items = [(f"n{i}.example.com.", [texts[0]], [texts[1]]) for i in range(3)]
    monkeypatch.setattr(spf, "_STATIC", {})
    alone = [asyncio.run(_describe([item], [], [], ["example.com."], None))[0] for item in items]
    monkeypatch.setattr(spf, "_STATIC", {})
    walks: list[str] = []
    lookup_cost = dnsspec.spf.cost.lookup_cost

    async def counting(domain: str, *args: object, **kwargs: object) -> object:
        walks.append(domain)
        return await lookup_cost(domain, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dnsspec.spf.cost, "lookup_cost", counting)
    together = asyncio.run(_describe(items, [], [], ["example.com."], None))
    assert together == alone
    assert together[0].deauthorized == ("ip4:192.0.2.0/24",)
    assert len(walks) == 2  # one per policy text
    # a policy that names a domain is walked at each name
    walks.clear()
    named = [(f"n{i}.example.com.", [], ["v=spf1 a -all"]) for i in range(3)]
    asyncio.run(_describe(named, [], [], ["example.com."], None))
    assert len(walks) == 3
