"""The Lookup protocol: the DNS source every engine (SPF, DANE, drift, import) reads through."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address
from typing import Protocol


class Lookup(Protocol):
    """Async DNS answers: typed helpers for what SPF reads, and a generic ``query``.

    Implementations: :class:`~dnsspec.lookups.DnsResolver` and
    :class:`~dnsspec.lookups.BlockingResolver` (DNS), ``dnsspec.lock.LockedLookup``
    (the lock file), ``dnsspec.spf.records_lookup.RecordsLookup`` (the specs' own
    records). A void answer raises :class:`~dnsspec.lookups.NxDomain` or
    :class:`~dnsspec.lookups.NoData`; a view without data for a name raises
    :class:`~dnsspec.lookups.UnknownName`; a failure raises
    :class:`~dnsspec.errors.ResolveError` (:class:`~dnsspec.errors.ResolveTimeout` for a
    timeout). Nothing else.
    """

    async def query(self, name: str, rdtype: str) -> list[str]:
        """Any type (``"TLSA"``, ``"CNAME"``, ``"NS"`` …): each record in presentation
        format, as a zone file writes it (``"3 1 1 ab12…"``, ``"target.example.com."``,
        TXT as quoted strings); the rrset at the end of a CNAME chain."""
        ...

    async def txt(self, name: str) -> list[str]:
        """Each TXT record's character-strings joined with nothing in between."""
        ...

    async def a(self, name: str) -> list[IPv4Address]: ...

    async def aaaa(self, name: str) -> list[IPv6Address]: ...

    async def mx(self, name: str) -> list[tuple[int, str]]:
        """(preference, exchange) pairs; exchange without the trailing dot."""
        ...

    async def ptr(self, address: IPv4Address | IPv6Address) -> list[str]:
        """Names of the reverse mapping, without the trailing dot."""
        ...
