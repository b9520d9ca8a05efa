"""dnsspec plan / apply with the embedded default target (octoDNS YamlProvider)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dnsspec.cli import app

REPO = Path(__file__).resolve().parents[2]
CONFIG = """\
providers:
  spec:
    class: dnsspec.octodns.SpecSource
    directory: ./zones
  live:
    class: octodns.provider.yaml.YamlProvider
    directory: ./.dnsspec-live
    default_ttl: 3600
    enforce_order: false
    escaped_semicolons: false
    root_ns_warnings: false
zones:
"""
SPEC = """\
spf:
  mechanisms: [ip4:192.0.2.0/24, include:_spf.example.org]
  all: fail
subdomains:
  _spf:
    spf:
      mechanisms: [ip4:198.51.100.0/24]
      all: fail
records:
  www: {type: A, value: 192.0.2.10}
"""
FOREIGN = 'token "quoted" \\ back; slash'


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def project(
    tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    specs: dict[str, str],
    zones: tuple[str, ...] | None = None,
    live: dict[str, object] | None = None,
) -> Path:
    monkeypatch.chdir(tmp)
    (tmp / "zones").mkdir()
    for zone, text in specs.items():
        (tmp / "zones" / f"{zone}yaml").write_text(text)
    config = CONFIG + "".join(
        f"  {zone}:\n    sources: [spec]\n    targets: [live]\n"
        for zone in (zones if zones is not None else specs)
    )
    (tmp / "providers.yaml").write_text(config)
    if live is not None:
        (tmp / ".dnsspec-live").mkdir()
        for zone, data in live.items():
            (tmp / ".dnsspec-live" / f"{zone}yaml").write_text(yaml.safe_dump(data))
    return tmp


def live_state(tmp: Path, zone: str = "example.org.") -> object:
    return yaml.safe_load((tmp / ".dnsspec-live" / f"{zone}yaml").read_text())


def test_fresh_clone_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`make demo` on a fresh clone: plan, apply --yes, plan --exit-code."""
    shutil.copytree(REPO / "zones", tmp_path / "zones")
    shutil.copy(REPO / "providers.yaml", tmp_path / "providers.yaml")
    monkeypatch.chdir(tmp_path)
    code, out, err = run("plan")
    assert (code, err) == (0, "")
    assert "example.com. → live:" in out and "example.net. → live:" in out
    code, out, err = run("plan", "--exit-code")
    assert code == 1
    assert not (tmp_path / ".dnsspec-live").exists()
    code, out, err = run("apply", "--yes")
    assert (code, err) == (0, "")
    assert "Applied " in out
    assert sorted(p.name for p in (tmp_path / ".dnsspec-live").iterdir()) == [
        "example.com.yaml",
        "example.net.yaml",
    ]
    assert run("plan", "--exit-code") == (0, "No changes: 2 zone(s) in sync.\n", "")
    assert run("apply", "--yes") == (0, "No changes: 2 zone(s) in sync.\n", "")


def test_apply_merges_with_foreign_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    live = {
        "": {"type": "TXT", "values": ["google-site-verification=abc", FOREIGN, "v=spf1 -all"]},
        "foreign": {"type": "A", "value": "192.0.2.99"},
        "old": {"type": "TXT", "value": "v=spf1 a -all"},
    }
    project(tmp_path, monkeypatch, {"example.org.": SPEC}, live={"example.org.": live})
    code, out, err = run("plan")
    assert (code, err) == (0, "")
    assert (
        "  ~ example.org. TXT 3600\n"
        '      - "v=spf1 -all"\n'
        '      + "v=spf1 ip4:192.0.2.0/24 include:_spf.example.org -all"\n'
        '      = "google-site-verification=abc" (not dnsspec\'s: kept as is)\n'
        '      = "token \\"quoted\\" \\\\ back; slash" (not dnsspec\'s: kept as is)\n'
    ) in out
    assert '  - old.example.org. TXT 3600\n      - "v=spf1 a -all"\n' in out
    assert "1 record(s) no spec manages left alone" in out
    # the stale policy at old is a policy removal the spec does not say: refused unflagged
    code, out, err = run("apply", "--yes")
    assert code == 2 and "old.example.org. (spf)" in err
    assert run("apply", "--yes", "--allow-policy-removal")[0] == 0
    assert live_state(tmp_path) == {
        "": {
            "type": "TXT",
            "values": [
                "google-site-verification=abc",
                FOREIGN,
                "v=spf1 ip4:192.0.2.0/24 include:_spf.example.org -all",
            ],
        },
        "_spf": {"type": "TXT", "value": "v=spf1 ip4:198.51.100.0/24 -all"},
        "foreign": {"type": "A", "value": "192.0.2.99"},
        "www": {"type": "A", "value": "192.0.2.10"},
    }
    assert run("plan", "--exit-code")[0] == 0


