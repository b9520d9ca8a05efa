"""``probe_smtp``: the manual telnet session as steps, each with its reply and timing.

connect ▸ banner ▸ EHLO (HELO when refused) ▸ STARTTLS ▸ TLS handshake ▸ certificate ▸
DANE ▸ EHLO again ▸ MAIL FROM ▸ RCPT TO ▸ DATA (only with ``send_test``) ▸ QUIT, then
``tls_versions`` on connections of its own. A step that fails ends the session where
the connection cannot go on (no banner, a broken handshake); a check that fails on a
working connection (STARTTLS not offered, a certificate for another name) is reported
and the session goes on. Nothing here prints; :class:`ProbeError` never escapes.
"""

from __future__ import annotations

import datetime as dt
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dnsspec.errors import ResolveError
from dnsspec.probe.dane import dane_step
from dnsspec.probe.lookup import ProbeLookup, Tlsa, is_ip_address
from dnsspec.probe.model import HostReport, Reply, Step
from dnsspec.probe.tls import certificate_step, client_context, presented_chain, tls_error
from dnsspec.probe.versions import rate_versions, versions_step
from dnsspec.probe.wire import Clock, ProbeError, SmtpWire

MODERN_TLS = ("TLSv1.2", "TLSv1.3")
TEST_MESSAGE = (
    "From: <{sender}>\r\nTo: <{rcpt}>\r\nSubject: dnsspec probe test message\r\n"
    "Date: {date}\r\nMessage-ID: <{stamp}.probe@dnsspec.invalid>\r\n\r\n"
    "This is a test message sent by `dnsspec probe smtp --send-test`.\r\n"
)


@dataclass(frozen=True)
class SmtpOptions:
    """How to probe one SMTP server.

    ``timeout``: seconds each step may take (a read, a handshake, a DNS question);
    ``deadline``: seconds the whole run may take. ``address``: connect there instead of
    resolving ``host`` (``probe mx`` passes the MX host's address). ``tlsa``: the TLSA
    records to match (from the specs); None looks them up at ``_PORT._tcp.HOST``.
    ``sslyze``: rate TLS versions with sslyze (None: when it is installed).
    """

    host: str
    port: int = 25
    helo: str = "dnsspec.invalid"
    mail_from: str | None = None
    rcpt_to: str | None = None
    send_test: bool = False
    tls_versions: bool = False
    timeout: float = 10.0
    deadline: float = 60.0
    ca_file: Path | None = None
    nameservers: tuple[str, ...] = ()
    address: str | None = None
    tlsa: tuple[Tlsa, ...] | None = None
    sslyze: bool | None = None
    now: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))


def probe_smtp(options: SmtpOptions) -> HostReport:
    """Probe one SMTP server; every outcome, including a dead host, is a report."""
    return _Session(options).run()


