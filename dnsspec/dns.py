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
from collections.abc import Coroutine, Sequence
from functools import lru_cache
from ipaddress import IPv4Address, IPv6Address
from typing import Any, Protocol, TypeVar, cast

from dnsspec.errors import ResolveError, ResolveTimeout

T = TypeVar("T")
_BACKOFF = 0.1  # dnspython's first back-off between rounds of attempts
MAX_IN_FLIGHT = 64  # concurrent questions of one DnsResolver


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
    Queries carry EDNS0 with a 1232-byte UDP payload; a larger answer arrives truncated
    and is re-asked over TCP.
    CNAME chains are followed by the server and by dnspython (answers for the alias).

    TXT records: each record's character-strings are joined with nothing in
    between, then decoded as UTF-8 with invalid bytes replaced by U+FFFD, so a
    non-ASCII or binary record never raises (SPF parsing then rejects it).
    """

    blocking = False  # its coroutines wait on the network: drive them with asyncio

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
        self._semaphore = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._gate_loop: asyncio.AbstractEventLoop | None = None
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
        """The answer's values, or the ResolveError to raise (returned, to be cached)."""
        import dns.exception

        prepared = self._prepare(name, rdtype)
        if isinstance(prepared, ResolveError):
            return prepared
        resolver, qname = prepared
        try:
            async with self._gate():
                answer = await resolver.resolve(
                    qname, rdtype, lifetime=self.timeout, search=False, raise_on_no_answer=True
                )
        except (dns.exception.DNSException, OSError, ValueError) as exc:
            return _failure(name, rdtype, exc, self.timeout)
        return _convert(rdtype, answer.rrset or ())

    def _gate(self) -> asyncio.Semaphore:
        """At most ``MAX_IN_FLIGHT`` questions on the wire at once (per event loop): a
        hostile tree of thousands of names must not flood the server into timeouts."""
        loop = asyncio.get_running_loop()
        if self._gate_loop is not loop:
            self._semaphore = asyncio.Semaphore(MAX_IN_FLIGHT)
            self._gate_loop = loop
        return self._semaphore

    def _prepare(self, name: str, rdtype: str) -> tuple[Any, Any] | ResolveError:
        """(resolver, dnspython name) for a question, or why it cannot be asked."""
        qname = _qname(name, rdtype)
        if isinstance(qname, ResolveError):
            return qname
        try:
            resolver = self._get_resolver()
        except ResolveError as exc:
            return exc
        self.queries += 1
        return resolver, qname

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
        # dnspython sleeps a back-off (0.1 s, doubling) each time it has asked every
        # server once, and checks the lifetime only after the sleep, so "retries" as
        # rounds overshoot the timeout by 0.3 s and more. Every attempt goes in one
        # round instead (each server listed retries + 1 times), sharing the timeout
        # less the one 0.1 s sleep that still comes before the lifetime check.
        resolver.nameservers = list(resolver.nameservers) * (self.retries + 1)
        attempts = len(resolver.nameservers)
        budget = self.timeout - _BACKOFF if self.timeout > 2 * _BACKOFF else self.timeout / 2
        resolver.timeout = budget / attempts
        resolver.lifetime = self.timeout
        resolver.cache = None  # our own cache sits in front
        resolver.use_edns(0, 0, 1232)  # big TXT rrsets without a TCP retry
        self._resolver = resolver
        return resolver


class BlockingResolver(DnsResolver):
    """:class:`DnsResolver`'s answers, errors and cache asked with blocking dns.query calls.

    Its coroutines never suspend: each question is asked and answered inside the
    call, so an evaluation over it needs no event loop (:func:`run_blocking`),
    which is what one ``check_host()`` at a time wants; many concurrent
    evaluations want :class:`DnsResolver`. ``deadline`` (a ``time.monotonic()``
    value) bounds the whole run: a question asked after it is a timeout.
    """

    blocking = True

    def __init__(
        self,
        nameservers: Sequence[str] = (),
        timeout: float = 2.0,
        retries: int = 2,
        *,
        deadline: float | None = None,
    ) -> None:
        super().__init__(nameservers, timeout, retries)
        self.deadline = deadline

    async def _query(self, name: str, rdtype: str) -> Any:
        key = (name.rstrip(".").lower(), rdtype)
        outcome = self._done.get(key)
        if outcome is None:
            outcome = self._done[key] = self._resolve_now(*key)
        return _unwrap(outcome)

    def _resolve_now(self, name: str, rdtype: str) -> Any:
        import time

        lifetime = self.timeout
        if self.deadline is not None:
            lifetime = min(lifetime, self.deadline - time.monotonic())
            if lifetime <= 0:
                return ResolveTimeout(
                    f"{name} {rdtype}: not asked, the evaluation ran out of time",
                    qname=name,
                    rdtype=rdtype,
                )
        qname = _qname(name, rdtype)
        if isinstance(qname, ResolveError):
            return qname
        try:
            servers = self._servers()
        except ResolveError as exc:
            return exc
        self.queries += 1
        return self._ask(name, qname, rdtype, lifetime, servers)

    def _ask(
        self, name: str, qname: Any, rdtype: str, lifetime: float, servers: list[tuple[str, int]]
    ) -> Any:
        """One question to the nameservers, as dnspython's resolver asks it, minus its
        machinery (~15% of a query's CPU): each server in turn, ``retries + 1`` times
        around, UDP then TCP when the answer is truncated, the CNAME chain followed,
        all within ``lifetime`` seconds. Plain DNS, no EDNS, as pyspf and most MTAs'
        SPF libraries ask: EDNS costs dnspython more per query than the rare TCP retry
        of an answer over 512 bytes."""
        import time

        import dns.exception
        import dns.message
        import dns.query
        import dns.rcode

        attempts = servers * (self.retries + 1)
        per_try = lifetime / len(attempts)
        start = time.monotonic()
        errors: list[str] = []
        timed_out = True
        refused: set[tuple[str, int]] = set()  # answered, but not usefully: not asked again
        for host, port in attempts:
            remaining = lifetime - (time.monotonic() - start)
            if remaining <= 0:
                break
            if (host, port) in refused:
                continue
            request = dns.message.make_query(qname, rdtype)
            try:
                response, _ = dns.query.udp_with_fallback(
                    request, host, timeout=min(per_try, remaining), port=port
                )
            except dns.exception.Timeout:
                continue
            except (dns.exception.DNSException, OSError) as exc:  # refused, malformed …
                timed_out = False
                errors.append(f"{host}:{port}: {exc}")
                refused.add((host, port))
                continue
            rcode = response.rcode()
            if rcode == dns.rcode.NXDOMAIN:
                return NxDomain(f"{name}: no such domain (NXDOMAIN)", qname=name, rdtype=rdtype)
            if rcode != dns.rcode.NOERROR:
                timed_out = False
                errors.append(f"{host}:{port} answered {dns.rcode.to_text(rcode)}")
                refused.add((host, port))
                continue
            try:
                chain = cast(Any, response).resolve_chaining()
            except dns.exception.DNSException as exc:  # a CNAME loop or chain too long
                return ResolveError(f"{name} {rdtype}: {exc}", qname=name, rdtype=rdtype)
            if chain.answer is None:
                return NoData(f"{name}: no {rdtype} record", qname=name, rdtype=rdtype)
            return _convert(rdtype, chain.answer)
        if timed_out:
            return ResolveTimeout(
                f"{name} {rdtype}: timed out after {self.timeout:g}s", qname=name, rdtype=rdtype
            )
        details = "; ".join(sorted(set(errors)))
        return ResolveError(
            f"{name} {rdtype}: server failure ({details})", qname=name, rdtype=rdtype
        )

    def _servers(self) -> list[tuple[str, int]]:
        """(address, port) of each nameserver: the given ones, or the system's."""
        return list(self._parsed) if self._parsed else _system_nameservers()


