"""What ``dnsspec tlsa CERT.pem`` prints: the spec entry and the TLSA record for a file.

Pure over the loaded certificate or key (the loader is
:func:`dnsspec.tlsa.digest.load_certificate_or_public_key`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import NameOID

from dnsspec.tlsa.digest import CertificateOrKey, association_data, load_certificate_or_public_key
from dnsspec.tlsa.syntax import (
    DEFAULT_PORT,
    DEFAULT_PROTOCOL,
    Tlsa,
    TlsaSyntaxError,
    field_problem,
    owner_name,
    render,
)


@dataclass(frozen=True)
class TlsaSuggestion:
    """A TLSA record computed from a file, and the host names the certificate is for."""

    record: Tlsa
    hosts: tuple[str, ...]  # the certificate's DNS names (SAN, else CN); () for a bare key

    def spec_entry(self, port: int = DEFAULT_PORT, protocol: str = DEFAULT_PROTOCOL) -> str:
        """One ``tlsa:`` list item in flow style, as the spec takes it."""
        record = self.record
        extra = "" if port == DEFAULT_PORT else f", port: {port}"
        extra += "" if protocol == DEFAULT_PROTOCOL else f", protocol: {protocol}"
        return (
            f"- {{usage: {record.usage}, selector: {record.selector}, "
            f"matching: {record.matching}, data: {record.data}{extra}}}"
        )

    def zone_line(
        self, host: str | None = None, port: int = DEFAULT_PORT, protocol: str = DEFAULT_PROTOCOL
    ) -> str:
        """The record as a zone-file line for ``host`` (default: the certificate's first name)."""
        name = host or (self.hosts[0] if self.hosts else "HOST")
        return f"{owner_name(name.rstrip('.'), port, protocol)}. IN TLSA {render(self.record)}"


def certificate_hosts(cert_or_key: CertificateOrKey) -> tuple[str, ...]:
    """The DNS names a certificate is for: its SAN DNS names, else its CN; () for a key."""
    if not isinstance(cert_or_key, x509.Certificate):
        return ()
    try:
        san = cert_or_key.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        names = tuple(san.value.get_values_for_type(x509.DNSName))
        if names:
            return names
    except x509.ExtensionNotFound:
        pass
    common = cert_or_key.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return tuple(str(attribute.value) for attribute in common)


def suggest(
    cert_or_key: CertificateOrKey, usage: int = 3, selector: int = 1, matching: int = 1
) -> TlsaSuggestion:
    """The TLSA record for ``cert_or_key``; :class:`TlsaSyntaxError` for bad numbers."""
    for field, value in (("usage", usage), ("selector", selector), ("matching", matching)):
        problem = field_problem(field, value)
        if problem:
            raise TlsaSyntaxError(problem[0], hint=problem[1])
    try:
        data = association_data(cert_or_key, selector, matching)
    except ValueError as error:
        raise TlsaSyntaxError(str(error), hint="--selector 1") from None
    return TlsaSuggestion(
        Tlsa(usage, selector, matching, data.hex()), certificate_hosts(cert_or_key)
    )


def suggest_for_file(
    path: Path | str, usage: int = 3, selector: int = 1, matching: int = 1
) -> TlsaSuggestion:
    """:func:`suggest` for a certificate or public-key file (private keys are refused)."""
    return suggest(load_certificate_or_public_key(path), usage, selector, matching)
