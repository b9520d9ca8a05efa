"""A real BIND 9 authoritative server on 127.0.0.1 at a free high port.

``named -g`` runs in the foreground from a generated config in a temporary
directory, answers only for the benchmark zone (no recursion, so nothing ever
leaves the machine), and is stopped when the context exits, also on Ctrl-C.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

NAMED = "/usr/sbin/named"


def free_port() -> int:
    """A port free on 127.0.0.1 for both UDP and TCP (checked, then released)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = int(tcp.getsockname()[1])
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
            if port > 1024:
                return port
    raise RuntimeError("no free port on 127.0.0.1")


class BindServer:
    """``with BindServer(origin, zone_text, workdir) as server: server.port``"""

    def __init__(self, origin: str, zone_text: str, workdir: Path, *, threads: int = 2) -> None:
        self.origin = origin.rstrip(".")
        self.zone_text = zone_text
        self.workdir = workdir
        self.threads = threads
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.log = workdir / "named.log"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _config(self) -> str:
        d = self.workdir
        return f"""
options {{
    directory "{d}";
    pid-file "{d}/named.pid";
    session-keyfile "{d}/session.key";
    managed-keys-directory "{d}";
    listen-on port {self.port} {{ 127.0.0.1; }};
    listen-on-v6 {{ none; }};
    recursion no;
    allow-query {{ 127.0.0.1; }};
    allow-transfer {{ none; }};
    notify no;
    dnssec-validation no;
    minimal-responses yes;
    querylog no;
}};
controls {{ }};
zone "{self.origin}" {{ type primary; file "{d}/{self.origin}.zone"; }};
"""

    def start(self, ready_timeout: float = 20.0) -> None:
        if not Path(NAMED).exists() and shutil.which("named") is None:
            raise RuntimeError(f"BIND 9 not found at {NAMED} (apt-get install bind9)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / f"{self.origin}.zone").write_text(self.zone_text)
        for _attempt in range(5):
            self.port = free_port()
            conf = self.workdir / "named.conf"
            conf.write_text(self._config())
            with self.log.open("wb") as log:
                self.process = subprocess.Popen(
                    [NAMED, "-g", "-4", "-n", str(self.threads), "-u", "root", "-c", str(conf)],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
            if self._wait_ready(ready_timeout):
                return
            self.stop()
        raise RuntimeError(f"named did not come up; see {self.log}:\n{self._log_tail()}")

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-15:])
        except OSError:
            return ""

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        query = dns.message.make_query(f"{self.origin}.", dns.rdatatype.SOA)
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                answer = dns.query.udp(query, "127.0.0.1", port=self.port, timeout=0.2)
            except (OSError, dns.exception.DNSException):
                time.sleep(0.05)
                continue
            if answer.rcode() == dns.rcode.NOERROR and answer.answer:
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

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
