"""check_host beyond the openspf suite, one test per RFC 7208 rule, over the fixture server."""

from __future__ import annotations

import asyncio
from ipaddress import IPv4Address, IPv6Address

import pytest
from dnsserver import StartServer

from dnsspec.lookups import DnsResolver
from dnsspec.spf import DEFAULT_EXPLANATION, Evaluation, SpfInputError, check_host
from dnsspec.spf.evaluate import Query, evaluate, evaluate_all

ZONE = {
    "example.com": [
        ("TXT", "v=spf1 ip4:192.0.2.0/24 include:_spf.example.com -all exp=why.example.com"),
        ("TXT", "google-site-verification=abc"),
        ("MX", (10, "mx.example.com")),
    ],
    "why.example.com": [("TXT", "%{i} is not allowed to send for %{d} (as %{s}, via %{p})")],
    "_spf.example.com": [("TXT", "v=spf1 a:out.example.com ~all")],
    "out.example.com": [("A", "198.51.100.7"), ("AAAA", "2001:db8::7")],
    "7.100.51.198.in-addr.arpa": [("PTR", "out.example.com")],
    "mx.example.com": [("A", "203.0.113.25")],
    "helo.example.org": [("TXT", "v=spf1 a:out.example.com -all")],
    "loop.example.com": [("TXT", "v=spf1 include:loop.example.com -all")],
    "servfail.example.com": [("TXT", "v=spf1 include:broken.example.com -all")],
    "broken.example.com": ["SERVFAIL"],
    "slow.example.com": [("TXT", "v=spf1 a:hang.example.com -all")],
    "hang.example.com": ["TIMEOUT"],
    "huge.example.com": [("TXT", "v=spf1 " + "ip4:10.0.0.1 " * 5000 + "-all")],
    "junk.example.com": [("TXT", "v=spf1 " + "x" * 60000)],
    "utf8.example.com": [("TXT", "v=spf1 a:ümlaut.example.com -all")],
    "pieces.example.com": [("TXT", ["v=spf1 ", "ip4:192.0.2.1 ", "-all"] * 1 + [" "] * 300)],
    "voids.example.com": [
        ("TXT", "v=spf1 a:n1.example.com a:n2.example.com a:n3.example.com +all")
    ],
    "redirect-none.example.com": [("TXT", "v=spf1 redirect=nothing.example.com")],
    "macro.example.com": [("TXT", "v=spf1 exists:%{l}.%{o}._check.example.com -all")],
    "alice.macro.example.com._check.example.com": [("A", "127.0.0.2")],
    "two.example.com": [("TXT", "v=spf1 -all"), ("TXT", "v=spf1 +all")],
}
for depth in range(50):  # a 50-deep include chain
    ZONE[f"d{depth}.example.com"] = [("TXT", f"v=spf1 include:d{depth + 1}.example.com -all")]


@pytest.fixture
def nameserver(dns_server: StartServer) -> str:
    return dns_server(ZONE).address


def run(ip: str, sender: str, nameserver: str, helo: str | None = None) -> Evaluation:
    return check_host(ip, sender, helo, nameservers=[nameserver], timeout=0.3)


def test_rfc7208_2_6_results_and_evaluation_fields(nameserver: str) -> None:
    e = run("192.0.2.10", "user@example.com", nameserver)
    assert (e.result, e.mechanism, e.explanation) == ("pass", "ip4:192.0.2.0/24", None)
    assert (e.lookups, e.void_lookups, e.reason) == (0, 0, None)
    assert e.trace[0] == "check_host(192.0.2.10, example.com, user@example.com)"
    assert e.trace[-1] == "result: pass (ip4:192.0.2.0/24)"


def test_rfc7208_2_4_empty_sender_checks_postmaster_at_helo(nameserver: str) -> None:
    e = run("198.51.100.7", "", nameserver, helo="helo.example.org")
    assert (e.result, e.mechanism) == ("pass", "a:out.example.com")
    assert e.trace[0] == "check_host(198.51.100.7, helo.example.org, postmaster@helo.example.org)"


