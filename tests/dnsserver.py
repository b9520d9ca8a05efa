"""A small in-process authoritative DNS server for tests (dnspython, 127.0.0.1, UDP + TCP).

Zone data is a dict ``{name: [entry, ...]}``; names are absolute or relative to nothing
(``"example.com"``), case-insensitive. An entry is one of:

- ``("TXT", "text")``, ``("TXT", ["multi", "string"])`` (``str`` or ``bytes`` strings,
  a string longer than 255 bytes is split), ``("TXT", [])`` (one empty string);
- ``("A", "192.0.2.1")``, ``("AAAA", "2001:db8::1")``, ``("MX", (10, "mx.example.com"))``,
  ``("PTR", "host.example.com")``, ``("CNAME", "target.example.com")``, ``("SPF", ...)``,
  ``("NS", "ns1.example.net")`` and any type in presentation format (``("TLSA", "3 1 1 …")``);
- ``(TYPE, "TIMEOUT")``: queries of that type get no answer at all;
- ``"TIMEOUT"``: every query type for which no record was listed before it gets no answer;
- ``"SERVFAIL"``: every query for the name is answered SERVFAIL.

Unknown names are NXDOMAIN (or time out when they start with one of ``timeout_prefixes``);
a name with no record of the asked type, or an empty non-terminal, is NODATA. CNAME
chains inside the data are followed into the answer (at most 16 hops, loops stop).
UDP answers larger than 512 bytes (or the client's EDNS payload size) are sent empty
with TC set, so the client retries over TCP.

:func:`rfc7208_zone` turns the openspf suite's ``zonedata`` into this form, exactly as
``tests/data`` suite's README (and pyspf's ``testspf.py``) reads it.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset

Entry = str | tuple[str, Any]
ZoneData = Mapping[str, Sequence[Entry]]

TIMEOUT = "TIMEOUT"
SERVFAIL = "SERVFAIL"
_NO_ANSWER = object()
_MAX_CNAME_HOPS = 16


def _key(name: str | dns.name.Name) -> str:
    if isinstance(name, dns.name.Name):  # raw labels: spaces and the like stay unescaped
        return ".".join(label.decode("latin-1") for label in name.labels if label).lower()
    return name.rstrip(".").lower()


def _txt_rdata(value: Any) -> dns.rdata.Rdata:
    strings = [value] if isinstance(value, str | bytes) else list(value)
    if not strings:
        strings = [b""]
    chunks: list[bytes] = []
    for s in strings:
        raw = s.encode("utf-8") if isinstance(s, str) else bytes(s)
        if not raw:
            chunks.append(b"")
        chunks.extend(raw[i : i + 255] for i in range(0, len(raw), 255))
    from dns.rdtypes.ANY.TXT import TXT

    return TXT(dns.rdataclass.IN, dns.rdatatype.TXT, chunks)


def _rdata(rdtype: str, value: Any) -> dns.rdata.Rdata:
    if rdtype in ("TXT", "SPF"):
        rd = _txt_rdata(value)
        if rdtype == "SPF":
            from dns.rdtypes.ANY.SPF import SPF

            return SPF(dns.rdataclass.IN, dns.rdatatype.SPF, rd.strings)  # type: ignore[attr-defined]
        return rd
    if rdtype == "MX":
        pref, host = value
        return dns.rdata.from_text("IN", "MX", f"{int(pref)} {_absolute(host)}")
    if rdtype in ("PTR", "CNAME", "NS", "DNAME"):
        return dns.rdata.from_text("IN", rdtype, _absolute(value))
    return dns.rdata.from_text("IN", rdtype, str(value))


def _absolute(host: str) -> str:
    return host if host.endswith(".") else host + "."


class _Zone:
    def __init__(self, data: ZoneData, timeout_prefixes: Sequence[str]) -> None:
        self.entries: dict[str, list[Entry]] = {}
        for name, entries in data.items():
            self.entries.setdefault(_key(name), []).extend(entries)
        self.parents: set[str] = set()
        for name in self.entries:
            labels = name.split(".")
            for i in range(1, len(labels)):
                self.parents.add(".".join(labels[i:]))
        self.timeout_prefixes = tuple(p.lower() for p in timeout_prefixes)

    def answer(self, query: dns.message.Message) -> dns.message.Message | None:
        """The response to ``query``, or None when the server is to stay silent."""
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        if not query.question:
            response.set_rcode(dns.rcode.FORMERR)
            return response
        question = query.question[0]
        rdtype = dns.rdatatype.to_text(question.rdtype)
        qname = question.name
        seen: set[str] = set()
        for _ in range(_MAX_CNAME_HOPS):
            key = _key(qname)
            if key in seen:
                break
            seen.add(key)
            result = self._lookup(key, rdtype)
            if result is _NO_ANSWER:
                return None
            if result == SERVFAIL:
                response.set_rcode(dns.rcode.SERVFAIL)
                return response
            if result is None:
                if not response.answer:
                    response.set_rcode(dns.rcode.NXDOMAIN)
                return response
            rdatas, cname = result
            if cname is not None and rdtype != "CNAME":
                rrset = dns.rrset.from_rdata_list(qname, 300, [cname])
                response.answer.append(rrset)
                qname = cname.target  # type: ignore[attr-defined]
                continue
            if rdatas:
                response.answer.append(dns.rrset.from_rdata_list(qname, 300, rdatas))
            return response
        return response

    def _lookup(self, key: str, rdtype: str) -> Any:
        """None (no such name), _NO_ANSWER, SERVFAIL or (rdatas, cname)."""
        entries = self.entries.get(key)
        if entries is None:
            if key.startswith(self.timeout_prefixes):
                return _NO_ANSWER
            return ([], None) if key in self.parents else None
        rdatas: list[dns.rdata.Rdata] = []
        cname: dns.rdata.Rdata | None = None
        for entry in entries:
            if entry == TIMEOUT:
                if not rdatas and cname is None:
                    return _NO_ANSWER
                break
            if entry == SERVFAIL:
                return SERVFAIL
            assert isinstance(entry, tuple), entry
            etype, value = entry
            etype = etype.upper()
            if value == TIMEOUT:
                if etype == rdtype:
                    return _NO_ANSWER
                continue
            if etype == "CNAME" and rdtype != "CNAME":  # a CNAME question gets the alias
                cname = _rdata("CNAME", value)
            elif etype == rdtype:
                rdatas.append(_rdata(etype, value))
        return rdatas, cname


def _payload_size(query: dns.message.Message) -> int:
    return max(512, query.payload) if query.edns >= 0 else 512


class _UdpHandler(socketserver.BaseRequestHandler):
    server: _UdpServer

    def handle(self) -> None:
        data, sock = self.request
        fault = self.server.fault
        if fault is not None and fault.applies(data):
            wire = fault.udp(self.server, data)
        else:
            wire = self.server.respond(data, udp=True)
        if wire is not None:
            try:
                sock.sendto(wire, self.client_address)
            except OSError:  # stopped meanwhile (a Slow fault's answer after the test)
                return


class _TcpHandler(socketserver.BaseRequestHandler):
    server: _TcpServer

    def handle(self) -> None:
        conn: socket.socket = self.request
        conn.settimeout(5)
        try:
            while True:
                head = _recv_exact(conn, 2)
                if head is None:
                    return
                data = _recv_exact(conn, struct.unpack("!H", head)[0])
                if data is None:
                    return
                fault = self.server.fault
                if fault is not None and fault.applies(data):
                    if not fault.tcp(self.server, data, conn):
                        return
                    continue
                wire = self.server.respond(data, udp=False)
                if wire is None:
                    continue  # silent: the client times out
                conn.sendall(struct.pack("!H", len(wire)) + wire)
        except OSError:
            return


def _recv_exact(conn: socket.socket, size: int) -> bytes | None:
    buf = b""
    while len(buf) < size:
        chunk = conn.recv(size - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


class _Responder:
    zone: _Zone
    fault: Fault | None = None

    def respond(self, data: bytes, *, udp: bool) -> bytes | None:
        try:
            query = dns.message.from_wire(data)
        except dns.exception.DNSException:
            return None
        response = self.zone.answer(query)
        if response is None:
            return None
        limit = _payload_size(query) if udp else 65535
        try:
            wire = response.to_wire(max_size=limit)
        except dns.exception.TooBig:
            if not udp:
                fail = dns.message.make_response(query)
                fail.set_rcode(dns.rcode.SERVFAIL)
                return fail.to_wire()
            truncated = dns.message.make_response(query)
            truncated.flags |= dns.flags.AA | dns.flags.TC
            return truncated.to_wire()
        return wire


class _UdpServer(_Responder, socketserver.ThreadingUDPServer):
    daemon_threads = True
    allow_reuse_address = False


class _TcpServer(_Responder, socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False


class FixtureDnsServer:
    """Serve ``zone_data`` on 127.0.0.1 (UDP and TCP, one free port) in background threads.

    >>> with FixtureDnsServer({"example.com": [("TXT", "v=spf1 -all")]}) as server:
    ...     server.address  # "127.0.0.1:PORT", a nameserver for DnsResolver/check_host
    """

    def __init__(
        self,
        zone_data: ZoneData,
        *,
        timeout_prefixes: Sequence[str] = (),
        fault: Fault | None = None,
    ) -> None:
        self.zone = _Zone(zone_data, timeout_prefixes)
        self.fault = fault
        self._servers: list[socketserver.BaseServer] = []
        self._threads: list[threading.Thread] = []
        self.port = 0

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> FixtureDnsServer:
        for _ in range(50):
            tcp = _TcpServer(("127.0.0.1", 0), _TcpHandler)
            port = tcp.server_address[1]
            try:
                udp = _UdpServer(("127.0.0.1", port), _UdpHandler)
            except OSError:
                tcp.server_close()
                continue
            break
        else:  # pragma: no cover
            raise RuntimeError("no free port for the fixture DNS server")
        self.port = port
        for server in (udp, tcp):
            server.zone = self.zone
            server.fault = self.fault
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
            thread.daemon = True
            thread.start()
            self._servers.append(server)
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> FixtureDnsServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def rfc7208_zone(zonedata: Mapping[str, Sequence[Any]]) -> dict[str, list[Entry]]:
    """The openspf suite's ``zonedata`` as fixture zone data (see tests/data README rules).

    Entries keep their order; ``SPF`` values are also served as TXT, after the other
    entries, unless the name lists ``TXT`` itself; ``TXT: NONE`` is no TXT record;
    ``SPF: []`` is an empty TXT string. Serve it with ``timeout_prefixes=("error.",)``.
    """
    zone: dict[str, list[Entry]] = {}
    for name, entries in zonedata.items():
        out: list[Entry] = []
        copies: list[Entry] = []
        has_txt = any(isinstance(e, dict) and "TXT" in e for e in entries)
        for entry in entries:
            if isinstance(entry, str):
                out.append(entry.upper())
                continue
            for rdtype, value in entry.items():
                if rdtype == "TXT" and value == "NONE":
                    continue
                if rdtype == "MX" and value != TIMEOUT:
                    value = (value[0], value[1])
                out.append((rdtype, value))
                if rdtype == "SPF" and not has_txt and value != TIMEOUT:
                    copies.append(("TXT", value))
        # the copies come last, so a bare TIMEOUT listed earlier still hides them
        zone[name] = out + copies
    return zone


# --- the hostile server: faults ------------------------------------------------------------


class Fault:
    """How a hostile server misbehaves (``FixtureDnsServer(zone, fault=...)``).

    The base answers correctly; each subclass overrides what it sends over UDP and what it
    does on a TCP connection. ``names``: the question names it misbehaves for (others are
    answered correctly); empty means every question.
    """

    def __init__(self, *names: str) -> None:
        self.names = frozenset(_key(n) for n in names)

    def applies(self, query: bytes) -> bool:
        if not self.names:
            return True
        parsed = _parse(query)
        return (
            parsed is not None
            and bool(parsed.question)
            and (_key(parsed.question[0].name) in self.names)
        )

    def udp(self, server: _Responder, query: bytes) -> bytes | None:
        """The datagram sent back (None: nothing)."""
        return server.respond(query, udp=True)

    def tcp(self, server: _Responder, query: bytes, conn: socket.socket) -> bool:
        """Answer one TCP query on ``conn``; False closes the connection."""
        wire = server.respond(query, udp=False)
        if wire is not None:
            conn.sendall(struct.pack("!H", len(wire)) + wire)
        return True

    def __repr__(self) -> str:
        return type(self).__name__


def _parse(query: bytes) -> dns.message.Message | None:
    try:
        return dns.message.from_wire(query)
    except dns.exception.DNSException:
        return None


def _truncated(query: bytes) -> bytes | None:
    parsed = _parse(query)
    if parsed is None:
        return None
    response = dns.message.make_response(parsed)
    response.flags |= dns.flags.TC
    return bytes(response.to_wire())


class TruncateThenClose(Fault):
    """UDP: an empty answer with TC set; TCP: the connection is closed unanswered."""

    def udp(self, server: _Responder, query: bytes) -> bytes | None:
        return _truncated(query)

    def tcp(self, server: _Responder, query: bytes, conn: socket.socket) -> bool:
        return False


class TruncateThenReset(TruncateThenClose):
    """UDP: TC; TCP: the connection is reset (RST)."""

    def tcp(self, server: _Responder, query: bytes, conn: socket.socket) -> bool:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()  # now, before socketserver's shutdown() would send a FIN
        return False


class TruncateThenPartial(TruncateThenClose):
    """UDP: TC; TCP: the length prefix and half of the answer, then the close."""

    def tcp(self, server: _Responder, query: bytes, conn: socket.socket) -> bool:
        wire = server.respond(query, udp=False) or b"\0" * 12
        conn.sendall(struct.pack("!H", len(wire)) + wire[: len(wire) // 2])
        return False


class TruncateThenGarbage(TruncateThenClose):
    """UDP: TC; TCP: a length prefix and bytes that are no DNS message."""

    def tcp(self, server: _Responder, query: bytes, conn: socket.socket) -> bool:
        junk = bytes(range(7, 47))
        conn.sendall(struct.pack("!H", len(junk)) + junk)
        return True


class TruncatedOverTcp(TruncateThenClose):
    """UDP and TCP: TC set (a TCP answer has nowhere further to go)."""

    def tcp(self, server: _Responder, query: bytes, conn: socket.socket) -> bool:
        wire = _truncated(query) or b""
        conn.sendall(struct.pack("!H", len(wire)) + wire)
        return True


class Garbage(Fault):
    """Bytes that are no DNS message: ``payloads`` are sent in turn (empty, short, random)."""

    def __init__(self, *names: str, payloads: Sequence[bytes] = ()) -> None:
        super().__init__(*names)
        import random

        rng = random.Random(7208)
        self.payloads = list(payloads) or [
            b"",
            b"\x00",
            b"HTTP/1.1 400 Bad Request\r\n\r\n",
            bytes(rng.randrange(256) for _ in range(64)),
        ]
        self._next = 0

    def _payload(self) -> bytes:
        payload = self.payloads[self._next % len(self.payloads)]
        self._next += 1
        return payload

    def udp(self, server: _Responder, query: bytes) -> bytes | None:
        return self._payload()

    def tcp(self, server: _Responder, query: bytes, conn: socket.socket) -> bool:
        payload = self._payload()
        conn.sendall(struct.pack("!H", len(payload)) + payload)
        return True


class GarbageAfterId(Fault):
    """The query's id, then bytes that do not parse (a header claiming records it lacks)."""

    def udp(self, server: _Responder, query: bytes) -> bytes | None:
        return query[:2] + b"\x81\x80\x00\x01\x00\x05\x00\x00\x00\x00" + b"\x03abc"


