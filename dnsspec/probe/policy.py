"""The MTA-STS view of a domain (RFC 8461): its ``_mta-sts`` TXT record and the policy
served at ``https://mta-sts.<domain>/.well-known/mta-sts.txt``, fetched with one bounded
GET (no redirects, §3.3), verified like a sender verifies it (PKIX, the host's name).

The policy file and the record are read by :mod:`dnsspec.mta_sts` (the one grammar of
both). Bounds: the response's header block at most :data:`MAX_HEADER` bytes, the policy
body at most :data:`MAX_BODY` bytes (64 KiB, RFC 8461 §3.3), each read within the step
timeout and the run's deadline.
"""

from __future__ import annotations

import socket
import ssl
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dnsspec.errors import ResolveError
from dnsspec.mta_sts import syntax
from dnsspec.mta_sts.mx import mx_matches
from dnsspec.mta_sts.policy import (
    MAX_POLICY_BYTES,
    WELL_KNOWN_PATH,
    StsPolicy,
    StsPolicySyntaxError,
    parse,
    policy_url,
)
from dnsspec.probe.lookup import ProbeLookup
from dnsspec.probe.model import Step
from dnsspec.probe.wire import Clock, ProbeError, ProbeTimeout

MAX_HEADER = 16 * 1024
MAX_BODY = MAX_POLICY_BYTES  # RFC 8461 §3.3: senders may refuse larger policies


class PolicyError(ProbeError):
    """The MTA-STS policy could not be fetched or read."""


class PolicyNotFound(PolicyError):
    """The policy host answered 404 Not Found: it serves no policy file."""


def covers(policy: StsPolicy, host: str) -> bool:
    """Whether one of the policy's ``mx:`` patterns matches ``host`` (RFC 8461 §4.1)."""
    return any(mx_matches(pattern, host) for pattern in policy.mx)


@dataclass(frozen=True)
class MtaSts:
    """What the probe found: the TXT id (None: no MTA-STS record), the policy (None when
    it could not be fetched), and the steps that found them."""

    record_id: str | None
    policy: StsPolicy | None
    steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def enforced(self) -> bool:
        return self.policy is not None and self.policy.mode in ("enforce", "testing")


def mta_sts_view(
    domain: str,
    lookup: ProbeLookup,
    clock: Clock,
    *,
    ca_file: Path | None = None,
    port: int = 443,
) -> MtaSts:
    """The ``mta_sts_record`` and ``mta_sts_policy`` steps for ``domain`` (the policy is
    fetched only when the domain publishes a record)."""
    record_step, record_id = _record_step(domain, lookup)
    if record_id is None:
        return MtaSts(None, None, (record_step,))
    start = time.monotonic()
    host = f"mta-sts.{domain}"
    detail: dict[str, Any] = {"url": policy_url(domain)}
    try:
        address = lookup.addresses(host)[0]
        detail["address"] = address
        body = fetch_policy(host, address, port, clock, ca_file=ca_file)
        policy = parse(body)
    except StsPolicySyntaxError as exc:
        detail["error"] = f"the policy file is not valid: {exc.message}"
        failed = Step("mta_sts_policy", False, _ms(start), "", detail)
        return MtaSts(record_id, None, (record_step, failed))
    except (ResolveError, ProbeError) as exc:
        detail["error"] = exc.message
        failed = Step("mta_sts_policy", False, _ms(start), "", detail)
        return MtaSts(record_id, None, (record_step, failed))
    detail |= {"mode": policy.mode, "mx": list(policy.mx), "max_age": policy.max_age}
    fetched = Step("mta_sts_policy", True, _ms(start), body.strip(), detail)
    return MtaSts(record_id, policy, (record_step, fetched))


@dataclass(frozen=True)
class ServedPolicy:
    """The policy file a domain serves now: its exact bytes and what they say."""

    body: bytes
    policy: StsPolicy


