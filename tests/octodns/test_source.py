"""SpecSource inside a plain octoDNS configuration, driven by octoDNS's own Manager."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from octodns.manager import Manager
from octodns.zone import Zone

from dnsspec.errors import ConfigError, SpecError
from dnsspec.octodns import SpecSource

SPEC = """\
ttl: 600
spf:
  mechanisms: [ip4:192.0.2.0/24]
  all: fail
subdomains:
  _dmarc:
    spf: none
records:
  "": {type: TXT, value: 'k=v\\; other=1'}     # octoDNS's record format escapes ';'
  www: {type: A, value: 192.0.2.10}
"""


def write(tmp: Path, processors: bool) -> Path:
    (tmp / "zones").mkdir()
    (tmp / "zones" / "example.org.yaml").write_text(SPEC)
    zone: dict[str, object] = {"sources": ["spec"], "targets": ["out"]}
    config: dict[str, object] = {
        "providers": {
            "spec": {"class": "dnsspec.octodns.SpecSource", "directory": str(tmp / "zones")},
            "out": {
                "class": "octodns.provider.yaml.YamlProvider",
                "directory": str(tmp / "out"),
                "escaped_semicolons": True,
            },
        },
        "zones": {"example.org.": zone},
    }
    if processors:
        config["processors"] = {"own": {"class": "dnsspec.octodns.SpecOwnership"}}
        zone["processors"] = ["own"]
    path = tmp / "octodns.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.mark.parametrize("processors", [False, True])
def test_plain_octodns_sync(tmp_path: Path, processors: bool) -> None:
    manager = Manager(str(write(tmp_path, processors)))
    assert manager.sync(dry_run=False, plan_output_fh=io.StringIO()) == 3
    data = yaml.safe_load((tmp_path / "out" / "example.org.yaml").read_text())
    assert data == {
        "": {
            "ttl": 600,
            "type": "TXT",
            "values": ["k=v\\; other=1", "v=spf1 ip4:192.0.2.0/24 -all"],
        },
        "_dmarc": {"ttl": 600, "type": "TXT", "value": "v=spf1 -all"},
        "www": {"ttl": 600, "type": "A", "value": "192.0.2.10"},
    }
    assert manager.sync(dry_run=False, plan_output_fh=io.StringIO()) == 0


def test_populate_records_carry_the_spec_location(tmp_path: Path) -> None:
    (tmp_path / "example.org.yaml").write_text(SPEC)
    source = SpecSource("spec", directory=str(tmp_path))
    zone = Zone("example.org.", [])
    assert source.populate(zone) is True
    assert source.manage_mode("example.org.") == "owned"
    www = next(r for r in zone.records if r.name == "www")
    # the context is the spec Location, formatted where octoDNS names it (f"…, {context}"):
    # a populate that raises nothing computes no spec positions
    assert f"{www.context}" == f"{tmp_path / 'example.org.yaml'}:10:8"
    assert source.list_zones() == ["example.org."]
    assert source.populate(Zone("example.org.", []), target=True) is False


def test_populate_errors(tmp_path: Path) -> None:
    source = SpecSource("spec", directory=str(tmp_path))
    with pytest.raises(ConfigError) as missing:
        source.populate(Zone("example.org.", []))
    assert missing.value.message == (
        f"zone example.org. has no spec: {tmp_path}/example.org.yaml does not exist "
        f"(source spec, directory {tmp_path})"
    )
    (tmp_path / "example.org.yaml").write_text("spf: [1]\n")
    with pytest.raises(SpecError):
        source.populate(Zone("example.org.", []))
