"""A real Postfix (Debian's ``postfix`` package) on 127.0.0.1 for the probe's tests.

:class:`PostfixServer` writes a config directory of its own (``main.cf``, a minimal
``master.cf`` with the SMTP listener on a free high port), a queue and a data
directory under the test's temporary directory, and runs ``postfix start-fg``: the
``master`` daemon in the foreground, logging to ``maillog`` there. Mail is accepted
for ``mx.test`` and discarded, never delivered; every DNS lookup of Postfix's own is
off (no reverse lookup of the client, no MX lookups).

TLS as the seed's sendmail has it (``ServerSSLOptions=+SSL_OP_NO_SSLv2 +SSL_OP_NO_SSLv3
+SSL_OP_NO_TLSv1 +SSL_OP_NO_TLSv1_1``): ``smtpd_tls_protocols = !SSLv2, !SSLv3, !TLSv1,
!TLSv1.1``. ``legacy=True`` is the server that still accepts TLS 1.0 and 1.1 (which
OpenSSL 3 only negotiates at security level 0).

Its directory is a fresh one under the system's temporary directory (Postfix's daemons,
running as the ``postfix`` user, must be able to reach it); ``remove()`` deletes it.
``stop()`` sends SIGTERM to the master (its pid file), which stops its children, and
waits until no process of its process group is left.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

POSTFIX = Path("/usr/sbin/postfix")
DAEMONS = Path("/usr/lib/postfix/sbin")
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0

MODERN = "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1"
LEGACY = ">=TLSv1"

# service type private unpriv chroot wakeup maxproc command (master(5)); no chroot, so
# nothing needs copying into the queue directory
_SERVICES = """\
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


class PostfixUnavailable(RuntimeError):
    """Postfix is not installed."""


def postfix_available() -> bool:
    return POSTFIX.is_file() and (DAEMONS / "master").is_file() and os.geteuid() == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostfixServer:
    """``postfix start-fg`` in ``directory``, listening on 127.0.0.1:``port``."""

    def __init__(self, cert_file: Path, key_file: Path, *, legacy: bool = False) -> None:
        if not postfix_available():
            raise PostfixUnavailable("Postfix (and root, which it runs as) is needed")
        # Postfix's daemons drop to the postfix user and then open their directories by
        # absolute path: pytest's tmp_path (under a root-only 0700 directory) will not do.
        self.directory = Path(tempfile.mkdtemp(prefix="dnsspec-postfix-"))
        self.directory.chmod(0o755)
        self.cert_file, self.key_file = cert_file, key_file
        self.legacy = legacy
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.master_pid: int | None = None

    @property
    def maillog(self) -> str:
        path = self.directory / "maillog"
        return path.read_text(errors="replace") if path.exists() else ""

    def _write_config(self) -> Path:
        etc, queue, data = (self.directory / d for d in ("etc", "queue", "data"))
        for d in (etc, queue, data):
            d.mkdir(parents=True, exist_ok=True)
        os.chown(data, _postfix_uid(), -1)
        protocols = LEGACY if self.legacy else MODERN
        lines = [
            "compatibility_level = 3.6",
            f"queue_directory = {queue}",
            f"data_directory = {data}",
            f"daemon_directory = {DAEMONS}",
            "command_directory = /usr/sbin",
            "shlib_directory = /usr/lib/postfix",
            "mail_owner = postfix",
            "myhostname = mx.test",
            "mydomain = mx.test",
            "myorigin = mx.test",
            "mydestination =",
            "relay_domains = mx.test",
            "inet_interfaces = 127.0.0.1",
            "inet_protocols = ipv4",
            "mynetworks = 127.0.0.0/8",
            "smtpd_peername_lookup = no",
            "smtp_dns_support_level = disabled",
            "alias_maps =",
            "alias_database =",
            "local_recipient_maps =",
            "default_transport = discard:",
            "relay_transport = discard:",
            "local_transport = discard:",
            "smtpd_banner = $myhostname ESMTP Postfix",
            f"maillog_file = {self.directory}/maillog",
            f"maillog_file_prefixes = {self.directory}",
            f"smtpd_tls_cert_file = {self.cert_file}",
            f"smtpd_tls_key_file = {self.key_file}",
            "smtpd_tls_security_level = may",
            f"smtpd_tls_protocols = {protocols}",
            f"smtpd_tls_mandatory_protocols = {protocols}",
            "smtpd_tls_session_cache_database =",
        ]
        if self.legacy:  # OpenSSL 3 signs TLS 1.0/1.1 handshakes with SHA-1: level 0 only
            lines.append("tls_medium_cipherlist = aNULL:-aNULL:HIGH:MEDIUM:@SECLEVEL=0")
        (etc / "main.cf").write_text("\n".join(lines) + "\n")
        listener = f"127.0.0.1:{self.port} inet n - n - - smtpd\n"
        (etc / "master.cf").write_text(listener + _SERVICES)
        return etc

    def start(self) -> PostfixServer:
        errors = []
        for _ in range(3):  # a port taken between choosing and binding: choose again
            self.port = _free_port()
            etc = self._write_config()
            log = (self.directory / "postfix.out").open("wb")
            self.process = subprocess.Popen(
                [str(POSTFIX), "-c", str(etc), "start-fg"],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            log.close()
            if self._wait_ready():
                return self
            errors.append(self.maillog[-2000:])
            self.stop()
        raise RuntimeError("Postfix did not start:\n" + "\n---\n".join(errors))

    def _wait_ready(self) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            self.master_pid = self._read_master_pid()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
                    sock.settimeout(5)
                    if sock.recv(512).startswith(b"220 "):
                        sock.sendall(b"QUIT\r\n")
                        return self.master_pid is not None or self._settle_pid()
            except OSError:
                time.sleep(0.1)
        return False

    def _settle_pid(self) -> bool:
        for _ in range(50):
            self.master_pid = self._read_master_pid()
            if self.master_pid is not None:
                return True
            time.sleep(0.1)
        return False

    def _read_master_pid(self) -> int | None:
        try:
            text = (self.directory / "queue" / "pid" / "master.pid").read_text().strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def stop(self) -> None:
        """Stop master and its children; afterwards none of their processes is left."""
        if self.master_pid is None:
            self.master_pid = self._read_master_pid()
        if self.master_pid is not None:
            _signal_group(self.master_pid, signal.SIGTERM, leader_only=True)
            if not _wait_gone(self.master_pid, STOP_TIMEOUT):
                _signal_group(self.master_pid, signal.SIGKILL)
                _wait_gone(self.master_pid, STOP_TIMEOUT)
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT)

    def remove(self) -> None:
        """Delete the server's directory (after :meth:`stop`)."""
        shutil.rmtree(self.directory, ignore_errors=True)

    def processes_left(self) -> bool:
        """Whether any process of master's process group still exists."""
        return self.master_pid is not None and not _wait_gone(self.master_pid, 0)

    def __enter__(self) -> PostfixServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _postfix_uid() -> int:
    import pwd

    return pwd.getpwnam("postfix").pw_uid


def _signal_group(pgid: int, sig: signal.Signals, *, leader_only: bool = False) -> None:
    try:
        if leader_only:
            os.kill(pgid, sig)
        else:
            os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def _wait_gone(pgid: int, timeout: float) -> bool:
    """Wait until no live process is in group ``pgid`` (master calls setsid(): the group
    is its own, led by its pid). Zombies awaiting their reaper do not count."""
    deadline = time.monotonic() + timeout
    while True:
        if not _live_members(pgid):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def _live_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            members.append(int(entry.name))
    return members
