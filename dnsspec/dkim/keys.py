"""DKIM public keys: what ``p=`` may hold, and the refusal of private keys.

- ``k=rsa``: the base64 DER SubjectPublicKeyInfo (what every signer publishes; a
  bare PKCS#1 RSAPublicKey, which RFC 6376 §3.6.1 names, is read too).
- ``k=ed25519``: the raw 32-byte key, base64 (RFC 8463 §4.2). An Ed25519 key in
  SubjectPublicKeyInfo (or PEM) form is refused with the raw form as the hint.
- A private key anywhere (PEM text, PKCS#8 or PKCS#1 DER in base64) is refused,
  and no message ever contains any part of it. A raw 32-byte Ed25519 *private*
  seed cannot be told from a public key by its bytes; keygen never writes one.

Key files (``public_key_file:``) are PEM SubjectPublicKeyInfo for both types;
:func:`dns_key_from_pem` turns one into the ``p=`` bytes.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Literal

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from dnsspec.errors import DnsspecError

KeyType = Literal["rsa", "ed25519"]
KEY_TYPES: tuple[KeyType, ...] = ("rsa", "ed25519")
ED25519_KEY_BYTES = 32
MIN_RSA_BITS = 1024  # RFC 8301 §3.2: verifiers must reject smaller keys
RECOMMENDED_RSA_BITS = 2048
MAX_RSA_BITS = 8192  # larger keys are no DKIM key anyone verifies
MAX_KEY_FILE_BYTES = 64 * 1024

PRIVATE_KEY_HINT = (
    "publish the public key: `openssl pkey -in PRIVATE.pem -pubout` prints it, "
    "or `dnsspec dkim keygen` writes both files"
)
_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----")
_B64_JUNK = re.compile(r"[ \t\r\n]")


class DkimKeyError(DnsspecError):
    """The DKIM key is not usable."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.hint = hint
        super().__init__(message)


class DkimPrivateKeyError(DkimKeyError):
    """A private key was given where a public key belongs (its content is never shown)."""


@dataclass(frozen=True)
class KeyFacts:
    """What a verifier learns from ``p=``: the type and the size in bits (0 when revoked)."""

    key_type: KeyType
    bits: int
    revoked: bool = False


def private_key_refusal(where: str) -> DkimPrivateKeyError:
    return DkimPrivateKeyError(
        f"{where} holds a private key; DNS must only carry the public key "
        "(the key's content is not shown, and nothing was compiled)",
        hint=PRIVATE_KEY_HINT,
    )


def looks_like_private_key(data: bytes) -> bool:
    """PEM ``… PRIVATE KEY`` text, or DER that loads as a private key."""
    if b"PRIVATE KEY" in data:
        return True
    if data[:1] != b"\x30":
        return False
    try:
        serialization.load_der_private_key(data, password=None)
    except TypeError:  # encrypted: still a private key
        return True
    except (ValueError, UnsupportedAlgorithm):
        return False
    return True


def decode_p(text: str) -> bytes:
    """The bytes of a ``p=`` value (base64, whitespace allowed); :class:`DkimKeyError` if not.

    The message never quotes the value.
    """
    if "PRIVATE KEY" in text:
        raise private_key_refusal("p=")
    if "-----BEGIN" in text:
        raise DkimKeyError(
            "p= holds PEM text; DNS takes only the base64 between the BEGIN and END lines",
            hint="`dnsspec dkim show` prints the record to publish, or use public_key_file:",
        )
    compact = _B64_JUNK.sub("", text)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        bad = next((c for c in compact if not (c.isalnum() or c in "+/=")), None)
        what = f" (it contains {bad!r})" if bad else " (its length or padding is wrong)"
        raise DkimKeyError(
            f"p= is not base64{what}",
            hint="copy the key again from the signer's public key, without line breaks",
        ) from None


