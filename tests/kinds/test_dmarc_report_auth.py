"""DMARC report authorization written into the run's other zones (RFC 9990 §3.3, issue #10).

A ``rua``/``ruf`` address in another zone of the run gets
``<policy-domain>._report._dmarc.<report-domain> TXT "v=DMARC1"`` in that zone:
compile (zone file), plan and apply against the embedded target, the ownership
merge (a foreign value there survives), and removal through the normal path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.compile import compile_zones, to_zone_file
from dnsspec.records import Record
from dnsspec.spec.load import load_zones
from dnsspec.sync.guards import policy_removals
from dnsspec.sync.model import RecordChange

POLICY = """\
spf: none
dmarc:
  policy: reject
  rua: [mailto:dmarc@example.com, "mailto:agg@reports.example.net"]
  ruf: [mailto:f@example.net, mailto:x@elsewhere.example]
subdomains:
  eu:
    dmarc: "v=DMARC1; p=none; rua=mailto:eu@example.net"
"""
REPORTS = """\
spf: none
records:
  "": {type: A, value: 192.0.2.80}
"""
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
  example.com.:
    sources: [spec]
    targets: [live]
  example.net.:
    sources: [spec]
    targets: [live]
"""


def specs(tmp: Path, reports: str = REPORTS, policy: str = POLICY) -> Path:
    zones = tmp / "zones"
    zones.mkdir(exist_ok=True)
    (zones / "example.com.yaml").write_text(policy)
    (zones / "example.net.yaml").write_text(reports)
    return zones


def net_zone(zones: Path) -> str:
    records = [r for r in compile_zones(load_zones([zones])) if r.zone == "example.net."]
    return to_zone_file(records)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_compile_writes_the_authorization_into_the_report_zone(tmp_path: Path) -> None:
    assert net_zone(specs(tmp_path)) == (
        "$ORIGIN example.net.\n"
        "@ 3600 IN A 192.0.2.80\n"
        '@ 3600 IN TXT "v=spf1 -all"\n'
        'example.com._report._dmarc 3600 IN TXT "v=DMARC1"\n'
        'eu.example.com._report._dmarc 3600 IN TXT "v=DMARC1"\n'
        'example.com._report._dmarc.reports 3600 IN TXT "v=DMARC1"\n'
    )


def test_the_record_is_located_at_the_uri_that_needs_it(tmp_path: Path) -> None:
    zones = specs(tmp_path)
    found = {
        r.name: (r.location.file.name, r.location.line, r.location.col, r.origin)
        for r in compile_zones(load_zones([zones]))
        if r.location is not None and "_report" in r.name
    }
    assert found == {
        "example.com._report._dmarc.reports": ("example.com.yaml", 4, 35, "dmarc_report"),
        "example.com._report._dmarc": ("example.com.yaml", 5, 9, "dmarc_report"),  # ruf
        "eu.example.com._report._dmarc": ("example.com.yaml", 8, 12, "dmarc_report"),  # raw
    }


def test_only_when_both_zones_are_in_the_run(tmp_path: Path) -> None:
    zones = specs(tmp_path)
    alone = to_zone_file(compile_zones(load_zones([zones / "example.net.yaml"])))
    assert "_report" not in alone
    both = compile_zones(load_zones([zones / "example.com.yaml", zones / "example.net.yaml"]))
    assert "example.com._report._dmarc.reports" in to_zone_file(both)


def test_cli_compile_one_file_or_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    specs(tmp_path)
    code, out, _ = run("compile", "zones/example.net.yaml", "--format", "zone")
    assert code == 0 and "_report" not in out
    code, out, _ = run(
        "compile", "zones/example.com.yaml", "zones/example.net.yaml", "--format", "zone"
    )
    assert code == 0
    assert 'example.com._report._dmarc.reports 3600 IN TXT "v=DMARC1"\n' in out


