"""TLSA rdata parse/render: inverses, ranges, hex length per matching type."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnsspec.tlsa.syntax import (
    FULL_MATCHING_HINT,
    Tlsa,
    TlsaSyntaxError,
    octodns_value,
    owner_name,
    parse,
    render,
)

DIGEST = "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1"


@st.composite
def tlsas(draw: st.DrawFn) -> Tlsa:
    matching = draw(st.sampled_from([1, 2]))
    data = draw(st.binary(min_size=32 * matching, max_size=32 * matching)).hex()
    return Tlsa(draw(st.sampled_from([0, 1, 2, 3])), draw(st.sampled_from([0, 1])), matching, data)


@given(tlsas())
def test_parse_inverts_render(record: Tlsa) -> None:
    assert parse(render(record)) == record
    assert render(parse(render(record))) == render(record)


@given(tlsas(), st.integers(min_value=1, max_value=16))
def test_hex_split_by_spaces_and_upper_case_parse_to_the_same(record: Tlsa, size: int) -> None:
    pieces = [record.data[i : i + size].upper() for i in range(0, len(record.data), size)]
    text = f"{record.usage}  {record.selector}\t{record.matching} " + " ".join(pieces)
    assert parse(text) == record


def test_exact_text_and_octodns_value() -> None:
    record = parse(f"3 1 1 {DIGEST}")
    assert record == Tlsa(3, 1, 1, DIGEST)
    assert render(record) == f"3 1 1 {DIGEST}"
    assert octodns_value(record) == {
        "certificate_usage": 3,
        "selector": 1,
        "matching_type": 1,
        "certificate_association_data": DIGEST,
    }
    assert owner_name("mx1") == "_25._tcp.mx1"
    assert owner_name("", 465) == "_465._tcp"


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        (f"4 1 1 {DIGEST}", 0, "usage 4 is out of range"),
        (f"3 2 1 {DIGEST}", 2, "selector 2 is out of range"),
        (f"3 1 3 {DIGEST}", 4, "matching 3 is out of range"),
        (f"3 x 1 {DIGEST}", 2, "selector 'x' is not a number"),
        (f"03 1 1 {DIGEST}", 0, "usage '03' is not a number"),
        (f"3 1 1 {DIGEST[:-2]}", 6, "has 62 hex digits; matching 1 (SHA-256) needs exactly 64"),
        (f"3 1 2 {DIGEST}", 6, "needs exactly 128"),
        (f"3 1 1 {DIGEST[:-1]}g", 6, "found the character 'g'"),
        ("3 1 1", 4, "four fields"),
        ("", 0, "found 0"),
    ],
)
def test_bad_records_point_at_the_field(text: str, column: int, message: str) -> None:
    with pytest.raises(TlsaSyntaxError, match=re.escape(message)) as caught:
        parse(text)
    assert caught.value.column == column


def test_matching_zero_is_refused_with_the_octodns_hint() -> None:
    with pytest.raises(TlsaSyntaxError, match="matching type 0") as caught:
        parse("3 1 0 3059301306072a8648ce3d020106082a8648ce3d03010703420004")
    assert caught.value.hint == FULL_MATCHING_HINT
    assert "AXFR" in FULL_MATCHING_HINT
    assert caught.value.column == 4


def test_constructor_checks_values() -> None:
    with pytest.raises(TlsaSyntaxError, match="usage 5"):
        Tlsa(5, 1, 1, DIGEST)
    with pytest.raises(TlsaSyntaxError, match="lower-case"):
        Tlsa(3, 1, 1, DIGEST.upper())
    with pytest.raises(TlsaSyntaxError, match="usage True"):
        Tlsa(True, 1, 1, DIGEST)
