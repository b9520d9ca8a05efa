"""A real BIND 9 ``named`` on 127.0.0.1 for the end-to-end tests.

:class:`BindServer` writes a ``named.conf`` with a generated TSIG key
(hmac-sha256) into a temporary directory, one primary zone per entry of
``zones`` that allows RFC 2136 updates and AXFR for that key, and runs
``named -g`` (foreground, logging to stderr) listening on a free high port.
``stop()`` / ``start()`` let a test take the server away mid-run and bring it
back with the same port, key and zone data (journals included).
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType

import dns.message
import dns.query
import dns.rdatatype
import dns.tsigkeyring

NAMED = shutil.which("named") or "/usr/sbin/named"
KEY_NAME = "dnsspec-test."
KEY_ALGORITHM = "hmac-sha256"
READY_TIMEOUT = 20.0


class BindUnavailable(RuntimeError):
    """BIND 9 (named) is not installed."""


def named_available() -> bool:
    return Path(NAMED).is_file() and os.access(NAMED, os.X_OK)


def free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 right now."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = int(tcp.getsockname()[1])
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                    udp.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port on 127.0.0.1")


def soa_zone_file(zone: str, body: str) -> str:
    """A zone file: SOA, apex NS (in-zone ``ns1`` with an A record) and ``body``."""
    return (
        f"$ORIGIN {zone}\n"
        "$TTL 3600\n"
        "@ IN SOA ns1 hostmaster 1 3600 600 604800 300\n"
        "@ IN NS ns1\n"
        "ns1 IN A 127.0.0.1\n"
        f"{body}"
    )


class BindServer:
    """``named`` serving ``zones`` ({"example.com.": zone file text}) on 127.0.0.1."""

    def __init__(self, directory: Path, zones: Mapping[str, str]) -> None:
        if not named_available():
            raise BindUnavailable(f"BIND 9 named not found at {NAMED}")
        self.directory = directory
        self.zones = dict(zones)
        self.port = free_port()
        self.key_name = KEY_NAME
        self.key_algorithm = KEY_ALGORITHM
        self.key_secret = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
        self.process: subprocess.Popen[bytes] | None = None
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o777)  # named may run as another user
        for zone, text in self.zones.items():
            (self.directory / self._zone_file(zone)).write_text(text)
        (self.directory / "named.conf").write_text(self._config())

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log(self) -> str:
        path = self.directory / "named.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def keyring(self) -> dict[dns.name.Name, dns.tsig.Key]:
        keyring: dict[dns.name.Name, dns.tsig.Key] = dns.tsigkeyring.from_text(
            {self.key_name: (self.key_algorithm, self.key_secret)}
        )
        return keyring

    @staticmethod
    def _zone_file(zone: str) -> str:
        return f"{zone.rstrip('.')}.db"

    def _config(self) -> str:
        d = self.directory
        zones = "".join(
            f'zone "{zone}" {{\n'
            "  type primary;\n"
            f'  file "{self._zone_file(zone)}";\n'
            f'  allow-update {{ key "{self.key_name}"; }};\n'
            f'  allow-transfer {{ key "{self.key_name}"; }};\n'
            "};\n"
            for zone in self.zones
        )
        return (
            "options {\n"
            f'  directory "{d}";\n'
            f'  pid-file "{d}/named.pid";\n'
            f'  session-keyfile "{d}/session.key";\n'
            f'  managed-keys-directory "{d}";\n'
            f"  listen-on port {self.port} {{ 127.0.0.1; }};\n"
            "  listen-on-v6 { none; };\n"
            "  recursion no;\n"
            "  dnssec-validation no;\n"
            "  notify no;\n"
            "  allow-query { any; };\n"
            "};\n"
            "controls { };\n"
            f'key "{self.key_name}" {{\n'
            f"  algorithm {self.key_algorithm};\n"
            f'  secret "{self.key_secret}";\n'
            "};\n"
            f"{zones}"
        )

    def start(self) -> None:
        if self.process is not None:
            return
        log = (self.directory / "named.log").open("ab")
        command = [NAMED, "-g", "-c", str(self.directory / "named.conf")]
        # As root, Debian's named stays root unless -u is given; the directory is
        # world-writable so either way it can write its journals there.
        self.process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, cwd=self.directory
        )
        log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        zone = next(iter(self.zones))
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                self.process = None
                raise RuntimeError(f"named exited at start-up:\n{self.log}")
            try:
                query = dns.message.make_query(zone, dns.rdatatype.SOA)
                response = dns.query.tcp(query, "127.0.0.1", port=self.port, timeout=0.5)
                if response.answer:
                    return
            except (OSError, dns.exception.DNSException):
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"named did not answer within {READY_TIMEOUT}s:\n{self.log}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def __enter__(self) -> BindServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- queries for the tests (plain dnspython, TCP, no TSIG needed to read) --

    def query(self, name: str, rdtype: str) -> list[str]:
        """The rdata texts of ``name``/``rdtype`` at the server, sorted ([] for none)."""
        query = dns.message.make_query(name, rdtype)
        response = dns.query.tcp(query, "127.0.0.1", port=self.port, timeout=5)
        out: list[str] = []
        for rrset in response.answer:
            if rrset.rdtype == dns.rdatatype.from_text(rdtype):
                out.extend(r.to_text() for r in rrset)
        return sorted(out)

    def txt(self, name: str) -> list[bytes]:
        """Each TXT record at ``name`` as its character-strings joined, sorted."""
        query = dns.message.make_query(name, "TXT")
        response = dns.query.tcp(query, "127.0.0.1", port=self.port, timeout=5)
        out: list[bytes] = []
        for rrset in response.answer:
            if rrset.rdtype == dns.rdatatype.TXT:
                out.extend(b"".join(r.strings) for r in rrset)
        return sorted(out)

    def axfr(self, zone: str) -> list[str]:
        """Every record of the zone except the SOA, as sorted zone-file lines."""
        import dns.zone

        z = dns.zone.from_xfr(
            dns.query.xfr(
                "127.0.0.1",
                zone,
                port=self.port,
                keyring=self.keyring(),
                lifetime=10,
                relativize=False,
            ),
            relativize=False,
        )
        lines = []
        for name, ttl, rdata in z.iterate_rdatas():
            if rdata.rdtype == dns.rdatatype.SOA:
                continue
            rdtype = dns.rdatatype.to_text(rdata.rdtype)
            lines.append(f"{name} {ttl} {rdtype} {rdata.to_text()}")
        return sorted(lines)


# What the ``bind_server`` fixture (tests/integration/conftest.py) yields.
StartBind = Callable[[dict[str, str]], "BindServer"]
