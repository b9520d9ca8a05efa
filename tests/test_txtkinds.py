"""txt_kind: the one TXT classifier ownership, lint and the plan ask."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnsspec.txtkinds import KINDS, txt_kind


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("", "v=spf1 -all", "spf"),
        ("", "V=SPF1 mx -all", "spf"),
        ("", "v=spf1", "spf"),
        ("", "v=spf10 -all", None),  # RFC 7208 §4.5: v=spf1 then a space or the end
        ("", "v=spf1-all", None),
        ("_dmarc", "v=DMARC1; p=reject", "dmarc"),
        ("_dmarc", "v=DMARC1\\; p=reject", "dmarc"),  # octoDNS's internal form
        ("_dmarc", "v = dmarc1 ; p=none", "dmarc"),
        ("s1._domainkey", "v=DKIM1; k=rsa; p=MIGf", "dkim"),
        ("s1._domainkey", "k=rsa; p=MIGf", "dkim"),  # v=DKIM1 is optional (RFC 6376 §3.6.1)
        ("s1._domainkey.sub", "k=rsa\\; p=MIGf", "dkim"),
        ("www", "k=rsa; p=MIGf", None),  # a key-looking value elsewhere is not DKIM
        ("_mta-sts", "v=STSv1; id=20240101", "mta_sts"),
        ("_smtp._tls", "v=TLSRPTv1; rua=mailto:r@example.com", "tls_rpt"),
        ("default._bimi", "v=BIMI1; l=https://example.com/logo.svg", "bimi"),
        ("", "v=verify1 abc", None),  # another service's token is foreign
        ("", "google-site-verification=abc", None),
        ("", "", None),
        ("_dmarc", "p=reject; v=DMARC1", None),  # the tag must come first
    ],
)
def test_txt_kind(name: str, text: str, kind: str | None) -> None:
    assert txt_kind(name, text) == kind
    if kind is not None:
        assert kind in KINDS


@given(st.text(max_size=40))
def test_spf_values_are_spf_whatever_follows(rest: str) -> None:
    assert txt_kind("", "v=spf1 " + rest) == "spf"


@given(st.text(max_size=40), st.sampled_from(["", "_dmarc", "x._domainkey", "_smtp._tls"]))
def test_escaped_and_plain_semicolons_classify_alike(text: str, name: str) -> None:
    assert txt_kind(name, text.replace("\\;", ";")) == txt_kind(
        name, text.replace("\\;", ";").replace(";", "\\;")
    )
