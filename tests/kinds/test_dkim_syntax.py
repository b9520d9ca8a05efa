"""DKIM key records: parse/render inverses, key checks, private keys refused unechoed."""

from __future__ import annotations

import base64
import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from hypothesis import given
from hypothesis import strategies as st

from dnsspec.dkim import qp
from dnsspec.dkim.keys import DkimKeyError, DkimPrivateKeyError, check_key, dns_key_from_pem
from dnsspec.dkim.syntax import (
    REVOKED_RECORD,
    DkimRecord,
    DkimSyntaxError,
    is_dkim_record,
    owner_name,
    parse,
    render,
)

ED_KEY = ed25519.Ed25519PrivateKey.generate()
ED_RAW = ED_KEY.public_key().public_bytes(
    serialization.Encoding.Raw, serialization.PublicFormat.Raw
)
ED_SPKI = ED_KEY.public_key().public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
)
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=1024)
RSA_SPKI = RSA_KEY.public_key().public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
)
RSA_PKCS1 = RSA_KEY.public_key().public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.PKCS1
)
B64 = base64.b64encode


def _subset(values: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(values), unique=True, max_size=len(values)).map(tuple)


@st.composite
def dkim_records(draw: st.DrawFn) -> DkimRecord:
    key_type = draw(st.sampled_from(["rsa", "ed25519"]))
    public_key = draw(st.sampled_from([b"", RSA_SPKI if key_type == "rsa" else ED_RAW]))
    names = draw(st.lists(st.sampled_from(["x", "g", "foo", "Z9"]), unique=True, max_size=2))
    values = st.from_regex(r"[!-:<-~]([ !-:<-~]{0,6}[!-:<-~])?", fullmatch=True)
    return DkimRecord(
        key_type=key_type,
        public_key=public_key,
        hashes=draw(_subset(("sha1", "sha256"))),
        services=draw(_subset(("*", "email"))),
        flags=draw(_subset(("y", "s"))),
        notes=draw(st.none() | st.text(max_size=20)),
        extra=tuple((name, draw(values)) for name in names),
    )


@given(dkim_records())
def test_parse_inverts_render(record: DkimRecord) -> None:
    text = render(record)
    assert parse(text) == record
    assert render(parse(text)) == text


@given(st.text())
def test_qp_decode_inverts_encode(text: str) -> None:
    encoded = qp.encode(text)
    assert qp.decode(encoded) == text
    assert qp.encode(qp.decode(encoded)) == encoded
    assert ";" not in encoded and encoded == encoded.strip()


def test_exact_text_and_defaults() -> None:
    p = B64(RSA_SPKI).decode()
    text = f"v=DKIM1; k=rsa; h=sha256; s=email; t=y:s; n=rotated 2026=3B old=3Dgone; p={p}"
    record = parse(text)
    assert record.notes == "rotated 2026; old=gone"
    assert parse(f"n=rotated=202026; p={p}").notes == "rotated 2026"
    assert record.testing
    assert record.facts.bits == 1024
    assert render(record) == text
    # k defaults to rsa, v is optional, base64 may be folded with spaces
    folded = " ".join(p[i : i + 60] for i in range(0, len(p), 60))
    assert parse(f"p={folded}") == DkimRecord("rsa", RSA_SPKI)
    assert parse(REVOKED_RECORD).revoked
    assert render(DkimRecord()) == REVOKED_RECORD
    assert render(DkimRecord("ed25519")) == "v=DKIM1; k=ed25519; p="
    assert parse(f"v=DKIM1; k=ed25519; p={B64(ED_RAW).decode()}").facts.bits == 256
    assert parse(f"k=rsa; p={B64(RSA_PKCS1).decode()}").facts.bits == 1024  # PKCS#1 read too
    assert owner_name("s2026") == "s2026._domainkey"
    assert owner_name("s2026", "mail") == "s2026._domainkey.mail"
    assert is_dkim_record("v=DKIM1; p=")
    assert not is_dkim_record("k=rsa; p=")


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("v=DKIM1; k=rsa", 0, "no p="),
        ("k=rsa; v=DKIM1; p=", 7, "v= must be the first tag"),
        ("v=DKIM2; p=", 0, "v=DKIM2 is not DKIM1"),
        ("v=DKIM1; k=dsa; p=", 9, "k=dsa is not a DKIM key type"),
        ("v=DKIM1; h=sha512; p=", 9, "unknown hash algorithm 'sha512'"),
        ("v=DKIM1; s=mail; p=", 9, "unknown service type 'mail'"),
        ("v=DKIM1; t=x; p=", 9, "unknown flag 'x'"),
        ("v=DKIM1; t=y:y; p=", 9, "listed twice"),
        ("v=DKIM1; n=a=b; p=", 12, "'=' in n= must start"),
        ("v=DKIM1; p=abc!", 9, "p= is not base64 (it contains '!')"),
        ("v=DKIM1; p=abc", 9, "its length or padding is wrong"),
        ("v=DKIM1; k=ed25519; p=AAAA", 20, "p= decodes to 3 bytes"),
        ("v=DKIM1; p=AAAA", 9, "no RSA public key"),
        ("v=DKIM1; p=; p=", 13, "duplicate tag 'p'"),
    ],
)
def test_bad_records_point_at_the_tag(text: str, column: int, message: str) -> None:
    with pytest.raises(DkimSyntaxError, match=re.escape(message)) as caught:
        parse(text)
    assert caught.value.column == column, caught.value.message