class _Session:
    def __init__(self, options: SmtpOptions) -> None:
        self.o = options
        self.clock = Clock.start(options.timeout, options.deadline)
        self.lookup = ProbeLookup(options.nameservers, options.timeout, self.clock.deadline)
        self.steps: list[Step] = []
        self.address = options.address or ""
        self.wire: SmtpWire | None = None
        self.extensions: tuple[str, ...] = ()
        self.upgraded = False  # STARTTLS worked: the versions can be tried
        self._verify_error: str | None = None

    # -- the session ------------------------------------------------------------------

    def run(self) -> HostReport:
        try:
            if not self._connect():
                return self._report(unreachable=True)
            if self._dialogue() and self.o.tls_versions and self.upgraded:
                self._versions()
        finally:
            if self.wire is not None:
                self.wire.close()
        return self._report()

    def _report(self, *, unreachable: bool = False) -> HostReport:
        return HostReport(self.o.host, self.o.port, tuple(self.steps), unreachable)

    def _connect(self) -> bool:
        start = time.monotonic()
        if not self.address and is_ip_address(self.o.host):
            self.address = self.o.host
        if not self.address:
            try:
                self.address = self.lookup.addresses(self.o.host)[0]
            except ResolveError as exc:
                self._add("resolve", False, start, detail={"error": exc.message})
                return False
            self._add("resolve", True, start, detail={"address": self.address})
            start = time.monotonic()
        detail: dict[str, Any] = {"address": self.address, "port": self.o.port}
        try:
            self.wire = SmtpWire.connect(self.address, self.o.port, self.clock)
        except (OSError, ProbeError) as exc:
            detail["error"] = _os_error(exc)
            self._add("connect", False, start, detail=detail)
            return False
        self._add("connect", True, start, detail=detail)
        return True

    def _dialogue(self) -> bool:
        """The steps over the connection; False when it broke before QUIT."""
        banner = self._exchange("banner", None)
        if banner is None:
            return False
        names = banner.lines[0].split()[:1] if banner.lines else []
        names_host = bool(names) and names[0].lower().rstrip(".") == self.o.host.lower()
        self._amend(ok=banner.code == 220, detail={"code": banner.code, "names_host": names_host})
        if banner.code != 220:
            self._quit()
            return False
        if not self._hello("ehlo"):
            return False
        tls = self._starttls()
        if tls is False:
            return False
        for command, step in self._envelope():
            reply = self._exchange(step, command)
            if reply is None:
                return False
            self._amend(ok=reply.positive, detail={"code": reply.code})
            if not reply.positive:
                break
        else:
            if self.o.send_test and self.o.rcpt_to is not None and not self._data():
                return False
        return self._quit()

    def _hello(self, step: str) -> bool:
        reply = self._exchange(step, f"EHLO {self.o.helo}")
        if reply is None:
            return False
        if reply.code == 250:
            self.extensions = tuple(line.split(" ")[0].upper() for line in reply.lines[1:])
            self._amend(ok=True, detail={"extensions": list(reply.lines[1:])})
            return True
        self._amend(ok=False, detail={"code": reply.code})
        fallback = self._exchange("helo", f"HELO {self.o.helo}")
        if fallback is None:
            return False
        self._amend(ok=fallback.code == 250, detail={"code": fallback.code})
        self.extensions = ()
        return fallback.code == 250

    def _starttls(self) -> bool | None:
        """True after a working TLS upgrade, None when the session stays plaintext
        (a failed check), False when the connection broke."""
        if "STARTTLS" not in self.extensions:
            self._add(
                "starttls",
                False,
                time.monotonic(),
                detail={"error": "STARTTLS is not offered: mail to this host travels in plaintext"},
            )
            return None
        reply = self._exchange("starttls", "STARTTLS")
        if reply is None:
            return False
        self._amend(ok=reply.code == 220, detail={"code": reply.code})
        if reply.code != 220:
            return None
        assert self.wire is not None
        if self.wire.pending():
            self._add(
                "tls",
                False,
                time.monotonic(),
                detail={"error": "the server sent data after its 220 to STARTTLS"},
            )
            return False
        chain = self._handshake()
        if chain is None:
            return False
        self.upgraded = True
        self._certificate(chain)
        self._add_step(dane_step(self.o, self.lookup, chain))
        return self._hello("tls_ehlo")

    def _handshake(self) -> list[bytes] | None:
        """The TLS upgrade; the presented chain (DER, leaf first) or None when it failed.

        The handshake verifies the chain (system store or ``ca_file``); when only that
        verification fails, a second session is opened without it, so the certificate
        can still be reported and matched against TLSA.
        """
        assert self.wire is not None
        start = time.monotonic()
        sni = None if is_ip_address(self.o.host) else self.o.host
        verify_error: str | None = None
        try:
            tls = self.wire.wrap(self._context(verify=True), sni)
        except ssl.SSLCertVerificationError as exc:
            verify_error = str(exc.verify_message or exc.reason or exc)
            try:
                tls = self._reconnect_unverified(sni)
            except (OSError, ProbeError) as again:
                self._add("tls", False, start, detail={"error": tls_error(again)})
                return None
        except (OSError, ProbeError) as exc:
            self._add("tls", False, start, detail={"error": tls_error(exc)})
            return None
        version, cipher = tls.version() or "", (tls.cipher() or ("", "", 0))[0]
        detail: dict[str, Any] = {"version": version, "cipher": cipher}
        if version not in MODERN_TLS:
            detail["error"] = f"{version} negotiated; TLS 1.2 or newer is expected"
        self._add("tls", version in MODERN_TLS, start, detail=detail)
        self._verify_error = verify_error
        return presented_chain(tls)

    def _reconnect_unverified(self, sni: str | None) -> ssl.SSLSocket:
        """A fresh connection, EHLO and STARTTLS, then a handshake without verification."""
        assert self.wire is not None
        self.wire.close()
        self.wire = SmtpWire.connect(self.address, self.o.port, self.clock)
        for command in (None, f"EHLO {self.o.helo}", "STARTTLS"):
            if command is not None:
                self.wire.send(command)
            reply = self.wire.read_reply()
            if not reply.positive:
                raise ProbeError(f"the second session was refused: {reply.text}")
        return self.wire.wrap(self._context(verify=False), sni)

    def _certificate(self, chain: list[bytes]) -> None:
        self._add_step(certificate_step(chain, self.o.host, self._verify_error, self.o.now()))

    def _envelope(self) -> list[tuple[str, str]]:
        if self.o.mail_from is None:
            return []
        commands = [(f"MAIL FROM:<{self.o.mail_from}>", "mail_from")]
        if self.o.rcpt_to is not None:
            commands.append((f"RCPT TO:<{self.o.rcpt_to}>", "rcpt_to"))
        return commands

    def _data(self) -> bool:
        reply = self._exchange("data", "DATA")
        if reply is None:
            return False
        if reply.code != 354:
            self._amend(ok=False, detail={"code": reply.code})
            return True
        assert self.wire is not None
        start = time.monotonic()
        message = TEST_MESSAGE.format(
            sender=self.o.mail_from,
            rcpt=self.o.rcpt_to,
            date=self.o.now().strftime("%a, %d %b %Y %H:%M:%S +0000"),
            stamp=int(time.time() * 1000),
        )
        try:
            self.wire.send_raw(message.encode("ascii", errors="replace") + b".\r\n")
            queued = self.wire.read_reply()
        except ProbeError as exc:
            self._add("message", False, start, detail={"error": exc.message})
            return False
        self._add("message", queued.code == 250, start, reply=queued.text)
        return True

    def _quit(self) -> bool:
        reply = self._exchange("quit", "QUIT")
        if reply is None:
            return False
        self._amend(ok=reply.code == 221, detail={"code": reply.code})
        return True

    def _versions(self) -> None:
        start = time.monotonic()
        ratings = rate_versions(
            self.o.host,
            self.address,
            self.o.port,
            helo=self.o.helo,
            clock=self.clock,
            use_sslyze=self.o.sslyze,
        )
        self._add_step(versions_step(ratings, (time.monotonic() - start) * 1000))

    # -- plumbing ---------------------------------------------------------------------

    def _context(self, *, verify: bool) -> ssl.SSLContext:
        return client_context(self.o.ca_file, verify=verify)

    def _exchange(self, step: str, command: str | None) -> Reply | None:
        """Send ``command`` (None: just read, as for the banner) and read the reply; the
        step is recorded either way. None when the connection failed."""
        assert self.wire is not None
        start = time.monotonic()
        try:
            if command is not None:
                self.wire.send(command)
            reply = self.wire.read_reply()
        except ProbeError as exc:
            self._add(step, False, start, detail={"error": exc.message})
            return None
        self._add(step, reply.positive, start, reply=reply.text)
        return reply

    def _add(
        self,
        step: str,
        ok: bool,
        start: float,
        *,
        reply: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        ms = (time.monotonic() - start) * 1000
        self.steps.append(Step(step, ok, ms, reply, detail or {}))

    def _add_step(self, step: Step) -> None:
        self.steps.append(step)

    def _amend(self, *, ok: bool, detail: dict[str, Any]) -> None:
        """Set the verdict and facts of the step just recorded."""
        last = self.steps[-1]
        merged = {**last.detail, **detail}
        if not ok and "error" not in merged and last.reply:
            merged["error"] = f"refused: {last.reply.splitlines()[-1]}"
        self.steps[-1] = Step(last.step, ok, last.ms, last.reply, merged)


def _os_error(exc: BaseException) -> str:
    if isinstance(exc, ProbeError):
        return exc.message
    if isinstance(exc, TimeoutError):
        return "the connection timed out"
    return exc.strerror or str(exc) if isinstance(exc, OSError) else str(exc)
