"""What both DNS resolvers share: options, the cache, the Lookup methods over one question.

The drivers (:class:`~dnsspec.lookups.blocking.BlockingResolver`,
:class:`~dnsspec.lookups.asynchronous.DnsResolver`) implement only ``_outcome(name,
rdtype)``, which runs a :class:`~dnsspec.lookups.resolution.Resolution` over their I/O.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from ipaddress import IPv4Address, IPv6Address

from dnsspec.errors import ResolveError
from dnsspec.lookups.names import normalize_name, reverse_name
from dnsspec.lookups.nameservers import Server, parse_nameserver, system_nameservers
from dnsspec.lookups.resolution import Answer

Key = tuple[str, str]  # (normalised name, rdtype)
Outcome = Answer | ResolveError


class ResolverBase:
    """:class:`~dnsspec.lookups.Lookup` over DNS, each answer (and failure) cached.

    ``nameservers``: ``"HOST"`` or ``"HOST:PORT"`` (IPv6 as ``"2001:db8::53"`` or
    ``"[2001:db8::53]:5353"``); empty means the system resolver (/etc/resolv.conf).
    ``timeout`` bounds each DNS question in seconds, retries included: each server is
    asked ``retries + 1`` times, a new try every ``timeout / tries`` seconds, and an
    answer to any try counts until ``timeout`` is spent; then
    :class:`~dnsspec.errors.ResolveTimeout` is raised.

    Every answer and every failure is cached for the resolver's lifetime. TXT records:
    each record's character-strings joined with nothing in between, decoded as UTF-8
    with invalid bytes replaced by U+FFFD, so a non-ASCII or binary record never raises.
    """

    blocking = False
    edns = False  # EDNS0 with a 1232-byte payload (else answers over 512 bytes use TCP)
    recursion = True  # RD=1; False asks an authoritative server for its own data only

    def __init__(
        self, nameservers: Sequence[str] = (), timeout: float = 2.0, retries: int = 2
    ) -> None:
        self.nameservers = tuple(nameservers)
        self.timeout = float(timeout)
        self.retries = max(0, int(retries))
        self._parsed = tuple(parse_nameserver(n) for n in self.nameservers)
        self._done: dict[Key, Outcome] = {}
        self.queries = 0  # questions sent to DNS (cache misses), for tests and benchmarks

    def _servers(self) -> list[Server]:
        """(address, port) of each nameserver: the given ones, or the system's."""
        return list(self._parsed) if self._parsed else system_nameservers()

    async def _outcome(self, name: str, rdtype: str) -> Outcome:
        raise NotImplementedError

    async def _answer(self, name: str, rdtype: str) -> Answer:
        outcome = await self._outcome(normalize_name(name), rdtype.upper())
        if isinstance(outcome, ResolveError):
            raise copy.copy(outcome)  # each raise its own exception (tracebacks differ)
        return outcome

    # --- the Lookup protocol --------------------------------------------------------

    async def query(self, name: str, rdtype: str) -> list[str]:
        return list((await self._answer(name, rdtype)).texts())

    async def txt(self, name: str) -> list[str]:
        return list((await self._answer(name, "TXT")).typed())

    async def a(self, name: str) -> list[IPv4Address]:
        return list((await self._answer(name, "A")).typed())

    async def aaaa(self, name: str) -> list[IPv6Address]:
        return list((await self._answer(name, "AAAA")).typed())

    async def mx(self, name: str) -> list[tuple[int, str]]:
        return list((await self._answer(name, "MX")).typed())

    async def ptr(self, address: IPv4Address | IPv6Address) -> list[str]:
        return list((await self._answer(reverse_name(address), "PTR")).typed())
