"""What a server's certificate says, and whether it fits the host name (RFC 6125).

Pure functions over DER bytes (``cryptography``); chain trust comes from the TLS
handshake itself (OpenSSL against the system store or ``--ca-file``), not from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from ipaddress import ip_address

from cryptography import x509
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class CertificateFacts:
    """The leaf certificate as a probe reports it."""

    subject: str
    issuer: str
    names: tuple[str, ...]  # DNS names of subjectAltName (the subject CN only without one)
    not_before: dt.datetime
    not_after: dt.datetime

    def days_left(self, now: dt.datetime) -> int:
        return (self.not_after - now).days

    def valid_at(self, now: dt.datetime) -> bool:
        return self.not_before <= now <= self.not_after


def certificate_facts(der: bytes) -> CertificateFacts:
    """Subject, issuer, DNS names and validity of a DER certificate (ValueError if bad)."""
    cert = x509.load_der_x509_certificate(der)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        names = tuple(str(n) for n in san.value.get_values_for_type(x509.DNSName))
    except x509.ExtensionNotFound:
        names = tuple(
            str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        )
    return CertificateFacts(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        names=names,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
    )


def name_matches(pattern: str, host: str) -> bool:
    """Whether a certificate name covers ``host``: equal ignoring case and a trailing
    dot, or a wildcard ``*.example.com`` covering exactly one leftmost label (RFC 6125
    §6.4.3, as MTA-STS requires in RFC 8461 §4.1)."""
    pattern = pattern.rstrip(".").lower()
    host = host.rstrip(".").lower()
    if pattern.startswith("*."):
        first, _, rest = host.partition(".")
        return bool(first) and bool(rest) and rest == pattern[2:]
    return pattern == host


def host_matches(facts: CertificateFacts, host: str) -> bool:
    """Whether any of the certificate's names covers ``host`` (never for an IP address)."""
    try:
        ip_address(host)
    except ValueError:
        return any(name_matches(n, host) for n in facts.names)
    return False
