"""Which TLS protocol versions a server accepts after STARTTLS: accepted, refused or
untestable, each tried alone on a connection of its own.

With sslyze installed (``pip install 'dnsspec[probe]'``) every version is tried with
sslyze's TLS client (its legacy OpenSSL build offers SSLv3, TLS 1.0 and 1.1). Without
it, Python's ``ssl`` tries what the local OpenSSL can still offer (TLS 1.0 and 1.1 at
``@SECLEVEL=0``, where the build allows) and rates the rest ``untestable``, saying why:
a version the client cannot offer is never reported as refused.
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import ssl
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from dnsspec.probe.lookup import is_ip_address
from dnsspec.probe.model import Step
from dnsspec.probe.wire import Clock, ProbeError, SmtpWire

VERSIONS = ("SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")
OUTDATED = ("SSLv3", "TLSv1.0", "TLSv1.1")
Rating = Literal["accepted", "refused", "untestable"]
INSTALL_HINT = "install sslyze (pip install 'dnsspec[probe]') to test it"


@dataclass(frozen=True)
class VersionRating:
    """One protocol version: accepted / refused / untestable, and why."""

    version: str
    rating: Rating
    detail: str = ""


def sslyze_available() -> bool:
    """Whether sslyze can be imported (the ``dnsspec[probe]`` extra)."""
    return importlib.util.find_spec("sslyze") is not None


def rate_versions(
    host: str,
    address: str,
    port: int,
    *,
    helo: str,
    clock: Clock,
    use_sslyze: bool | None = None,
) -> tuple[VersionRating, ...]:
    """Rate every version of :data:`VERSIONS`; ``use_sslyze`` None: when installed."""
    with_sslyze = sslyze_available() if use_sslyze is None else use_sslyze
    rate = _SslyzeClient(host, address, port, helo, clock) if with_sslyze else None
    ratings = []
    for version in VERSIONS:
        if clock.deadline - time.monotonic() <= 0:
            ratings.append(VersionRating(version, "untestable", "the run's deadline was reached"))
        elif rate is not None:
            ratings.append(rate.rate(version))
        else:
            ratings.append(_stdlib_rate(version, host, address, port, helo, clock))
    return tuple(ratings)


def versions_step(ratings: Sequence[VersionRating], ms: float) -> Step:
    """The ``tls_versions`` step: failed when a version older than TLS 1.2 is accepted."""
    by_rating: dict[str, list[str]] = {}
    for r in ratings:
        by_rating.setdefault(r.rating, []).append(r.version)
    summary = "; ".join(f"{' '.join(v)} {rating}" for rating, v in by_rating.items())
    outdated = [r.version for r in ratings if r.rating == "accepted" and r.version in OUTDATED]
    detail: dict[str, Any] = {r.version: r.rating for r in ratings}
    notes = {r.version: r.detail for r in ratings if r.detail}
    if notes:
        detail["notes"] = notes
    detail["tester"] = "sslyze" if _used_sslyze(ratings) else f"python ssl ({ssl.OPENSSL_VERSION})"
    if outdated:
        detail["error"] = f"{', '.join(outdated)} accepted: refuse TLS older than 1.2"
    return Step("tls_versions", not outdated, ms, summary, detail)


def _used_sslyze(ratings: Sequence[VersionRating]) -> bool:
    return any(r.detail.startswith("sslyze") for r in ratings)


# -- Python's ssl -------------------------------------------------------------------------

_STDLIB_VERSIONS = {
    "TLSv1.0": ("TLSv1", getattr(ssl, "HAS_TLSv1", False)),
    "TLSv1.1": ("TLSv1_1", getattr(ssl, "HAS_TLSv1_1", False)),
    "TLSv1.2": ("TLSv1_2", getattr(ssl, "HAS_TLSv1_2", False)),
    "TLSv1.3": ("TLSv1_3", getattr(ssl, "HAS_TLSv1_3", False)),
}
_STDLIB_NAMES = {"TLSv1.0": "TLSv1"}  # what SSLSocket.version() calls TLS 1.0
_LOCAL_REFUSALS = ("NO_PROTOCOLS_AVAILABLE", "NO_CIPHERS_AVAILABLE", "NO_SUITABLE_SIGNATURE")


def _stdlib_rate(
    version: str, host: str, address: str, port: int, helo: str, clock: Clock
) -> VersionRating:
    member, built = _STDLIB_VERSIONS.get(version, ("", False))
    if not built:
        return VersionRating(
            version,
            "untestable",
            f"python ssl ({ssl.OPENSSL_VERSION}) cannot offer {version}; {INSTALL_HINT}",
        )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with warnings.catch_warnings():  # TLS 1.0/1.1 are deprecated: offering them is the test
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = context.maximum_version = ssl.TLSVersion[member]
        if version in OUTDATED:  # OpenSSL 3 signs TLS < 1.2 handshakes with SHA-1
            context.set_ciphers("ALL:@SECLEVEL=0")
    except (ValueError, ssl.SSLError) as exc:
        return VersionRating(version, "untestable", f"python ssl cannot offer {version} ({exc})")
    try:
        wire = _smtp_until_starttls(address, port, helo, clock)
    except (OSError, ProbeError) as exc:
        return VersionRating(version, "untestable", f"python ssl: no STARTTLS session ({exc})")
    try:
        tls = wire.wrap(context, None if is_ip_address(host) else host)
        negotiated = tls.version()
    except ssl.SSLError as exc:
        reason = str(exc.reason or exc)
        if reason in _LOCAL_REFUSALS:
            return VersionRating(
                version, "untestable", f"python ssl cannot offer {version} ({reason})"
            )
        return VersionRating(version, "refused", f"python ssl: {reason}")
    except (OSError, ProbeError):
        return VersionRating(version, "refused", "python ssl: the server closed the connection")
    finally:
        wire.close()
    if negotiated != _STDLIB_NAMES.get(version, version):
        return VersionRating(version, "refused", f"python ssl: {negotiated} negotiated")
    return VersionRating(version, "accepted", "python ssl")


def _smtp_until_starttls(address: str, port: int, helo: str, clock: Clock) -> SmtpWire:
    wire = SmtpWire.connect(address, port, clock)
    try:
        for command in (None, f"EHLO {helo}", "STARTTLS"):
            if command is not None:
                wire.send(command)
            reply = wire.read_reply()
            if not reply.positive:
                raise ProbeError(f"{command or 'the banner'}: {reply.text}")
    except BaseException:
        wire.close()
        raise
    return wire


# -- sslyze -------------------------------------------------------------------------------


class _SslyzeClient:
    """One sslyze ``SslConnection`` per version (its SMTP STARTTLS helper, no retries)."""

    def __init__(self, host: str, address: str, port: int, helo: str, clock: Clock) -> None:
        self.host, self.address, self.port, self.helo, self.clock = host, address, port, helo, clock

    def rate(self, version: str) -> VersionRating:
        from nassl import _nassl
        from sslyze.connection_helpers.opportunistic_tls_helpers import (
            ProtocolWithOpportunisticTlsEnum,
        )
        from sslyze.connection_helpers.tls_connection import SslConnection
        from sslyze.errors import ConnectionToServerFailed, ServerRejectedTlsHandshake
        from sslyze.server_connectivity import TlsVersionEnum
        from sslyze.server_setting import ServerNetworkConfiguration, ServerNetworkLocation

        enum = {
            "SSLv3": TlsVersionEnum.SSL_3_0,
            "TLSv1.0": TlsVersionEnum.TLS_1_0,
            "TLSv1.1": TlsVersionEnum.TLS_1_1,
            "TLSv1.2": TlsVersionEnum.TLS_1_2,
            "TLSv1.3": TlsVersionEnum.TLS_1_3,
        }[version]
        left = min(self.clock.step_timeout, self.clock.deadline - time.monotonic())
        config = ServerNetworkConfiguration(
            tls_server_name_indication=self.host,
            tls_opportunistic_encryption=ProtocolWithOpportunisticTlsEnum.SMTP,
            smtp_ehlo_hostname=self.helo,
            network_timeout=max(1, math.ceil(left)),
            network_max_retries=1,
        )
        location = ServerNetworkLocation(self.host, self.port, ip_address=self.address)
        connection = SslConnection(location, config, enum, should_ignore_client_auth=True)
        try:
            connection.connect(should_retry_connection=False)
        except ServerRejectedTlsHandshake as exc:
            return VersionRating(version, "refused", f"sslyze: {exc.error_message}")
        except ConnectionToServerFailed as exc:
            return VersionRating(version, "untestable", f"sslyze: {exc.error_message}")
        except _nassl.OpenSSLError as exc:
            return VersionRating(version, "refused", f"sslyze: {_first_line(exc)}")
        except (OSError, ValueError) as exc:
            return VersionRating(version, "untestable", f"sslyze: {exc}")
        except Exception as exc:  # sslyze's own failures (its bugs, client-certificate requests)
            return VersionRating(version, "untestable", f"sslyze: {type(exc).__name__}: {exc}")
        finally:
            with contextlib.suppress(Exception):  # closing a connection that never opened
                connection.close()
        return VersionRating(version, "accepted", "sslyze")


def _first_line(exc: BaseException) -> str:
    text = str(exc.args[0] if exc.args else exc)
    return text.splitlines()[0] if text else type(exc).__name__
