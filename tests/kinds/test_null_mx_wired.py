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


def test_removing_mx_none_removes_the_null_mx_it_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A null MX is a mail policy of its name: taken out of the spec it is removed from DNS
    (dnsspec owns every null MX of a zone it manages, as it owns every SPF policy), shown
    as a policy removal and refused by apply until `mx: unset` or --allow-policy-removal;
    MX hosts no spec wrote are never touched."""
    foreign = {"type": "MX", "value": {"exchange": "mx.example.net.", "preference": 10}}
    project(tmp_path, monkeypatch, "spf: none\nmx: none\nsubdomains:\n  shop: {mx: none}\n", {})
    assert run("apply", "--yes")[0] == 0
    state = live_state(tmp_path)
    assert isinstance(state, dict)
    state["mail"] = foreign
    (tmp_path / ".dnsspec-live" / "example.org.yaml").write_text(yaml.safe_dump(state))
    (tmp_path / "zones" / "example.org.yaml").write_text("spf: none\nmx: none\n")
    code, out, err = run("plan")
    assert (code, err) == (0, "")
    assert (
        "  Policy removals (the last record of its kind at the name):\n"
        "    shop.example.org. loses its null MX record [refused without --allow-policy-removal]\n"
        '      - "0 ."\n'
        "      no spec writes a null MX record there any more (without it the name accepts "
        "mail again); write `mx: unset` for shop.example.org. if it is to have none\n"
    ) in out
    assert out.rstrip().endswith(
        "Policy removals (dnsspec apply needs --allow-policy-removal): shop.example.org. null MX"
    )
    code, _, err = run("apply", "--yes")
    assert code == 2 and "(shop.example.org. (null_mx))" in err
    assert "write `mx: unset` at each name" in err
    assert live_state(tmp_path) == state
    # `mx: unset` is the spec's consent: the null MX goes, the foreign MX host stays
    (tmp_path / "zones" / "example.org.yaml").write_text(
        "spf: none\nmx: none\nsubdomains:\n  shop: {mx: unset}\n  mail: {mx: unset}\n"
    )
    code, out, _ = run("plan")
    assert "      the spec says so (`mx: unset`)\n" in out and "mail.example.org." not in out
    assert run("apply", "--yes")[0] == 0
    after = live_state(tmp_path)
    assert isinstance(after, dict) and "shop" not in after and after["mail"] == foreign
    assert run("plan", "--exit-code")[0] == 0


def test_a_null_mx_removed_under_manage_all_is_a_policy_removal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = {"": {"type": "MX", "value": {"preference": 0, "exchange": "."}}}
    project(tmp_path, monkeypatch, "manage: all\nspf: none\n", live)
    code, out, _ = run("plan")
    assert code == 0
    assert "    example.org. loses its null MX record [refused without" in out
    assert run("apply", "--yes")[0] == 2
    assert live_state(tmp_path) == live
    assert run("apply", "--yes", "--allow-policy-removal")[0] == 0
    assert live_state(tmp_path) == {"": {"type": "TXT", "value": "v=spf1 -all"}}


def test_a_null_mx_replaced_by_mx_hosts_is_an_ordinary_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, "spf: none\nmx: none\n", {})
    assert run("apply", "--yes")[0] == 0
    (tmp_path / "zones" / "example.org.yaml").write_text(
        "spf: none\nrecords:\n"
        "  '': {type: MX, value: {preference: 10, exchange: mx.example.net.}}\n"
    )
    code, out, _ = run("plan")
    assert code == 0 and '+ "10 mx.example.net."' in out and "Policy removals" not in out
    assert run("apply", "--yes")[0] == 0