def test_markdown_plan_shows_lookup_delta_and_new_ranges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, {"example.org.": SPEC})
    assert run("apply", "--yes")[0] == 0
    (tmp_path / "zones" / "example.org.yaml").write_text(
        SPEC.replace("example.org]", "example.org, include:_p.example.org]")
        + "  _p:\n    type: TXT\n    value: v=spf1 ip4:203.0.113.0/24 ip6:2001:db8::/32 -all\n"
    )
    code, out, err = run("plan", "--format", "markdown", "--exit-code")
    assert (code, err) == (1, "")
    assert out.startswith(
        "### dnsspec plan — 2 changes in 1 zone: 1 to create, 1 to update, 0 to delete.\n"
    )
    assert (
        "| `example.org.` | 1 → 2 | `include:_p.example.org`<br>"
        "`ip4:203.0.113.0/24 (via _p.example.org)`<br>`ip6:2001:db8::/32 (via _p.example.org)` |  |"
    ) in out


def test_json_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, {"example.org.": SPEC})
    code, out, _ = run("plan", "--format", "json")
    data = json.loads(out)
    assert (code, data["has_changes"], data["zones"]) == (0, True, ["example.org."])
    [target] = data["targets"]
    assert (target["zone"], target["provider"]) == ("example.org.", "live")
    assert [(c["action"], c["fqdn"], c["type"]) for c in target["changes"]] == [
        ("create", "example.org.", "TXT"),
        ("create", "_spf.example.org.", "TXT"),
        ("create", "www.example.org.", "A"),
    ]
    assert target["spf"][0]["lookups_after"] == {"lookups": 1, "at_least": False}


def test_zone_without_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, {"example.org.": SPEC}, zones=("example.org.", "example.net."))
    code, out, err = run("apply", "--yes")
    assert (code, out) == (2, "")
    assert err == (
        "error: zone example.net. in providers.yaml has no spec: zones/example.net.yaml does not "
        "exist (source spec)\n"
    )
    assert not (tmp_path / ".dnsspec-live").exists()


def test_spec_without_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(
        tmp_path, monkeypatch, {"example.org.": SPEC, "example.net.": SPEC}, zones=("example.org.",)
    )
    code, out, err = run("plan")
    assert (code, out) == (2, "")
    assert err == (
        "error: spec zones/example.net.yaml has no zone in providers.yaml: add 'example.net.' "
        "under zones: with sources: [spec]\n"
    )


def test_lint_errors_refuse_apply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, {"example.org.": SPEC.replace("all: fail", "all: pass", 1)})
    code, out, err = run("apply", "--yes")
    assert (code, out) == (2, "")
    assert "zones/example.org.yaml:3:8: SPF301 [error] " in err  # the format of `dnsspec lint`
    assert err.endswith(
        "error: 1 lint error in the specs; nothing was pushed (fix them, or suppress a code with "
        "ignore: [CODE] beside the name)\n"
    )
    assert not (tmp_path / ".dnsspec-live").exists()


def test_invalid_spec_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, {"example.org.": "spf:\n  mechanisms: [ip4:300.1.1.1]\n"})
    code, out, err = run("plan")
    assert (code, out) == (2, "")
    assert err.startswith("zones/example.org.yaml:2:")


def test_invalid_spec_says_nothing_was_pushed_only_in_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, {"example.org.": "spf:\n  mechanisms: [ip4:300.1.1.1]\n"})
    code, _, err = run("apply", "--yes")
    assert code == 2 and err.endswith("1 problem in the zone specs; nothing was pushed.\n"), err
    assert not (tmp_path / ".dnsspec-live").exists()
    code, _, err = run("plan")
    assert code == 2 and err.endswith("1 problem in the zone specs.\n"), err


def test_unknown_zone_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, {"example.org.": SPEC})
    assert run("plan", "--zone", "nope.example") == (
        2,
        "",
        "error: zone nope.example. is not in providers.yaml (configured: example.org.)\n",
    )