@pytest.mark.parametrize(
    ("ip", "sender", "says"),
    [
        ("192.0.2.300", "user@example.com", "invalid client IP"),
        ("fe80::1%eth0", "user@example.com", "scoped address"),
        ("192.0.2.1", "", "no identity"),
        ("192.0.2.1", "<user@example.com>", "without the angle brackets"),
        ("192.0.2.1", "\udcff@example.com", "not valid UTF-8"),  # a byte argv could not decode
    ],
)
def test_rfc7208_4_3_malformed_input_raises(
    nameserver: str, ip: str, sender: str, says: str
) -> None:
    with pytest.raises(SpfInputError, match=says):
        run(ip, sender, nameserver)


@pytest.mark.parametrize("sender", ["user@", "user@a..example", "user@example.com>", "u@x"])
def test_rfc7208_4_3_empty_or_malformed_domain_is_none(nameserver: str, sender: str) -> None:
    e = run("192.0.2.1", sender, nameserver)
    assert (e.result, e.lookups) == ("none", 0)
    assert e.reason is not None and "not a valid domain name" in e.reason


def test_rfc7208_4_5_two_records_are_permerror(nameserver: str) -> None:
    e = run("192.0.2.1", "user@two.example.com", nameserver)
    assert e.result == "permerror"
    assert e.reason == "two.example.com publishes 2 SPF records (§4.5)"


def test_rfc7208_4_5_many_strings_are_joined(nameserver: str) -> None:
    e = run("192.0.2.1", "user@pieces.example.com", nameserver)
    assert (e.result, e.mechanism) == ("pass", "ip4:192.0.2.1")


def test_rfc7208_4_6_4_nested_includes_count_and_chain_stops(nameserver: str) -> None:
    e = run("192.0.2.1", "user@d0.example.com", nameserver)
    assert e.result == "permerror"
    assert e.lookups == 11
    assert e.reason == "more than 10 DNS lookups at 'include:d11.example.com' (§4.6.4)"


def test_rfc7208_4_6_4_include_loop_is_permerror(nameserver: str) -> None:
    e = run("192.0.2.1", "user@loop.example.com", nameserver)
    assert (e.result, e.lookups) == ("permerror", 11)


def test_rfc7208_4_6_4_void_lookup_limit(nameserver: str) -> None:
    e = run("192.0.2.1", "user@voids.example.com", nameserver)
    assert (e.result, e.void_lookups) == ("permerror", 3)
    assert e.reason == "more than 2 void DNS lookups at n3.example.com (§4.6.4)"


# RFC 7208 §4.6.4: "there may be cases where it is useful to limit the number of "terms"
# for which DNS queries return either a positive answer (RCODE 0) with an answer count of
# 0, or a "Name Error" (RCODE 3) answer. [...] SPF implementations SHOULD limit "void
# lookups" to two." The count is of terms: an mx term is void when its MX query is. The
# address lookups of its exchanges (§5.4) are bounded by §4.6.4's own limit of 10 per mx
# term, and an exchange without an AAAA record is an IPv4-only mail host, not a void term.
# pyspf 2.0.14 counts every empty answer instead, so for the IPv6 client below it counts
# mx2's and mx3's empty AAAA answers and returns permerror at a:gone1.
VOID_MX_ZONE = {
    "v6mx.example.com": [
        ("TXT", "v=spf1 mx a:gone1.example.com exists:gone2.example.com -all"),
        ("MX", (10, "mx1.v6mx.example.com")),
        ("MX", (20, "mx2.v6mx.example.com")),
        ("MX", (30, "mx3.v6mx.example.com")),
    ],
    "mx1.v6mx.example.com": [("A", "192.0.2.25"), ("AAAA", "2001:db8:25::1")],
    "mx2.v6mx.example.com": [("A", "192.0.2.26")],
    "mx3.v6mx.example.com": [("A", "192.0.2.27")],
    "nomx.example.com": [("TXT", "v=spf1 mx a:gone1.example.com a:gone2.example.com -all")],
}


