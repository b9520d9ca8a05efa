"""The DNS source every SPF computation reads through.

``Lookup`` is the protocol the SPF engine (evaluate, cost, flatten) is written
against; implementations: the async dnspython resolver (below), the lock file's
``LockedLookup``, the specs' own compiled records, and the tests' fixture server.
A void answer raises :class:`NxDomain` or :class:`NoData`; a failure raises
:class:`dnsspec.errors.ResolveError` (``ResolveTimeout`` for a timeout).
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Sequence
from ipaddress import IPv4Address, IPv6Address
from typing import Any, Protocol

from dnsspec.errors import DnsspecError, ResolveError, ResolveTimeout


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


# --- the dnspython resolver -------------------------------------------------------------

_Key = tuple[str, str]  # (lower-case name without the trailing dot, rdtype)


class DnsResolver:
    """:class:`Lookup` over dnspython's asyncio resolver, with one shared cache.

    ``nameservers``: ``"HOST"`` or ``"HOST:PORT"`` (IPv6 as ``"2001:db8::53"`` or
    ``"[2001:db8::53]:5353"``); empty means the system resolver (/etc/resolv.conf).
    ``timeout`` bounds each DNS question in seconds, retries included: dnspython
    re-sends a lost query after ``timeout / (retries + 1)`` seconds, at most until
    ``timeout`` is spent, then :class:`ResolveTimeout` is raised.

    Every answer (and every failure) is cached for the resolver's lifetime, and so
    is every query in flight: concurrent callers asking the same question share one
    query, so a thousand domains including the same tree resolve it once per run.
    Answers over 512 bytes arrive truncated on UDP and are re-asked over TCP.
    CNAME chains are followed by the server and by dnspython (answers for the alias).

    TXT records: each record's character-strings are joined with nothing in
    between, then decoded as UTF-8 with invalid bytes replaced by U+FFFD, so a
    non-ASCII or binary record never raises (SPF parsing then rejects it).
    """

    def __init__(
        self, nameservers: Sequence[str] = (), timeout: float = 2.0, retries: int = 2
    ) -> None:
        self.nameservers = tuple(nameservers)
        self.timeout = float(timeout)
        self.retries = max(0, int(retries))
        self._parsed = tuple(parse_nameserver(n) for n in self.nameservers)
        self._resolver: Any = None
        self._done: dict[_Key, Any] = {}
        self._pending: dict[_Key, asyncio.Task[Any]] = {}
        self.queries = 0  # questions sent to DNS (cache misses), for tests and benchmarks

    # The cache holds answers already converted (texts, addresses, hosts), as tuples:
    # a shared answer is decoded once, and callers get a list of their own.

    async def txt(self, name: str) -> list[str]:
        return list(await self._query(name, "TXT"))

    async def a(self, name: str) -> list[IPv4Address]:
        return list(await self._query(name, "A"))

    async def aaaa(self, name: str) -> list[IPv6Address]:
        return list(await self._query(name, "AAAA"))

    async def mx(self, name: str) -> list[tuple[int, str]]:
        return list(await self._query(name, "MX"))

    async def ptr(self, address: IPv4Address | IPv6Address) -> list[str]:
        import dns.reversename

        name = dns.reversename.from_address(str(address)).to_text()
        return list(await self._query(name, "PTR"))

    async def _query(self, name: str, rdtype: str) -> Any:
        key = (name.rstrip(".").lower(), rdtype)
        if key in self._done:
            return _unwrap(self._done[key])
        loop = asyncio.get_running_loop()
        task = self._pending.get(key)
        if task is None or task.get_loop() is not loop:
            task = loop.create_task(self._resolve(*key))
            self._pending[key] = task
        outcome = await asyncio.shield(task)
        self._done[key] = outcome
        self._pending.pop(key, None)
        return _unwrap(outcome)

    async def _resolve(self, name: str, rdtype: str) -> Any:
        """The answer's rrset, or the ResolveError to raise (returned, to be cached)."""
        import dns.exception
        import dns.name
        import dns.resolver

        try:
            qname = dns.name.from_text(name)
        except dns.exception.DNSException as exc:
            return NxDomain(f"{name}: not a valid domain name ({exc})", qname=name, rdtype=rdtype)
        try:
            resolver = self._get_resolver()
        except DnsspecError as exc:
            return exc
        self.queries += 1
        try:
            answer = await resolver.resolve(
                qname, rdtype, lifetime=self.timeout, search=False, raise_on_no_answer=True
            )
        except dns.resolver.NXDOMAIN:
            return NxDomain(f"{name}: no such domain (NXDOMAIN)", qname=name, rdtype=rdtype)
        except dns.resolver.NoAnswer:
            return NoData(f"{name}: no {rdtype} record", qname=name, rdtype=rdtype)
        except dns.exception.Timeout:
            return ResolveTimeout(
                f"{name} {rdtype}: timed out after {self.timeout:g}s", qname=name, rdtype=rdtype
            )
        except dns.resolver.NoNameservers as exc:
            return ResolveError(
                f"{name} {rdtype}: {_servfail_text(exc)}", qname=name, rdtype=rdtype
            )
        except (dns.exception.DNSException, OSError, ValueError) as exc:
            return ResolveError(f"{name} {rdtype}: {exc}", qname=name, rdtype=rdtype)
        return _convert(rdtype, answer.rrset or ())

    def _get_resolver(self) -> Any:
        if self._resolver is not None:
            return self._resolver
        import dns.asyncresolver
        import dns.nameserver
        import dns.resolver

        try:
            resolver = dns.asyncresolver.Resolver(configure=not self._parsed)
        except dns.resolver.NoResolverConfiguration as exc:
            raise ResolveError(
                f"no system DNS resolver configured ({exc}); use --nameserver"
            ) from exc
        if self._parsed:
            resolver.nameservers = [dns.nameserver.Do53Nameserver(h, p) for h, p in self._parsed]
        resolver.timeout = self.timeout / (self.retries + 1)
        resolver.lifetime = self.timeout
        resolver.cache = None  # our own cache sits in front
        resolver.use_edns(0, 0, 1232)
        self._resolver = resolver
        return resolver


