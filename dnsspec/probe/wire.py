"""The SMTP client side of the wire: a socket, bounded reads, replies parsed strictly.

Every read waits at most until the current step's deadline or the run's deadline,
whichever comes first (:class:`Clock`); a server that stalls, trickles bytes or sends
something that is not an SMTP reply raises :class:`ProbeTimeout` or
:class:`ProtocolError`, never hangs. Bounds (RFC 5321 §4.5.3.1 allows 512-byte reply
lines; servers are given more): a reply line at most :data:`MAX_LINE` bytes, a reply at
most :data:`MAX_LINES` lines.
"""

from __future__ import annotations

import contextlib
import re
import socket
import ssl
import time
from dataclasses import dataclass

from dnsspec.errors import DnsspecError
from dnsspec.probe.model import Reply

MAX_LINE = 4096
MAX_LINES = 100
_REPLY_LINE = re.compile(rb"([2-5][0-9][0-9])([ -]|$)(.*)", re.DOTALL)


class ProbeError(DnsspecError):
    """The SMTP dialogue failed."""


class ProbeTimeout(ProbeError):
    """The server did not answer in time."""


class ProtocolError(ProbeError):
    """The server sent something that is not an SMTP reply."""


class ConnectionClosed(ProbeError):
    """The server closed the connection."""


@dataclass
class Clock:
    """The run's deadline (``time.monotonic()`` value) and each step's timeout (s)."""

    step_timeout: float
    deadline: float

    @classmethod
    def start(cls, step_timeout: float, total: float) -> Clock:
        return cls(step_timeout, time.monotonic() + total)

    def step_deadline(self) -> float:
        return min(time.monotonic() + self.step_timeout, self.deadline)

    def remaining(self, until: float) -> float:
        left = until - time.monotonic()
        if left <= 0:
            raise ProbeTimeout(self.timeout_message(until))
        return left

    def timeout_message(self, until: float) -> str:
        if until >= self.deadline:
            return "the run's deadline was reached"
        return f"no answer within {self.step_timeout:g}s"


class SmtpWire:
    """A connected SMTP client socket (plain, or TLS after :meth:`wrap`)."""

    def __init__(self, sock: socket.socket, clock: Clock) -> None:
        self.sock: socket.socket = sock
        self.clock = clock
        self._buffer = b""

    @classmethod
    def connect(cls, address: str, port: int, clock: Clock) -> SmtpWire:
        """Open a TCP connection (OSError when it cannot be opened in time)."""
        until = clock.step_deadline()
        sock = socket.create_connection((address, port), timeout=clock.remaining(until))
        return cls(sock, clock)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()

    def send(self, line: str) -> None:
        """Send one command line (CRLF added; UTF-8, for SMTPUTF8 addresses)."""
        until = self.clock.step_deadline()
        self.sock.settimeout(self.clock.remaining(until))
        try:
            self.sock.sendall(line.encode("utf-8") + b"\r\n")
        except TimeoutError:
            raise ProbeTimeout(self.clock.timeout_message(until)) from None
        except OSError as exc:
            raise ConnectionClosed(f"the connection broke while sending ({exc})") from None

    def send_raw(self, data: bytes) -> None:
        until = self.clock.step_deadline()
        self.sock.settimeout(self.clock.remaining(until))
        try:
            self.sock.sendall(data)
        except TimeoutError:
            raise ProbeTimeout(self.clock.timeout_message(until)) from None
        except OSError as exc:
            raise ConnectionClosed(f"the connection broke while sending ({exc})") from None

    def read_reply(self) -> Reply:
        """The next reply, read within one step's timeout."""
        until = self.clock.step_deadline()
        code: bytes | None = None
        lines: list[str] = []
        while True:
            raw = self._read_line(until)
            match = _REPLY_LINE.fullmatch(raw)
            if match is None or (code is not None and match.group(1) != code):
                raise ProtocolError(f"not an SMTP reply: {_shown(raw)}")
            code = match.group(1)
            lines.append(match.group(3).decode("utf-8", errors="replace"))
            if match.group(2) != b"-":
                return Reply(int(code), tuple(lines))
            if len(lines) >= MAX_LINES:
                raise ProtocolError(f"a reply of more than {MAX_LINES} lines")

    def _read_line(self, until: float) -> bytes:
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line, self._buffer = self._buffer[:end], self._buffer[end + 1 :]
                if len(line) > MAX_LINE:
                    raise ProtocolError(f"a reply line longer than {MAX_LINE} bytes")
                return line.rstrip(b"\r")
            if len(self._buffer) > MAX_LINE:
                raise ProtocolError(f"a reply line longer than {MAX_LINE} bytes")
            self.sock.settimeout(self.clock.remaining(until))
            try:
                chunk = self.sock.recv(8192)
            except TimeoutError:
                raise ProbeTimeout(self.clock.timeout_message(until)) from None
            except ssl.SSLError as exc:
                raise ConnectionClosed(f"TLS error while reading ({exc.reason or exc})") from None
            except OSError as exc:
                raise ConnectionClosed(f"the connection broke ({exc})") from None
            if not chunk:
                if self._buffer:
                    raise ProtocolError(f"not an SMTP reply: {_shown(self._buffer)}")
                raise ConnectionClosed("the server closed the connection")
            self._buffer += chunk

    def pending(self) -> bool:
        """Whether bytes arrived that no reply has consumed (pipelining before STARTTLS)."""
        return bool(self._buffer)

    def wrap(self, context: ssl.SSLContext, server_hostname: str | None) -> ssl.SSLSocket:
        """The TLS handshake over this connection (ssl.SSLError, ProbeTimeout)."""
        until = self.clock.step_deadline()
        self.sock.settimeout(self.clock.remaining(until))
        tls = context.wrap_socket(
            self.sock, server_hostname=server_hostname, do_handshake_on_connect=False
        )
        self.sock = tls
        try:
            tls.do_handshake()
        except TimeoutError:
            raise ProbeTimeout(self.clock.timeout_message(until)) from None
        return tls


def _shown(raw: bytes) -> str:
    """Bytes a server sent, shown safely (at most 80 characters, escapes for the rest)."""
    text = repr(raw[:80])[2:-1]
    return f"'{text}'" + ("…" if len(raw) > 80 else "")
