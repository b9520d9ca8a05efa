"""``dnsspec compile``: formats, --out, and invalid input (exit 2, every problem, no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dnsspec.cli import app

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "tests" / "data" / "specs"
runner = CliRunner()


def test_json_to_stdout() -> None:
    result = runner.invoke(app, ["compile", str(SPECS / "good")])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["fqdn"], r["type"]) for r in rows] == [
        ("example.org.", "MX"),
        ("example.org.", "TXT"),
        ("news.example.org.", "A"),
        ("news.example.org.", "TXT"),
    ]
    assert rows[1]["values"] == [["v=spf1 mx include:_spf.example.net ~all"], ["token=abc"]]
    assert rows[3]["values"] == [["v=spf1 -all"]]


def test_zone_format() -> None:
    result = runner.invoke(app, ["compile", str(SPECS / "good"), "--format", "zone"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "$ORIGIN example.org.\n"
        "@ 300 IN MX 10 mx.example.org.\n"
        '@ 300 IN TXT "v=spf1 mx include:_spf.example.net ~all"\n'
        '@ 300 IN TXT "token=abc"\n'
        "news 300 IN A 192.0.2.7\n"
        'news 300 IN TXT "v=spf1 -all"\n'
    )


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("octodns", "yaml"), ("json", "json"), ("zone", "zone")]
)
def test_out_directory(tmp_path: Path, fmt: str, suffix: str) -> None:
    out = tmp_path / "build"
    result = runner.invoke(
        app, ["compile", str(ROOT / "zones"), "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == [
        f"example.com.{suffix}",
        f"example.net.{suffix}",
    ]


def test_default_path_is_zones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "example.com.yaml").write_text("spf: none\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["compile", "--format", "zone"])
    assert result.exit_code == 0, result.output
    assert result.stdout == '$ORIGIN example.com.\n@ 3600 IN TXT "v=spf1 -all"\n'


def test_invalid_input_exits_2_with_every_problem() -> None:
    broken = SPECS / "broken"
    result = runner.invoke(app, ["compile", str(broken)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in lines] == [
        f"{broken / 'example.com.yaml'}:4:3",
        f"{broken / 'example.com.yaml'}:5:8",
        f"{broken / 'example.com.yaml'}:9:23",
        f"{broken / 'example.com.yaml'}:11:1",
        f"{broken / 'example.com.yaml'}:13:25",
        f"{broken / 'not-a-zone.yaml'}:1:1",
    ]
    assert "unknown key 'mechanism' in spf" in lines[0]
    assert "hint: did you mean 'mechanisms'?" in result.stderr
    assert "Traceback" not in result.stderr
    # compile changes nothing anyway: "nothing was changed" is apply's phrase (#8 item 12)
    assert result.stderr.endswith("6 problems in the zone specs.\n")


def test_real_process_has_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "example.com.yaml").write_text("spf:\n  all: [\n")
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "dnsspec"), "compile", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"{tmp_path / 'example.com.yaml'}:3:1: error: invalid YAML: ")
    assert "Traceback" not in proc.stderr
