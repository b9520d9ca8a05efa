"""SpecOwnership with octoDNS's own Manager and YamlProvider in a temp dir."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from octodns.manager import Manager

from dnsspec.errors import ConfigError
from dnsspec.octodns.ownership import SpecOwnership, owned_kinds
from dnsspec.txtkinds import is_spf

FOREIGN_TXT = 'weird\\value "quoted" end'


def write_config(tmp: Path, manage: str | None) -> Path:
    processor: dict[str, object] = {"class": "dnsspec.octodns.SpecOwnership"}
    if manage:
        processor["manage"] = manage
    config = {
        "providers": {
            "desired": {
                "class": "octodns.provider.yaml.YamlProvider",
                "directory": str(tmp / "desired"),
                "escaped_semicolons": True,
                "enforce_order": False,
            },
            "live": {
                "class": "octodns.provider.yaml.YamlProvider",
                "directory": str(tmp / "live"),
                "escaped_semicolons": True,
                "enforce_order": False,
                "root_ns_warnings": False,
            },
        },
        "processors": {"own": processor},
        "zones": {
            "example.com.": {"sources": ["desired"], "processors": ["own"], "targets": ["live"]}
        },
    }
    path = tmp / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def write_zone(directory: Path, data: dict[str, object]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "example.com.yaml").write_text(yaml.safe_dump(data, sort_keys=True))


def live(tmp: Path) -> dict[str, object]:
    data = yaml.safe_load((tmp / "live" / "example.com.yaml").read_text())
    assert isinstance(data, dict)
    return data


LIVE = {
    "": [
        {"type": "NS", "values": ["ns1.example.com.", "ns2.other.example."]},
        {
            "type": "TXT",
            "values": [
                "google-site-verification=abc123",
                FOREIGN_TXT,
                "v=spf1 ip4:192.0.2.1 -all",
            ],
        },
    ],
    "foreign": {"type": "A", "value": "192.0.2.99"},
    "ns1": {"type": "A", "value": "192.0.2.53"},
    "old": {"type": "TXT", "values": ["v=spf1 -all", "keep-me=1"]},
    "gone": {"type": "TXT", "value": "v=spf1 a -all"},
    "www": {"type": "A", "value": "192.0.2.10"},
}

DESIRED = {
    "": {"type": "TXT", "value": "v=spf1 ip4:192.0.2.0/24 -all"},
    "www": {"type": "A", "value": "192.0.2.20"},
}


def sync(config: Path) -> int:
    manager = Manager(str(config))
    return int(manager.sync(dry_run=False, force=True, plan_output_fh=io.StringIO()))


def test_owned_merge_keeps_foreign_records_and_values(tmp_path: Path) -> None:
    write_zone(tmp_path / "desired", DESIRED)
    write_zone(tmp_path / "live", LIVE)
    config = write_config(tmp_path, "owned")
    assert sync(config) == 4  # apex TXT, www A updated; old TXT trimmed; gone deleted
    assert live(tmp_path) == {
        "": [
            {"type": "NS", "values": ["ns1.example.com.", "ns2.other.example."]},
            {
                "type": "TXT",
                "values": [
                    "google-site-verification=abc123",
                    "v=spf1 ip4:192.0.2.0/24 -all",
                    FOREIGN_TXT,
                ],
            },
        ],
        "foreign": {"type": "A", "value": "192.0.2.99"},
        "ns1": {"type": "A", "value": "192.0.2.53"},
        "old": {"type": "TXT", "value": "keep-me=1"},
        "www": {"type": "A", "value": "192.0.2.20"},
    }
    assert sync(config) == 0  # converged


def test_manage_all_replaces_but_never_touches_ns(tmp_path: Path) -> None:
    write_zone(tmp_path / "desired", {**DESIRED, "ns1": {"type": "A", "value": "203.0.113.1"}})
    write_zone(tmp_path / "live", LIVE)
    config = write_config(tmp_path, "all")
    sync(config)
    assert live(tmp_path) == {
        "": [
            {"type": "NS", "values": ["ns1.example.com.", "ns2.other.example."]},
            {"type": "TXT", "value": "v=spf1 ip4:192.0.2.0/24 -all"},
        ],
        "ns1": {"type": "A", "value": "192.0.2.53"},
        "www": {"type": "A", "value": "192.0.2.20"},
    }
    assert sync(config) == 0


def test_without_spec_source_no_spf_value_is_dropped(tmp_path: Path) -> None:
    write_zone(tmp_path / "desired", DESIRED)
    write_zone(tmp_path / "live", LIVE)
    config = write_config(tmp_path, None)
    sync(config)
    data = live(tmp_path)
    assert data["gone"] == {"type": "TXT", "value": "v=spf1 a -all"}
    assert data["old"] == {"type": "TXT", "values": ["keep-me=1", "v=spf1 -all"]}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("v=spf1", True),
        ("v=spf1 -all", True),
        ("V=SPF1 a -all", True),
        ("v=spf10", False),
        ("v=spf1x", False),
        ("google-site-verification=v=spf1", False),
        ("", False),
    ],
)
def test_is_spf_value(value: str, expected: bool) -> None:
    assert is_spf(value) is expected


def test_every_kind_dnsspec_writes_is_its_own_in_a_managed_zone(tmp_path: Path) -> None:
    """Once the kinds table has DMARC, a v=DMARC1 at a name no spec manages is dnsspec's
    previous policy (removed, like v=spf1); another service's token there stays."""
    write_zone(tmp_path / "desired", DESIRED)
    write_zone(
        tmp_path / "live",
        {**LIVE, "_dmarc": {"type": "TXT", "values": ["v=DMARC1\\; p=none", "keep-me=1"]}},
    )
    manager = Manager(str(write_config(tmp_path, "owned")))
    processor = manager.processors["own"]
    assert processor.kinds == owned_kinds() >= {"spf"}
    processor.kinds = frozenset({"spf", "dmarc"})
    manager.sync(dry_run=False, force=True, plan_output_fh=io.StringIO())
    assert live(tmp_path)["_dmarc"] == {"type": "TXT", "value": "keep-me=1"}
    report = processor.reports[("example.com.", "live")]
    assert report.dropped[("_dmarc", "TXT")] == ("v=DMARC1\\; p=none",)


def test_an_invalid_manage_mode_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="processor own: manage must be owned or all, not 'some'"):
        SpecOwnership("own", manage="some")