def test_a_hand_written_authorization_is_not_duplicated(tmp_path: Path) -> None:
    reports = REPORTS + (
        "  example.com._report._dmarc.reports: {type: TXT, value: v=DMARC1}\n"
        "  example.com._report._dmarc:\n"
        "    - {type: TXT, ttl: 600,\n"
        "       values: ['v=DMARC1\\; rua=mailto:x@example.net', other-token=1]}\n"
    )
    assert net_zone(specs(tmp_path, reports)) == (
        "$ORIGIN example.net.\n"
        "@ 3600 IN A 192.0.2.80\n"
        '@ 3600 IN TXT "v=spf1 -all"\n'
        'example.com._report._dmarc 600 IN TXT "v=DMARC1; rua=mailto:x@example.net"\n'
        'example.com._report._dmarc 600 IN TXT "other-token=1"\n'
        'eu.example.com._report._dmarc 3600 IN TXT "v=DMARC1"\n'
        'example.com._report._dmarc.reports 3600 IN TXT "v=DMARC1"\n'
    )


def test_not_below_a_delegation(tmp_path: Path) -> None:
    # (a `dmarc:` under "*" is invalid input: tests/cli/test_mail_policy_input.py)
    reports = REPORTS + "  reports: {type: NS, values: [ns1.example.org., ns2.example.org.]}\n"
    zone = net_zone(specs(tmp_path, reports, POLICY))
    assert "_dmarc.reports" not in zone and "*" not in zone
    assert 'example.com._report._dmarc 3600 IN TXT "v=DMARC1"' in zone


def test_same_organization_needs_none(tmp_path: Path) -> None:
    policy = "spf: none\ndmarc: {policy: reject, rua: [mailto:d@reports.example.com]}\n"
    records = compile_zones(load_zones([specs(tmp_path, policy=policy)]))
    assert not [r for r in records if "_report" in r.name]


def test_deterministic_whatever_the_order(tmp_path: Path) -> None:
    zones = specs(tmp_path)
    files = [zones / "example.com.yaml", zones / "example.net.yaml"]
    one = compile_zones(load_zones(files))
    other = compile_zones(load_zones(files[::-1]))
    assert sorted(map(Record.sort_key, one)) == sorted(map(Record.sort_key, other))
    assert to_zone_file(one) == to_zone_file(compile_zones(load_zones(files)))


# -- plan and apply against the embedded target ----------------------------------


def project(tmp: Path, monkeypatch: pytest.MonkeyPatch, live_net: object = None) -> Path:
    monkeypatch.chdir(tmp)
    specs(tmp)
    (tmp / "providers.yaml").write_text(CONFIG)
    if live_net is not None:
        (tmp / ".dnsspec-live").mkdir()
        (tmp / ".dnsspec-live" / "example.net.yaml").write_text(yaml.safe_dump(live_net))
    return tmp


def live_net(tmp: Path) -> dict[str, object]:
    state = yaml.safe_load((tmp / ".dnsspec-live" / "example.net.yaml").read_text())
    assert isinstance(state, dict)
    return state


def test_plan_shows_it_for_the_zone_alone_too_and_apply_publishes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    foreign = {"example.com._report._dmarc": {"type": "TXT", "value": "other-token=1"}}
    project(tmp_path, monkeypatch, foreign)
    code, out, err = run("plan")
    assert (code, err) == (0, "")
    created = '  + example.com._report._dmarc.reports.example.net. TXT 3600\n      + "v=DMARC1"\n'
    assert created in out
    assert '  ~ example.com._report._dmarc.example.net. TXT 3600\n      + "v=DMARC1"\n' in out
    code, alone, _ = run("plan", "--zone", "example.net")
    assert code == 0
    assert alone.split("\n\n")[0] == out.split("\n\n")[1]  # the same zone plan, alone or not
    assert run("apply", "--yes")[0] == 0
    state = live_net(tmp_path)
    assert state["example.com._report._dmarc.reports"] == {"type": "TXT", "value": "v=DMARC1"}
    assert state["eu.example.com._report._dmarc"] == {"type": "TXT", "value": "v=DMARC1"}
    kept = state["example.com._report._dmarc"]
    assert isinstance(kept, dict) and sorted(kept["values"]) == ["other-token=1", "v=DMARC1"]
    assert run("plan", "--exit-code")[0] == 0