def test_rfc7208_4_6_4_void_lookups_count_terms_not_mx_exchange_lookups(
    dns_server: StartServer,
) -> None:
    ns = dns_server(VOID_MX_ZONE).address
    v6 = run("2001:db8:99::1", "u@v6mx.example.com", ns)
    assert (v6.result, v6.mechanism, v6.void_lookups) == ("fail", "-all", 2)
    assert [line.strip() for line in v6.trace if "void lookup" in line] == [
        "void lookup 1 (gone1.example.com)",
        "void lookup 2 (gone2.example.com)",
    ]
    v4 = run("192.0.2.99", "u@v6mx.example.com", ns)  # the same two void terms for IPv4
    assert (v4.result, v4.void_lookups) == ("fail", 2)
    assert run("2001:db8:25::1", "u@v6mx.example.com", ns).mechanism == "mx"
    # an mx term whose MX query is empty is a void term
    none = run("192.0.2.99", "u@nomx.example.com", ns)
    assert (none.result, none.void_lookups) == ("permerror", 3)
    assert none.reason == "more than 2 void DNS lookups at gone2.example.com (§4.6.4)"


def test_rfc7208_4_4_servfail_in_include_is_temperror(nameserver: str) -> None:
    e = run("192.0.2.1", "user@servfail.example.com", nameserver)
    assert e.result == "temperror"
    assert e.reason is not None and e.reason.startswith("broken.example.com TXT: ")


def test_rfc7208_5_dns_timeout_is_temperror(nameserver: str) -> None:
    e = run("192.0.2.1", "user@slow.example.com", nameserver)
    assert e.result == "temperror"
    assert e.reason == "hang.example.com A: timed out after 0.3s"


def test_rfc7208_5_2_include_maps_fail_to_no_match(nameserver: str) -> None:
    e = run("198.51.100.8", "user@example.com", nameserver)
    assert (e.result, e.mechanism, e.lookups) == ("fail", "-all", 2)


def test_rfc7208_5_3_ipv4_mapped_ipv6_client_is_ipv4(nameserver: str) -> None:
    e = run("::ffff:198.51.100.7", "user@example.com", nameserver)
    assert (e.result, e.mechanism) == ("pass", "include:_spf.example.com")
    e6 = run("2001:db8::7", "user@example.com", nameserver)
    assert (e6.result, e6.mechanism) == ("pass", "include:_spf.example.com")


def test_rfc7208_6_2_exp_expanded_with_p_macro(nameserver: str) -> None:
    e = run("198.51.100.7", "user@example.com", nameserver)
    assert e.result == "pass"
    f = run("192.0.2.200", "bob@example.com", nameserver)  # in ip4 range: pass
    assert f.result == "pass"
    g = run("203.0.113.9", "bob@example.com", nameserver)
    assert g.result == "fail"
    assert g.explanation == (
        "203.0.113.9 is not allowed to send for example.com (as bob@example.com, via unknown)"
    )
    # the explanation's PTR walk for %{p} (no PTR record: a void answer) counts toward
    # no limit: the result was decided before it
    assert g.void_lookups == 0, g.trace


def test_rfc7208_6_1_redirect_to_no_record_is_permerror(nameserver: str) -> None:
    e = run("192.0.2.1", "user@redirect-none.example.com", nameserver)
    assert e.result == "permerror"
    assert e.reason == "redirect=nothing.example.com: nothing.example.com has no SPF record (§6.1)"


def test_rfc7208_7_macros_in_exists(nameserver: str) -> None:
    assert run("192.0.2.1", "alice@macro.example.com", nameserver).result == "pass"
    assert run("192.0.2.1", "eve@macro.example.com", nameserver).result == "fail"


def test_hostile_records_end_with_a_verdict(nameserver: str) -> None:
    assert run("10.0.0.1", "user@huge.example.com", nameserver).result == "pass"
    junk = run("10.0.0.1", "user@junk.example.com", nameserver)
    assert junk.result == "permerror"
    utf8 = run("10.0.0.1", "user@utf8.example.com", nameserver)
    assert utf8.result == "permerror"
    assert utf8.reason is not None and utf8.reason.startswith("utf8.example.com: ")


