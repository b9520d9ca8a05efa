"""Helpers for lint tests: write spec files into a scratch zones/ directory and lint them."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from dnsspec.lint import Finding, run_lint
from dnsspec.spec.load import load_zones

LintSpecs = Callable[..., list[Finding]]


def write_zones(root: Path, specs: Mapping[str, str]) -> Path:
    zones = root / "zones"
    zones.mkdir(parents=True, exist_ok=True)
    for zone, text in specs.items():
        (zones / f"{zone}.yaml").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return zones


@pytest.fixture
def lint_specs(tmp_path: Path) -> LintSpecs:
    """``lint_specs({"example.com": "spf: none"}, select=["SPF1"])`` → findings."""

    def run(specs: Mapping[str, str], **kwargs: object) -> list[Finding]:
        zones = load_zones([write_zones(tmp_path, specs)])
        return run_lint(zones, **kwargs)  # type: ignore[arg-type]

    return run
