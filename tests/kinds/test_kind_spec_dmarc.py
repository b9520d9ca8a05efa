"""The dmarc: and tls_rpt: spec values: both forms, one model, located errors."""

from __future__ import annotations

import json

import pytest
from dmarc_strategies import dmarc_records, tlsrpt_uris
from hypothesis import given
from hypothesis import strategies as st
from kind_specs import problems, valid

from dnsspec.dmarc.syntax import DmarcRecord, parse, render, without_extra
from dnsspec.spec.kinds.dmarc import DmarcPolicySpec, mapping_of
from dnsspec.spec.kinds.dmarc import site_value as dmarc_value
from dnsspec.spec.kinds.tls_rpt import TlsRptPolicySpec
from dnsspec.spec.kinds.tls_rpt import site_value as tlsrpt_value
from dnsspec.tlsrpt.syntax import render as render_tlsrpt

ISSUE_EXAMPLE = """\
dmarc:
  policy: reject
  subdomain_policy: quarantine
  nonexistent_policy: reject
  psd: n
  testing: true
  adkim: relaxed
  aspf: relaxed
  rua: [mailto:dmarc@example.com, "mailto:agg@reports.example.net"]
  ruf: [mailto:forensic@example.com]
  fo: ["1", d]
tls_rpt:
  rua: [mailto:tlsrpt@example.com, https://reports.example.com/tlsrpt]
"""


def test_issue_example_compiles_exactly() -> None:
    names = valid(ISSUE_EXAMPLE)
    assert names.dmarc is not None and names.tls_rpt is not None
    value = dmarc_value(names.dmarc)
    assert value.form == "mapping"
    assert value.text == (
        "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=n; t=y; adkim=r; aspf=r; fo=1:d; "
        "rua=mailto:dmarc@example.com,mailto:agg@reports.example.net; "
        "ruf=mailto:forensic@example.com"
    )
    assert tlsrpt_value(names.tls_rpt).text == (
        "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.com/tlsrpt"
    )


def test_raw_string_is_kept_byte_for_byte() -> None:
    raw = "v=DMARC1;p=quarantine;  pct=50; rua=mailto:d@example.com!10m;"
    names = valid(f'dmarc: "{raw}"\ntls_rpt: "v=TLSRPTv1;rua=mailto:t@example.com"\n')
    assert names.dmarc is not None and names.tls_rpt is not None
    value = dmarc_value(names.dmarc)
    assert (value.form, value.text) == ("raw", raw)
    assert value.record == parse(raw)
    assert value.record.legacy_tags == (("pct", "50"),)
    assert tlsrpt_value(names.tls_rpt).text == "v=TLSRPTv1;rua=mailto:t@example.com"


@given(dmarc_records())
def test_raw_form_parses_into_the_same_record_and_keeps_the_text(record: DmarcRecord) -> None:
    text = render(record)
    names = valid(f"dmarc: {json.dumps(text)}\n")
    assert names.dmarc == text
    value = dmarc_value(text)
    assert value.record == record and value.text == text


@given(dmarc_records())
def test_mapping_form_round_trips(record: DmarcRecord) -> None:
    record = without_extra(record)
    if record.policy is None or record.testing == "n":
        return  # the mapping form requires policy; t=n it cannot say
    spec = DmarcPolicySpec.model_validate(mapping_of(record))
    assert spec.record() == record
    assert dmarc_value(spec).text == render(record)


@given(st.lists(tlsrpt_uris, min_size=1, max_size=3))
def test_tls_rpt_mapping_round_trips(uris: list) -> None:  # type: ignore[type-arg]
    spec = TlsRptPolicySpec.model_validate({"rua": [u.uri for u in uris]})
    assert tlsrpt_value(spec).text == render_tlsrpt(spec.record())


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("dmarc: {policy: rejct}\n", 1, 17, "expected 'none', 'quarantine' or 'reject'"),
        ("dmarc: {rua: [mailto:a@example.com]}\n", 1, 1, "missing required key 'policy'"),
        ("dmarc: {policy: none, rua: [dmarc@example.com]}\n", 1, 29, "not a mailto: or https:"),
        ("dmarc: {policy: none, rua: ['mailto:']}\n", 1, 30, "mailto: URI has no address"),
        ("dmarc: {policy: none, rua: ['mailto:a!b@x.example']}\n", 1, 38, "must be written %21"),
        ("dmarc: {policy: none, fo: [2]}\n", 1, 28, "expected '0', '1', 'd' or 's'"),
        ("dmarc: {policy: none, fo: ['0', '1']}\n", 1, 27, "mutually exclusive"),
        ("dmarc: {policy: none, psd: x}\n", 1, 28, "expected 'y', 'n' or 'u'"),
        ("dmarc: {policy: none, pct: 50}\n", 1, 23, "unknown key 'pct'"),
        ('dmarc: "v=DMARC1; p=none; sp=bogus"\n', 1, 27, "sp=bogus: unknown policy"),
        ('dmarc: "v=DMARC1; adkim=s"\n', 1, 9, "RFC 9989 allows that only beside rua="),
        ('dmarc: "p=reject"\n', 1, 9, "must start with v=DMARC1"),
        ("dmarc:\n", 1, 7, "no value given"),
        ("dmarc: 5\n", 1, 8, "expected a DMARC policy mapping"),
        ("tls_rpt: {rua: []}\n", 1, 16, "rua lists no report URI"),
        ("tls_rpt: {rua: [tlsrpt@example.com]}\n", 1, 17, "not a mailto: or https:"),
        ('tls_rpt: "v=TLSRPTv1"\n', 1, 11, "no rua="),
    ],
)
def test_bad_input_is_located(text: str, line: int, col: int, message: str) -> None:
    found = problems(text)
    assert len(found) == 1, found
    got_line, got_col, got_message, _hint = found[0]
    assert message in got_message, got_message
    assert (got_line, got_col) == (line, col), got_message