def test_apply_without_terminal_asks_for_yes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, {"example.org.": SPEC})
    code, out, err = run("apply")
    assert code == 2
    assert "3 changes in 1 zone" in out
    assert err == (
        "error: nothing was applied: not asking without a terminal\n    hint: pass --yes\n"
    )
    assert not (tmp_path / ".dnsspec-live").exists()


def test_safety_threshold_needs_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    live = {f"host{i}": {"type": "A", "value": f"192.0.2.{i}"} for i in range(12)}
    spec = SPEC + "manage: all\n"
    project(tmp_path, monkeypatch, {"example.org.": spec}, live={"example.org.": live})
    code, out, err = run("apply", "--yes")
    assert code == 2
    assert "dnsspec apply needs --force" in out
    assert err.startswith("error: the plan is over octoDNS's safety threshold; nothing was applied")
    assert len(live_state(tmp_path)) == 12  # type: ignore[arg-type]
    code, out, err = run("apply", "--yes", "--force")
    assert (code, err) == (0, "")
    assert sorted(live_state(tmp_path)) == ["", "_spf", "www"]  # type: ignore[arg-type]


def test_merged_txt_size_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = [f"verification-{i}=" + "x" * 100 for i in range(5)]
    live = {"": {"type": "TXT", "values": tokens}}
    project(tmp_path, monkeypatch, {"example.org.": SPEC}, live={"example.org.": live})
    code, out, _ = run("plan")
    assert code == 0
    assert (
        "  warning: the TXT answer at example.org. will be 735 bytes (foreign values included), "
        "over 512 (RFC 7208 §3.4): receivers may need TCP, some fail\n"
    ) in out


def test_a_changed_tagged_txt_value_replaces_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """v=DMARC1 p=reject → p=quarantine: one DMARC record after, not two (receivers
    ignore a name's DMARC policy when it has two); the foreign token stays."""
    spec = 'spf: none\nrecords:\n  _dmarc: {type: TXT, value: "v=DMARC1\\\\; p=quarantine"}\n'
    live = {"_dmarc": {"type": "TXT", "values": ["v=DMARC1; p=reject", "other-token=1"]}}
    project(tmp_path, monkeypatch, {"example.org.": spec}, live={"example.org.": live})
    code, out, err = run("plan")
    assert (code, err) == (0, "")
    assert '- "v=DMARC1; p=reject"' in out and '+ "v=DMARC1; p=quarantine"' in out
    assert '= "other-token=1" (not dnsspec\'s: kept as is)' in out
    assert run("apply", "--yes")[0] == 0
    state = live_state(tmp_path)
    assert isinstance(state, dict)
    assert sorted(state["_dmarc"]["values"]) == ["other-token=1", "v=DMARC1; p=quarantine"]
    assert run("plan", "--exit-code")[0] == 0


@pytest.mark.parametrize(
    ("live", "records", "says"),
    [
        (
            {"www": {"type": "CNAME", "value": "elsewhere.example.net."}},
            "  www: {type: A, value: 192.0.2.10}\n",
            "www.example.org.: the provider has a CNAME there that no spec manages, and the "
            "spec writes A records at the same name",
        ),
        (
            {"www": {"type": "A", "value": "192.0.2.99"}},
            "  www: {type: CNAME, value: elsewhere.example.net.}\n",
            "www.example.org.: the spec writes a CNAME, and the provider has A records there",
        ),
    ],
)
def test_a_cname_beside_kept_records_is_refused_before_anything_is_pushed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    live: dict[str, object],
    records: str,
    says: str,
) -> None:
    spec = "spf: none\nrecords:\n" + records
    project(tmp_path, monkeypatch, {"example.org.": spec}, live={"example.org.": live})
    before = (tmp_path / ".dnsspec-live" / "example.org.yaml").read_text()
    for command in (["plan"], ["apply", "--yes"]):
        code, _out, err = run(*command)
        assert code == 2 and says in err and "Traceback" not in err, err
    assert (tmp_path / ".dnsspec-live" / "example.org.yaml").read_text() == before


def test_always_dry_run_zone_is_not_claimed_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, {"example.org.": SPEC})
    config = tmp_path / "providers.yaml"
    config.write_text(config.read_text() + "    always-dry-run: true\n")
    code, out, err = run("apply", "--yes")
    assert code == 0, err
    assert "Applied" not in out
    assert "Not applied: example.org. → live: " in out and "always-dry-run" in out
    assert run("plan", "--exit-code")[0] == 1


