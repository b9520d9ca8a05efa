"""Hostile spec input (issue 8, items 13-15): each class, with more than one example.

Whatever the file, ``dnsspec compile`` and ``dnsspec lint`` end in exit 2 with
located problems (``file:line:col``), a hint, and no traceback; none runs past
a documented bound (docs/spec-language.md, "Limits").
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.spec.source import MAX_DEPTH

runner = CliRunner()


def cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def refused(target: Path) -> str:
    """Both commands refuse the input the same way; the compile output is returned."""
    code, output = cli("compile", str(target))
    assert code == 2, output
    lint_code, lint_output = cli("lint", str(target))
    assert lint_code == 2, lint_output
    return output


def zones(tmp_path: Path, **files: str) -> Path:
    directory = tmp_path / "zones"
    directory.mkdir()
    for name, text in files.items():
        (directory / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return directory


# --- nesting: a located error at the first level past MAX_DEPTH, never RecursionError ---


def _flow(depth: int) -> str:
    return "spf:\n  modifiers: " + "[" * depth + "]" * depth + "\n"


def _block(depth: int) -> str:
    lines = ["records:", "  x:"]
    lines += ["  " * (i + 2) + f"k{i}:" for i in range(depth)]
    return "\n".join(lines) + "\n" + "  " * (depth + 2) + "leaf\n"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (_flow(MAX_DEPTH + 5), 2),
        (_flow(400), 2),  # the 800-byte file of the issue
        (_flow(50_000), 2),  # past the interpreter's recursion limit
        ("# a\ttab sends the file to PyYAML's own parser\n" + _flow(5_000), 3),
        (_block(300), MAX_DEPTH + 2),
        ("a: &x " + "{k: " * 200 + "1" + "}" * 200 + "\nb: *x\n", 1),
    ],
    ids=["flow-just-past", "flow-400", "flow-50000", "pure-python-parser", "block", "alias"],
)
def test_deep_nesting_is_a_located_error(tmp_path: Path, text: str, line: int) -> None:
    output = refused(zones(tmp_path, example_com_yaml=text))
    assert f"example.com.yaml:{line}:" in output
    assert f"invalid YAML: nested more than {MAX_DEPTH} levels deep" in output


def test_nesting_within_the_bound_is_an_ordinary_problem(tmp_path: Path) -> None:
    output = refused(zones(tmp_path, example_com_yaml=_flow(MAX_DEPTH - 3)))
    assert "nested more than" not in output
    assert "spf.modifiers: expected a mapping" in output


# --- symlinks: every broken one is reported, with the file's name ----------------------


def test_broken_symlinks_in_zones_are_located_errors(tmp_path: Path) -> None:
    directory = zones(tmp_path, example_com_yaml="spf: none\n")
    os.symlink("self.example.yaml", directory / "self.example.yaml")
    os.symlink("b.example.yaml", directory / "a.example.yaml")
    os.symlink("a.example.yaml", directory / "b.example.yaml")
    os.symlink("nowhere.yaml", directory / "dangling.example.yaml")
    os.symlink(tmp_path / "missing" / "x.yaml", directory / "absolute.example.yaml")
    output = refused(directory)
    hint = "hint: point the symlink at a spec file, or remove it"
    for line in (
        "absolute.example.yaml:1:1: error: cannot read: a symlink to",
        "a.example.yaml:1:1: error: cannot read: a symlink loop (-> b.example.yaml)",
        "b.example.yaml:1:1: error: cannot read: a symlink loop (-> a.example.yaml)",
        "dangling.example.yaml:1:1: error: cannot read: a symlink to nowhere.yaml, which does "
        "not exist",
        "self.example.yaml:1:1: error: cannot read: a symlink to itself (-> self.example.yaml)",
    ):
        assert line in output
    assert output.count(hint) == 5


def test_a_broken_symlink_given_as_the_path(tmp_path: Path) -> None:
    os.symlink("itself.example.yaml", tmp_path / "itself.example.yaml")
    output = refused(tmp_path / "itself.example.yaml")
    assert "itself.example.yaml:1:1: error: cannot read: a symlink to itself" in output


def test_a_good_symlink_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text("spf: none\n")
    directory = zones(tmp_path)
    os.symlink(tmp_path / "real.yaml", directory / "example.com.yaml")
    code, output = cli("compile", str(directory), "--format", "zone")
    assert code == 0, output
    assert '@ 3600 IN TXT "v=spf1 -all"' in output