def test_ed25519_in_spki_form_is_refused_with_the_raw_form() -> None:
    with pytest.raises(DkimSyntaxError, match="RFC 8463") as caught:
        parse(f"v=DKIM1; k=ed25519; p={B64(ED_SPKI).decode()}")
    assert caught.value.hint == f"write the raw key: p={B64(ED_RAW).decode()}"
    with pytest.raises(DkimSyntaxError, match="k= says rsa") as caught:
        parse(f"v=DKIM1; p={B64(ED_SPKI).decode()}")
    assert caught.value.hint is not None and B64(ED_RAW).decode() in caught.value.hint
    with pytest.raises(DkimSyntaxError, match="PEM text"):
        parse("v=DKIM1; p=-----BEGIN PUBLIC KEY-----")


def _pieces(secret: bytes) -> list[str]:
    text = secret.decode("latin-1")
    body = "".join(line for line in text.splitlines() if "PRIVATE KEY" not in line)
    return [body[i : i + 12] for i in range(0, len(body) - 12, 6)]


@pytest.mark.parametrize(
    ("key", "fmt"),
    [
        (RSA_KEY, serialization.PrivateFormat.PKCS8),
        (RSA_KEY, serialization.PrivateFormat.TraditionalOpenSSL),
        (ED_KEY, serialization.PrivateFormat.PKCS8),  # Ed25519 has only the PKCS#8 form
    ],
    ids=["rsa-pkcs8", "rsa-pkcs1", "ed25519-pkcs8"],
)
def test_private_keys_are_refused_and_never_echoed(
    key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey, fmt: serialization.PrivateFormat
) -> None:
    der = key.private_bytes(serialization.Encoding.DER, fmt, serialization.NoEncryption())
    pem = key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())
    b64 = B64(der).decode()
    attempts = [
        lambda: parse(f"v=DKIM1; p={b64}"),  # the base64 of a private key as p=
        lambda: parse(f"v=DKIM1; p={pem.decode()}"),  # a pasted PEM block
        lambda: check_key("rsa", der),
        lambda: dns_key_from_pem(pem, "rsa"),
        lambda: dns_key_from_pem(der, "rsa"),
        lambda: dns_key_from_pem(b64.encode(), "rsa"),
    ]
    for attempt in attempts:
        with pytest.raises(DkimPrivateKeyError) as caught:
            attempt()
        shown = f"{caught.value} {caught.value.hint}"
        assert "private key" in shown
        leaked = [piece for piece in _pieces(pem) + [b64[i : i + 12] for i in range(0, 60, 6)]]
        assert not [piece for piece in leaked if piece in shown]


def test_key_files() -> None:
    public_pem = ED_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert dns_key_from_pem(public_pem, "ed25519") == ED_RAW
    with pytest.raises(DkimKeyError, match="key_type is rsa"):
        dns_key_from_pem(public_pem, "rsa")
    rsa_pem = RSA_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert dns_key_from_pem(rsa_pem, "rsa") == RSA_SPKI
    with pytest.raises(DkimKeyError, match=r"not a PEM public key \(found a 'CERTIFICATE' block"):
        dns_key_from_pem(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "rsa")