def test_an_alias_zone_is_left_to_octodns_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, {"example.org.": SPEC})
    config = tmp_path / "providers.yaml"
    config.write_text(config.read_text() + "  example.net.:\n    alias: example.org.\n")
    code, out, err = run("plan")
    assert (code, err) == (0, "")
    assert "example.org. → live:" in out
    assert (
        "Not planned: example.net. is an alias of example.org. in providers.yaml "
        "(octodns-sync syncs it)."
    ) in out
    assert run("apply", "--yes")[0] == 0
    assert not (tmp_path / ".dnsspec-live" / "example.net.yaml").exists()
    code, out, err = run("plan", "--zone", "example.net")
    assert code == 2 and "is an alias of example.org." in err


@pytest.mark.parametrize(
    ("name", "old", "new", "kept"),
    [
        # a DKIM key without its optional v=DKIM1 (RFC 6376 §3.6.1): rotated, not doubled
        ("sel1._domainkey", "k=rsa; p=AAAAOLDKEY", "k=rsa\\\\; p=BBBBNEWKEY", []),
        # another service's v=… token is not a kind dnsspec owns: kept
        (
            "",
            "v=verify1 vendor-b-token=XYZ",
            "v=verify1 vendor-a-token=ABC",
            ["v=verify1 vendor-b-token=XYZ"],
        ),
    ],
)
def test_which_live_txt_values_are_the_specs_previous_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, old: str, new: str, kept: list[str]
) -> None:
    spec = f'spf: none\nrecords:\n  "{name}": {{type: TXT, value: "{new}"}}\n'
    live = {name: {"type": "TXT", "value": old}}
    project(tmp_path, monkeypatch, {"example.org.": spec}, live={"example.org.": live})
    assert run("apply", "--yes")[0] == 0
    state = live_state(tmp_path)
    assert isinstance(state, dict)
    entry = state[name]
    values = entry.get("values") or [entry["value"]]
    expected = {new.replace("\\\\", ""), *kept} | ({"v=spf1 -all"} if name == "" else set())
    assert set(values) == expected


LOCKED = (
    "version: 1\nnames:\n  _spf.x.example:\n    resolved_at: '2026-01-01T00:00:00Z'\n"
    "    lookups: 1\n    voids: 0\n    answers:\n"
    "      TXT: ['v=spf1 a:relay.x.example -all']\n"
    "  relay.x.example:\n    resolved_at: '2026-01-01T00:00:00Z'\n"
    "    answers:\n      A: ['192.0.2.7']\n"
)


