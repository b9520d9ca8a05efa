"""docs/testing.md stays true: its spec example's assertions hold, its lock example answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.lock import parse_lock

DOC = Path(__file__).parents[2] / "docs" / "testing.md"


def blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(), re.S)


def test_the_spec_example_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
    Path("zones/example.com.yaml").write_text(blocks()[0])
    result = CliRunner().invoke(app, ["test"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("6 assertions: 6 pass, 0 fail, 0 unresolved\n")


def test_the_lock_example_is_a_version_2_lock() -> None:
    lock = parse_lock(blocks()[1])
    assert lock.version == 2
    assert dict(lock.names["out.provider.example"].answers) == {
        "A": ("198.51.100.7",),
        "AAAA": ("2001:db8:5::7",),
    }
