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
        wire = self.server.respond(data, udp=True)
        if wire is not None:
            sock.sendto(wire, self.client_address)


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

    def __init__(self, zone_data: ZoneData, *, timeout_prefixes: Sequence[str] = ()) -> None:
        self.zone = _Zone(zone_data, timeout_prefixes)
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


# What the ``dns_server`` fixture (tests/conftest.py) yields.
StartServer = Callable[..., "FixtureDnsServer"]
