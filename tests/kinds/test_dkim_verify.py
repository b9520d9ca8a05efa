"""Keys from dnsspec's keygen verify with a real DKIM verifier (dkimpy).

A message is signed with the generated private key; dkimpy verifies it against
the rendered record, served as character-strings split by ``split_character_strings``
from the fixture DNS server on 127.0.0.1.
"""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import dkim
import dns.message
import dns.query
import dns.rdatatype
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from dnsserver import FixtureDnsServer, StartServer

from dnsspec.dkim.keygen import KeyPair, generate, write_private_key, write_public_key
from dnsspec.dkim.keys import DkimKeyError, dns_key_from_pem
from dnsspec.dkim.syntax import owner_name, parse, render
from dnsspec.records import split_character_strings

MESSAGE = (
    b"From: Alice <alice@example.com>\r\n"
    b"To: Bob <bob@example.net>\r\n"
    b"Subject: keys as code\r\n"
    b"Date: Fri, 04 Dec 2026 03:00:00 +0000\r\n"
    b"Message-ID: <1@example.com>\r\n"
    b"\r\n"
    b"Hello.\r\n"
)


def _dnsfunc(server: FixtureDnsServer):  # type: ignore[no-untyped-def]
    def get_txt(name: bytes | str, timeout: float = 5) -> bytes | None:
        qname = name.decode() if isinstance(name, bytes) else name
        query = dns.message.make_query(qname, dns.rdatatype.TXT)
        response = dns.query.udp(query, "127.0.0.1", port=server.port, timeout=timeout)
        if response.flags & dns.flags.TC:
            response = dns.query.tcp(query, "127.0.0.1", port=server.port, timeout=timeout)
        for rrset in response.answer:
            for rdata in rrset:
                return b"".join(rdata.strings)
        return None

    return get_txt


def _dkimpy_private_key(pair: KeyPair) -> bytes:
    """dkimpy wants RSA keys as PKCS#1 PEM and Ed25519 keys as the base64 seed."""
    key = serialization.load_pem_private_key(pair.private_pem, password=None)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        seed = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return base64.b64encode(seed)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


@pytest.mark.parametrize(
    ("key_type", "bits", "algorithm", "strings"),
    [
        ("ed25519", 256, b"ed25519-sha256", 1),
        ("rsa", 2048, b"rsa-sha256", 2),
        ("rsa", 4096, b"rsa-sha256", 3),
    ],
)
def test_generated_key_verifies_with_dkimpy_against_the_served_record(
    dns_server: StartServer,
    tmp_path: Path,
    key_type: str,
    bits: int,
    algorithm: bytes,
    strings: int,
) -> None:
    pair = generate(key_type, bits)  # type: ignore[arg-type]
    private_path = tmp_path / "s2026.key"
    public_path = tmp_path / "s2026.pub"
    write_private_key(private_path, pair.private_pem)
    write_public_key(public_path, pair.public_pem)
    assert stat.S_IMODE(private_path.stat().st_mode) == 0o600
    assert private_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS#8

    # the record compiled from the public key file, as a spec would
    record = parse(render(pair.record()))
    assert record.public_key == dns_key_from_pem(public_path.read_bytes(), key_type)
    assert record.facts.bits == bits
    text = render(record)
    chunks = split_character_strings(text, at_spaces=False)
    assert len(chunks) == strings == -(-len(text) // 255)
    assert all(len(chunk.encode()) <= 255 for chunk in chunks)
    server = dns_server({f"{owner_name('s2026')}.example.com": [("TXT", chunks)]})

    signature = dkim.sign(
        MESSAGE,
        b"s2026",
        b"example.com",
        _dkimpy_private_key(pair),
        signature_algorithm=algorithm,
        include_headers=[b"from", b"to", b"subject", b"date"],
    )
    assert dkim.verify(signature + MESSAGE, dnsfunc=_dnsfunc(server))
    tampered = signature + MESSAGE.replace(b"Hello.", b"Hello!")
    assert not dkim.verify(tampered, dnsfunc=_dnsfunc(server))


def test_a_record_for_another_key_does_not_verify(dns_server: StartServer) -> None:
    signer, other = generate("ed25519"), generate("ed25519")
    server = dns_server({"s1._domainkey.example.com": [("TXT", render(other.record()))]})
    signature = dkim.sign(
        MESSAGE,
        b"s1",
        b"example.com",
        _dkimpy_private_key(signer),
        signature_algorithm=b"ed25519-sha256",
    )
    assert not dkim.verify(signature + MESSAGE, dnsfunc=_dnsfunc(server))


def test_key_files_are_never_overwritten(tmp_path: Path) -> None:
    pair = generate("ed25519")
    path = tmp_path / "k.pem"
    path.write_bytes(b"old")
    with pytest.raises(DkimKeyError, match="never overwrites"):
        write_private_key(path, pair.private_pem)
    with pytest.raises(DkimKeyError, match="does not overwrite"):
        write_public_key(path, pair.public_pem)
    assert path.read_bytes() == b"old"
    assert "PRIVATE" not in repr(pair)
    with pytest.raises(DkimKeyError, match="--bits"):
        generate("rsa", 1000)
