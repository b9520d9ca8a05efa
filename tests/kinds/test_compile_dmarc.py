"""dmarc: and tls_rpt: through the whole pipeline: load, sites, compile, the TXT merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from dnsspec.compile import compile_zone, to_zone_file
from dnsspec.errors import SpecError
from dnsspec.spec.load import load_zone


def _zone(tmp_path: Path, text: str) -> str:
    file = tmp_path / "example.com.yaml"
    file.write_text(text)
    return to_zone_file(compile_zone(load_zone(file)))


def _problems(tmp_path: Path, text: str) -> list[tuple[int, int, str]]:
    file = tmp_path / "example.com.yaml"
    file.write_text(text)
    with pytest.raises(SpecError) as caught:
        load_zone(file)
    return [(p.location.line, p.location.col, p.message) for p in caught.value.problems]


def test_mapping_raw_and_merge_compile_exactly(tmp_path: Path) -> None:
    text = """\
spf: none
dmarc:
  policy: reject
  subdomain_policy: quarantine
  testing: true
  fo: ["1", d]
  rua: [mailto:dmarc@example.com, "mailto:agg@reports.example.net"]
  ruf: [mailto:forensic@example.com]
tls_rpt:
  rua: [mailto:tlsrpt@example.com, https://reports.example.com/tlsrpt]
subdomains:
  eu:
    dmarc: "v=DMARC1;p=none;  pct=50; rua=mailto:eu@example.com!10m"
    tls_rpt: "v=TLSRPTv1;rua=mailto:tlsrpt@example.com"
  gone: {dmarc: unset, tls_rpt: unset}
records:
  _dmarc: {type: TXT, value: "google-site-verification=abc"}
"""
    assert _zone(tmp_path, text) == (
        "$ORIGIN example.com.\n"
        '@ 3600 IN TXT "v=spf1 -all"\n'
        '_dmarc 3600 IN TXT "v=DMARC1; p=reject; sp=quarantine; t=y; fo=1:d; '
        "rua=mailto:dmarc@example.com,mailto:agg@reports.example.net; "
        'ruf=mailto:forensic@example.com"\n'
        '_dmarc 3600 IN TXT "google-site-verification=abc"\n'
        '_smtp._tls 3600 IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,'
        'https://reports.example.com/tlsrpt"\n'
        '_dmarc.eu 3600 IN TXT "v=DMARC1;p=none;  pct=50; rua=mailto:eu@example.com!10m"\n'
        '_smtp._tls.eu 3600 IN TXT "v=TLSRPTv1;rua=mailto:tlsrpt@example.com"\n'
    )


def test_sites_carry_the_parsed_records(tmp_path: Path) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text("dmarc: {policy: none}\nsubdomains:\n  eu: {dmarc: unset}\n")
    zone = load_zone(file)
    (site,) = [s for s in zone.sites if s.kind == "dmarc"]
    assert (site.name, site.path, site.value.form) == ("", ("dmarc",), "mapping")
    assert site.value.record.policy == "none"
    assert [(s.kind, s.name) for s in zone.unset_sites] == [("dmarc", "eu")]


def test_a_hand_written_record_beside_the_key_is_refused(tmp_path: Path) -> None:
    text = """\
dmarc: {policy: reject}
subdomains:
  eu: {tls_rpt: unset}
records:
  _dmarc: {type: TXT, values: ["other=1", "v=DMARC1\\\\; p=none"]}
  _smtp._tls.eu: {type: TXT, value: "v=TLSRPTv1\\\\; rua=mailto:t@example.com"}
"""
    found = _problems(tmp_path, text)
    assert [(line, col) for line, col, _ in found] == [(5, 43), (6, 37)]
    assert "conflicts with `dmarc:` at line 1" in found[0][2]
    assert "contradicts `tls_rpt: unset` at line 3" in found[1][2]


def test_bad_values_are_located(tmp_path: Path) -> None:
    found = _problems(
        tmp_path,
        "dmarc: {policy: rejct}\nsubdomains:\n"
        '  eu: {dmarc: "v=DMARC1; p=none; rua=x@example.com"}\n',
    )
    assert [(line, col) for line, col, _ in found] == [(1, 17), (3, 38)]
    assert "subdomains.eu.dmarc: invalid DMARC record at column 23" in found[1][2]


def test_a_mistyped_key_gets_a_did_you_mean(tmp_path: Path) -> None:
    found = _problems(tmp_path, "subdomains:\n  eu: {dmarc: {policy: none, sub_policy: reject}}\n")
    assert found == [(2, 30, "unknown key 'sub_policy' in subdomains.eu.dmarc")]
    file = tmp_path / "example.com.yaml"
    with pytest.raises(SpecError) as caught:
        load_zone(file)
    assert caught.value.problems[0].hint == "did you mean 'subdomain_policy'?"
