"""SMTP servers for the probe's tests, on 127.0.0.1 at free ports.

:class:`OddServer` is aiosmtpd (a real SMTP implementation in a thread) bent into the
behaviours a real MTA will not produce on demand: no STARTTLS, a handshake that fails,
a certificate that is expired or for another name, a stall after EHLO, a garbage or a
554 banner. :class:`Pki` makes the certificates with trustme (a CA of its own).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import socket
import ssl
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from cryptography import x509
from cryptography.hazmat.primitives import serialization

HOST = "mx.test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Pki:
    """A test CA and leaf certificates from it, written under ``directory``."""

    directory: Path
    ca: trustme.CA = field(default_factory=trustme.CA)

    @property
    def ca_file(self) -> Path:
        path = self.directory / "ca.pem"
        if not path.exists():
            self.ca.cert_pem.write_to_path(str(path))
        return path

    def leaf(self, *names: str, expired: bool = False) -> trustme.LeafCert:
        if expired:
            now = dt.datetime.now(dt.UTC)
            return self.ca.issue_cert(
                *names, not_before=now - dt.timedelta(days=90), not_after=now - dt.timedelta(days=2)
            )
        return self.ca.issue_cert(*names)

    def write(self, leaf: trustme.LeafCert, stem: str) -> tuple[Path, Path]:
        """(certificate chain file, key file), PEM, for servers that read files."""
        cert, key = self.directory / f"{stem}.crt", self.directory / f"{stem}.key"
        cert.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
        key.write_bytes(leaf.private_key_pem.bytes())
        key.chmod(0o600)
        return cert, key


def leaf_der(leaf: trustme.LeafCert) -> bytes:
    pem = leaf.cert_chain_pems[0].bytes()
    return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)


def tlsa_3_1_1(leaf: trustme.LeafCert) -> str:
    """The ``3 1 1`` TLSA rdata of a leaf: SHA-256 of its SubjectPublicKeyInfo, computed
    here independently of dnsspec's digest code."""
    cert = x509.load_der_x509_certificate(leaf_der(leaf))
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return f"3 1 1 {hashlib.sha256(spki).hexdigest()}"


def server_context(
    leaf: trustme.LeafCert, *, max_version: ssl.TLSVersion | None = None
) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    leaf.configure_cert(context)
    if max_version is not None:
        with warnings.catch_warnings():  # TLS 1.0/1.1 are deprecated: that is the point
            warnings.simplefilter("ignore", DeprecationWarning)
            context.maximum_version = max_version
    return context


class _Handler:
    def __init__(self, stall_ehlo: float | None, refuse_ehlo: bool) -> None:
        self.stall_ehlo = stall_ehlo
        self.refuse_ehlo = refuse_ehlo
        self.messages: list[bytes] = []
        self.senders: list[str] = []

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        if self.stall_ehlo is not None:
            await asyncio.sleep(self.stall_ehlo)
        if self.refuse_ehlo:  # an old server that knows only HELO
            return ['502 5.5.2 Error: command "EHLO" not recognized']
        session.host_name = hostname
        return responses

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        self.senders.append(address)
        envelope.mail_from = address
        return "250 2.1.0 Ok"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 <nobody@...>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 2.0.0 Ok: queued as 4TEST"


class _BannerSmtp(SMTP):
    """aiosmtpd whose first line (the banner) is replaced."""

    def __init__(self, *args: Any, banner: bytes | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._banner = banner

    async def push(self, status: Any) -> None:
        if self._banner is not None:
            banner, self._banner = self._banner, None
            assert self._writer is not None
            self._writer.write(banner)
            await self._writer.drain()
            return
        await super().push(status)


class _OddController(Controller):
    def __init__(self, handler: Any, *, banner: bytes | None, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self._odd_banner = banner

    def factory(self) -> SMTP:
        return _BannerSmtp(self.handler, banner=self._odd_banner, **self.SMTP_kwargs)


class OddServer:
    """aiosmtpd on 127.0.0.1:``port`` with one odd behaviour (or none)."""

    def __init__(
        self,
        *,
        tls: ssl.SSLContext | None = None,
        banner: bytes | None = None,
        stall_ehlo: float | None = None,
        refuse_ehlo: bool = False,
    ) -> None:
        self.handler = _Handler(stall_ehlo, refuse_ehlo)
        self._settings = {"banner": banner, "tls_context": tls}
        self.port = 0

    def __enter__(self) -> OddServer:
        for attempt in range(3):  # another suite may take the port between choice and bind
            self.port = free_port()
            self.controller = _OddController(
                self.handler,
                banner=self._settings["banner"],
                hostname="127.0.0.1",
                port=self.port,
                server_hostname=HOST,
                tls_context=self._settings["tls_context"],
                ready_timeout=10,
            )
            try:
                self.controller.start()
            except OSError:
                if attempt == 2:
                    raise
                continue
            return self
        raise AssertionError("unreachable")

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def mx_zone(port: int, *tlsa: str) -> dict[str, list[object]]:
    """Fixture DNS data: mx.test → 127.0.0.1, and the given TLSA rdata at
    ``_PORT._tcp.mx.test`` (the probe asks at the port it connects to)."""
    zone: dict[str, list[object]] = {HOST: [("A", "127.0.0.1")]}
    if tlsa:
        zone[f"_{port}._tcp.{HOST}"] = [("TLSA", t) for t in tlsa]
    return zone
