"""RecordsLookup: DNS answers from compiled records, as an authoritative server would."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from ipaddress import IPv4Address, IPv6Address
from typing import TypeVar

import pytest
from dnsserver import StartServer

from dnsspec.lookups import DnsResolver, NoData, NxDomain, UnknownName
from dnsspec.records import Record, split_character_strings
from dnsspec.spf.records_lookup import RecordsLookup

T = TypeVar("T")
ZONE = "example.com."

RECORDS = [
    Record(ZONE, "", "TXT", 300, ("v=spf1 mx -all", "google-site-verification=x")),
    Record(ZONE, "", "MX", 300, ({"preference": 10, "exchange": "MX.example.com."},)),
    Record(ZONE, "mx", "A", 300, ("192.0.2.1", "192.0.2.2")),
    Record(ZONE, "mx", "AAAA", 300, ("2001:db8::1",)),
    Record(ZONE, "deep.ent", "A", 300, ("192.0.2.3",)),
    Record(ZONE, "*.wild", "TXT", 300, ("v=spf1 -all",)),
    Record(ZONE, "alias", "CNAME", 300, ("mx.example.com.",)),
    Record(ZONE, "sub", "NS", 300, ("ns1.other.example.",)),
]


def run(awaitable: Awaitable[T]) -> T:
    async def main() -> T:
        return await awaitable

    return asyncio.run(main())


LOOKUP = RecordsLookup(RECORDS, [ZONE])


def test_answers_case_insensitively_with_or_without_trailing_dot() -> None:
    assert run(LOOKUP.txt("EXAMPLE.com.")) == ["v=spf1 mx -all", "google-site-verification=x"]
    assert run(LOOKUP.mx("example.com")) == [(10, "mx.example.com")]
    assert run(LOOKUP.a("Mx.Example.Com")) == [IPv4Address("192.0.2.1"), IPv4Address("192.0.2.2")]
    assert run(LOOKUP.aaaa("mx.example.com.")) == [IPv6Address("2001:db8::1")]


def test_void_answers() -> None:
    with pytest.raises(NoData):
        run(LOOKUP.a("example.com"))
    with pytest.raises(NoData):  # an empty non-terminal exists
        run(LOOKUP.txt("ent.example.com"))
    with pytest.raises(NxDomain):
        run(LOOKUP.txt("nope.example.com"))


def test_wildcard_and_cname() -> None:
    assert run(LOOKUP.txt("a.b.wild.example.com")) == ["v=spf1 -all"]
    with pytest.raises(NoData):
        run(LOOKUP.a("x.wild.example.com"))
    assert run(LOOKUP.a("alias.example.com")) == [
        IPv4Address("192.0.2.1"),
        IPv4Address("192.0.2.2"),
    ]


def test_outside_names_and_delegations_are_unknown() -> None:
    for name in ("_spf.google.com", "host.sub.example.com", "sub.example.com"):
        with pytest.raises(UnknownName) as info:
            run(LOOKUP.txt(name))
        assert (info.value.qname, info.value.rdtype) == (name, "TXT")


def test_fallback_answers_outside_names() -> None:
    fallback = RecordsLookup(
        [Record("google.com.", "_spf", "TXT", 300, ("v=spf1 ~all",))], ["google.com"]
    )
    lookup = RecordsLookup(RECORDS, [ZONE], fallback=fallback)
    assert run(lookup.txt("_spf.google.com.")) == ["v=spf1 ~all"]
    assert run(lookup.txt("example.com")) == ["v=spf1 mx -all", "google-site-verification=x"]
    with pytest.raises(UnknownName):
        run(lookup.txt("other.example"))


def test_ptr() -> None:
    lookup = RecordsLookup(
        [Record("2.0.192.in-addr.arpa.", "1", "PTR", 300, ("mx.example.com.",))],
        ["2.0.192.in-addr.arpa."],
    )
    assert run(lookup.ptr(IPv4Address("192.0.2.1"))) == ["mx.example.com"]
    with pytest.raises(NxDomain):
        run(lookup.ptr(IPv4Address("192.0.2.7")))
    with pytest.raises(UnknownName):
        run(lookup.ptr(IPv4Address("198.51.100.1")))


QUERY_RECORDS = [
    Record(ZONE, "", "NS", 300, ("ns1.example.net.", "ns2.example.net.")),
    Record(ZONE, "", "MX", 300, ({"preference": 10, "exchange": "mx.example.com."},)),
    Record(ZONE, "", "TXT", 300, ("v=spf1 " + "ip4:192.0.2.1 " * 30 + "-all",)),
    Record(ZONE, "mx", "A", 300, ("192.0.2.1",)),
    Record(ZONE, "www", "CNAME", 300, ("mx.example.com.",)),
    Record(
        ZONE,
        "_25._tcp.mx",
        "TLSA",
        300,
        (
            {
                "certificate_usage": 3,
                "selector": 1,
                "matching_type": 1,
                "certificate_association_data": "AB" * 32,
            },
        ),
    ),
]
QUESTIONS = [
    ("example.com", "NS"),
    ("example.com", "MX"),
    ("example.com", "TXT"),
    ("www.example.com", "CNAME"),
    ("www.example.com", "A"),
    ("_25._tcp.mx.example.com", "TLSA"),
]


def test_query_answers_as_a_server_publishing_the_records_does(dns_server: StartServer) -> None:
    """RecordsLookup.query and the resolvers' query agree on every type's text."""
    lookup = RecordsLookup(QUERY_RECORDS, [ZONE])
    zone: dict[str, list[object]] = {}
    for record in QUERY_RECORDS:
        for value in record.values:
            if record.type == "MX":
                value = (value["preference"], value["exchange"])
            elif record.type == "TLSA":
                fields = ("certificate_usage", "selector", "matching_type")
                value = " ".join(str(value[f]) for f in fields)
                value += " " + record.values[0]["certificate_association_data"]
            elif record.type == "TXT":
                value = split_character_strings(value, at_spaces=False)
            zone.setdefault(record.fqdn, []).append((record.type, value))
    resolver = DnsResolver([dns_server(zone).address], timeout=0.5)
    for name, rdtype in QUESTIONS:
        expected = sorted(run(resolver.query(name, rdtype)))
        assert sorted(run(lookup.query(name, rdtype))) == expected, (name, rdtype)
    with pytest.raises(NoData):
        run(lookup.query("example.com", "TLSA"))
    with pytest.raises(NxDomain):
        run(lookup.query("nowhere.example.com", "CNAME"))
    with pytest.raises(UnknownName):
        run(lookup.query("example.org", "NS"))
