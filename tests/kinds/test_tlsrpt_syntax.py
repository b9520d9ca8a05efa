"""TLS-RPT record parse/render (RFC 8460 §3)."""

from __future__ import annotations

import re

import pytest
from dmarc_strategies import tlsrpt_uris
from hypothesis import given
from hypothesis import strategies as st

from dnsspec.dmarc.uris import ReportUri
from dnsspec.tlsrpt.syntax import (
    TlsRptRecord,
    TlsRptSyntaxError,
    is_tlsrpt_record,
    owner_name,
    parse,
    render,
)

_ext = st.tuples(
    st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9_.-]{0,6}", fullmatch=True).filter(
        lambda n: n not in ("v", "rua")
    ),
    st.from_regex(r"[!-:<>-~]{1,8}", fullmatch=True),
)
records = st.builds(
    TlsRptRecord,
    st.lists(tlsrpt_uris, min_size=1, max_size=3).map(tuple),
    st.lists(_ext, max_size=2, unique_by=lambda t: t[0]).map(tuple),
)


@given(records)
def test_parse_inverts_render(record: TlsRptRecord) -> None:
    assert parse(render(record)) == record
    assert render(parse(render(record))) == render(record)


def test_exact_text() -> None:
    text = "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.com/tlsrpt"
    record = parse(text)
    assert record.rua == (
        ReportUri("mailto:tlsrpt@example.com"),
        ReportUri("https://reports.example.com/tlsrpt"),
    )
    assert render(record) == text
    assert parse("v=TLSRPTv1 ;rua=mailto:a@example.com , mailto:b@example.com;") == TlsRptRecord(
        (ReportUri("mailto:a@example.com"), ReportUri("mailto:b@example.com"))
    )
    assert is_tlsrpt_record(text)
    assert not is_tlsrpt_record("v=TLSRPTv2; rua=mailto:a@example.com")
    assert owner_name("") == "_smtp._tls"
    assert owner_name("mail") == "_smtp._tls.mail"


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("v=TLSRPTv1", 0, "no rua="),
        ("v=TLSRPTv1; rua=", 12, "rua= has no value"),
        ("v=TLSRPTv1; rua=tlsrpt@example.com", 16, "not a mailto: or https: URI"),
        ("v=TLSRPTv1; rua=mailto:a@example.com,,mailto:b@example.com", 37, "empty URI"),
        ("v=TLSRPTv1; rua=http://example.com/x", 16, "not a mailto: or https: URI"),
        ("v=tlsrptv1; rua=mailto:a@example.com", 0, "must start with v=TLSRPTv1"),
        ("v = TLSRPTv1; rua=mailto:a@example.com", 0, "must start with v=TLSRPTv1"),
        ("rua=mailto:a@example.com", 0, "must start with v=TLSRPTv1"),
        ("v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com", 38, "duplicate tag"),
        ("v=TLSRPTv1; rua=mailto:a@example.com; -x=1", 38, "invalid tag name"),
    ],
)
def test_bad_records_point_at_the_tag(text: str, column: int, message: str) -> None:
    with pytest.raises(TlsRptSyntaxError, match=re.escape(message)) as caught:
        parse(text)
    assert caught.value.column == column, caught.value.message
