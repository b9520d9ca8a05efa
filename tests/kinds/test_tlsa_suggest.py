"""What `dnsspec tlsa CERT.pem` prints: a spec entry that loads back to the same record."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from test_tlsa_digest import make_certificate

from dnsspec.spec.kinds.tlsa import TlsaEntrySpec
from dnsspec.tlsa.digest import PrivateKeyError, association_data
from dnsspec.tlsa.suggest import suggest, suggest_for_file
from dnsspec.tlsa.syntax import TlsaSyntaxError, parse


def test_suggestion_from_a_certificate(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = make_certificate(key, "mx1.example.com")
    path = tmp_path / "cert.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    found = suggest_for_file(path)
    digest = association_data(cert, 1, 1).hex()
    assert found.hosts == ("mx1.example.com",)
    assert found.spec_entry() == f"- {{usage: 3, selector: 1, matching: 1, data: {digest}}}"
    assert found.zone_line() == f"_25._tcp.mx1.example.com. IN TLSA 3 1 1 {digest}"
    assert found.zone_line("mx2.example.com.", 465).startswith("_465._tcp.mx2.example.com. ")
    # the printed entry is valid spec input with the same record
    (entry,) = yaml.safe_load(found.spec_entry(port=465))
    assert TlsaEntrySpec.model_validate(entry).record() == found.record
    assert parse(found.zone_line().split(" IN TLSA ")[1]) == found.record
    sha512 = suggest(cert, 3, 0, 2)
    assert sha512.record.data == association_data(cert, 0, 2).hex()


def test_bad_numbers_and_keys(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(TlsaSyntaxError, match="matching type 0"):
        suggest(make_certificate(key), 3, 1, 0)
    with pytest.raises(TlsaSyntaxError, match="selector 0 matches the whole certificate"):
        suggest(key.public_key(), 3, 0, 1)
    assert suggest(key.public_key()).hosts == ()
    private = tmp_path / "privkey.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(PrivateKeyError):
        suggest_for_file(private)
