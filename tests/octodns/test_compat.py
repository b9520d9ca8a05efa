"""One test per touch of octoDNS beyond its documented contracts (dnsspec.octodns.compat).

When an octoDNS upgrade changes one of them, the test named after it fails here.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml
from octodns.manager import Manager, ManagerException
from octodns.record import Record
from octodns.record.change import Create, Delete, Update
from octodns.zone import Zone

from dnsspec.octodns import compat


def txt(zone: Zone, name: str, *values: str) -> Any:
    return Record.new(zone, name, {"type": "TXT", "ttl": 300, "values": list(values)})


def legacy_rrs(record: Any) -> tuple[str, int, str, list[str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Record.rrs is deprecated (octodns-bind still uses it)
        rrs: tuple[str, int, str, list[str]] = record.rrs
    return rrs


def test_record_type() -> None:
    zone = Zone("example.com.", [])
    assert compat.record_type(txt(zone, "", "a")) == "TXT"
    mx = Record.new(
        zone,
        "",
        {"type": "MX", "ttl": 300, "value": {"preference": 10, "exchange": "mx.example.com."}},
    )
    assert compat.record_type(mx) == "MX"


def test_rdata_text() -> None:
    zone = Zone("example.com.", [])
    mx = Record.new(
        zone,
        "",
        {"type": "MX", "ttl": 300, "value": {"preference": 10, "exchange": "mx.example.com."}},
    )
    assert compat.rdata_text(mx.values[0]) == "10 mx.example.com."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # octoDNS deprecates str values without to_rdata_text
        assert compat.rdata_text("plain") == "plain"


def test_change_action() -> None:
    zone = Zone("example.com.", [])
    a, b = txt(zone, "", "a"), txt(zone, "", "b")
    assert [compat.change_action(c) for c in (Create(a), Update(a, b), Delete(a))] == [
        "create",
        "update",
        "delete",
    ]


def test_faithful_twin_keeps_backslashes_in_the_legacy_rendering() -> None:
    zone = Zone("example.com.", [])
    record = txt(zone, "", "a\\b")  # the value a\b
    # octoDNS's own rendering does not escape it: a server reads "a\b" as ab
    assert legacy_rrs(record)[3] == ['"a\\b"']
    twin = compat.faithful_twin(record, zone)
    assert compat.is_faithful(twin) and not compat.is_faithful(record)
    assert legacy_rrs(twin)[3] == ['"a\\\\b"']
    assert (compat.record_type(twin), twin.data) == ("TXT", record.data)
    assert record.changes(twin, target=_Target()) is None  # octoDNS sees no difference


def test_whole_rrset_twin_renders_no_rdata() -> None:
    zone = Zone("example.com.", [])
    record = txt(zone, "", "v=spf1 -all")
    twin = compat.whole_rrset_twin(record, zone)
    assert compat.is_whole_rrset(twin) and not compat.is_whole_rrset(record)
    assert legacy_rrs(twin) == ("example.com.", 300, "TXT", [])
    assert twin.data == record.data


def test_live_zone() -> None:
    zone = Zone("example.com.", ["sub"])
    zone.add_record(txt(zone, "", "x"))
    live = compat.live_zone(zone)
    assert (live.name, set(live.sub_zones), len(live.records)) == ("example.com.", {"sub"}, 0)


def test_record_zone_is_an_empty_zone_records_can_be_built_against() -> None:
    zone = compat.record_zone("bücher.example.")
    assert (zone.name, zone.decoded_name, len(zone.records)) == (
        "xn--bcher-kva.example.",
        "bücher.example.",
        0,
    )
    assert txt(zone, "www", "x").fqdn == "www.xn--bcher-kva.example."  # never added to it
    assert zone.hostname_from_fqdn("www.bücher.example.") == "www"  # the lazy regexes
    assert compat.record_zone("example.org.").records == set()  # each name its own zone
    assert compat.record_zone("example.org.").name == "example.org."
    with pytest.raises(Exception, match="missing ending dot"):
        compat.record_zone("example.com")


class _Target:
    id = "t"
    SUPPORTS_GEO = False
    SUPPORTS_DYNAMIC = False

    def supports(self, record: Any) -> bool:
        return True


class _Output:
    def __init__(self) -> None:
        self.plans: list[tuple[Any, Any]] = []

    def run(self, plans: list[tuple[Any, Any]], *args: Any, **kwargs: Any) -> None:
        self.plans = list(plans)


class _Mark:
    """A processor that records the zones it saw."""

    def __init__(self) -> None:
        self.id = "mark"
        self.seen: list[str] = []

    def process_source_zone(self, desired: Any, sources: Any, lenient: bool = False) -> Any:
        self.seen.append(desired.decoded_name)
        return desired

    def __getattr__(self, name: str) -> Any:
        if name.startswith("process_"):
            return lambda zone, *args, **kwargs: (
                zone if name != "process_source_and_target_zones" else (zone, args[0])
            )
        raise AttributeError(name)


def manager(tmp: Path, zones: dict[str, Any]) -> Manager:
    desired = tmp / "desired"
    desired.mkdir()
    for zone in ("example.com.", "sub.example.com.", "example.net."):
        (desired / f"{zone}yaml").write_text(
            yaml.safe_dump({"": {"type": "A", "value": "192.0.2.1"}})
        )
    config = {
        "providers": {
            "desired": {
                "class": "octodns.provider.yaml.YamlProvider",
                "directory": str(desired),
                "escaped_semicolons": False,
            },
            "live": {
                "class": "octodns.provider.yaml.YamlProvider",
                "directory": str(tmp / "live"),
                "escaped_semicolons": False,
                "root_ns_warnings": False,
            },
        },
        "zones": zones,
    }
    (tmp / "config.yaml").write_text(yaml.safe_dump(config))
    return Manager(str(tmp / "config.yaml"), enable_checksum=True)


ZONE = {"sources": ["desired"], "targets": ["live"]}


def test_expand_zones_expands_dynamic_configs_in_place(tmp_path: Path) -> None:
    m = manager(tmp_path, {"*": {**ZONE, "glob": "*.com."}})
    zones = compat.expand_zones(m)
    assert sorted(zones) == ["example.com.", "sub.example.com."]
    assert m.config["zones"] is zones  # Manager.sync sees the same expansion


def test_capture_plan_outputs_and_plans_checksum(tmp_path: Path) -> None:
    m = manager(tmp_path, {"example.com.": ZONE, "example.net.": ZONE})
    output = _Output()
    compat.capture_plan_outputs(m, output)
    fh = io.StringIO()
    assert m.sync(dry_run=True, plan_output_fh=fh) == 0
    assert fh.getvalue() == ""  # nothing printed: the plans went to our output
    assert sorted(p.desired.name for _, p in output.plans) == ["example.com.", "example.net."]
    checksum = compat.plans_checksum(output.plans)
    with pytest.raises(ManagerException, match=f"does not match computed={checksum}"):
        m.sync(dry_run=False, checksum="0" * 64, plan_output_fh=fh)
    assert m.sync(dry_run=False, checksum=checksum, plan_output_fh=fh) == 2


def test_add_processor(tmp_path: Path) -> None:
    m = manager(tmp_path, {"example.com.": {**ZONE, "processors": ["mark"]}})
    mark = _Mark()
    compat.add_processor(m, "mark", mark)
    m.sync(dry_run=True, plan_output_fh=io.StringIO())
    assert mark.seen == ["example.com."]


def test_only_zone_shows_sync_one_zone_and_keeps_sub_zones(tmp_path: Path) -> None:
    m = manager(tmp_path, {"example.com.": ZONE, "sub.example.com.": ZONE, "example.net.": ZONE})
    output = _Output()
    compat.capture_plan_outputs(m, output)
    zones = m.config["zones"]
    with compat.only_zone(m, "example.com."):
        assert list(m.config["zones"]) == ["example.com."]
        m.sync(eligible_zones=["example.com."], dry_run=True, plan_output_fh=io.StringIO())
    assert m.config["zones"] is zones
    [(_, plan)] = output.plans
    assert set(plan.desired.sub_zones) == {"sub"}  # octoDNS still knows the other zones


def test_unreadable_rrs_names_the_records_octodns_cannot_parse() -> None:
    from octodns.record.rr import Rr

    class Provider:  # octodns-bind's shape: the zone as presentation-format records
        def zone_records(self, zone: Any, target: bool) -> list[Any]:
            return [
                Rr("ok.example.com.", "TXT", 300, '"caf\\195\\169"'),
                Rr("bad.example.com.", "TXT", 300, '"x\\200y"'),
                Rr("www.example.com.", "A", 300, "192.0.2.1"),
            ]

    zone = Zone("example.com.", [])
    assert compat.unreadable_rrs(Provider(), zone) == [
        (
            "bad.example.com.",
            "TXT",
            '"x\\200y"',
            "its bytes are not UTF-8 text, which is how octoDNS reads TXT values",
        )
    ]
    assert compat.unreadable_rrs(object(), zone) == []  # no zone_records: nothing to name


def test_shows_desired_reads_the_target_once_and_compares_with_the_plan(tmp_path: Path) -> None:
    """``shows_desired`` (``_include_change``, ``_extra_changes``): True only when the
    target's records are the plan's desired ones, per octoDNS's own comparison."""
    m = manager(tmp_path, {"example.com.": ZONE})
    output = _Output()
    compat.capture_plan_outputs(m, output)
    m.sync(dry_run=True, plan_output_fh=io.StringIO())
    checksum = compat.plans_checksum(output.plans)
    assert m.sync(dry_run=False, checksum=checksum, plan_output_fh=io.StringIO()) == 1
    ((target, plan),) = output.plans
    assert compat.shows_desired(target, plan)
    live = tmp_path / "live" / "example.com.yaml"
    data = yaml.safe_load(live.read_text())
    name = next(iter(data))
    entry = data[name][0] if isinstance(data[name], list) else data[name]
    entry["ttl"] = 12345  # the provider shows another TTL for one record
    live.write_text(yaml.safe_dump(data))
    assert not compat.shows_desired(target, plan)
    live.unlink()  # and none of the records
    assert not compat.shows_desired(target, plan)


