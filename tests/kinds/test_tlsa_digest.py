"""TLSA association data from certificates and keys made here with ``cryptography``.

The digests are checked against OpenSSL run on the same files, as an operator would
compute them: ``openssl x509 -pubkey | openssl pkey -pubin -outform DER | sha256sum``.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from dnsspec.tlsa.digest import (
    MAX_KEY_FILE_BYTES,
    KeyFileError,
    PrivateKeyError,
    association_data,
    certificate_spki,
    load_certificate_or_public_key,
    match_position,
    matches,
)

Key = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey


def make_certificate(
    key: Key, name: str = "mx1.example.com", issuer_key: Key | None = None, issuer: str = ""
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    issuer_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer or name)])
    signer = issuer_key or key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=90))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
    )
    algorithm = None if isinstance(signer, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return builder.sign(signer, algorithm)


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _openssl(*args: str, data: bytes) -> bytes:
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.mark.parametrize("kind", ["rsa", "ec", "ed25519"])
def test_spki_sha256_matches_openssl(tmp_path: Path, rsa_key: rsa.RSAPrivateKey, kind: str) -> None:
    key: Key = {
        "rsa": rsa_key,
        "ec": ec.generate_private_key(ec.SECP256R1()),
        "ed25519": ed25519.Ed25519PrivateKey.generate(),
    }[kind]
    cert_path = tmp_path / "cert.pem"
    cert_path.write_bytes(_pem(make_certificate(key)))

    ours = association_data(load_certificate_or_public_key(cert_path), 1, 1).hex()

    pubkey_pem = _openssl("x509", "-pubkey", "-noout", data=cert_path.read_bytes())
    spki = _openssl("pkey", "-pubin", "-outform", "DER", data=pubkey_pem)
    sha256sum = subprocess.run(["sha256sum"], input=spki, capture_output=True, check=True)
    assert ours == sha256sum.stdout.split()[0].decode()


def test_whole_certificate_and_sha512_match_openssl(
    tmp_path: Path, rsa_key: rsa.RSAPrivateKey
) -> None:
    cert = make_certificate(rsa_key)
    cert_path = tmp_path / "cert.pem"
    cert_path.write_bytes(_pem(cert))
    loaded = load_certificate_or_public_key(cert_path)
    der = _openssl("x509", "-outform", "DER", data=cert_path.read_bytes())
    assert association_data(loaded, 0, 0) == der
    assert association_data(loaded, 0, 1) == hashlib.sha256(der).digest()
    assert association_data(loaded, 0, 2) == hashlib.sha512(der).digest()
    pubkey_pem = _openssl("x509", "-pubkey", "-noout", data=cert_path.read_bytes())
    spki = _openssl("pkey", "-pubin", "-outform", "DER", data=pubkey_pem)
    assert association_data(loaded, 1, 0) == spki == certificate_spki(cert)
    assert association_data(loaded, 1, 2) == hashlib.sha512(spki).digest()


def test_public_key_files_pem_and_der_give_the_certificates_digest(
    tmp_path: Path, rsa_key: rsa.RSAPrivateKey
) -> None:
    cert = make_certificate(rsa_key)
    public = rsa_key.public_key()
    pem = tmp_path / "key.pub"
    pem.write_bytes(
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    der = tmp_path / "key.der"
    der.write_bytes(
        public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    cert_der = tmp_path / "cert.der"
    cert_der.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    want = association_data(cert, 1, 1)
    for path in (pem, der, cert_der):
        assert association_data(load_certificate_or_public_key(path), 1, 1) == want
    with pytest.raises(ValueError, match="selector 1"):
        association_data(load_certificate_or_public_key(pem), 0, 1)


def test_fullchain_gives_the_leaf(tmp_path: Path, rsa_key: rsa.RSAPrivateKey) -> None:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = make_certificate(ca_key, "Test CA")
    leaf = make_certificate(rsa_key, issuer_key=ca_key, issuer="Test CA")
    path = tmp_path / "fullchain.pem"
    path.write_bytes(_pem(leaf) + _pem(ca))
    assert load_certificate_or_public_key(path) == leaf


PRIVATE_FORMATS = [
    (serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8),
    (serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL),
    (serialization.Encoding.DER, serialization.PrivateFormat.PKCS8),
    (serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL),
]


@pytest.mark.parametrize(("encoding", "fmt"), PRIVATE_FORMATS)
def test_private_key_is_refused_and_never_echoed(
    tmp_path: Path,
    rsa_key: rsa.RSAPrivateKey,
    encoding: serialization.Encoding,
    fmt: serialization.PrivateFormat,
) -> None:
    data = rsa_key.private_bytes(encoding, fmt, serialization.NoEncryption())
    path = tmp_path / "privkey.pem"
    path.write_bytes(data)
    with pytest.raises(PrivateKeyError) as caught:
        load_certificate_or_public_key(path)
    shown = f"{caught.value} {caught.value.hint}"
    assert "private key" in shown
    body = "".join(
        line for line in data.decode("latin-1").splitlines() if "PRIVATE KEY" not in line
    )
    if encoding is serialization.Encoding.DER:  # as it could be shown: base64, hex or bytes
        body += base64.b64encode(data).decode() + data.hex() + data.decode("latin-1")
    pieces = [body[i : i + 16] for i in range(0, len(body) - 16, 8)]
    assert pieces
    assert not [piece for piece in pieces if piece in shown]


def test_encrypted_private_key_and_key_beside_certificate_are_refused(
    tmp_path: Path, rsa_key: rsa.RSAPrivateKey
) -> None:
    encrypted = rsa_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret"),
    )
    path = tmp_path / "key.der"
    path.write_bytes(encrypted)
    with pytest.raises(PrivateKeyError):
        load_certificate_or_public_key(path)
    combined = tmp_path / "combined.pem"
    combined.write_bytes(
        _pem(make_certificate(rsa_key))
        + rsa_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(PrivateKeyError):
        load_certificate_or_public_key(combined)


def test_unreadable_files_are_located_errors(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="no such file"):
        load_certificate_or_public_key(tmp_path / "missing.pem")
    garbage = tmp_path / "notes.txt"
    garbage.write_text("hello\n")
    with pytest.raises(KeyFileError, match="neither PEM nor DER"):
        load_certificate_or_public_key(garbage)
    csr = tmp_path / "req.pem"
    csr.write_text("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")
    with pytest.raises(KeyFileError, match="not a PEM certificate or public key"):
        load_certificate_or_public_key(csr)
    huge = tmp_path / "huge.pem"
    huge.write_bytes(b"0" * (MAX_KEY_FILE_BYTES + 1))
    with pytest.raises(KeyFileError, match="too large"):
        load_certificate_or_public_key(huge)
    with pytest.raises(KeyFileError, match="directory"):
        load_certificate_or_public_key(tmp_path)


def test_matches_dane_ee_and_dane_ta(rsa_key: rsa.RSAPrivateKey) -> None:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = make_certificate(ca_key, "Test CA")
    leaf = make_certificate(rsa_key, issuer_key=ca_key, issuer="Test CA")
    chain = [leaf.public_bytes(serialization.Encoding.DER), ca]  # DER or objects
    leaf_digest = association_data(leaf, 1, 1)
    ca_digest = association_data(ca, 0, 2)
    assert matches(3, 1, 1, leaf_digest, chain)
    assert not matches(3, 1, 1, ca_digest, chain)
    assert match_position(2, 0, 2, ca_digest, chain) == 1
    assert not matches(2, 1, 1, leaf_digest, chain)  # a TA is an issuer, not the leaf
    assert not matches(3, 1, 1, leaf_digest, [])
    next_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    renewed = make_certificate(next_key, issuer_key=ca_key, issuer="Test CA")
    assert not matches(3, 1, 1, leaf_digest, [renewed, ca])  # a new key breaks 3 1 1
    with pytest.raises(ValueError, match="RFC 7672"):
        matches(1, 1, 1, leaf_digest, chain)
