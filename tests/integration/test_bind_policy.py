"""The policy-removal guard against a real BIND 9 (issue 8, item 3)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from bind import BindServer, StartBind, soa_zone_file
from typer.testing import CliRunner

from dnsspec.cli import app

pytestmark = pytest.mark.integration

ZONE = "example.com."
SECRET_VAR = "DNSSPEC_TEST_TSIG_SECRET"
LIVE_ZONE = soa_zone_file(
    ZONE,
    '@ IN TXT "google-site-verification=abc123"\n'
    "@ IN MX 10 mx.example.com.\n"
    "mx IN A 192.0.2.25\n"
    "news IN MX 10 mx.example.com.\n",
)
SPEC = """\
ttl: 300
spf: {mechanisms: [mx, ip4:192.0.2.0/24], all: fail}
subdomains:
  news: {spf: {mechanisms: [mx], all: fail}}
  mx: {spf: none}
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@dataclass
class Project:
    path: Path
    server: BindServer


@pytest.fixture
def project(bind_server: StartBind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    server = bind_server({ZONE: LIVE_ZONE + 'old IN TXT "v=spf1 a -all"\n'})
    monkeypatch.setenv(SECRET_VAR, server.key_secret)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / f"{ZONE}yaml").write_text(SPEC)
    (tmp_path / "providers.yaml").write_text(
        "providers:\n"
        "  spec: {class: dnsspec.octodns.SpecSource, directory: ./zones}\n"
        "  bind:\n"
        "    class: octodns_bind.Rfc2136Provider\n"
        f"    host: 127.0.0.1\n    port: {server.port}\n    timeout: 5\n"
        f"    key_name: {server.key_name}\n    key_secret: env/{SECRET_VAR}\n"
        f"    key_algorithm: {server.key_algorithm}\n"
        f"zones:\n  {ZONE}:\n    sources: [spec]\n    targets: [bind]\n"
    )
    return Project(tmp_path, server)


def test_an_emptied_spec_is_refused_at_bind_until_the_flag(project: Project) -> None:
    server = project.server
    (project.path / "zones" / f"{ZONE}yaml").write_text(SPEC + "  old: {spf: unset}\n")
    assert run("apply", "--yes")[0] == 0
    assert server.txt(f"news.{ZONE}") == [b"v=spf1 mx -all"]
    applied = server.axfr(ZONE)
    (project.path / "zones" / f"{ZONE}yaml").write_text("# emptied by a bad merge\n")
    code, out, err = run("plan")
    assert (code, err) == (0, "")
    assert (
        "    news.example.com. loses its SPF record [refused without --allow-policy-removal]\n"
        '      - "v=spf1 mx -all"\n'
        "      no spec writes an SPF record there any more, and the name keeps MX records"
    ) in out
    assert "    example.com. loses its SPF record [refused" in out
    assert "    mx.example.com. loses its SPF record [refused" in out
    code, out, err = run("apply", "--yes", "--force")
    assert code == 2
    assert "error: the plan removes 3 mail policies (" in err and "nothing was applied" in err
    assert server.axfr(ZONE) == applied  # nothing reached the server
    code, out, _ = run("apply", "--yes", "--force", "--allow-policy-removal")
    assert code == 0 and "Applied 3 change(s)" in out
    assert server.txt(f"news.{ZONE}") == []
    assert server.txt(ZONE) == [b"google-site-verification=abc123"]  # the foreign value stays
    assert server.query(f"news.{ZONE}", "MX") == ["10 mx.example.com."]


def test_spf_unset_removes_at_bind_without_the_flag(project: Project) -> None:
    """A stale policy at a name without mail hosts goes when the spec says `spf: unset`."""
    server = project.server
    code, out, err = run("apply", "--yes")
    assert code == 2 and "(old.example.com. (spf))" in err  # the spec does not say so
    assert server.txt(f"old.{ZONE}") == [b"v=spf1 a -all"]
    (project.path / "zones" / f"{ZONE}yaml").write_text(SPEC + "  old: {spf: unset}\n")
    code, out, err = run("apply", "--yes")
    assert (code, err) == (0, "")
    assert "    old.example.com. loses its SPF record\n" in out
    assert server.txt(f"old.{ZONE}") == []
    assert run("plan", "--exit-code")[0] == 0