def test_read_target_and_zone_state_compare_two_reads(tmp_path: Path) -> None:
    """``zone_shape``/``read_target`` read a target as ``BaseProvider.plan`` does;
    ``zone_state`` of two reads is equal exactly when the target shows the same."""
    m = manager(tmp_path, {"example.com.": ZONE})
    target = m.providers["live"]
    (tmp_path / "live").mkdir()
    live = tmp_path / "live" / "example.com.yaml"
    live.write_text(yaml.safe_dump({"www": {"type": "A", "value": "192.0.2.1"}}))
    shape = compat.zone_shape(m.get_zone("example.com."))
    first = compat.read_target(target, shape)
    assert first.name == "example.com." and [r.name for r in first.records] == ["www"]
    state = compat.zone_state(first, True)
    assert compat.zone_state(compat.read_target(target, shape), True) == state
    live.write_text(yaml.safe_dump({"www": {"type": "A", "value": "192.0.2.2"}}))
    assert compat.zone_state(compat.read_target(target, shape), True) != state
    live.write_text(yaml.safe_dump({"www": {"type": "A", "value": "192.0.2.1", "ttl": 60}}))
    assert compat.zone_state(compat.read_target(target, shape), True) != state
    assert compat.zone_state(first, False) != state  # a zone that exists vs one that does not