def test_removing_the_rua_removes_it_without_a_policy_removal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch)
    assert run("apply", "--yes")[0] == 0
    spec = tmp_path / "zones" / "example.com.yaml"
    spec.write_text(spec.read_text().replace(', "mailto:agg@reports.example.net"', ""))
    code, out, _ = run("plan")
    assert code == 0
    assert "  - example.com._report._dmarc.reports.example.net. TXT 3600\n" in out
    assert "Policy removals" not in out
    assert run("apply", "--yes")[0] == 0
    assert "example.com._report._dmarc.reports" not in live_net(tmp_path)
    assert run("plan", "--exit-code")[0] == 0


def test_a_spec_that_lost_its_dmarc_key_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch)
    assert run("apply", "--yes")[0] == 0
    (tmp_path / "zones" / "example.com.yaml").write_text("spf: none\n")  # a truncated spec
    code, out, _ = run("plan")
    assert code == 0
    assert (
        "    example.com._report._dmarc.reports.example.net. loses its DMARC record [refused "
        "without --allow-policy-removal]\n"
    ) in out
    assert "the report authorization for example.com's DMARC reports; no spec" in out
    code, _, err = run("apply", "--yes")
    assert code == 2 and "a `dmarc:` for example.com without that report address" in err
    assert "example.com._report._dmarc.reports" in live_net(tmp_path)
    (tmp_path / "zones" / "example.com.yaml").write_text(
        "spf: none\ndmarc: unset\nsubdomains:\n  eu: {dmarc: unset}\n"
    )
    assert "refused" not in run("plan")[1]
    assert run("apply", "--yes")[0] == 0
    assert not [n for n in live_net(tmp_path) if "_report" in n]


def test_guard_reads_which_policy_domains_decide() -> None:
    name = "example.com._report._dmarc"
    before = [Record("example.net.", name, "TXT", 3600, ("v=DMARC1",))]
    change = RecordChange(
        "delete", name, f"{name}.example.net.", "TXT", 3600, None, ("v=DMARC1",), ()
    )
    assert policy_removals([change], before, [], report_policies={"example.com"}) == ()
    (removal,) = policy_removals([change], before, [], report_policies={"example.org"})
    assert (removal.fqdn, removal.kind, removal.refused) == (f"{name}.example.net.", "dmarc", True)


def test_the_docs_example_compiles_to_the_line_shown(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "spec-language.md").read_text()
    section = doc.split("## `dmarc:` and `tls_rpt:`", 1)[1].split("\n## ", 1)[0]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    shown = section.split("**Report authorization**", 1)[1].split("```\n", 2)[1]
    zone = net_zone(specs(tmp_path, policy=example))
    assert shown.strip() and shown in zone


# -- lint: a report domain outside the specs, offline and with --resolve ----------

OUTSIDE = """\
spf: none
dmarc:
  policy: reject
  rua: [mailto:agg@reports.partner.example, mailto:x@other.example]
  ruf: [mailto:f@broken.example]
"""


