"""The plan of a generated 300-zone portfolio equals the stored one, byte for byte.

Issue 16's "no behaviour change" proof: the fixture (``data/plan_300.*.gz``) was
recorded from main before the sync and performance work; every refactoring must
print the same plan in every format. ``DNSSPEC_RECORD_PLAN_FIXTURE=1`` rewrites
the fixture (only when the plan is meant to change: say why in the commit).
"""

from __future__ import annotations

import difflib
import gzip
import os
from pathlib import Path

import pytest
from scale import write_portfolio
from typer.testing import CliRunner

from dnsspec.cli import app

DATA = Path(__file__).parent / "data"


def _compare(name: str, actual: str) -> None:
    path = DATA / f"plan_300.{name}.gz"
    if os.environ.get("DNSSPEC_RECORD_PLAN_FIXTURE") == "1":
        path.write_bytes(gzip.compress(actual.encode("utf-8"), mtime=0))
    expected = gzip.decompress(path.read_bytes()).decode("utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), "fixture", "now", lineterm="", n=2
        )
        pytest.fail(f"the {name} plan differs from {path.name}:\n" + "\n".join(list(diff)[:60]))


def test_plan_of_300_zones_is_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    zones = write_portfolio(tmp_path, 300)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["plan", "--format", "json"])
    assert (result.exit_code, result.stderr) == (0, "")
    _compare("json", result.stdout)

    from dnsspec.sync import open_session, plan
    from dnsspec.sync.render import to_markdown, to_text

    shown = plan(open_session("providers.yaml"))
    assert shown.zones == tuple(zones)
    _compare("txt", to_text(shown) + "\n")
    _compare("md", to_markdown(shown) + "\n")
    # the portfolio exercises every part of the plan
    counts = {a: sum(t.counts[a] for t in shown.targets) for a in ("create", "update", "delete")}
    assert all(counts.values()), counts
    assert any(t.kept_records for t in shown.targets)
    assert any(c.kept for t in shown.targets for c in t.changes)
    assert any(s.lookups_after and s.lookups_after.at_least for t in shown.targets for s in t.spf)
    assert any(s.deauthorized for t in shown.targets for s in t.spf)