def parse_nameserver(text: str) -> tuple[str, int]:
    """``"HOST"``, ``"HOST:PORT"``, ``"[V6]:PORT"`` or a bare IPv6 address → (host, port)."""
    from ipaddress import ip_address

    raw = text.strip()
    host, port = raw, "53"
    if raw.startswith("["):
        host, sep, rest = raw[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ResolveError(f"invalid nameserver {text!r}: expected [IPV6]:PORT")
        port = rest[1:] or "53"
    elif raw.count(":") == 1:
        host, port = raw.split(":")
    try:
        address = str(ip_address(host))
        number = int(port)
    except ValueError as exc:
        raise ResolveError(
            f"invalid nameserver {text!r}: expected an IP address, HOST:PORT or [IPV6]:PORT"
        ) from exc
    if not 0 < number < 65536:
        raise ResolveError(f"invalid nameserver {text!r}: port out of range")
    return address, number


def _host(name: Any) -> str:
    return str(name.to_text()).rstrip(".") or "."


def _convert(rdtype: str, rrset: Any) -> tuple[Any, ...]:
    """An rrset as the values the Lookup protocol returns for its type."""
    if rdtype == "TXT":
        return tuple(b"".join(rd.strings).decode("utf-8", errors="replace") for rd in rrset)
    if rdtype == "A":
        return tuple(IPv4Address(rd.address) for rd in rrset)
    if rdtype == "AAAA":
        return tuple(IPv6Address(rd.address) for rd in rrset)
    if rdtype == "MX":
        return tuple((int(rd.preference), _host(rd.exchange)) for rd in rrset)
    if rdtype == "PTR":
        return tuple(_host(rd.target) for rd in rrset)
    return tuple(rrset)


def _unwrap(outcome: Any) -> Any:
    if isinstance(outcome, BaseException):
        raise copy.copy(outcome)
    return outcome


def _servfail_text(exc: Any) -> str:
    errors = getattr(exc, "kwargs", {}).get("errors") or []
    details = sorted({str(e[3]) for e in errors if len(e) > 3})
    return "server failure (" + "; ".join(details) + ")" if details else "server failure"
