"""docs/architecture.md stays true: every module it names (outside the checklist) exists."""

from __future__ import annotations

import re
from pathlib import Path

from dnsspec.kinds import Kind

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "architecture.md").read_text()


def test_every_module_named_exists() -> None:
    built = DOC.partition("## How to add a record kind")[0]
    named = set(re.findall(r"`(dnsspec/[\w/]+(?:\.py)?)`", built))
    named |= {f"dnsspec/{m}" for m in re.findall(r"`((?:spec|compile)/\w+\.py)`", built)}
    assert len(named) > 10
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert not missing


def test_the_checklists_table_line_is_a_kind() -> None:
    line = re.search(r"`(Kind\(.*?\))`", DOC, re.S)
    assert line is not None
    fields = re.findall(r'"([^"]*)"', line.group(1))
    kind = Kind(*fields)
    assert kind.owner_name("lists") == "_dmarc.lists"
