"""The asyncio driver: a Resolution over the event loop's readers, many questions at once."""

from __future__ import annotations

import asyncio
import socket
import struct
import time
from collections.abc import Sequence
from typing import cast

from dnsspec.errors import ResolveError
from dnsspec.lookups.blocking import drain, udp_socket
from dnsspec.lookups.nameservers import Server
from dnsspec.lookups.resolution import Resolution, Send, Wait
from dnsspec.lookups.resolver import Key, Outcome, ResolverBase

MAX_IN_FLIGHT = 64  # concurrent questions of one DnsResolver


class DnsResolver(ResolverBase):
    """:class:`~dnsspec.lookups.resolver.ResolverBase` over asyncio, for many concurrent
    evaluations (a lint run, ``spf eval --batch``): questions run concurrently, at most
    ``MAX_IN_FLIGHT`` on the wire at once (per event loop), and concurrent callers asking
    the same question share one query, so a thousand domains including the same tree
    resolve it once per run. Queries carry EDNS0 with a 1232-byte UDP payload; a larger
    answer arrives truncated and is asked again over TCP.
    """

    blocking = False  # its coroutines wait on the network: drive them with asyncio
    edns = True

    def __init__(
        self, nameservers: Sequence[str] = (), timeout: float = 2.0, retries: int = 2
    ) -> None:
        super().__init__(nameservers, timeout, retries)
        self._pending: dict[Key, asyncio.Task[Outcome]] = {}
        self._semaphore = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._gate_loop: asyncio.AbstractEventLoop | None = None

    async def _outcome(self, name: str, rdtype: str) -> Outcome:
        key = (name, rdtype)
        if key in self._done:
            return self._done[key]
        loop = asyncio.get_running_loop()
        task = self._pending.get(key)
        if task is None or task.get_loop() is not loop:
            task = loop.create_task(self._resolve(name, rdtype))
            self._pending[key] = task
        outcome = await asyncio.shield(task)
        self._done[key] = outcome
        self._pending.pop(key, None)
        return outcome

    async def _resolve(self, name: str, rdtype: str) -> Outcome:
        try:
            servers = self._servers()
        except ResolveError as exc:
            return exc
        async with self._gate():
            resolution = Resolution(
                name,
                rdtype,
                servers,
                timeout=self.timeout,
                retries=self.retries,
                now=time.monotonic(),
                edns=self.edns,
                recursion=self.recursion,
            )
            if resolution.result is None:
                self.queries += 1
            return await drive(resolution)

    def _gate(self) -> asyncio.Semaphore:
        """At most ``MAX_IN_FLIGHT`` questions on the wire at once (per event loop): a
        hostile tree of thousands of names must not flood the server into timeouts."""
        loop = asyncio.get_running_loop()
        if self._gate_loop is not loop:
            self._semaphore = asyncio.Semaphore(MAX_IN_FLIGHT)
            self._gate_loop = loop
        return self._semaphore


async def drive(resolution: Resolution) -> Outcome:
    """Run ``resolution`` to its outcome on the running event loop."""
    loop = asyncio.get_running_loop()
    sockets: dict[Server, socket.socket] = {}
    try:
        while True:
            step = resolution.next_step(time.monotonic())
            if type(step) is Send:
                if step.tcp:
                    try:
                        wire = await tcp_exchange(step.server, step.wire, step.until)
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
                await _readable(loop, sockets, step.until)
                for server, sock in sockets.items():
                    drain(resolution, server, sock)
            else:
                return cast(Outcome, step)
    finally:
        for sock in sockets.values():
            sock.close()


async def _readable(
    loop: asyncio.AbstractEventLoop, sockets: dict[Server, socket.socket], until: float
) -> None:
    """Return when a socket has a datagram, or at ``until``."""
    delay = until - time.monotonic()
    if delay <= 0:
        return
    woken = loop.create_future()

    def wake() -> None:
        if not woken.done():
            woken.set_result(None)

    timer = loop.call_later(delay, wake)
    for sock in sockets.values():
        loop.add_reader(sock, wake)
    try:
        await woken
    finally:
        timer.cancel()
        for sock in sockets.values():
            loop.remove_reader(sock)


async def tcp_exchange(server: Server, wire: bytes, until: float) -> bytes:
    """One DNS message over TCP by ``until``; raises as the blocking one does."""
    remaining = until - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    async with asyncio.timeout(remaining):
        reader, writer = await asyncio.open_connection(*server)
        try:
            writer.write(struct.pack("!H", len(wire)) + wire)
            await writer.drain()
            (size,) = struct.unpack("!H", await reader.readexactly(2))
            return await reader.readexactly(size)  # IncompleteReadError is an EOFError
        finally:
            writer.close()
