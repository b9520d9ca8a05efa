"""dnsspec.drift: the per-rrset comparison, the NS discovery, and RD=0 questions."""

from __future__ import annotations

import asyncio

import dns.flags
import dns.message
import pytest

from dnsspec.drift import ZoneUnreachable, authoritative_servers, compare
from dnsspec.lookups import DnsResolver
from dnsspec.lookups.resolution import Resolution, Send

SPF = "v=spf1 ip4:192.0.2.0/24 -all"


@pytest.mark.parametrize(
    ("expected", "actual", "status"),
    [
        ((SPF,), (SPF,), "in-sync"),
        ((SPF,), (SPF, "verification=abc"), "in-sync"),  # a foreign value beside ours
        ((SPF,), ("verification=abc",), "missing"),
        ((SPF,), (), "missing"),
        ((SPF,), ("v=spf1 -all",), "different"),
        ((SPF,), (SPF, "v=spf1 -all"), "extra-own-kind"),
        (("token=1",), ("token=2",), "missing"),  # a records: value of no kind
        (("token=1",), ("token=1", "token=2"), "in-sync"),
    ],
)
def test_txt_compare(expected: tuple[str, ...], actual: tuple[str, ...], status: str) -> None:
    assert compare("example.com", "TXT", expected, actual) == status


def test_two_dmarc_records_are_extra_own_kind() -> None:
    one, two = "v=DMARC1; p=reject", "v=DMARC1; p=none"
    assert compare("_dmarc.example.com", "TXT", (one,), (one, two)) == "extra-own-kind"


@pytest.mark.parametrize(
    ("actual", "status"),
    [(("192.0.2.1",), "in-sync"), ((), "missing"), (("192.0.2.1", "192.0.2.2"), "different")],
)
def test_other_types_compare_as_sets(actual: tuple[str, ...], status: str) -> None:
    assert compare("www.example.com", "A", ("192.0.2.1",), actual) == status


def wire_flags(recursion: bool) -> int:
    r = Resolution("example.com", "TXT", [("127.0.0.1", 53)], timeout=1, retries=0, now=0.0,
                   recursion=recursion)  # fmt: skip
    step = r.next_step(0.0)
    assert isinstance(step, Send)
    return int(dns.message.from_wire(step.wire).flags)


def test_rd_is_cleared_for_authoritative_questions() -> None:
    assert wire_flags(True) & dns.flags.RD
    assert not wire_flags(False) & dns.flags.RD


def test_authoritative_servers_by_ns_lookup(dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server(
        {
            "example.com": [("NS", "ns1.example.net"), ("NS", "ns2.example.net")],
            "ns1.example.net": [("A", "192.0.2.53"), ("AAAA", "2001:db8::53")],
            "ns2.example.net": [("A", "198.51.100.53")],
            "nons.example": [("A", "192.0.2.1")],
        }
    )
    resolver = DnsResolver([server.address], timeout=2)
    found = asyncio.run(authoritative_servers("example.com", resolver))
    assert found == ["192.0.2.53", "2001:db8::53", "198.51.100.53"]
    with pytest.raises(ZoneUnreachable, match=r"nons\.example: no NS records to ask"):
        asyncio.run(authoritative_servers("nons.example", resolver))