def test_plan_and_apply_read_the_lock_given_with_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Third-party includes count from --lock PATH (default dnsspec.lock), as lint does."""
    spec = "spf: {mechanisms: [include:_spf.x.example], all: fail}\n"
    project(tmp_path, monkeypatch, {"example.org.": spec})
    code, out, _ = run("plan")
    assert (code, "example.org. lookups (none) → ≥1" in out) == (0, True)
    (tmp_path / "locks").mkdir()
    (tmp_path / "locks" / "third.lock").write_text(LOCKED)
    code, out, _ = run("plan", "--lock", "locks/third.lock")
    assert (code, "example.org. lookups (none) → 2\n" in out) == (0, True)
    assert "authorizes: a:relay.x.example (via _spf.x.example), include:_spf.x.example\n" in out
    (tmp_path / "dnsspec.lock").write_text(LOCKED)
    assert "example.org. lookups (none) → 2\n" in run("plan")[1]
    (tmp_path / "locks" / "bad.lock").write_text("version: 99\nnames: {}\n")
    code, out, err = run("apply", "--yes", "--lock", "locks/bad.lock")
    assert (code, out) == (2, "") and "locks/bad.lock: format version 99" in err
    assert not (tmp_path / ".dnsspec-live").exists()
    code, out, _ = run("apply", "--yes", "--lock", "locks/third.lock")
    assert code == 0 and "example.org. lookups (none) → 2\n" in out


def test_an_emptied_spec_does_not_strip_the_zones_policies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 8.3: emptying zones/example.com.yaml (a bad merge) plans every SPF record's
    removal in its own section; apply refuses it (even with --force) until the flag."""
    shutil.copytree(REPO / "zones", tmp_path / "zones")
    shutil.copy(REPO / "providers.yaml", tmp_path / "providers.yaml")
    monkeypatch.chdir(tmp_path)
    assert run("apply", "--yes")[0] == 0
    before = live_state(tmp_path, "example.com.")
    (tmp_path / "zones" / "example.com.yaml").write_text("")
    code, out, err = run("plan")
    assert (code, err) == (0, "")
    section = out[out.index("  Policy removals") :]
    assert (
        "    www.example.com. loses its SPF record [refused without --allow-policy-removal]\n"
        '      - "v=spf1 -all"\n'
        "      no spec writes an SPF record there any more, and the name keeps A records: "
        "without SPF anyone may send as it; write `spf: unset` for www.example.com. if it is to "
        "have "
        "none\n"
    ) in section
    assert section.count("loses its SPF record [refused") == 10
    assert out.rstrip().endswith("www.example.com. SPF, example.com. SPF")
    code, out, err = run("apply", "--yes", "--force")
    assert code == 2
    # 10 SPF records, the apex DMARC and MTA-STS, the apex and lists TLS-RPT records, the 4
    # DKIM TXT selectors dnsspec published (its marker lists them)
    assert err.startswith("error: the plan removes 18 mail policies (*.example.com. (spf), ")
    assert "nothing was applied" in err and "--allow-policy-removal" in err
    assert live_state(tmp_path, "example.com.") == before
    markdown = run("plan", "--format", "markdown")[1]
    assert "> 🛑 Policy removals (dnsspec apply needs --allow-policy-removal): " in markdown
    assert "- `example.com.` loses its SPF record `v=spf1 mx " in markdown
    data = json.loads(run("plan", "--format", "json")[1])
    [target] = [t for t in data["targets"] if t["zone"] == "example.com."]
    assert {r["fqdn"]: r["consented"] for r in target["policy_removals"]}[
        "lists.example.com."
    ] is False
    code, out, _ = run("apply", "--yes", "--force", "--allow-policy-removal")
    assert code == 0 and "Applied 20 change(s)" in out
    assert "v=spf1" not in json.dumps(live_state(tmp_path, "example.com."))


def test_spf_unset_is_the_specs_consent_but_not_beside_mail_hosts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`spf: unset` lets apply remove a name's SPF, except where A/AAAA/MX records stay."""
    live = {
        "old": {"type": "TXT", "value": "v=spf1 a -all"},
        "web": [
            {"type": "TXT", "values": ["v=spf1 -all", "token=1"]},
            {"type": "A", "value": "192.0.2.1"},
        ],
    }
    spec = "spf: none\nsubdomains:\n  old: {spf: unset}\n"
    project(tmp_path, monkeypatch, {"example.org.": spec}, live={"example.org.": live})
    code, out, _ = run("plan")
    assert (
        "    old.example.org. loses its SPF record\n"
        '      - "v=spf1 a -all"\n'
        "      the spec says so (`spf: unset`)\n"
    ) in out
    assert "web.example.org. loses its SPF record [refused without" in out
    assert run("apply", "--yes")[0] == 2  # web: no spec writes its SPF any more
    (tmp_path / "zones" / "example.org.yaml").write_text(spec + "  web: {spf: unset}\n")
    code, out, _ = run("plan")
    assert (
        "    web.example.org. loses its SPF record [refused without --allow-policy-removal]\n"
        '      - "v=spf1 -all"\n'
        "      the spec says so (`spf: unset`), but the name keeps A records: without SPF "
        "anyone may send as it\n"
    ) in out
    code, _, err = run("apply", "--yes")
    assert code == 2 and "(web.example.org. (spf))" in err and "old.example.org." not in err
    assert live_state(tmp_path) == live
    assert run("apply", "--yes", "--allow-policy-removal")[0] == 0
    assert live_state(tmp_path)["web"] == [  # type: ignore[index]
        {"type": "A", "value": "192.0.2.1"},
        {"type": "TXT", "value": "token=1"},
    ]


def test_a_dmarc_record_removed_is_a_policy_removal_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """manage: all deletes what the spec does not write: a DMARC policy among it is shown
    and refused like an SPF one."""
    live = {"_dmarc": {"type": "TXT", "value": "v=DMARC1; p=reject"}}
    spec = "manage: all\nspf: none\n"
    project(tmp_path, monkeypatch, {"example.org.": spec}, live={"example.org.": live})
    code, out, _ = run("plan")
    assert (
        "    _dmarc.example.org. loses its DMARC record [refused without --allow-policy-removal]\n"
        '      - "v=DMARC1; p=reject"\n'
        "      no spec writes a DMARC record there any more; write `dmarc: unset` for example.org. "
        "if it is to have none\n"
    ) in out
    code, _, err = run("apply", "--yes")
    assert code == 2 and "(_dmarc.example.org. (dmarc))" in err
    assert "write `dmarc: unset` at each name" in err and "spf: unset" not in err  # its own key
    assert live_state(tmp_path) == live


