"""The blocking driver: a Resolution over plain sockets and ``poll``, no event loop."""

from __future__ import annotations

import select
import socket
import struct
import time
from collections.abc import Coroutine, Sequence
from typing import Any, TypeVar, cast

from dnsspec.errors import ResolveTimeout
from dnsspec.lookups.errors import ResolveError
from dnsspec.lookups.nameservers import Server
from dnsspec.lookups.resolution import Resolution, Send, Wait
from dnsspec.lookups.resolver import Outcome, ResolverBase

T = TypeVar("T")
_MAX_MESSAGE = 65535


class BlockingResolver(ResolverBase):
    """:class:`~dnsspec.lookups.resolver.ResolverBase` asking with blocking sockets.

    Its coroutines never suspend: each question is asked and answered inside the call,
    so an evaluation over it needs no event loop (:func:`run_blocking`), which is what
    one ``check_host()`` at a time wants; many concurrent evaluations want
    :class:`~dnsspec.lookups.DnsResolver`. ``deadline`` (a ``time.monotonic()`` value)
    bounds the whole run: a question asked after it is a timeout. Plain DNS, no EDNS, as
    pyspf and most MTAs' SPF libraries ask (an answer over 512 bytes comes over TCP).
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

    async def _outcome(self, name: str, rdtype: str) -> Outcome:
        key = (name, rdtype)
        outcome = self._done.get(key)
        if outcome is None:
            outcome = self._done[key] = self._resolve_now(name, rdtype)
        return outcome

    def _resolve_now(self, name: str, rdtype: str) -> Outcome:
        now = time.monotonic()
        if self.deadline is not None and self.deadline <= now:
            return ResolveTimeout(
                f"{name} {rdtype}: not asked, the evaluation ran out of time",
                qname=name,
                rdtype=rdtype,
            )
        try:
            servers = self._servers()
        except ResolveError as exc:
            return exc
        resolution = Resolution(
            name,
            rdtype,
            servers,
            timeout=self.timeout,
            retries=self.retries,
            now=now,
            edns=self.edns,
            deadline=self.deadline,
        )
        if resolution.result is None:
            self.queries += 1
        return drive(resolution)


def drive(resolution: Resolution) -> Outcome:
    """Run ``resolution`` to its outcome with blocking I/O."""
    sockets: dict[Server, socket.socket] = {}
    try:
        while True:
            step = resolution.next_step(time.monotonic())
            if type(step) is Send:
                if step.tcp:
                    try:
                        wire = tcp_exchange(step.server, step.wire, step.until)
                    except Exception as exc:  # EOF, refused, reset, timed out …
                        resolution.failed(step.server, exc, tcp=True)
                    else:
                        resolution.received(step.server, wire, tcp=True)
                    continue
                try:
                    sock = sockets.get(step.server)
                    if sock is None:
                        sock = sockets[step.server] = udp_socket(step.server)
                    sock.send(step.wire)
                except OSError as exc:
                    resolution.failed(step.server, exc, tcp=False)
            elif type(step) is Wait:
                _receive(resolution, sockets, step.until)
            else:
                return cast(Outcome, step)
    finally:
        for sock in sockets.values():
            sock.close()


def udp_socket(server: Server) -> socket.socket:
    """A non-blocking UDP socket connected to ``server`` (only its datagrams arrive, and
    an ICMP "port unreachable" comes back as ConnectionRefusedError)."""
    host, port = server
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.setblocking(False)
        sock.connect((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def drain(resolution: Resolution, server: Server, sock: socket.socket) -> None:
    """Hand every datagram waiting on ``sock`` to ``resolution``."""
    while resolution.result is None:
        try:
            data = sock.recv(_MAX_MESSAGE)
        except BlockingIOError:
            return
        except OSError as exc:
            resolution.failed(server, exc, tcp=False)
            return
        resolution.received(server, data, tcp=False)


def _receive(resolution: Resolution, sockets: dict[Server, socket.socket], until: float) -> None:
    delay = until - time.monotonic()
    if delay <= 0:
        return
    if not sockets:
        time.sleep(delay)
        return
    poller = select.poll()  # not select(): a descriptor over 1023 is fine in a busy process
    for sock in sockets.values():
        poller.register(sock, select.POLLIN)
    ready = {fd for fd, _ in poller.poll(delay * 1000)}
    for server, sock in sockets.items():
        if sock.fileno() in ready:
            drain(resolution, server, sock)


def tcp_exchange(server: Server, wire: bytes, until: float) -> bytes:
    """One DNS message over TCP: connect, send ``wire``, read the answer, all by ``until``.

    Raises TimeoutError at ``until``, EOFError when the server closes the connection
    before the answer is complete, OSError for the rest.
    """
    remaining = until - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    with socket.create_connection(server, timeout=remaining) as sock:
        _set_timeout(sock, until)
        sock.sendall(struct.pack("!H", len(wire)) + wire)
        (size,) = struct.unpack("!H", _recv_exact(sock, 2, until))
        return _recv_exact(sock, size, until)


def _set_timeout(sock: socket.socket, until: float) -> None:
    remaining = until - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    sock.settimeout(remaining)


def _recv_exact(sock: socket.socket, size: int, until: float) -> bytes:
    data = b""
    while len(data) < size:
        _set_timeout(sock, until)
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise EOFError("the connection closed before the whole answer arrived")
        data += chunk
    return data


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
