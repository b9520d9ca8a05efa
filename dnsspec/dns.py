"""The DNS source every SPF computation reads through.

``Lookup`` is the protocol the SPF engine (evaluate, cost, flatten) is written
against; implementations: the async dnspython resolver (below), the lock file's
``LockedLookup``, the specs' own compiled records, and the tests' fixture server.
A void answer raises :class:`NxDomain` or :class:`NoData`; a failure raises
:class:`dnsspec.errors.ResolveError` (``ResolveTimeout`` for a timeout).
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address
from typing import Protocol

from dnsspec.errors import ResolveError


class NxDomain(ResolveError):
    """The name does not exist (NXDOMAIN)."""


class NoData(ResolveError):
    """The name exists but has no records of that type."""


class Lookup(Protocol):
    """Async DNS answers, one method per record type SPF needs."""

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
