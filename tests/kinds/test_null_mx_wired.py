"""mx: none through load, compile, plan and apply (RFC 7505 null MX)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from plan_project import live_state, project, run

from dnsspec.compile import compile_zone, to_zone_file
from dnsspec.errors import SpecError
from dnsspec.spec.load import load_zone


def test_compiles_to_mx_0_dot(tmp_path: Path) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text("spf: none\nmx: none\nsubdomains:\n  shop: {spf: none, mx: none}\n")
    assert to_zone_file(compile_zone(load_zone(file))) == (
        "$ORIGIN example.com.\n"
        "@ 3600 IN MX 0 .\n"
        '@ 3600 IN TXT "v=spf1 -all"\n'
        "shop 3600 IN MX 0 .\n"
        'shop 3600 IN TXT "v=spf1 -all"\n'
    )


def test_mx_records_beside_it_are_refused_at_load(tmp_path: Path) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text(
        "mx: none\nrecords:\n  '':\n"
        "    - {type: MX, value: {preference: 10, exchange: mx.example.com.}}\n"
    )
    with pytest.raises(SpecError) as caught:
        load_zone(file)
    (problem,) = caught.value.problems
    assert (problem.location.line, problem.location.col) == (4, 7)
    assert "MX records beside `mx: none` at line 1" in problem.message


def test_published_then_in_sync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, "spf: none\nmx: none\n", {})
    assert run("apply", "--yes")[0] == 0
    assert live_state(tmp_path) == {
        "": [
            {"type": "MX", "value": {"exchange": ".", "preference": 0}},
            {"type": "TXT", "value": "v=spf1 -all"},
        ]
    }
    assert run("plan", "--exit-code")[0] == 0


def test_a_live_mx_set_is_a_conflict_not_silently_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = {"": {"type": "MX", "value": {"preference": 10, "exchange": "mx.example.net."}}}
    project(tmp_path, monkeypatch, "spf: none\nmx: none\n", live)
    before = (tmp_path / ".dnsspec-live" / "example.org.yaml").read_text()
    for command in (["plan"], ["apply", "--yes"]):
        code, _out, err = run(*command)
        assert code == 2 and "Traceback" not in err, err
        assert "example.org.: the spec makes it a null MX (`mx: none`" in err
        assert "(mx.example.net.)" in err and "nothing was changed" in err
    assert (tmp_path / ".dnsspec-live" / "example.org.yaml").read_text() == before
    # manage: all is the spec's say over the whole zone: the MX set is replaced
    (tmp_path / "zones" / "example.org.yaml").write_text("manage: all\nspf: none\nmx: none\n")
    assert run("apply", "--yes")[0] == 0
    assert "mx.example.net." not in yaml.safe_dump(live_state(tmp_path))