def _qname(name: str, rdtype: str) -> Any:
    """The dnspython name of a question, or the NxDomain of a name DNS cannot hold."""
    import dns.exception
    import dns.name

    try:
        return dns.name.from_text(name)
    except dns.exception.DNSException as exc:
        return NxDomain(f"{name}: not a valid domain name ({exc})", qname=name, rdtype=rdtype)


@lru_cache(maxsize=1)
def _system_nameservers() -> list[tuple[str, int]]:
    """The nameservers of /etc/resolv.conf, read once (ResolveError without any)."""
    import dns.resolver

    try:
        resolver = dns.resolver.Resolver(configure=True)
    except dns.resolver.NoResolverConfiguration as exc:
        raise ResolveError(f"no system DNS resolver configured ({exc}); use --nameserver") from exc
    return [
        (str(getattr(ns, "address", ns)), int(getattr(ns, "port", resolver.port)))
        for ns in resolver.nameservers
    ]


def run_blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """The result of a coroutine that never suspends (over a :class:`BlockingResolver`).

    Cheaper than an event loop for one evaluation; raises RuntimeError if the
    coroutine does wait on something (it is then closed).
    """
    try:
        coroutine.send(None)
    except StopIteration as done:
        return cast(T, done.value)
    coroutine.close()
    raise RuntimeError("run_blocking: the coroutine waited on I/O; use asyncio.run")


def _failure(name: str, rdtype: str, exc: Exception, timeout: float) -> ResolveError:
    """A dnspython exception as the ResolveError the Lookup protocol raises."""
    import dns.exception
    import dns.resolver

    if isinstance(exc, dns.resolver.NXDOMAIN):
        return NxDomain(f"{name}: no such domain (NXDOMAIN)", qname=name, rdtype=rdtype)
    if isinstance(exc, dns.resolver.NoAnswer):
        return NoData(f"{name}: no {rdtype} record", qname=name, rdtype=rdtype)
    if isinstance(exc, dns.exception.Timeout):
        return ResolveTimeout(
            f"{name} {rdtype}: timed out after {timeout:g}s", qname=name, rdtype=rdtype
        )
    if isinstance(exc, dns.resolver.NoNameservers):
        return ResolveError(f"{name} {rdtype}: {_servfail_text(exc)}", qname=name, rdtype=rdtype)
    return ResolveError(f"{name} {rdtype}: {exc}", qname=name, rdtype=rdtype)


def parse_nameserver(text: str) -> tuple[str, int]:
    """``"HOST"``, ``"HOST:PORT"``, ``"[V6]:PORT"`` or a bare IPv6 address → (address, port).

    HOST is an IP address or a host name, looked up once with the system resolver.
    """
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
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ResolveError(f"invalid nameserver {text!r}: the port must be 1 to 65535")
    try:
        return str(ip_address(host)), int(port)
    except ValueError:
        pass
    return _host_address(text, host), int(port)


def _host_address(text: str, host: str) -> str:
    """A nameserver given by name (``localhost``, ``ns1.example.net``): its first address,
    from the system's resolver (getaddrinfo: /etc/hosts first)."""
    import socket

    if not host or any(c.isspace() or c in "/@" for c in host):
        raise ResolveError(
            f"invalid nameserver {text!r}: expected an IP address or a host name, with an "
            "optional :PORT ([IPV6]:PORT)"
        )
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_UDP)
    except (OSError, UnicodeError) as exc:
        raise ResolveError(
            f"invalid nameserver {text!r}: cannot resolve {host!r} ({exc})"
        ) from None
    return str(found[0][4][0])


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
