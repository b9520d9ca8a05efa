"""`dnsspec lint` end to end for the mail-flow rules (issue #10): null MX (MX1), TLS-RPT
(TLSRPT1) and DMARC alignment, each firing and not firing, in the text and JSON formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lint_helpers import write_zones
from typer.testing import CliRunner

from dnsspec.cli import app

MX_HOST = "{preference: 10, exchange: mx1.example.com.}"
NULL = "{preference: 0, exchange: .}"
RPT = "tls_rpt: {rua: [mailto:tls@example.com]}\n"

# code -> (a spec where the rule fires, the (line, col) of the finding, a spec where it does not)
CASES: dict[str, tuple[str, tuple[int, int], str]] = {
    "DMARC109": (
        "dmarc: {policy: reject}\nsubdomains:\n  www: {spf: none}\n",
        (1, 8),
        "spf: {mechanisms: [include:_spf.provider.example], all: fail}\n"
        "dmarc: {policy: reject}\nsubdomains:\n  www: {spf: none}\n",
    ),
    "MX101": (
        f'spf: none\n{RPT}records:\n  "": {{type: MX, values: [{NULL}, {MX_HOST}]}}\n',
        (4, 7),
        f'spf: none\n{RPT}records:\n  "": {{type: MX, values: [{MX_HOST}]}}\n',
    ),
    "MX102": (
        "mx: none\nspf: {mechanisms: [include:_spf.provider.example], all: fail}\n",
        (2, 6),
        "mx: none\nspf: none\n",
    ),
    "TLSRPT101": (
        f'spf: none\nrecords:\n  "": {{type: MX, values: [{MX_HOST}]}}\n',
        (3, 7),
        f'spf: none\n{RPT}records:\n  "": {{type: MX, values: [{MX_HOST}]}}\n',
    ),
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def lint(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["lint", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize("code", sorted(CASES))
def test_the_rule_fires_in_text_and_json(project: Path, code: str) -> None:
    spec, (line, col), _ = CASES[code]
    write_zones(project, {"example.com": spec})
    exit_code, out = lint("--select", code, "--fail-on", "warning")
    assert out.startswith(f"zones/example.com.yaml:{line}:{col}: {code} ["), out
    assert "\n    hint: " in out and "Traceback" not in out
    severity = out.split("[", 1)[1].split("]", 1)[0]
    assert exit_code == (0 if severity == "info" else 1)
    exit_code, out = lint("--select", code, "--format", "json")
    found = json.loads(out)["findings"]
    assert [(f["code"], f["line"], f["col"], f["severity"]) for f in found] == [
        (code, line, col, severity)
    ]
    assert found[0]["hint"]


@pytest.mark.parametrize("code", sorted(CASES))
def test_the_rule_is_quiet_on_the_fixed_spec(project: Path, code: str) -> None:
    write_zones(project, {"example.com": CASES[code][2]})
    assert lint("--select", code, "--fail-on", "warning") == (0, "No problems found.\n")
    exit_code, out = lint("--select", code, "--format", "json")
    assert exit_code == 0 and json.loads(out)["findings"] == []


def test_mx_none_beside_records_mx_stays_invalid_input_not_a_finding(project: Path) -> None:
    # the loader refuses it (RFC 7505 §3); MX101 is for the records:-only case
    spec = f'mx: none\nrecords:\n  "": {{type: MX, value: {MX_HOST}}}\n'
    write_zones(project, {"example.com": spec})
    exit_code, out = lint("--format", "json")
    assert exit_code == 2
    assert [f["code"] for f in json.loads(out)["findings"]] == ["SPEC000"]


def test_the_bundled_zones_have_no_mail_flow_findings() -> None:
    zones = Path(__file__).parents[2] / "zones"
    exit_code, out = lint(str(zones), "--select", "MX1,TLSRPT1,DMARC109", "--format", "json")
    assert exit_code == 0 and json.loads(out)["findings"] == []


KEY = "KOpYeIOO8dMaUsvdBiGCrU/m+OsYEuy6DZRCn6Rgh2M="
# DMARC109's decisions: (specs, the names whose _dmarc it flags)
ALIGNMENT: dict[str, tuple[dict[str, str], list[str]]] = {
    "no spf and no dkim": ({"example.com": "dmarc: {policy: none}\n"}, ["example.com"]),
    "softfail alone authorizes nobody": (
        {"example.com": 'spf: "v=spf1 ~all"\ndmarc: {policy: reject}\n'},
        ["example.com"],
    ),
    "a mechanism after all is never evaluated": (
        {"example.com": 'spf: "v=spf1 ~all ip4:192.0.2.1"\ndmarc: {policy: reject}\n'},
        ["example.com"],
    ),
    "spf: none says the domain sends no mail": (
        {"example.com": "spf: none\ndmarc: {policy: reject}\n"},
        [],
    ),
    "a dkim key aligns": (
        {
            "example.com": "dmarc: {policy: reject}\n"
            f"dkim: {{s1: {{key_type: ed25519, public_key: {KEY}}}}}\n"
        },
        [],
    ),
    "a revoked selector aligns nothing": (
        {"example.com": "dmarc: {policy: reject}\ndkim: {s1: {revoked: true}}\n"},
        ["example.com"],
    ),
    "a raw key under records: aligns": (
        {
            "example.com": "dmarc: {policy: reject}\nrecords:\n"
            f"  s2._domainkey: {{type: TXT, value: 'v=DKIM1\\; k=ed25519\\; p={KEY}'}}\n"
        },
        [],
    ),
    "relaxed: a subdomain's spf aligns with the apex": (
        {
            "example.com": "dmarc: {policy: reject}\nsubdomains:\n"
            "  bounce: {spf: {redirect: x.example}}\n"
        },
        [],
    ),
    "strict: only the domain or a name inheriting its policy": (
        {
            "example.com": "dmarc: {policy: reject, aspf: strict}\nsubdomains:\n"
            "  eu:\n    dmarc: {policy: reject}\n    spf: {mechanisms: [a], all: fail}\n"
        },
        ["example.com"],
    ),
    "strict: a subdomain without _dmarc falls back to the apex's": (
        {
            "example.com": "dmarc: {policy: reject, aspf: strict}\nsubdomains:\n"
            "  eu:\n    spf: {mechanisms: [a], all: fail}\n"
        },
        [],
    ),
    "a subdomain's own policy sees the apex's spf (relaxed)": (
        {
            "example.com": "spf: {mechanisms: [mx], all: fail}\ndmarc: {policy: reject}\n"
            "subdomains:\n  eu: {dmarc: {policy: reject}}\n"
        },
        [],
    ),
    "another organization's spf does not align": (
        {
            "example.com": "dmarc: {policy: reject}\n",
            "example.net": "spf: {mechanisms: [mx], all: fail}\n",
        },
        ["example.com"],
    ),
}


@pytest.mark.parametrize("case", sorted(ALIGNMENT))
def test_what_can_align_with_a_dmarc_policy(project: Path, case: str) -> None:
    specs, flagged = ALIGNMENT[case]
    write_zones(project, specs)
    exit_code, out = lint("--select", "DMARC109", "--format", "json")
    assert exit_code == 0, out
    found = json.loads(out)["findings"]
    assert [f["message"].split(":", 1)[0] for f in found] == [f"_dmarc.{n}" for n in flagged]
