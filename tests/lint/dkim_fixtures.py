"""The DKIM1 rules' fixtures for test_rules.py (keys are made once, at import)."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from dnsspec.dkim.keygen import generate


def _p(bits: int) -> str:
    if bits < 1024:  # cryptography makes no such key: a modulus is enough for lint
        key = rsa.RSAPublicNumbers(65537, (1 << (bits - 1)) | 0x1F).public_key()
        der = key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return base64.b64encode(der).decode()
    return base64.b64encode(generate("rsa", bits).public_key).decode()


WEAK, SHORT, GOOD = _p(768), _p(1024), _p(2048)
ED = base64.b64encode(generate("ed25519").public_key).decode()

DKIM_FIXTURES: dict[str, tuple[dict[str, str], list[tuple[int, int, str]]]] = {
    "DKIM101": (
        {"example.com": f'dkim:\n  old: "v=DKIM1; p={WEAK}"\n  ok: {{public_key: {GOOD}}}\n'},
        [(2, 8, "")],
    ),
    "DKIM102": (
        {
            "example.com": f"subdomains:\n  news:\n    dkim:\n      s1: {{public_key: {SHORT}}}\n"
            f"      s2: {{public_key: {GOOD}}}\n"
        },
        [(4, 11, "news")],
    ),
    "DKIM103": (
        {
            "example.com": f"dkim:\n  s1: {{public_key: {GOOD}, testing: true}}\n"
            f"  s2: {{key_type: ed25519, public_key: {ED}}}\n"
        },
        [(2, 7, "")],
    ),
    "DKIM104": (
        {
            "example.com": f"dkim:\n  s1: {{public_key: {GOOD}, hashes: [sha1]}}\n"
            f"  s2: {{public_key: {SHORT}, hashes: [sha1, sha256]}}\n"
        },
        [(2, 7, "")],
    ),
    "DKIM105": (
        {
            "example.com": f"dkim:\n  s2025: {{key_type: ed25519, public_key: {ED}}}\n"
            f'  s2026: "v=DKIM1; k=ed25519; p={ED}"\n  s2024: {{revoked: true}}\n'
            "  s2023: {revoked: true}\n"
        },
        [(3, 10, "")],
    ),
    "DKIM106": (
        {
            "example.com": f"dkim:\n  s1: {{key_type: ed25519, public_key: {ED}}}\nrecords:\n"
            f"  s1._domainkey: {{type: TXT, value: 'k=ed25519\\; p={ED}'}}\n"
            "  s2._domainkey: {type: TXT, value: 'v=DKIM1\\; p='}\n"
        },
        [(4, 37, "s1._domainkey")],
    ),
}
