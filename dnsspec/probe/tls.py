"""The TLS side of a session: client contexts, the chain a server presented, and the
``certificate`` step built from it (names against the host, validity, trust)."""

from __future__ import annotations

import datetime as dt
import ssl
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dnsspec.probe.certificate import certificate_facts, host_matches
from dnsspec.probe.model import Step
from dnsspec.probe.wire import ProbeError


def client_context(ca_file: Path | None, *, verify: bool) -> ssl.SSLContext:
    """A verifying context (the system store, or ``ca_file``; names are checked on
    their own, so not by OpenSSL) or one that verifies nothing (the second session)."""
    if verify:
        context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
        context.check_hostname = False
        return context
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def presented_chain(tls: ssl.SSLSocket) -> list[bytes]:
    """The certificates the server sent, DER, leaf first (Python 3.11's private accessor;
    the leaf alone where it is missing)."""
    sslobj: Any = getattr(tls, "_sslobj", None)
    getter = getattr(sslobj, "get_unverified_chain", None)
    if getter is not None:
        chain: Sequence[Any] = getter() or []
        return [c.public_bytes(ssl._ssl.ENCODING_DER) for c in chain]  # type: ignore[attr-defined]
    leaf = tls.getpeercert(binary_form=True)
    return [leaf] if leaf else []


def certificate_step(
    chain: Sequence[bytes], host: str, verify_error: str | None, now: dt.datetime
) -> Step:
    """The ``certificate`` step: the leaf's names against ``host`` (RFC 6125), issuer,
    validity and days left at ``now``, and whether the chain verified (``verify_error``
    is OpenSSL's reason when it did not)."""
    start = time.monotonic()
    if not chain:
        return Step("certificate", False, _ms(start), "", {"error": "no certificate presented"})
    try:
        facts = certificate_facts(chain[0])
    except ValueError as exc:
        return Step("certificate", False, _ms(start), "", {"error": f"unreadable ({exc})"})
    matches = host_matches(facts, host)
    problems = []
    if verify_error is not None:
        problems.append(f"not trusted: {verify_error}")
    if now > facts.not_after:
        problems.append(f"expired on {facts.not_after:%Y-%m-%d}")
    elif now < facts.not_before:
        problems.append(f"not valid before {facts.not_before:%Y-%m-%d}")
    if not matches:
        problems.append(f"issued for {', '.join(facts.names) or 'no name'}, not {host}")
    detail: dict[str, Any] = {
        "subject": facts.subject,
        "names": list(facts.names),
        "issuer": facts.issuer,
        "not_before": facts.not_before.isoformat(),
        "not_after": facts.not_after.isoformat(),
        "days_left": facts.days_left(now),
        "matches_host": matches,
        "trusted": verify_error is None,
    }
    if problems:
        detail["error"] = "; ".join(problems)
    return Step("certificate", not problems, _ms(start), "", detail)


def tls_error(exc: BaseException) -> str:
    """What a failed handshake is reported as."""
    if isinstance(exc, ssl.SSLError):
        return f"TLS handshake failed: {exc.reason or exc}"
    if isinstance(exc, ProbeError):
        return f"TLS handshake failed: {exc.message}"
    if isinstance(exc, OSError):
        return f"TLS handshake failed: {exc.strerror or 'the server closed the connection'}"
    return f"TLS handshake failed: {exc}"


def _ms(start: float) -> float:
    return (time.monotonic() - start) * 1000