class CompressionLoop(Fault):
    """A well-framed answer whose owner name is a compression pointer to itself."""

    def udp(self, server: _Responder, query: bytes) -> bytes | None:
        parsed = _parse(query)
        if parsed is None:
            return None
        response = dns.message.make_response(parsed)
        head = bytearray(response.to_wire())
        head[6:8] = b"\x00\x01"  # ANCOUNT 1
        at = len(head)
        return bytes(head) + struct.pack("!H", 0xC000 | at) + b"\x00\x01\x00\x01" + bytes(6)


class WrongId(Fault):
    """The right answer under another id (as a blind spoofer would send it)."""

    def udp(self, server: _Responder, query: bytes) -> bytes | None:
        wire = server.respond(query, udp=True)
        if wire is None:
            return None
        ident = (int.from_bytes(wire[:2], "big") ^ 0x5A5A).to_bytes(2, "big")
        return ident + wire[2:]


class WrongQuestion(Fault):
    """The right id, the answer to another question (``other.invalid`` A)."""

    def udp(self, server: _Responder, query: bytes) -> bytes | None:
        parsed = _parse(query)
        if parsed is None:
            return None
        other = dns.message.make_query("other.invalid", "A")
        other.id = parsed.id
        response = dns.message.make_response(other)
        return bytes(response.to_wire())