class PolicyFetcher:
    """Fetches the policy each domain serves, for ``dnsspec plan`` (the old policy of an
    ``_mta-sts`` id change): ``mta-sts.<domain>``'s address through ``nameservers`` (the
    system resolver when empty), then the probe's one bounded GET
    (:func:`fetch_policy_bytes`, which ``probe mx`` and ``check`` use too:
    PKIX against the host's name, no redirects, at most :data:`MAX_HEADER` +
    :data:`MAX_BODY` bytes), parsed by the one policy parser.

    Bounds: each DNS question, the connection, the handshake and the read take at most
    ``step_timeout`` seconds, and every fetch of one plan together at most ``deadline``
    seconds from the first one (a plan with no id change fetches nothing). Calling it
    gives the :class:`ServedPolicy`, or why it was not fetched: it never raises for
    what the network or the server does.
    """

    def __init__(
        self,
        nameservers: tuple[str, ...] = (),
        *,
        ca_file: Path | None = None,
        port: int = 443,
        step_timeout: float = 5.0,
        deadline: float = 15.0,
    ) -> None:
        self.nameservers = nameservers
        self.ca_file = ca_file
        self.port = port
        self.step_timeout = step_timeout
        self.deadline = deadline
        self._clock: Clock | None = None
        self._lookup: ProbeLookup | None = None

    def __call__(self, domain: str) -> ServedPolicy | str:
        if self._clock is None or self._lookup is None:
            self._clock = Clock.start(self.step_timeout, self.deadline)
            self._lookup = ProbeLookup(self.nameservers, self.step_timeout, self._clock.deadline)
        host = f"mta-sts.{domain.rstrip('.').lower()}"
        try:
            address = self._lookup.addresses(host)[0]
            body = fetch_policy_bytes(host, address, self.port, self._clock, ca_file=self.ca_file)
            return ServedPolicy(body, parse(body))
        except StsPolicySyntaxError as exc:
            return f"the served policy is not valid: {exc.message}"
        except (ResolveError, ProbeError) as exc:
            return exc.message


def _record_step(domain: str, lookup: ProbeLookup) -> tuple[Step, str | None]:
    """The ``_mta-sts`` TXT record's step and its id (None: no usable record)."""
    start = time.monotonic()
    name = f"_mta-sts.{domain}"
    detail: dict[str, Any] = {"name": name}
    try:
        texts = lookup.txt(name)
    except ResolveError as exc:
        detail["error"] = exc.message
        return Step("mta_sts_record", False, _ms(start), "", detail), None
    records = [t for t in texts if syntax.is_sts_record(t)]
    if not records:
        detail["result"] = "no MTA-STS record: senders do not require TLS"
        return Step("mta_sts_record", True, _ms(start), "", detail), None
    if len(records) > 1:
        detail["records"] = records
        detail["error"] = "more than one v=STSv1 record: senders ignore them all (RFC 8461 §3.1)"
        return Step("mta_sts_record", False, _ms(start), "", detail), None
    try:
        record_id = syntax.parse(records[0]).id
    except syntax.StsRecordSyntaxError as exc:
        detail["error"] = exc.message
        return Step("mta_sts_record", False, _ms(start), records[0], detail), None
    detail["id"] = record_id
    return Step("mta_sts_record", True, _ms(start), records[0], detail), record_id


def fetch_policy(
    host: str, address: str, port: int, clock: Clock, *, ca_file: Path | None = None
) -> str:
    """GET the policy over HTTPS from ``address``:``port`` as ``host`` (SNI, Host, the
    certificate checked against ``host``); the body as text, or PolicyError."""
    body = fetch_policy_bytes(host, address, port, clock, ca_file=ca_file)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise PolicyError("the policy is not UTF-8 text") from None


def fetch_policy_bytes(
    host: str, address: str, port: int, clock: Clock, *, ca_file: Path | None = None
) -> bytes:
    """The exact body :func:`fetch_policy` reads (``dnsspec check`` compares it byte for
    byte): PolicyNotFound on 404, PolicyError or ProbeTimeout when it cannot be read."""
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    until = clock.step_deadline()
    try:
        raw = socket.create_connection((address, port), timeout=clock.remaining(until))
    except ProbeTimeout:
        raise
    except OSError as exc:
        raise PolicyError(f"cannot connect to {address}:{port} ({exc.strerror or exc})") from None
    try:
        tls = context.wrap_socket(raw, server_hostname=host, do_handshake_on_connect=False)
        tls.settimeout(clock.remaining(until))
        try:
            tls.do_handshake()
        except ssl.SSLCertVerificationError as exc:
            raise PolicyError(
                f"the policy host's certificate is not valid for {host}: {exc.verify_message}"
            ) from None
        except (ssl.SSLError, OSError) as exc:
            raise PolicyError(f"TLS handshake with {host} failed ({exc})") from None
        request = (
            f"GET /{WELL_KNOWN_PATH} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: dnsspec-probe\r\n"
            "Accept: text/plain\r\nConnection: close\r\n\r\n"
        )
        tls.sendall(request.encode("ascii"))
        data = _read_bounded(tls, clock, until)
    finally:
        raw.close()
    return _body(data, host)


