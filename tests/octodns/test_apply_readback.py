"""apply's read-back: each target is read once after applying and compared with the plan;
a provider that said yes but does not show a change is caught, in the same words as the
re-plan always gave (issue 16 made the read-back one read instead of a re-plan)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dnsspec.cli import app

CONFIG = """\
providers:
  spec: {class: dnsspec.octodns.SpecSource, directory: ./zones}
  live:
    class: lossy.LossyYamlProvider
    directory: ./live
    default_ttl: 3600
    enforce_order: false
    root_ns_warnings: false
    ignore: [%s]
zones:
  example.org.: {sources: [spec], targets: [live]}
"""
SPEC = """\
spf: {mechanisms: [ip4:192.0.2.0/24], all: fail}
records:
  www: {type: A, value: 192.0.2.10}
  status: {type: CNAME, value: status.example.net.}
"""


def setup(tmp: Path, monkeypatch: pytest.MonkeyPatch, ignore: str, live: object = None) -> None:
    monkeypatch.chdir(tmp)
    (tmp / "zones").mkdir()
    (tmp / "zones" / "example.org.yaml").write_text(SPEC)
    (tmp / "providers.yaml").write_text(CONFIG % ignore)
    if live is not None:
        (tmp / "live").mkdir()
        (tmp / "live" / "example.org.yaml").write_text(yaml.safe_dump(live))


def apply() -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["apply", "--yes"])
    return result.exit_code, result.stdout, result.stderr


def test_a_create_the_provider_left_out_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup(tmp_path, monkeypatch, "status")
    code, out, err = apply()
    assert code == 2 and "Applied 3 change(s)" in out, (out, err)
    assert (
        "example.org. at live still differs from the specs: status.example.org. CNAME: the "
        'provider does not show it (the specs want "status.example.net.")'
    ) in err
    assert "www.example.org. A" not in err  # what was published is not called missing


def test_an_update_the_provider_left_out_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = {"www": {"type": "A", "value": "192.0.2.9"}}
    setup(tmp_path, monkeypatch, "www", live)
    code, out, err = apply()
    assert code == 2, (out, err)
    assert (
        'www.example.org. A: the provider shows "192.0.2.9" where the specs want "192.0.2.10"'
    ) in err


def test_a_zone_unchanged_since_the_plan_is_applied_from_it_and_read_back_not_re_planned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from octodns.manager import Manager

    setup(tmp_path, monkeypatch, "")
    syncs: list[bool] = []
    sync = Manager.sync

    def counting(self: Manager, *args: object, **kw: object) -> object:
        syncs.append(bool(kw.get("dry_run")))
        return sync(self, *args, **kw)

    monkeypatch.setattr(Manager, "sync", counting)
    code, out, err = apply()
    assert code == 0 and "still differs" not in err, (out, err)
    # the plan only: the apply pushes the plan it kept (its targets read again first, unchanged)
    # and the read-back plans nothing
    assert syncs == [True]
    assert CliRunner().invoke(app, ["plan", "--exit-code"]).exit_code == 0


def _session_plan(ignore: str = "") -> tuple[object, object]:
    from dnsspec.sync import open_session, plan

    session = open_session("providers.yaml")
    session.keep_plans = True  # as dnsspec apply does
    return session, plan(session)


def test_a_live_change_between_plan_and_apply_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dnsspec.sync import PlanChangedError, apply

    setup(tmp_path, monkeypatch, "", {"www": {"type": "A", "value": "192.0.2.9"}})
    session, shown = _session_plan()
    live = tmp_path / "live" / "example.org.yaml"
    live.write_text(yaml.safe_dump({"www": {"type": "A", "value": "192.0.2.8"}}))
    with pytest.raises(PlanChangedError, match="changed after the plan was shown"):
        apply(session, shown)  # type: ignore[arg-type]
    assert yaml.safe_load(live.read_text()) == {"www": {"type": "A", "value": "192.0.2.8"}}


def test_a_foreign_record_added_between_plan_and_apply_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan does not move (the foreign record is merged in), but the live zone did: the
    zone is planned again rather than the kept plan, which lacks the record, pushed."""
    from dnsspec.sync import apply

    setup(tmp_path, monkeypatch, "", {"www": {"type": "A", "value": "192.0.2.9"}})
    session, shown = _session_plan()
    live = tmp_path / "live" / "example.org.yaml"
    foreign = {"type": "A", "value": "198.51.100.7"}
    live.write_text(yaml.safe_dump({"www": {"type": "A", "value": "192.0.2.9"}, "new": foreign}))
    result = apply(session, shown)  # type: ignore[arg-type]
    assert not result.pending
    data = yaml.safe_load(live.read_text())
    assert data["new"] == foreign and data["www"]["value"] == "192.0.2.10"