def test_fail_without_exp_uses_default_explanation(nameserver: str) -> None:
    e = run("192.0.2.1", "user@loop.example.com".replace("loop", "helo"), nameserver)
    assert e.result == "none"  # helo.example.com has no record
    f = run("192.0.2.1", "user@helo.example.org", nameserver)
    assert (f.result, f.explanation) == ("fail", DEFAULT_EXPLANATION)


def test_evaluate_all_shares_one_cache(nameserver: str) -> None:
    resolver = DnsResolver([nameserver], timeout=0.3)
    queries = [Query("198.51.100.7", f"u{i}@example.com") for i in range(100)]
    queries.append(Query("not-an-ip", "u@example.com"))
    results = asyncio.run(evaluate_all(queries, lookup=resolver))
    assert [r.result for r in results[:100] if isinstance(r, Evaluation)] == ["pass"] * 100
    assert isinstance(results[100], SpfInputError)
    assert resolver.queries == 3  # example.com TXT, _spf.example.com TXT, out.example.com A


class _Static:
    """A Lookup without DNS: the evaluator core needs nothing but the protocol."""

    async def txt(self, name: str) -> list[str]:
        return {"static.test": ["v=spf1 mx -all"]}.get(name, [])

    async def a(self, name: str) -> list[IPv4Address]:
        return [IPv4Address("192.0.2.25")] if name == "mx.static.test" else []

    async def aaaa(self, name: str) -> list[IPv6Address]:
        return []

    async def mx(self, name: str) -> list[tuple[int, str]]:
        return [(10, "mx.static.test")]

    async def ptr(self, address: IPv4Address | IPv6Address) -> list[str]:
        return []

    async def query(self, name: str, rdtype: str) -> list[str]:
        return []


def test_evaluate_core_runs_on_any_lookup() -> None:
    e = asyncio.run(evaluate("192.0.2.25", "a@static.test", lookup=_Static()))
    assert (e.result, e.mechanism, e.lookups) == ("pass", "mx", 1)


class _Slow(_Static):
    async def txt(self, name: str) -> list[str]:
        await asyncio.sleep(30)
        return []


def test_rfc7208_4_6_4_elapsed_time_limit_is_temperror() -> None:
    e = asyncio.run(evaluate("192.0.2.1", "a@static.test", lookup=_Slow(), max_time=0.1))
    assert (e.result, e.reason) == ("temperror", "the evaluation took longer than 0.1s (§4.6.4)")


MX_ZONE = {
    "mxto.example.com": [("TXT", "v=spf1 mx -all"), ("MX", (10, "a.example.com"))]
    + [("MX", (20 + i, f"hang{i}.example.com")) for i in range(5)],
    "a.example.com": [("A", "192.0.2.1")],
    "ptr.example.com": [("TXT", "v=spf1 ptr -all")],
    "9.2.0.192.in-addr.arpa": [("PTR", "broken.ptr.example.com"), ("PTR", "ok.ptr.example.com")],
    "broken.ptr.example.com": ["SERVFAIL"],
    "ok.ptr.example.com": [("A", "192.0.2.9")],
}
for i in range(5):
    MX_ZONE[f"hang{i}.example.com"] = ["TIMEOUT"]


def test_rfc7208_5_4_mx_decides_in_preference_order(dns_server: StartServer) -> None:
    ns = dns_server(MX_ZONE).address
    assert run("192.0.2.1", "u@mxto.example.com", ns).result == "pass"  # first MX matches
    e = run("192.0.2.2", "u@mxto.example.com", ns)
    assert e.result == "temperror"
    assert e.reason == "mx:mxto.example.com: hang0.example.com A: timed out after 0.3s"


def test_rfc7208_5_5_ptr_name_with_dns_error_is_skipped(dns_server: StartServer) -> None:
    ns = dns_server(MX_ZONE).address
    e = run("192.0.2.9", "u@ptr.example.com", ns)
    assert (e.result, e.mechanism) == ("pass", "ptr")
