"""dnsspec plan/apply against a real BIND 9 through octodns-bind's RFC 2136 provider."""

from __future__ import annotations

from pathlib import Path

import pytest
from bind import BindServer, StartBind, soa_zone_file
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.spf import check_host

pytestmark = pytest.mark.integration

ZONE = "example.com."
WEIRD = b'weird\\value "quoted" end'
LIVE_ZONE = soa_zone_file(
    ZONE,
    "foreign IN A 192.0.2.99\n"
    '@ IN TXT "google-site-verification=abc123"\n'
    '@ IN TXT "weird\\\\value \\"quoted\\" end"\n'
    '@ IN TXT "v=spf1 a -all"\n'
    'old IN TXT "v=spf1 -all"\n'
    'split IN TXT "v=spf1 ip4:198.51.100.1 " "-all"\n'  # two strings: deleted all the same
    'mixed IN TXT "v=spf1 -all"\n'
    'mixed IN TXT "MS=ms12345"\n',
)
SPEC = """\
ttl: 300
spf:
  mechanisms: [ip4:192.0.2.0/24, include:_spf.example.com]
  all: fail
subdomains:
  _spf:
    spf:
      mechanisms: [ip4:198.51.100.0/24]
      all: fail
  old: {spf: unset}                 # the live policies here go, as the spec says
  split: {spf: unset}
  mixed: {spf: unset}
records:
  www: {type: A, value: 192.0.2.10}
"""
SECRET_VAR = "DNSSPEC_TEST_TSIG_SECRET"


def project(tmp: Path, server: BindServer, *, port: int | None = None, timeout: int = 5) -> Path:
    (tmp / "zones").mkdir(exist_ok=True)
    (tmp / "zones" / f"{ZONE}yaml").write_text(SPEC)
    config = tmp / "providers.yaml"
    config.write_text(
        "providers:\n"
        "  spec:\n"
        "    class: dnsspec.octodns.SpecSource\n"
        f"    directory: {tmp / 'zones'}\n"
        "  bind:\n"
        "    class: octodns_bind.Rfc2136Provider\n"
        "    host: 127.0.0.1\n"
        f"    port: {port or server.port}\n"
        f"    timeout: {timeout}\n"
        f"    key_name: {server.key_name}\n"
        f"    key_secret: env/{SECRET_VAR}\n"
        f"    key_algorithm: {server.key_algorithm}\n"
        "zones:\n"
        f"  {ZONE}:\n"
        "    sources: [spec]\n"
        "    targets: [bind]\n"
    )
    return config


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def foreign_lines(server: BindServer) -> list[str]:
    """Everything a spec does not own, as AXFR lines (to compare byte for byte)."""
    return [
        line
        for line in server.axfr(ZONE)
        if "v=spf1" not in line and not line.startswith(("www.", "_spf."))
    ]


@pytest.fixture
def live(bind_server: StartBind, monkeypatch: pytest.MonkeyPatch) -> BindServer:
    server = bind_server({ZONE: LIVE_ZONE})
    monkeypatch.setenv(SECRET_VAR, server.key_secret)
    return server


def test_apply_pushes_records_and_keeps_foreign_ones(live: BindServer, tmp_path: Path) -> None:
    config = project(tmp_path, live)
    before = foreign_lines(live)
    code, out, err = run("apply", "--config", str(config), "--yes")
    assert (code, err) == (0, "")
    assert "Applied 6 change(s)" in out
    assert live.txt(ZONE) == sorted(
        [
            b"google-site-verification=abc123",
            WEIRD,
            b"v=spf1 ip4:192.0.2.0/24 include:_spf.example.com -all",
        ]
    )
    assert live.txt(f"_spf.{ZONE}") == [b"v=spf1 ip4:198.51.100.0/24 -all"]
    assert live.query(f"www.{ZONE}", "A") == ["192.0.2.10"]
    assert live.txt(f"old.{ZONE}") == []  # a policy no spec has any more is removed
    assert live.txt(f"split.{ZONE}") == []  # however the server split its strings
    assert live.txt(f"mixed.{ZONE}") == [b"MS=ms12345"]  # ... and only that value
    assert live.query(f"foreign.{ZONE}", "A") == ["192.0.2.99"]
    assert live.query(ZONE, "NS") == [f"ns1.{ZONE}"]
    after = foreign_lines(live)
    # the foreign records and TXT values survive byte for byte (TTL of the set aside)
    assert [line for line in after if not line.startswith(f"{ZONE} ")] == [
        line for line in before if not line.startswith(f"{ZONE} ")
    ]
    assert f'{ZONE} 300 TXT "weird\\\\value \\"quoted\\" end"' in after

    # check_host against the live server
    ns = [live.address]
    assert check_host("192.0.2.7", f"a@{ZONE[:-1]}", nameservers=ns).result == "pass"
    assert check_host("198.51.100.7", f"a@{ZONE[:-1]}", nameservers=ns).result == "pass"
    assert check_host("203.0.113.7", f"a@{ZONE[:-1]}", nameservers=ns).result == "fail"

    # a second apply changes nothing
    assert run("apply", "--config", str(config), "--yes") == (
        0,
        "No changes: 1 zone(s) in sync.\n",
        "",
    )
    assert run("plan", "--config", str(config), "--exit-code")[0] == 0


SPEC_WITH_PARTNER = """\
ttl: 300
spf:
  mechanisms: [ip4:192.0.2.0/24, include:_spf.example.com, include:_partner.example.com]
  all: fail
subdomains:
  _spf:
    spf:
      mechanisms: [ip4:198.51.100.0/24]
      all: fail
  _partner:
    spf:
      mechanisms: [ip4:203.0.113.0/24]
      all: fail
records:
  www: {type: A, value: 192.0.2.10}
"""


def test_plan_markdown_shows_lookup_delta_and_new_ranges(live: BindServer, tmp_path: Path) -> None:
    config = project(tmp_path, live)
    assert run("apply", "--config", str(config), "--yes")[0] == 0
    (tmp_path / "zones" / f"{ZONE}yaml").write_text(SPEC_WITH_PARTNER)
    code, out, err = run("plan", "--config", str(config), "--format", "markdown", "--exit-code")
    assert (code, err) == (1, "")
    assert "| `example.com.` | 1 → 2 | `include:_partner.example.com`<br>" in out
    assert "`ip4:203.0.113.0/24 (via _partner.example.com)`" in out
    assert "`google-site-verification=abc123` *(kept: not dnsspec's)*" in out