def _read_bounded(sock: ssl.SSLSocket, clock: Clock, until: float) -> bytes:
    data = b""
    while len(data) <= MAX_HEADER + MAX_BODY:
        sock.settimeout(clock.remaining(until))
        try:
            chunk = sock.recv(16384)
        except TimeoutError:
            raise ProbeTimeout(clock.timeout_message(until)) from None
        except (ssl.SSLError, OSError) as exc:
            if data:
                break  # a close without TLS close_notify after the body
            raise PolicyError(f"the policy host broke the connection ({exc})") from None
        if not chunk:
            break
        data += chunk
    else:
        raise PolicyError(f"the response is larger than {MAX_HEADER + MAX_BODY} bytes")
    return data


def _body(data: bytes, host: str) -> bytes:
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep or len(head) > MAX_HEADER:
        raise PolicyError(f"{host} sent no complete HTTP response header")
    lines = head.decode("latin-1").split("\r\n")
    status = lines[0].split(" ", 2)
    if len(status) < 2 or not status[0].startswith("HTTP/"):
        raise PolicyError(f"{host} did not answer HTTP: {lines[0][:60]!r}")
    headers = {}
    for line in lines[1:]:
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    if status[1] == "404":
        raise PolicyNotFound(f"HTTP 404: {host} serves no /{WELL_KNOWN_PATH}")
    if status[1] != "200":
        where = f" (to {headers['location']})" if "location" in headers else ""
        raise PolicyError(
            f"HTTP {' '.join(status[1:])}{where}: the policy must be served with 200, "
            "redirects are not followed (RFC 8461 §3.3)"
        )
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = _dechunk(body, host)
    elif "content-length" in headers and headers["content-length"].isdigit():
        length = int(headers["content-length"])
        if len(body) < length:
            raise PolicyError(f"{host} sent {len(body)} of {length} bytes")
        body = body[:length]
    if len(body) > MAX_BODY:
        raise PolicyError(f"the policy is larger than {MAX_BODY} bytes")
    media = headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "text/plain":
        raise PolicyError(
            f"the policy is served as {media or 'no media type'!r}; "
            "RFC 8461 §3.2 requires text/plain"
        )
    return body


def _dechunk(body: bytes, host: str) -> bytes:
    out = b""
    while True:
        size_line, sep, body = body.partition(b"\r\n")
        try:
            size = int(size_line.split(b";")[0], 16)
        except ValueError:
            raise PolicyError(f"{host} sent a malformed chunked body") from None
        if not sep or size == 0:
            return out
        out, body = out + body[:size], body[size + 2 :]


def _ms(start: float) -> float:
    return (time.monotonic() - start) * 1000


def host_view(policy: StsPolicy | None, host: str, certificate: Step | None) -> dict[str, Any]:
    """Per MX host: is it covered by the policy's ``mx:``, does its certificate match
    its name and chain to a trusted root (RFC 8461 §4.1, §4.2)?"""
    if policy is None or policy.mode == "none":
        return {}
    cert = dict(certificate.detail) if certificate is not None else {}
    cert_ok = (
        bool(cert.get("matches_host"))
        and bool(cert.get("trusted"))
        and "expired" not in str(cert.get("error", ""))
    )
    covered = covers(policy, host)
    view: dict[str, Any] = {"covered": covered, "certificate_valid": cert_ok}
    problems = []
    if not covered:
        problems.append(
            f"{host} is not covered by the policy's mx: {', '.join(policy.mx) or '(none)'}"
        )
    if not cert_ok:
        problems.append(f"{host}'s certificate is not valid for its name as MTA-STS requires")
    if problems:
        view["error"] = "; ".join(problems)
    return view
