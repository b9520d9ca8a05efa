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


def test_each_spec_is_parsed_once_and_each_live_zone_read_once_per_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: plan parses each spec once and reads each live zone once (the ownership
    merge reuses the apex NS of that read); apply parses each spec once too."""
    from octodns.provider.yaml import YamlProvider

    import dnsspec.spec.load

    zones = write_portfolio(tmp_path, 40)
    monkeypatch.chdir(tmp_path)
    parsed: list[str] = []
    reads: list[str] = []
    load_zone, populate = dnsspec.spec.load.load_zone, YamlProvider.populate

    def counting_load(file: Path | str) -> object:
        parsed.append(Path(file).name)
        return load_zone(file)

    def counting_populate(self: YamlProvider, zone: object, *args: object, **kw: object) -> object:
        if kw.get("target"):
            reads.append(zone.name)  # type: ignore[attr-defined]
        return populate(self, zone, *args, **kw)

    from dnsspec.octodns.source import SpecSource

    listings: list[str] = []
    list_zones = SpecSource.list_zones

    def counting_list(self: SpecSource) -> list[str]:
        listings.append(str(self.directory))
        return list_zones(self)

    monkeypatch.setattr(dnsspec.spec.load, "load_zone", counting_load)
    monkeypatch.setattr(YamlProvider, "populate", counting_populate)
    monkeypatch.setattr(SpecSource, "list_zones", counting_list)
    assert CliRunner().invoke(app, ["plan"]).exit_code == 0
    assert sorted(parsed) == sorted(f"{z}yaml" for z in zones)
    assert sorted(reads) == sorted(zones)
    # the spec directory is listed for the session's check and once for the report
    # authorizations, not once per zone populated (that made a plan quadratic)
    assert len(listings) == 2, listings
    parsed.clear()
    result = CliRunner().invoke(app, ["apply", "--yes", "--force", "--allow-policy-removal"])
    assert result.exit_code == 0, result.stderr
    assert sorted(parsed) == sorted(f"{z}yaml" for z in zones)
