"""Certificates and public keys → TLSA association data (RFC 6698 §2.1, RFC 7671).

Pure functions over key material already in memory, plus one loader that reads a
certificate or public-key file. Nothing here does network I/O. The loader refuses
private keys, and its error never echoes the key: neither the message nor the hint
carries any byte of the file.

Selector 0 hashes the whole certificate (its DER), selector 1 the
SubjectPublicKeyInfo (SPKI) DER. For a certificate, the SPKI bytes are taken out of
the certificate exactly as they were signed (not re-encoded), so the digest is the
one a verifier computes from the certificate the server presents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from dnsspec.errors import DnsspecError

# A cert: file is a few kilobytes; anything larger is not what the user meant.
MAX_KEY_FILE_BYTES = 1 << 20

Usage = Literal[0, 1, 2, 3]
Selector = Literal[0, 1]
Matching = Literal[0, 1, 2]
CertificateOrKey = x509.Certificate | PublicKeyTypes

SELECTOR_NAMES = {0: "Cert (whole certificate)", 1: "SPKI (SubjectPublicKeyInfo)"}
MATCHING_NAMES = {0: "Full (no hash)", 1: "SHA2-256", 2: "SHA2-512"}
USAGE_NAMES = {0: "PKIX-TA", 1: "PKIX-EE", 2: "DANE-TA", 3: "DANE-EE"}

_PRIVATE_HINT = (
    "point at the certificate (e.g. Let's Encrypt's cert.pem or fullchain.pem, never "
    "privkey.pem) or at a public key made with `openssl pkey -in KEY -pubout -out key.pub`"
)


class KeyFileError(DnsspecError):
    """The file is not a certificate or public key."""

    def __init__(self, message: str, *, path: Path | str, hint: str | None = None) -> None:
        self.path = Path(path)
        self.hint = hint
        super().__init__(message)


class PrivateKeyError(KeyFileError):
    """The file holds a private key (its content is never shown)."""


def load_certificate_or_public_key(path: Path | str) -> CertificateOrKey:
    """Read a PEM or DER certificate, or a PEM or DER SubjectPublicKeyInfo public key.

    A PEM file with several certificates (``fullchain.pem``) gives its first one, the
    server's own. A private key anywhere in the file is refused with
    :class:`PrivateKeyError`; any other unreadable content with :class:`KeyFileError`.
    Files over :data:`MAX_KEY_FILE_BYTES` are refused unread.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_KEY_FILE_BYTES:
            raise KeyFileError(
                f"{path}: {size} bytes is too large for a certificate or public key "
                f"(at most {MAX_KEY_FILE_BYTES} bytes)",
                path=path,
                hint="point at the PEM certificate file itself",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(
            f"{path}: no such file",
            path=path,
            hint="paths are relative to the directory that holds zones/",
        ) from None
    except IsADirectoryError:
        raise KeyFileError(f"{path}: is a directory, not a certificate file", path=path) from None
    except PermissionError:
        raise KeyFileError(f"{path}: permission denied", path=path) from None
    return parse_certificate_or_public_key(data, path=path)


def parse_certificate_or_public_key(
    data: bytes, *, path: Path | str = "<data>"
) -> CertificateOrKey:
    """:func:`load_certificate_or_public_key` for bytes already read."""
    if is_private_key(data):
        raise PrivateKeyError(
            f"{path}: this file holds a private key; a certificate or public key was expected "
            "(the key's content is not shown)",
            path=path,
            hint=_PRIVATE_HINT,
        )
    if b"-----BEGIN" in data:
        if b"-----BEGIN CERTIFICATE-----" in data:
            try:
                return x509.load_pem_x509_certificates(data)[0]
            except ValueError as error:
                raise KeyFileError(
                    f"{path}: the PEM certificate does not decode ({error})", path=path
                ) from None
        try:
            return serialization.load_pem_public_key(data)
        except (ValueError, TypeError) as error:
            raise KeyFileError(
                f"{path}: not a PEM certificate or public key ({_short(error)})",
                path=path,
                hint="expected '-----BEGIN CERTIFICATE-----' or '-----BEGIN PUBLIC KEY-----'",
            ) from None
    try:
        return x509.load_der_x509_certificate(data)
    except ValueError:
        pass
    try:
        return serialization.load_der_public_key(data)
    except (ValueError, TypeError):
        pass
    raise KeyFileError(
        f"{path}: not a certificate or public key (neither PEM nor DER)",
        path=path,
        hint="expected a PEM file starting with '-----BEGIN CERTIFICATE-----' or "
        "'-----BEGIN PUBLIC KEY-----', or its DER form",
    )


def is_private_key(data: bytes) -> bool:
    """Whether ``data`` holds a private key: a PEM ``… PRIVATE KEY`` block or DER PKCS#8/PKCS#1."""
    if b"PRIVATE KEY-----" in data:  # PKCS#8, ENCRYPTED, RSA, EC, DSA, OPENSSH
        return True
    if data[:1] != b"\x30":  # DER starts with a SEQUENCE
        return False
    try:
        serialization.load_der_private_key(data, password=None)
    except TypeError:  # encrypted: still a private key
        return True
    except (ValueError, UnsupportedAlgorithm):
        return False
    return True


def _short(error: Exception) -> str:
    text = str(error).split("\n", 1)[0]
    return text[:120]


# --- DER: the SubjectPublicKeyInfo exactly as the certificate carries it ---------


def _tlv(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, start of value, end of value) of the DER element at ``at``."""
    if at + 2 > len(data):
        raise ValueError("truncated DER")
    tag, first = data[at], data[at + 1]
    pos = at + 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise ValueError("bad DER length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise ValueError("truncated DER")
    return tag, pos, pos + length


def certificate_spki(certificate: x509.Certificate) -> bytes:
    """The certificate's SubjectPublicKeyInfo DER, byte for byte as signed (RFC 5280 §4.1)."""
    tbs = certificate.tbs_certificate_bytes
    _, pos, _ = _tlv(tbs, 0)  # TBSCertificate SEQUENCE
    tag, _, end = _tlv(tbs, pos)
    if tag == 0xA0:  # [0] EXPLICIT version
        pos = end
    for _ in range(5):  # serialNumber, signature, issuer, validity, subject
        _, _, pos = _tlv(tbs, pos)
    tag, _, end = _tlv(tbs, pos)
    if tag != 0x30:
        raise ValueError("certificate has no SubjectPublicKeyInfo where RFC 5280 puts it")
    return tbs[pos:end]


def spki_der(cert_or_key: CertificateOrKey) -> bytes:
    """The SubjectPublicKeyInfo DER of a certificate or a public key."""
    if isinstance(cert_or_key, x509.Certificate):
        return certificate_spki(cert_or_key)
    return cert_or_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def selected_data(cert_or_key: CertificateOrKey, selector: int) -> bytes:
    """The bytes a selector picks: 0 the whole certificate DER, 1 the SPKI DER."""
    if selector == 0:
        if not isinstance(cert_or_key, x509.Certificate):
            raise ValueError(
                "selector 0 matches the whole certificate, and this is a public key: "
                "use selector 1 (SubjectPublicKeyInfo) or give the certificate"
            )
        return cert_or_key.public_bytes(serialization.Encoding.DER)
    if selector == 1:
        return spki_der(cert_or_key)
    raise ValueError(f"selector {selector} is not 0 (Cert) or 1 (SPKI) (RFC 6698 §2.1.2)")


def match_bytes(data: bytes, matching: int) -> bytes:
    """The association data of selected bytes: 0 as is, 1 SHA-256, 2 SHA-512."""
    if matching == 0:
        return data
    if matching == 1:
        return hashlib.sha256(data).digest()
    if matching == 2:
        return hashlib.sha512(data).digest()
    raise ValueError(
        f"matching type {matching} is not 0 (Full), 1 (SHA2-256) or 2 (SHA2-512) (RFC 6698 §2.1.3)"
    )


def association_data(cert_or_key: CertificateOrKey, selector: int, matching: int) -> bytes:
    """The TLSA certificate association data (RFC 6698 §2.1.4) for this selector and matching."""
    return match_bytes(selected_data(cert_or_key, selector), matching)


def _as_certificate(item: x509.Certificate | bytes) -> x509.Certificate:
    return item if isinstance(item, x509.Certificate) else x509.load_der_x509_certificate(item)


def match_position(
    usage: int,
    selector: int,
    matching: int,
    data: bytes,
    chain: Sequence[x509.Certificate | bytes],
) -> int | None:
    """Which certificate of ``chain`` (leaf first; objects or DER) a TLSA record matches.

    Usage 3 (DANE-EE) matches only the leaf, ``chain[0]`` (RFC 7671 §5.1). Usage 2
    (DANE-TA) matches an issuer the server sent, ``chain[1:]`` (RFC 7671 §5.2); the
    caller still has to check the signatures from the leaf up to that certificate.
    Usages 0 and 1 are PKIX usages, which SMTP clients ignore (RFC 7672 §3.1.3):
    they raise :class:`ValueError`. Returns the index, or ``None`` when nothing matches.
    """
    if usage == 3:
        candidates = range(min(1, len(chain)))
    elif usage == 2:
        candidates = range(1, len(chain))
    else:
        raise ValueError(
            f"usage {usage} is a PKIX usage: SMTP clients ignore it (RFC 7672 §3.1.3); "
            "use 3 (DANE-EE) or 2 (DANE-TA)"
        )
    for index in candidates:
        if association_data(_as_certificate(chain[index]), selector, matching) == data:
            return index
    return None


def matches(
    usage: int,
    selector: int,
    matching: int,
    data: bytes,
    chain: Sequence[x509.Certificate | bytes],
) -> bool:
    """Whether a TLSA record with usage 2 or 3 matches the presented chain (leaf first).

    See :func:`match_position` for which certificate each usage looks at.
    """
    return match_position(usage, selector, matching, data, chain) is not None
