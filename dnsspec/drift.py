"""``dnsspec check``: what DNS serves against what the specs compile to (issue #13).

For every (name, type) of the compiled records of a zone, one :class:`Drift` row:
``in-sync``, ``missing`` (nothing of ours there), ``different`` (expected vs actual), or
``extra-own-kind`` (a TXT name serving more than one value of a kind a name may have
once: two ``v=spf1`` or two ``v=DMARC1`` values, a permerror for receivers; the kinds
come from :func:`dnsspec.txtkinds.txt_kind`). For the lock, ``stale-lock`` rows: a
third-party name whose live SPF record differs from ``dnsspec.lock``.

TXT rrsets compare the values the specs manage: foreign values beside them (a
verification token) are not drift, a value of a kind the specs publish there is.
Every question goes through the generic :meth:`~dnsspec.lookups.Lookup.query` (TXT
through ``txt``, joined strings): a :class:`~dnsspec.lookups.DnsResolver` at the given
resolver, or at the zone's authoritative servers with RD=0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address
from typing import Literal

from dnsspec.errors import DnsspecError, ResolveError
from dnsspec.lookups import Lookup, NoData, NxDomain, normalize_name
from dnsspec.records import Record
from dnsspec.txtkinds import TXT_TYPES

Status = Literal["in-sync", "missing", "different", "extra-own-kind", "stale-lock", "error"]
ONCE_PER_NAME = ("spf", "dmarc")  # a second value of these kinds at a name is a permerror


class ZoneUnreachable(DnsspecError):
    """A zone's servers could not be asked (or did not answer)."""


@dataclass(frozen=True)
class Drift:
    """One row of the report: a name and type, and how DNS compares with the specs."""

    zone: str  # "example.com" (no dot)
    name: str  # the fqdn, no dot
    type: str
    status: Status
    expected: tuple[str, ...]
    actual: tuple[str, ...]
    server: str
    # the RFC 7208 lookup count of the SPF policy at this name as served (a TXT row of a
    # name the specs publish SPF at, when the walk got answers), else None
    spf_lookups: int | None = None
    # True when part of that walk got no answer (a timeout, a server failure): the real
    # count may be higher, as plan's "≥4"; None where spf_lookups is None
    spf_lookups_at_least: bool | None = None
    # what went wrong, or where the served data departs, in words (MTA-STS policy rows)
    detail: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "zone": self.zone,
            "name": self.name,
            "type": self.type,
            "status": self.status,
            "expected": list(self.expected),
            "actual": list(self.actual),
            "server": self.server,
            "spf_lookups": self.spf_lookups,
            "spf_lookups_at_least": self.spf_lookups_at_least,
            "detail": self.detail,
        }


async def _served(lookup: Lookup, name: str, rdtype: str) -> tuple[str, ...]:
    try:
        if rdtype in TXT_TYPES:
            return tuple(sorted(await lookup.txt(name)))
        return tuple(sorted(await lookup.query(name, rdtype)))
    except (NxDomain, NoData):
        return ()


def _expected(record: Record) -> tuple[str, ...]:
    from dnsspec.spf.records_lookup import presentation

    if record.type in TXT_TYPES:
        return tuple(sorted(str(v) for v in record.values))
    return tuple(sorted(presentation(record.type, v) for v in record.values))


def compare(name: str, rdtype: str, expected: tuple[str, ...], actual: tuple[str, ...]) -> Status:
    """The status of one rrset (``expected`` the compiled values, ``actual`` served)."""
    if rdtype not in TXT_TYPES:
        if set(expected) == set(actual):
            return "in-sync"
        return "missing" if not actual else "different"
    from dnsspec.txtkinds import txt_kind

    for kind in ONCE_PER_NAME:
        if sum(1 for text in actual if txt_kind(name, text) == kind) > 1:
            return "extra-own-kind"
    ours = {txt_kind(name, text) for text in expected}
    # the served values the specs answer for: the expected ones, and any of their kinds
    relevant = {t for t in actual if t in expected or (txt_kind(name, t) in ours - {None})}
    if relevant == set(expected):
        return "in-sync"
    return "missing" if not relevant else "different"


