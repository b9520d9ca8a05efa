"""check_host, one test per RFC 7208 section the other modules do not name (§4.6.1–4.6.3,
§4.7, §4.8, §5.1, §5.6, §5.7, §8), over the fixture server on 127.0.0.1."""

from __future__ import annotations

import pytest
from dnsserver import StartServer

from dnsspec.spf import Evaluation, check_host

ZONE = {
    # §4.6.1/4.6.2: left to right, the first match decides, later terms are never asked
    "order.test": [("TXT", "v=spf1 -ip4:192.0.2.1 +ip4:192.0.2.0/24 a:never.order.test -all")],
    # §4.6.3: a modifier's position does not matter, an unknown modifier is ignored
    "mods.test": [("TXT", "v=spf1 redirect=target.mods.test foo=bar ip4:192.0.2.9")],
    "target.mods.test": [("TXT", "v=spf1 ip4:198.51.100.0/24 -all")],
    # §4.7: nothing matches, no redirect: neutral
    "nomatch.test": [("TXT", "v=spf1 ip4:192.0.2.0/24")],
    # §4.8: a domain-spec is macro-expanded; without one the current <domain> is meant
    "spec.test": [("TXT", "v=spf1 a a:%{d2}.hosts.test -all"), ("A", "192.0.2.10")],
    "spec.test.hosts.test": [("A", "198.51.100.20")],
    # §5.1: all matches every client; terms after it are never reached
    "all.test": [("TXT", "v=spf1 ?all ip4:192.0.2.0/24")],
    # §5.6: ip4/ip6 prefixes, bits past the prefix ignored, the families kept apart
    "nets.test": [("TXT", "v=spf1 ip4:192.0.2.77/25 ip6:2001:db8:1::1/48 -all")],
    # §5.7: exists matches any A record, whatever its address, and asks only for A
    "exists.test": [("TXT", "v=spf1 exists:%{ir}.list.exists.test -all")],
    "1.2.0.192.list.exists.test": [("A", "127.0.0.2")],
    "v6only.exists.test": [("AAAA", "2001:db8::2")],
    "exists6.test": [("TXT", "v=spf1 exists:v6only.exists.test -all")],
    # §8: every result
    "soft.test": [("TXT", "v=spf1 ~all")],
    "pass.test": [("TXT", "v=spf1 +all")],
    "perm.test": [("TXT", "v=spf1 ip4:300.1.1.1 -all")],
    "temp.test": [("TXT", "v=spf1 include:down.temp.test -all")],
    "down.temp.test": ["SERVFAIL"],
    "none.test": [("TXT", "just a token")],
    # RFC 8616 §4: an internationalized sender domain is looked up as its A-label
    "xn--exmple-cua.test": [("TXT", "v=spf1 ip4:192.0.2.0/24 -all")],
}


@pytest.fixture
def ns(dns_server: StartServer) -> str:
    return dns_server(ZONE).address


def spf(ns: str, ip: str, domain: str) -> Evaluation:
    return check_host(ip, f"user@{domain}", nameservers=[ns], timeout=1.0)


def test_rfc7208_4_6_1_terms_left_to_right_first_match_wins(ns: str) -> None:
    first = spf(ns, "192.0.2.1", "order.test")
    assert (first.result, first.mechanism, first.lookups) == ("fail", "-ip4:192.0.2.1", 0)
    second = spf(ns, "192.0.2.2", "order.test")
    assert (second.result, second.mechanism) == ("pass", "+ip4:192.0.2.0/24")


def test_rfc7208_4_6_2_mechanism_qualifiers_give_the_result(ns: str) -> None:
    e = spf(ns, "203.0.113.1", "order.test")  # a:never… asked (void), then -all
    assert (e.result, e.mechanism, e.lookups, e.void_lookups) == ("fail", "-all", 1, 1)


def test_rfc7208_4_6_3_modifiers_apply_after_the_mechanisms_wherever_written(ns: str) -> None:
    assert spf(ns, "192.0.2.9", "mods.test").result == "pass"  # the mechanism after it
    redirected = spf(ns, "198.51.100.5", "mods.test")
    assert (redirected.result, redirected.lookups) == ("pass", 1)  # redirect=, foo= ignored
    assert spf(ns, "203.0.113.1", "mods.test").result == "fail"


def test_rfc7208_4_7_no_match_and_no_redirect_is_neutral(ns: str) -> None:
    e = spf(ns, "203.0.113.1", "nomatch.test")
    assert (e.result, e.mechanism) == ("neutral", None)


def test_rfc7208_4_8_domain_spec_defaults_to_domain_and_expands_macros(ns: str) -> None:
    assert spf(ns, "192.0.2.10", "spec.test").mechanism == "a"
    e = spf(ns, "198.51.100.20", "spec.test")
    assert (e.result, e.mechanism) == ("pass", "a:%{d2}.hosts.test")


def test_rfc7208_5_1_all_matches_and_ends_evaluation(ns: str) -> None:
    e = spf(ns, "192.0.2.1", "all.test")
    assert (e.result, e.mechanism) == ("neutral", "?all")


@pytest.mark.parametrize(
    ("ip", "result"),
    [
        ("192.0.2.1", "pass"),  # /25 of 192.0.2.77: 192.0.2.0-127
        ("192.0.2.200", "fail"),
        ("2001:db8:1:ffff::1", "pass"),  # /48
        ("2001:db8:2::1", "fail"),
        ("::ffff:192.0.2.5", "pass"),  # an IPv4-mapped client is an IPv4 client
    ],
)
def test_rfc7208_5_6_ip4_ip6_prefixes(ns: str, ip: str, result: str) -> None:
    assert spf(ns, ip, "nets.test").result == result


def test_rfc7208_5_7_exists_matches_any_a_record_and_asks_only_a(ns: str) -> None:
    e = spf(ns, "192.0.2.1", "exists.test")
    assert (e.result, e.mechanism) == ("pass", "exists:%{ir}.list.exists.test")
    assert spf(ns, "192.0.2.2", "exists.test").result == "fail"
    # AAAA records do not count, even for an IPv6 client
    six = spf(ns, "2001:db8::2", "exists6.test")
    assert (six.result, six.void_lookups) == ("fail", 1)


@pytest.mark.parametrize(
    ("domain", "result"),
    [
        ("none.test", "none"),  # §8.1: no SPF record
        ("nomatch.test", "neutral"),  # §8.2
        ("pass.test", "pass"),  # §8.3
        ("order.test", "fail"),  # §8.4
        ("soft.test", "softfail"),  # §8.5
        ("temp.test", "temperror"),  # §8.6
        ("perm.test", "permerror"),  # §8.7
    ],
)
def test_rfc7208_8_every_result(ns: str, domain: str, result: str) -> None:
    e = spf(ns, "203.0.113.1", domain)
    assert e.result == result
    if result in ("none", "temperror", "permerror"):
        assert e.reason  # §8: says why


def test_rfc8616_4_an_internationalized_sender_domain_is_asked_as_its_a_label(ns: str) -> None:
    e = check_host("192.0.2.1", "user@exämple.test", nameservers=[ns], timeout=1.0)
    assert (e.result, e.mechanism) == ("pass", "ip4:192.0.2.0/24")
    assert e.trace[0] == "check_host(192.0.2.1, xn--exmple-cua.test, user@xn--exmple-cua.test)"
