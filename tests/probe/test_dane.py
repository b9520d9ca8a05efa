"""The DANE match over a presented chain: selectors, matching types, usable usages."""

from __future__ import annotations

import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from smtpservers import HOST, Pki, leaf_der

from dnsspec.probe.dane import matching_records, usable
from dnsspec.probe.lookup import Tlsa


@pytest.mark.parametrize(("selector", "matching"), [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)])
def test_dane_ee_matches_with_every_selector_and_matching_type(
    selector: int, matching: int, pki: Pki
) -> None:
    der = leaf_der(pki.leaf(HOST))
    cert = x509.load_der_x509_certificate(der)
    selected = (
        der
        if selector == 0
        else cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    data = {0: selected, 1: hashlib.sha256(selected).digest(), 2: hashlib.sha512(selected).digest()}
    record = Tlsa(3, selector, matching, data[matching])
    assert matching_records([record], [der]) == [record]
    other = Tlsa(3, selector, matching, bytes(len(data[matching])))
    assert matching_records([other], [der]) == []


@pytest.mark.parametrize(
    ("record", "is_usable"),
    [
        (Tlsa(3, 1, 1, b""), True),
        (Tlsa(2, 0, 2, b""), True),
        (Tlsa(1, 1, 1, b""), False),  # PKIX-EE: SMTP clients ignore it (RFC 7672 §3.1.3)
        (Tlsa(0, 0, 1, b""), False),
        (Tlsa(3, 2, 1, b""), False),
        (Tlsa(3, 1, 3, b""), False),
    ],
)
def test_which_records_an_smtp_client_uses(record: Tlsa, is_usable: bool) -> None:
    assert usable(record) is is_usable


def test_a_pkix_usage_never_matches_even_with_the_right_digest(pki: Pki) -> None:
    der = leaf_der(pki.leaf(HOST))
    record = Tlsa(1, 0, 1, hashlib.sha256(der).digest())
    assert matching_records([record], [der]) == []


def test_tlsa_presentation_format_reads_back() -> None:
    text = "3 1 1 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1"
    assert str(Tlsa.from_text(text)) == text
    assert Tlsa.from_text("3 1 1 8cb0fc6c 527506a0") == Tlsa(
        3, 1, 1, bytes.fromhex("8cb0fc6c527506a0")
    )


def test_an_unreadable_leaf_under_a_matching_issuer_is_no_match(pki: Pki) -> None:
    intermediate = pki.ca.create_child_ca()
    issuer = x509.load_pem_x509_certificate(intermediate.cert_pem.bytes())
    issuer_der = issuer.public_bytes(serialization.Encoding.DER)
    record = Tlsa(2, 0, 1, hashlib.sha256(issuer_der).digest())
    assert matching_records([record], [b"\x30\x03garbage", issuer_der]) == []