class NotAResponse(Fault):
    """The query echoed back (the QR bit clear)."""

    def udp(self, server: _Responder, query: bytes) -> bytes | None:
        return query


class Rcode(Fault):
    """Every question answered with ``rcode`` (REFUSED, NOTIMP, FORMERR, YXDOMAIN …)."""

    def __init__(self, rcode: str, *names: str) -> None:
        super().__init__(*names)
        self.rcode = dns.rcode.from_text(rcode)

    def udp(self, server: _Responder, query: bytes) -> bytes | None:
        parsed = _parse(query)
        if parsed is None:
            return None
        response = dns.message.make_response(parsed)
        response.set_rcode(self.rcode)
        return bytes(response.to_wire())

    def __repr__(self) -> str:
        return f"Rcode({dns.rcode.to_text(self.rcode)})"


class Slow(Fault):
    """The right answer, ``delay`` seconds late (UDP and TCP)."""

    def __init__(self, delay: float, *names: str) -> None:
        super().__init__(*names)
        self.delay = delay

    def udp(self, server: _Responder, query: bytes) -> bytes | None:
        import time

        time.sleep(self.delay)
        return server.respond(query, udp=True)

    def __repr__(self) -> str:
        return f"Slow({self.delay})"


class Oversized(Fault):
    """UDP answers beyond the payload the query offered, never truncated."""

    def udp(self, server: _Responder, query: bytes) -> bytes | None:
        return server.respond(query, udp=False)


class Silent(Fault):
    """No answer at all, over UDP or TCP."""

    def udp(self, server: _Responder, query: bytes) -> bytes | None:
        return None

    def tcp(self, server: _Responder, query: bytes, conn: socket.socket) -> bool:
        return True


# What the ``dns_server`` fixture (tests/conftest.py) yields.
StartServer = Callable[..., "FixtureDnsServer"]