def _raw_ed25519_hint(key: ed25519.Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return f"write the raw key: p={base64.b64encode(raw).decode()}"


def check_key(key_type: str, data: bytes) -> KeyFacts:
    """Check ``p=`` bytes against ``k=``; the facts a verifier sees, or :class:`DkimKeyError`."""
    if key_type not in KEY_TYPES:
        raise DkimKeyError(
            f"k={key_type} is not a DKIM key type dnsspec publishes (rsa or ed25519)",
            hint="k=rsa or k=ed25519",
        )
    if not data:
        return KeyFacts(key_type, 0, revoked=True)
    if looks_like_private_key(data):
        raise private_key_refusal("p=")
    if key_type == "ed25519":
        if len(data) == ED25519_KEY_BYTES:
            return KeyFacts("ed25519", 256)
        try:
            spki = serialization.load_der_public_key(data)
        except (ValueError, UnsupportedAlgorithm):
            spki = None
        if isinstance(spki, ed25519.Ed25519PublicKey):
            raise DkimKeyError(
                "this Ed25519 key is in SubjectPublicKeyInfo form; RFC 8463 §4.2 publishes "
                "the raw 32-byte key",
                hint=_raw_ed25519_hint(spki),
            )
        raise DkimKeyError(
            f"an Ed25519 key is {ED25519_KEY_BYTES} bytes; p= decodes to {len(data)} bytes",
            hint="copy the raw public key (44 base64 characters ending in '=')",
        )
    try:
        public = serialization.load_der_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        try:
            public = serialization.load_der_public_key(_pkcs1_to_spki(data))
        except (ValueError, UnsupportedAlgorithm):
            raise DkimKeyError(
                "p= is no RSA public key (DER SubjectPublicKeyInfo, base64)",
                hint="copy the key again, or publish it from public_key_file:",
            ) from None
    if isinstance(public, ed25519.Ed25519PublicKey):
        raise DkimKeyError(
            "p= is an Ed25519 key but k= says rsa",
            hint="key_type: ed25519 (k=ed25519), with the raw key: "
            + _raw_ed25519_hint(public).removeprefix("write the raw key: "),
        )
    if not isinstance(public, rsa.RSAPublicKey):
        raise DkimKeyError("p= is neither an RSA nor an Ed25519 key", hint="k=rsa or k=ed25519")
    bits = public.key_size
    if bits > MAX_RSA_BITS:
        raise DkimKeyError(f"a {bits}-bit RSA key is too large (at most {MAX_RSA_BITS})")
    return KeyFacts("rsa", bits)


def _pkcs1_to_spki(data: bytes) -> bytes:
    """Wrap a PKCS#1 RSAPublicKey in a SubjectPublicKeyInfo (rsaEncryption, NULL)."""
    algorithm = bytes.fromhex("300d06092a864886f70d0101010500")
    bit_string = b"\x03" + _der_length(len(data) + 1) + b"\x00" + data
    body = algorithm + bit_string
    return b"\x30" + _der_length(len(body)) + body


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def dns_key_from_pem(data: bytes, key_type: str, *, where: str = "the key file") -> bytes:
    """The ``p=`` bytes of a PEM (or DER) SubjectPublicKeyInfo file for ``key_type``.

    RSA: the SPKI DER; Ed25519: the raw 32 bytes (RFC 8463 §4.2). Private keys are
    refused without echoing them.
    """
    if looks_like_private_key(data) or (
        b"-----BEGIN" not in data and looks_like_private_key(_maybe_b64(data))
    ):
        raise private_key_refusal(where)
    try:
        if b"-----BEGIN" in data:
            public = serialization.load_pem_public_key(data)
        else:
            public = serialization.load_der_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        block = _PEM_BLOCK.search(data.decode("latin-1"))
        found = f" (found a '{block.group(1)}' block)" if block else ""
        raise DkimKeyError(
            f"{where} is not a PEM public key{found}",
            hint="expected '-----BEGIN PUBLIC KEY-----' (SubjectPublicKeyInfo); "
            "`openssl pkey -in PRIVATE.pem -pubout` makes one",
        ) from None
    if isinstance(public, ed25519.Ed25519PublicKey):
        if key_type != "ed25519":
            raise DkimKeyError(
                f"{where} holds an Ed25519 key but key_type is {key_type}",
                hint="key_type: ed25519",
            )
        return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if isinstance(public, rsa.RSAPublicKey):
        if key_type != "rsa":
            raise DkimKeyError(
                f"{where} holds an RSA key but key_type is {key_type}", hint="key_type: rsa"
            )
        der = public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        check_key("rsa", der)
        return der
    raise DkimKeyError(f"{where} holds a key that is neither RSA nor Ed25519")


def _maybe_b64(data: bytes) -> bytes:
    try:
        return base64.b64decode(_B64_JUNK.sub("", data.decode("ascii")), validate=True)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return b""


def encode_p(data: bytes) -> str:
    """The ``p=`` text of key bytes: base64 without line breaks."""
    return base64.b64encode(data).decode("ascii")