async def check_zone(
    zone: str, records: Sequence[Record], lookup: Lookup, server: str
) -> list[Drift]:
    """The rows of one zone; raises :class:`ZoneUnreachable` when a query fails."""
    rows = []
    for record in sorted(records, key=Record.sort_key):
        name = normalize_name(record.fqdn)
        expected = _expected(record)
        try:
            actual = await _served(lookup, name, record.type)
        except ResolveError as error:
            raise ZoneUnreachable(f"{zone}: {error.message}") from None
        status = compare(name, record.type, expected, actual)
        rows.append(Drift(zone, name, record.type, status, expected, actual, server))
    return rows


async def authoritative_servers(zone: str, resolver: Lookup, port: int = 53) -> list[str]:
    """The addresses of the zone's NS hosts, via ``resolver``: ``"ADDRESS"`` on port 53,
    ``"ADDRESS:PORT"`` (``"[V6]:PORT"``) on another ``port`` (a test server's)."""
    from dnsspec.lookups.nameservers import format_server

    try:
        hosts = sorted(normalize_name(h) for h in await resolver.query(zone, "NS"))
    except ResolveError as error:
        raise ZoneUnreachable(f"{zone}: no NS records to ask ({error.message})") from None
    addresses: list[str] = []
    for host in hosts:
        for rdtype in ("A", "AAAA"):
            try:
                addresses.extend(await resolver.query(host, rdtype))
            except ResolveError:
                continue
    if not addresses:
        raise ZoneUnreachable(f"{zone}: no address for its nameservers {', '.join(hosts)}")
    if port != 53:
        addresses = [format_server((a, port)) for a in addresses]
    return list(dict.fromkeys(addresses))


class ZoneFirst:
    """A :class:`~dnsspec.lookups.Lookup` asking ``own`` (the zone's authoritative servers,
    RD=0) for names in ``zone`` and ``other`` (a resolver) for the rest: the live SPF
    lookup count walks a zone's policies as its servers serve them, and third-party
    includes through the resolver (an authoritative server does not recurse)."""

    def __init__(self, zone: str, own: Lookup, other: Lookup) -> None:
        self.zone = normalize_name(zone)
        self.own = own
        self.other = other

    def _for(self, name: str) -> Lookup:
        name = normalize_name(name)
        inside = name == self.zone or name.endswith("." + self.zone)
        return self.own if inside else self.other

    async def query(self, name: str, rdtype: str) -> list[str]:
        return await self._for(name).query(name, rdtype)

    async def txt(self, name: str) -> list[str]:
        return await self._for(name).txt(name)

    async def a(self, name: str) -> list[IPv4Address]:
        return await self._for(name).a(name)

    async def aaaa(self, name: str) -> list[IPv6Address]:
        return await self._for(name).aaaa(name)

    async def mx(self, name: str) -> list[tuple[int, str]]:
        return await self._for(name).mx(name)

    async def ptr(self, address: IPv4Address | IPv6Address) -> list[str]:
        return await self.other.ptr(address)


async def stale_lock(
    names: dict[str, tuple[str, ...] | str], lookup: Lookup, server: str
) -> list[Drift]:
    """``stale-lock`` rows: third-party names whose live SPF TXT differs from the lock's."""
    from dnsspec.lock import NODATA, NXDOMAIN
    from dnsspec.spf.syntax import is_spf_record

    rows = []
    for name, locked in sorted(names.items()):
        try:
            live = tuple(t for t in await lookup.txt(name) if is_spf_record(t))
            live_answer: tuple[str, ...] | str = live
        except NxDomain:
            live_answer = NXDOMAIN
        except NoData:
            live_answer = NODATA
        except ResolveError:
            continue  # a third party's failure is not the zone's drift
        if live_answer != locked:
            as_tuple = (locked,) if isinstance(locked, str) else tuple(locked)
            now = (live_answer,) if isinstance(live_answer, str) else live_answer
            rows.append(Drift("", name, "TXT", "stale-lock", as_tuple, now, server))
    return rows