@pytest.mark.parametrize(
    ("text", "located"),
    [
        (
            "providers:\n  spec:\n    class: x\n   bad: [\n",
            "providers.yaml:4:4: expected <block end>",
        ),
        ("providers: {spec: {class: x}\nzones: {}\n", "providers.yaml:2:1: expected ',' or '}'"),
    ],
)
def test_a_providers_yaml_with_a_yaml_error_is_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, located: str
) -> None:
    project(tmp_path, monkeypatch, {"example.org.": SPEC})
    (tmp_path / "providers.yaml").write_text(text)
    for command in ("plan", "apply"):
        code, out, err = run(command, "--yes") if command == "apply" else run(command)
        assert (code, out) == (2, "")
        assert err.startswith(f"error: {located}") and "Traceback" not in err
        assert err.count("\n") == 1  # one line, no PyYAML dump


def test_a_providers_yaml_that_is_a_directory_is_not_called_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, {"example.org.": SPEC})
    (tmp_path / "providers.yaml").unlink()
    (tmp_path / "providers.yaml").mkdir()
    code, out, err = run("plan")
    assert (code, out) == (2, "")
    assert err == (
        "error: providers.yaml is a directory: dnsspec plan and apply read an octoDNS "
        "configuration file (--config providers.yaml, see docs/providers.md)\n"
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "providers.yaml: expected an octoDNS configuration: a mapping with providers: and"),
        ("[1, 2]\n", "providers.yaml:1:1: expected an octoDNS configuration"),
        ("providers: null\nzones: null\n", "providers.yaml:1:12: providers: must be a mapping"),
        ("providers: {}\n", "providers.yaml:1:1: no zones: key"),
        ("providers: {}\nzones: [a]\n", "providers.yaml:2:8: zones: must be a mapping"),
    ],
)
def test_a_providers_yaml_of_the_wrong_shape_is_located_not_a_python_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, said: str
) -> None:
    """An empty or truncated providers.yaml used to print octoDNS's bare
    ``TypeError: 'NoneType' object is not subscriptable``."""
    project(tmp_path, monkeypatch, {"example.org.": SPEC})
    (tmp_path / "providers.yaml").write_text(text)
    for command in ("plan", "apply"):
        code, out, err = run(command, "--yes") if command == "apply" else run(command)
        assert (code, out) == (2, "")
        assert err.startswith(f"error: {said}") and "Error:" not in err


def test_a_spec_source_directory_that_does_not_exist_is_an_error_not_zero_zones_in_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A typo in the SpecSource's directory: used to plan "No changes: 0 zone(s) in sync"
    (exit 0): nothing was checked, and it said all was well."""
    project(tmp_path, monkeypatch, {"example.org.": SPEC})
    config = tmp_path / "providers.yaml"
    config.write_text(config.read_text().replace("directory: ./zones", "directory: ./zone"))
    assert "directory: ./zone\n" in config.read_text()
    code, out, err = run("plan")
    assert (code, out) == (2, "")
    assert "source spec in providers.yaml reads specs from zone, which is not a directory" in err


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ("  example.org.:\n    sources: [spec]\n    targets: []\n", "providers.yaml:15:14: "),
        ("  example.org.:\n    sources: [spec]\n", "providers.yaml:13:3: "),
    ],
)
def test_a_zone_with_no_targets_is_an_error_not_in_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str, said: str
) -> None:
    """``targets: []`` used to plan "No changes: 1 zone(s) in sync" (exit 0): nothing was
    compared with anything, and it said all was well."""
    project(tmp_path, monkeypatch, {"example.org.": SPEC}, zones=())
    config = tmp_path / "providers.yaml"
    config.write_text(config.read_text() + entry)
    for command in ("plan", "apply"):
        code, out, err = run(command, "--yes") if command == "apply" else run(command)
        assert (code, out) == (2, "")
        assert err.startswith(f"error: {said}zone example.org.: "), err
        assert "nothing would be planned or applied" in err and "targets: [live]" in err
    assert not (tmp_path / ".dnsspec-live").exists()
