"""DMARC record parse/render: inverses, validation with columns, legacy and unknown tags."""

from __future__ import annotations

import re

import pytest
from dmarc_strategies import dmarc_records
from hypothesis import given
from hypothesis import strategies as st

from dnsspec.dmarc.syntax import (
    DmarcRecord,
    DmarcSyntaxError,
    ReportUri,
    is_dmarc_record,
    parse,
    render,
    without_extra,
)


@given(dmarc_records())
def test_parse_inverts_render(record: DmarcRecord) -> None:
    text = render(record)
    assert parse(text) == record
    assert render(parse(text)) == text


@given(dmarc_records(), st.data())
def test_spacing_case_and_trailing_separator_do_not_change_the_meaning(
    record: DmarcRecord, data: st.DataObject
) -> None:
    text = render(record)
    tags = text.split("; ")
    seps = [data.draw(st.sampled_from([";", "; ", " ;", " ;  ", ";\t"])) for _ in tags[1:]]
    messy = tags[0] + "".join(sep + tag for sep, tag in zip(seps, tags[1:], strict=True))
    messy += data.draw(st.sampled_from(["", ";", "; "]))
    # tag names of the known tags in upper case parse the same (ABNF is case-insensitive)
    known = ("p=", "sp=", "adkim=", "aspf=")
    if data.draw(st.booleans()):
        for tag in known:
            messy = messy.replace("; " + tag, "; " + tag.upper())
    assert parse(messy) == record


def test_canonical_order_and_exact_text() -> None:
    text = (
        "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=n; t=y; adkim=s; aspf=r; "
        "fo=1:d; rua=mailto:dmarc@example.com,https://reports.example.net/dmarc; "
        "ruf=mailto:forensic@example.com"
    )
    record = parse(text)
    assert record.policy == "reject"
    assert record.rua == (
        ReportUri("mailto:dmarc@example.com"),
        ReportUri("https://reports.example.net/dmarc"),
    )
    assert render(record) == text
    shuffled = "v=DMARC1; rua=mailto:a@example.com; sp=none; p=quarantine"
    assert render(parse(shuffled)) == "v=DMARC1; p=quarantine; sp=none; rua=mailto:a@example.com"


def test_rfc7489_record_with_legacy_and_unknown_tags_is_accepted_and_flagged() -> None:
    text = "v=DMARC1; p=quarantine; pct=50; rf=afrf; ri=86400; bimi=x; rua=mailto:d@example.com!10m"
    record = parse(text)
    assert record.legacy_tags == (("pct", "50"), ("rf", "afrf"), ("ri", "86400"))
    assert record.unknown_tags == (("bimi", "x"),)
    assert record.sized_uris == (ReportUri("mailto:d@example.com", "10m"),)
    assert without_extra(record).extra == ()
    assert (
        render(record) == "v=DMARC1; p=quarantine; rua=mailto:d@example.com!10m; "
        "pct=50; rf=afrf; ri=86400; bimi=x"
    )


