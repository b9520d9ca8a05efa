"""mta_sts: through load, compile, `dnsspec mta-sts policy` and plan."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.compile import compile_zone
from dnsspec.errors import SpecError
from dnsspec.spec.load import load_zone

SPEC = """\
spf: none
mta_sts: {mode: enforce}
records:
  "":
    type: MX
    values:
      - {preference: 10, exchange: mx1.example.com.}
      - {preference: 20, exchange: mx2.example.com.}
  eu: {type: MX, value: {preference: 10, exchange: in.mx.example.net.}}
subdomains:
  eu:
    mta_sts: {mode: testing, mx: ["*.mx.example.net"], max_age: 86400}
"""
POLICY = b"version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\nmax_age: 604800\r\n"  # noqa: E501


def _run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout_bytes, result.stderr


def _project(tmp: Path, monkeypatch: pytest.MonkeyPatch, spec: str = SPEC) -> Path:
    monkeypatch.chdir(tmp)
    (tmp / "zones").mkdir(exist_ok=True)
    file = tmp / "zones" / "example.com.yaml"
    file.write_text(spec)
    return file


def test_record_id_is_the_hash_of_the_policy_file_the_cli_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = _project(tmp_path, monkeypatch)
    records = {(r.name, r.type): r.values for r in compile_zone(load_zone(file))}
    code, out, err = _run("mta-sts", "policy", "example.com")
    assert (code, err) == (0, "")
    assert out == POLICY  # the MX hosts of the apex, CRLF, in the spec's order
    expected = hashlib.sha256(POLICY).hexdigest()[:32]
    assert records[("_mta-sts", "TXT")] == (f"v=STSv1; id={expected}",)
    eu = _run("mta-sts", "policy", "eu.example.com.")[1]
    assert eu == b"version: STSv1\r\nmode: testing\r\nmx: *.mx.example.net\r\nmax_age: 86400\r\n"
    assert records[("_mta-sts.eu", "TXT")] == (
        f"v=STSv1; id={hashlib.sha256(eu).hexdigest()[:32]}",
    )
    code, out, _ = _run("mta-sts", "policy", "--out", "site")
    assert code == 0
    assert (tmp_path / "site/example.com/.well-known/mta-sts.txt").read_bytes() == POLICY
    assert (tmp_path / "site/eu.example.com/.well-known/mta-sts.txt").read_bytes() == eu
    code, _, err = _run("mta-sts", "policy", "other.example")
    assert code == 2 and "no spec writes an MTA-STS policy for other.example" in err


@settings(max_examples=30, deadline=None)
@given(st.integers(86400, 31557600), st.sampled_from(["enforce", "testing", "none"]))
def test_the_id_changes_exactly_when_the_policy_does(max_age: int, mode: str) -> None:
    from dnsspec.spec.kinds.mta_sts import MtaStsValue

    base = MtaStsValue("enforce", ("mx1.example.com",), 604800)
    other = MtaStsValue(mode, ("mx1.example.com",), max_age)  # type: ignore[arg-type]
    same_file = base.policy_file() == other.policy_file()
    assert (base.record_text() == other.record_text()) == same_file


@pytest.mark.parametrize(
    ("body", "line", "col", "fragment"),
    [
        ("mta_sts: {mode: strict}\n", 1, 17, "enforce"),
        ("mta_sts: {mode: enforce, max_age: week}\n", 1, 35, "integer"),
        ("mta_sts: {mode: enforce, max_age: 40000000}\n", 1, 35, "max_age"),
        ("mta_sts: {mode: enforce, mx: [mx.*.example.com]}\n", 1, 31, "mx pattern"),
        (
            "mta_sts: {mode: enforce}\nrecords:\n"
            "  _mta-sts: {type: TXT, value: 'v=STSv1\\; id=1'}\n",
            3,
            32,
            "conflicts",
        ),
    ],
)
def test_bad_input_is_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, line: int, col: int, fragment: str
) -> None:
    file = _project(tmp_path, monkeypatch, body)
    with pytest.raises(SpecError) as caught:
        load_zone(file)
    found = [(p.location.line, p.location.col, p.message) for p in caught.value.problems]
    assert len(found) == 1 and found[0][:2] == (line, col), found
    assert fragment in found[0][2]


CONFIG = """\
providers:
  spec: {class: dnsspec.octodns.SpecSource, directory: ./zones}
  live:
    class: octodns.provider.yaml.YamlProvider
    directory: ./.dnsspec-live
    default_ttl: 3600
    enforce_order: false
    escaped_semicolons: false
    root_ns_warnings: false
zones:
  example.com.:
    sources: [spec]
    targets: [live]
"""


def test_plan_says_serve_the_policy_file_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, monkeypatch)
    (tmp_path / "providers.yaml").write_text(CONFIG)
    (tmp_path / ".dnsspec-live").mkdir()
    live = {"_mta-sts": {"type": "TXT", "value": "v=STSv1; id=20250101"}}
    (tmp_path / ".dnsspec-live" / "example.com.yaml").write_text(yaml.safe_dump(live))
    code, out, err = _run("plan")
    assert (code, err) == (0, "")
    new_id = hashlib.sha256(POLICY).hexdigest()[:32]
    text = out.decode()
    # the suite runs with DNSSPEC_MTA_STS_FETCH=0 (tests/conftest.py): the old policy is
    # not fetched, and the plan says so (tests/probe/test_plan_mta_sts.py fetches it)
    assert (
        "    example.com: id changed (old policy not fetched: the fetch is off, "
        "--no-mta-sts-fetch; serve the new policy file first)\n"
    ) in text
    assert f'+ "v=STSv1; id={new_id}"' in text
    assert "eu.example.com: policy published: mode testing, id " in text
    assert _run("apply", "--yes")[0] == 0
    assert _run("plan", "--exit-code")[0] == 0
