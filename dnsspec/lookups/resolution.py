"""The one resolution logic, without I/O: both resolvers drive it (dnspython's ``_Resolution``).

A :class:`Resolution` is one question (name, type) to a list of servers. It decides
what to send where and when, and what every datagram, TCP answer or socket error means;
the drivers (:mod:`~dnsspec.lookups.blocking` with sockets and ``poll``,
:mod:`~dnsspec.lookups.asynchronous` with the asyncio loop) only move bytes::

    resolution = Resolution(name, rdtype, servers, timeout=2.0, retries=2, now=monotonic())
    while True:
        step = resolution.next_step(monotonic())
        Send   -> send step.wire to step.server (UDP, or one TCP exchange until step.until),
                  then resolution.received(server, wire, tcp=…) or .failed(server, error, tcp=…)
        Wait   -> wait for UDP datagrams until step.until, each to resolution.received(…)
        Answer or ResolveError -> the outcome

The rules, written once:

- **Tries.** Each server is asked ``retries + 1`` times, in turn, one try every
  ``timeout / tries`` seconds; ``timeout`` bounds the whole question. An answer to *any*
  outstanding try is accepted until the bound (a server answering in 0.7 s is not lost
  because the 0.67 s try it answers was followed by another).
- **Answers.** A DNS message is matched to a try by its id and question; one with an id
  no try has is ignored (RFC 5452) and counted in the timeout's message. Bytes from the
  server that are not a DNS message, an answer to another question, or an rcode other
  than NOERROR/NXDOMAIN put that server out of the question at once with the reason;
  when every server is out, the question fails at once, naming each server and what was
  wrong.
- **TCP fallback.** A truncated UDP answer (TC) is asked again over TCP, of the same
  server; a TCP failure (the connection closed, refused, reset, a truncated TCP answer)
  puts the server out.
- **CNAME chains** in the answer are followed (dnspython's ``resolve_chaining``: loops and
  chains over 16 hops are an error).
- **Outcomes**: :class:`Answer` (the rrset's rdata), :class:`~dnsspec.lookups.NxDomain`,
  :class:`~dnsspec.lookups.NoData`, :class:`~dnsspec.errors.ResolveTimeout`, or
  :class:`~dnsspec.errors.ResolveError`: every exception dnspython raises while reading a
  message becomes one of these, never escapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dnsspec.errors import ResolveError, ResolveTimeout
from dnsspec.lookups.errors import NoData, NxDomain
from dnsspec.lookups.names import query_name
from dnsspec.lookups.nameservers import Server, format_server

EDNS_PAYLOAD = 1232  # the DNS flag day 2020 size: no fragmentation, big TXT rrsets over UDP
_TC = 0x02  # the TC bit in the third header octet
_COMMON = frozenset({"TXT", "A", "AAAA", "MX", "PTR", "CNAME", "NS", "TLSA"})
_MAX_IGNORED = 1000  # datagrams ignored before the question gives up on the flood


@dataclass(frozen=True, slots=True)
class Send:
    """Send ``wire`` to ``server``: a UDP datagram, or (``tcp``) one TCP exchange that
    must end by ``until`` (``time.monotonic()`` seconds)."""

    server: Server
    wire: bytes
    tcp: bool
    until: float


@dataclass(frozen=True, slots=True)
class Wait:
    """Wait for UDP datagrams until ``until`` (``time.monotonic()`` seconds)."""

    until: float


class Answer:
    """The rdata of an answer's rrset (the end of its CNAME chain), with the values each
    Lookup method returns computed once per answer and shared by every caller."""

    __slots__ = ("_forms", "rdatas", "rdtype")

    def __init__(self, rdtype: str, rdatas: Sequence[Any]) -> None:
        self.rdtype = rdtype
        self.rdatas = tuple(rdatas)
        self._forms: dict[str, tuple[Any, ...]] = {}

    def typed(self) -> tuple[Any, ...]:
        """The values of the typed Lookup method of this type (``txt``, ``a`` …)."""
        form = self._forms.get("typed")
        if form is None:
            form = self._forms["typed"] = convert(self.rdtype, self.rdatas)
        return form

    def texts(self) -> tuple[str, ...]:
        """Each rdata in presentation format (zone-file text), as ``Lookup.query`` returns."""
        form = self._forms.get("text")
        if form is None:
            form = self._forms["text"] = tuple(str(rd.to_text()) for rd in self.rdatas)
        return form


Step = Send | Wait | Answer | ResolveError


class Resolution:
    """One question's resolution (see the module docs); ``now`` is ``time.monotonic()``.

    ``deadline`` (monotonic seconds) cuts the bound shorter (an evaluation's own limit);
    ``edns`` asks with EDNS0 and a 1232-byte payload (else plain DNS, answers over 512
    bytes come over TCP).
    """

    def __init__(
        self,
        name: str,
        rdtype: str,
        servers: Sequence[Server],
        *,
        timeout: float,
        retries: int,
        now: float,
        edns: bool = False,
        deadline: float | None = None,
        recursion: bool = True,
    ) -> None:
        self.name = name
        self.rdtype = rdtype
        self.timeout = timeout
        self.edns = edns
        self.recursion = recursion  # False: RD=0 (dnsspec check asks authoritative servers)
        self.result: Answer | ResolveError | None = None
        self._servers = tuple(dict.fromkeys(servers))
        self._tries = [s for _ in range(max(0, retries) + 1) for s in servers]
        self.deadline = now + timeout if deadline is None else min(now + timeout, deadline)
        self._per_try = max(0.0, self.deadline - now) / max(1, len(self._tries))
        self._next = 0
        self._next_at = now
        self._outstanding: dict[int, tuple[Server, Any, bool]] = {}  # id -> (server, request, tcp)
        self._tcp_queue: list[Server] = []
        self._tcp_asked: set[Server] = set()
        self._out: dict[Server, str] = {}  # servers put out of the question, and why
        self._ignored: dict[str, int] = {}  # why datagrams were ignored -> how many
        qname = query_name(name, rdtype)
        if isinstance(qname, ResolveError):
            self.result = qname
        elif not _askable(rdtype):
            self.result = ResolveError(f"{name} {rdtype}: not a record type to ask for", **self._q)
        elif not self._servers:
            self.result = ResolveError(f"{name} {rdtype}: no nameserver to ask", **self._q)
        self._qname = qname

    @property
    def _q(self) -> dict[str, str]:
        return {"qname": self.name, "rdtype": self.rdtype}

    # --- what to do next ------------------------------------------------------------

    def next_step(self, now: float) -> Step:
        """The next thing the driver does: send, wait, or the outcome."""
        if self.result is not None:
            return self.result
        if self._tcp_queue:
            server = self._tcp_queue.pop(0)
            return Send(server, self._request(server, tcp=True), True, self.deadline)
        if len(self._out) == len(self._servers):
            self.result = self._failure()
            return self.result
        if now >= self.deadline:
            self.result = self._timed_out()
            return self.result
        while self._next < len(self._tries) and self._tries[self._next] in self._out:
            self._next += 1
        if self._next < len(self._tries):
            if now >= self._next_at:
                server = self._tries[self._next]
                self._next += 1
                self._next_at = now + self._per_try
                return Send(server, self._request(server, tcp=False), False, self.deadline)
            return Wait(min(self._next_at, self.deadline))
        return Wait(self.deadline)

    def _request(self, server: Server, *, tcp: bool) -> bytes:
        import dns.message

        if self.edns:
            request = dns.message.make_query(self._qname, self.rdtype, payload=EDNS_PAYLOAD)
        else:
            request = dns.message.make_query(self._qname, self.rdtype)
        if not self.recursion:
            import dns.flags

            request.flags &= ~dns.flags.RD
        while request.id in self._outstanding:  # one id per try, never reused in a question
            request.id = (request.id + 1) & 0xFFFF
        self._outstanding[request.id] = (server, request, tcp)
        return bytes(request.to_wire())

    # --- what arrived -----------------------------------------------------------------

    def received(self, server: Server, wire: bytes, *, tcp: bool) -> None:
        """A datagram from ``server`` (or ``tcp``: the TCP answer it sent)."""
        if self.result is not None or server in self._out:
            return
        ident = int.from_bytes(wire[:2], "big") if len(wire) >= 2 else -1
        entry = self._outstanding.get(ident)
        if entry is not None and (entry[0] != server or entry[2] != tcp):
            entry = None
        if entry is not None and len(wire) >= 3 and wire[2] & _TC:
            if tcp:
                self._put_out(server, "sent a truncated answer over TCP")
            elif server not in self._tcp_asked:  # the same answer, asked again over TCP
                self._tcp_asked.add(server)
                self._tcp_queue.append(server)
            return
        import dns.message

        try:
            response = dns.message.from_wire(wire)
        except Exception as exc:  # every way bytes can fail to be a DNS message
            self._put_out(server, f"sent a malformed answer ({_describe(exc)})")
            return
        if entry is None:
            if tcp:  # one exchange, one answer: it had to be this one
                self._put_out(server, "answered over TCP with a message of another id")
            else:  # a DNS message, but to no try of ours (RFC 5452: ignore it)
                self._ignore("an id no try of ours had")
            return
        request = entry[1]
        if not request.is_response(response):
            self._put_out(server, "sent a message that is not an answer to the question asked")
            return
        self._accept(server, response)

    def failed(self, server: Server, error: BaseException, *, tcp: bool) -> None:
        """Sending to or hearing from ``server`` raised ``error`` (any exception)."""
        if self.result is not None or server in self._out:
            return
        if isinstance(error, TimeoutError):
            return  # the bound is reached: next_step says so
        how = "over TCP" if tcp else "over UDP"
        if tcp and isinstance(error, EOFError):
            why = "closed the TCP connection before answering"
            if server in self._tcp_asked:
                why = "truncated the UDP answer, then " + why
        elif isinstance(error, ConnectionRefusedError):
            why = f"refused the connection {how} (nothing listens there?)"
        elif isinstance(error, ConnectionResetError):
            why = f"reset the connection {how}"
        else:
            why = f"failed {how} ({_describe(error)})"
        self._put_out(server, why)

    def _accept(self, server: Server, response: Any) -> None:
        import dns.rcode

        rcode = response.rcode()
        if rcode == dns.rcode.NXDOMAIN:
            self.result = NxDomain(**self._q)
            return
        if rcode != dns.rcode.NOERROR:
            self._put_out(server, f"answered {dns.rcode.to_text(rcode)}")
            return
        try:
            chain = response.resolve_chaining()
        except Exception as exc:  # a CNAME loop, a chain too long, an inconsistent answer
            self.result = ResolveError(f"{self.name} {self.rdtype}: {_describe(exc)}", **self._q)
            return
        referral = _delegation(response, self._qname) if self.rdtype == "NS" else None
        if chain.answer is None and referral is not None:
            # a referral for the very name asked: the delegation's NS set as the parent's
            # servers hold it (what `dnsspec check` compares a delegation in records: with)
            self.result = Answer(self.rdtype, list(referral))
        elif chain.answer is None:
            self.result = NoData(**self._q)
        else:
            self.result = Answer(self.rdtype, list(chain.answer))

    def _put_out(self, server: Server, why: str) -> None:
        self._out[server] = why

    def _ignore(self, why: str) -> None:
        self._ignored[why] = self._ignored.get(why, 0) + 1
        if sum(self._ignored.values()) >= _MAX_IGNORED:
            self.result = self._timed_out(cut_short=True)

    # --- the messages -------------------------------------------------------------------

    def _details(self) -> list[str]:
        out = [f"{format_server(s)} {why}" for s, why in self._out.items()]
        for why, count in self._ignored.items():
            out.append(f"{count} datagram{'s' if count != 1 else ''} ignored: {why}")
        return out

    def _failure(self) -> ResolveError:
        return ResolveError(
            f"{self.name} {self.rdtype}: server failure ({'; '.join(self._details())})", **self._q
        )

    def _timed_out(self, *, cut_short: bool = False) -> ResolveTimeout:
        text = f"{self.name} {self.rdtype}: timed out after {self.timeout:g}s"
        if cut_short:
            text = f"{self.name} {self.rdtype}: gave up on a flood of unmatched datagrams"
        details = self._details()
        return ResolveTimeout(text + (f" ({'; '.join(details)})" if details else ""), **self._q)


def _askable(rdtype: str) -> bool:
    """A data type a question may ask for (``TLSA``, ``TYPE65``), not ANY, AXFR, OPT …"""
    if rdtype in _COMMON:
        return True
    import dns.exception
    import dns.rdatatype

    try:
        value = dns.rdatatype.from_text(rdtype)
    except (dns.exception.DNSException, ValueError):
        return False
    return not dns.rdatatype.is_metatype(value) and value != dns.rdatatype.NONE


def _delegation(response: Any, qname: Any) -> Any:
    """The NS rrset of a referral for ``qname`` itself (authority section), or None."""
    import dns.rdatatype

    for rrset in response.authority:
        if rrset.rdtype == dns.rdatatype.NS and rrset.name == qname:
            return rrset
    return None


def _describe(exc: BaseException) -> str:
    """An exception as a message part: its class name, and its text when it has one."""
    text = str(exc).strip()
    name = type(exc).__name__
    return f"{name}: {text}" if text and text != name else name


def convert(rdtype: str, rdatas: Sequence[Any]) -> tuple[Any, ...]:
    """An rrset as the values the typed Lookup methods return for its type.

    TXT: each record's character-strings joined with nothing in between, decoded as
    UTF-8 with invalid bytes replaced by U+FFFD (a binary record never raises); MX:
    (preference, exchange without the trailing dot); PTR: names without the dot.
    """
    from ipaddress import IPv4Address, IPv6Address

    if rdtype == "TXT":
        return tuple(b"".join(rd.strings).decode("utf-8", errors="replace") for rd in rdatas)
    if rdtype == "A":
        return tuple(IPv4Address(rd.address) for rd in rdatas)
    if rdtype == "AAAA":
        return tuple(IPv6Address(rd.address) for rd in rdatas)
    if rdtype == "MX":
        return tuple((int(rd.preference), _host(rd.exchange)) for rd in rdatas)
    if rdtype == "PTR":
        return tuple(_host(rd.target) for rd in rdatas)
    return tuple(str(rd.to_text()) for rd in rdatas)


def _host(name: Any) -> str:
    return str(name.to_text()).rstrip(".") or "."