def test_missing_p_follows_rfc9989() -> None:
    assert parse("v=DMARC1; rua=mailto:d@example.com").effective_policy == "none"
    assert parse("v=DMARC1; psd=y").policy is None
    with pytest.raises(DmarcSyntaxError, match="RFC 9989 allows that only beside rua=") as caught:
        parse("v=DMARC1; sp=reject")
    assert caught.value.hint is not None and "p=none" in caught.value.hint


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("v=DMARC1; p=rejct", 10, "p=rejct: unknown policy"),
        ("v=DMARC1; p=reject; sp=block", 20, "sp=block: unknown policy"),
        ("v=DMARC1; p=none; psd=x", 18, "psd=x: unknown psd value"),
        ("v=DMARC1; p=none; fo=2", 18, "unknown failure-reporting option '2'"),
        ("v=DMARC1; p=none; fo=0:1", 18, "0 and 1 are mutually exclusive"),
        ("v=DMARC1; p=none; fo=d:d", 18, "listed twice"),
        ("v=DMARC1; p=none; adkim=relaxed", 18, "adkim=relaxed: unknown alignment mode"),
        ("v=DMARC1; p=none; rua=dmarc@example.com", 22, "is not a mailto: or https: URI"),
        ("v=DMARC1; p=none; rua=ftp://example.com/x", 22, "is not a mailto: or https: URI"),
        ("v=DMARC1; p=none; rua=mailto:", 22, "mailto: URI has no address"),
        ("v=DMARC1; p=none; rua=mailto:@example.com", 29, "has no valid address"),
        ("v=DMARC1; p=none; rua=mailto:a@example..com", 31, "invalid domain"),
        ("v=DMARC1; p=none; rua=mailto:a@b.example,c@b.example", 41, "a bare ',' separates"),
        ("v=DMARC1; p=none; rua=mailto:a!b@example.com", 30, "must be written %21"),
        ("v=DMARC1; p=none; rua=mailto:a@example.com,", 43, "empty URI"),
        ("v=DMARC1; p=none; ruf=https:///x", 22, "has no host"),
        ("v=DMARC1; p=none; p=reject", 18, "duplicate tag 'p'"),
        ("v=DMARC1; p=none;; rua=mailto:a@example.com", 17, "empty tag"),
        ("v=DMARC1; p=none; rua", 18, "has no '='"),
        ("v=DMARC1; p=none; t=", 18, "t= has no value"),
        ("v=DMARC1; p=none; V=DMARC1", 18, "duplicate tag 'V'"),
        ("v=DMARC1; p=none; P=reject", 18, "duplicate tag 'P'"),
        ("v=dmarc1; p=none", 0, "must start with v=DMARC1"),
        ("p=none; v=DMARC1", 0, "must start with v=DMARC1"),
        ("v=DMARC1", 0, "no p= policy"),
        ("", 0, "the record is empty"),
        ("v=DMARC1; p=none; x=é", 20, "invalid character"),
    ],
)
def test_bad_records_point_at_the_tag(text: str, column: int, message: str) -> None:
    with pytest.raises(DmarcSyntaxError, match=re.escape(message)) as caught:
        parse(text)
    assert caught.value.column == column, caught.value.message


def test_hints_are_valid_replacements() -> None:
    with pytest.raises(DmarcSyntaxError) as caught:
        parse("v=DMARC1; p=rejct")
    assert caught.value.hint == "p=reject"
    parse(f"v=DMARC1; {caught.value.hint}")
    with pytest.raises(DmarcSyntaxError) as caught:
        parse("v=DMARC1; p=none; rua=dmarc@example.com")
    assert caught.value.hint == "mailto:dmarc@example.com"
    parse(f"v=DMARC1; p=none; rua={caught.value.hint}")
    with pytest.raises(DmarcSyntaxError) as caught:
        parse("v=DMARC1; p=none; rua=mailto:a!b@example.com")
    assert caught.value.hint == "mailto:a%21b@example.com"
    parse(f"v=DMARC1; p=none; rua={caught.value.hint}")


def test_selection_and_derived_facts() -> None:
    assert is_dmarc_record("v=DMARC1; p=none")
    assert is_dmarc_record("v = DMARC1")
    assert not is_dmarc_record("v=DMARC10; p=none")
    assert not is_dmarc_record("v=spf1 -all")
    assert parse("v=DMARC1; p=reject; sp=none; np=quarantine").weaker_than_p() == ("sp", "np")
    assert parse("v=DMARC1; p=none; sp=reject").weaker_than_p() == ()
    uri = parse("v=DMARC1; p=none; rua=mailto:agg@Reports.Example.NET").rua[0]
    assert uri.domain == "reports.example.net"
    assert ReportUri("https://r.example.org:8443/x").domain == "r.example.org"
