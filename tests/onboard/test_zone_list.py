"""CFG101/CFG102: lint holds the specs against providers.yaml's zone list (so pre-commit does)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.importer.scaffold import PROVIDERS_YAML
from dnsspec.lint import run_lint
from dnsspec.spec.load import load_zones

SPEC = "spf: none\n"
EXPLICIT = """\
providers:
  spec:
    class: dnsspec.octodns.SpecSource
    directory: ./zones
  live:
    class: octodns.provider.yaml.YamlProvider
    directory: ./.dnsspec-live
zones:
  example.com.:
    sources: [spec]
    targets: [live]
  example.org.:
    sources: [spec]
    targets: [live]
  other.example.:
    sources: [live]
    targets: [live]
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
    return tmp_path


def findings(repo: Path, config: str, specs: list[str]) -> list[tuple[str, str, int, int, str]]:
    for zone in specs:
        (repo / "zones" / f"{zone}.yaml").write_text(SPEC)
    (repo / "providers.yaml").write_text(textwrap.dedent(config))
    zones = load_zones([repo / "zones"])
    found = run_lint(zones, select=["CFG"], config=repo / "providers.yaml")
    return [(f.code, f.location.file.name, f.location.line, f.location.col, f.zone) for f in found]


def test_a_spec_without_a_zone_entry_and_an_entry_without_a_spec(repo: Path) -> None:
    got = findings(repo, EXPLICIT, ["example.com", "example.net"])
    assert got == [
        ("CFG102", "providers.yaml", 12, 3, "example.org."),
        ("CFG101", "example.net.yaml", 1, 1, "example.net."),
    ]


def test_the_dynamic_zone_list_covers_every_spec(repo: Path) -> None:
    assert findings(repo, PROVIDERS_YAML, ["example.com", "example.net"]) == []


def test_an_explicit_entry_overrides_the_dynamic_one(repo: Path) -> None:
    config = PROVIDERS_YAML + "  example.net.:\n    sources: [live]\n    targets: [live]\n"
    got = findings(repo, config, ["example.com", "example.net"])
    assert got == [("CFG101", "example.net.yaml", 1, 1, "example.net.")]


def test_a_glob_limits_the_dynamic_entry(repo: Path) -> None:
    config = PROVIDERS_YAML.replace(
        "    sources: [spec]\n", "    sources: [spec]\n    glob: '*.com.'\n", 1
    )
    got = findings(repo, config, ["example.com", "example.net"])
    assert got == [("CFG101", "example.net.yaml", 1, 1, "example.net.")]


def test_specs_elsewhere_are_not_this_configurations_business(repo: Path, tmp_path: Path) -> None:
    config = EXPLICIT.replace("directory: ./zones", "directory: ./other-zones")
    assert findings(repo, config, ["example.net"]) == []


def test_lint_reads_providers_yaml_when_present(repo: Path) -> None:
    (repo / "zones" / "example.com.yaml").write_text(SPEC)
    (repo / "zones" / "example.net.yaml").write_text(SPEC)
    runner = CliRunner()
    assert runner.invoke(app, ["lint"]).exit_code == 0  # no providers.yaml: nothing to match
    (repo / "providers.yaml").write_text(EXPLICIT)
    result = runner.invoke(app, ["lint"])
    assert result.exit_code == 1
    assert "zones/example.net.yaml:1:1: CFG101 [error]" in result.stdout
    assert (
        "providers.yaml:12:3: CFG102 [error] zone example.org. in providers.yaml has no spec"
        in result.stdout
    )
    assert "hint: add 'example.net.' under zones: in providers.yaml" in result.stdout
    suppressed = runner.invoke(app, ["lint", "--ignore", "CFG"])
    assert suppressed.exit_code == 0
