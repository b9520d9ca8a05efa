"""A project with the embedded YamlProvider target, for plan/apply tests of the kinds.

Import from tests under ``tests/kinds`` as ``from plan_project import …``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dnsspec.cli import app

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
  example.org.:
    sources: [spec]
    targets: [live]
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def project(tmp: Path, monkeypatch: pytest.MonkeyPatch, spec: str, live: object) -> None:
    monkeypatch.chdir(tmp)
    (tmp / "zones").mkdir()
    (tmp / "zones" / "example.org.yaml").write_text(spec)
    (tmp / "providers.yaml").write_text(CONFIG)
    (tmp / ".dnsspec-live").mkdir()
    (tmp / ".dnsspec-live" / "example.org.yaml").write_text(yaml.safe_dump(live))


def live_state(tmp: Path) -> object:
    return yaml.safe_load((tmp / ".dnsspec-live" / "example.org.yaml").read_text())