def test_lint_resolve_silences_a_published_authorization_and_keeps_a_missing_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dns_server
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "example.com.yaml").write_text(OUTSIDE)
    server = dns_server(
        {
            "example.com._report._dmarc.reports.partner.example": [("TXT", "v=DMARC1")],
            "example.com._report._dmarc.other.example": [("TXT", "unrelated=1")],
            "example.com._report._dmarc.broken.example": ["SERVFAIL"],
        }
    )
    code, offline, _ = run("lint", "--select", "DMARC108")
    assert code == 0
    assert offline.count("DMARC108") == 3 and "in these specs" in offline
    code, online, _ = run(
        "--nameserver",
        server.address,
        "--timeout",
        "1",
        "lint",
        "--resolve",
        "--select",
        "DMARC108",
    )
    assert code == 0
    lines = [line for line in online.splitlines() if "DMARC108" in line]
    assert len(lines) == 2, online
    assert lines[0] == (
        "zones/example.com.yaml:4:45: DMARC108 [warning] _dmarc.example.com.: reports to "
        "mailto:x@other.example likely go unsent: example.com._report._dmarc.other.example. "
        'publishes no TXT "v=DMARC1" (checked: not published)'
    )
    assert lines[1].startswith("zones/example.com.yaml:5:9: DMARC108 [warning]")
    assert "(checked: lookup failed: " in lines[1]
    assert "partner.example" not in online


def test_lint_in_the_run_is_silent_for_a_zone_of_the_specs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    specs(tmp_path)
    for args in (["zones/example.com.yaml"], []):  # a file is linted with its directory
        code, out, _ = run("lint", *args, "--select", "DMARC108")
        assert code == 0
        assert out.count("DMARC108") == 1 and "x@elsewhere.example" in out


def test_the_bundled_zones_show_it() -> None:
    """zones/example.net.yaml (parked) sends its reports to example.com, which authorizes them."""
    zones = Path(__file__).resolve().parents[2] / "zones"
    records = compile_zones(load_zones([zones]))
    (found,) = [r for r in records if "_report" in r.name]
    assert (found.zone, found.name, found.type, found.values) == (
        "example.com.",
        "example.net._report._dmarc",
        "TXT",
        ("v=DMARC1",),
    )
    assert found.location is not None and found.location.file.name == "example.net.yaml"
    alone = compile_zones(load_zones([zones / "example.com.yaml"]))
    assert not [r for r in alone if "_report" in r.name]


def test_spec_source_alone_reads_every_spec_of_its_directory(tmp_path: Path) -> None:
    """Plain octoDNS (no dnsspec session) gets the record too, and the same each populate."""
    from octodns.zone import Zone

    from dnsspec.octodns.source import SpecSource

    source = SpecSource("spec", directory=str(specs(tmp_path)))
    for _ in range(2):
        zone = Zone("example.net.", [])
        source.populate(zone)
        found = {(r.name, r._type): r.values for r in zone.records if "_report" in r.name}
        assert found == {
            ("example.com._report._dmarc", "TXT"): ["v=DMARC1"],
            ("eu.example.com._report._dmarc", "TXT"): ["v=DMARC1"],
            ("example.com._report._dmarc.reports", "TXT"): ["v=DMARC1"],
        }
    (tmp_path / "zones" / "example.com.yaml").unlink()  # the directory changed: read again
    zone = Zone("example.net.", [])
    source.populate(zone)
    assert not [r for r in zone.records if "_report" in r.name]


def test_check_looks_for_the_authorization_in_the_report_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dns_server
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    specs(tmp_path, policy="spf: none\ndmarc: {policy: reject, rua: [mailto:d@example.net]}\n")
    served = {"example.net": [("A", "192.0.2.80"), ("TXT", "v=spf1 -all")]}
    server = dns_server(served)
    code, out, _ = run("--nameserver", server.address, "check", "example.net", "--format", "json")
    assert code == 1, out
    rows = {(row["name"], row["type"]): row["status"] for row in json.loads(out)}
    assert rows == {
        ("example.net", "A"): "in-sync",
        ("example.net", "TXT"): "in-sync",
        ("example.com._report._dmarc.example.net", "TXT"): "missing",
    }, rows
    server = dns_server({**served, "example.com._report._dmarc.example.net": [("TXT", "v=DMARC1")]})
    assert run("--nameserver", server.address, "check", "example.net")[0] == 0
