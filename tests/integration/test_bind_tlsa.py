"""TLSA and MTA-STS published to a real BIND 9 and read back with no change (issue 12)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from bind import StartBind, soa_zone_file
from typer.testing import CliRunner

from dnsspec.cli import app

pytestmark = pytest.mark.integration

ZONE = "example.com."
SECRET_VAR = "DNSSPEC_TEST_TSIG_SECRET"
A = "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1"
B = "01fe0b0f172727e466e9091279d28871969f1d763dddc969066ec63828f0f0cd"
SPEC = f"""\
ttl: 300
spf: none
mta_sts: {{mode: enforce}}
tls_rpt: {{rua: [mailto:tls@example.com]}}
records:
  "": {{type: MX, value: {{preference: 10, exchange: mx1.example.com.}}}}
  mta-sts: {{type: A, value: 192.0.2.80}}
subdomains:
  mx1:
    tlsa:
      - {{usage: 3, selector: 1, matching: 1, data: {A}}}
      - {{usage: 3, selector: 1, matching: 1, data: {B}}}
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_tlsa_and_mta_sts_round_trip_through_bind(
    bind_server: StartBind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = bind_server({ZONE: soa_zone_file(ZONE, f"_443._tcp.www IN TLSA 3 1 1 {A}\n")})
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
    code, out, err = run("plan")
    assert (code, err) == (0, ""), err
    assert f"_25._tcp.mx1.example.com.: + 3 1 1 {B[:16]}…" in out
    assert "(serve the new policy file first)" in out
    assert run("apply", "--yes")[0] == 0
    assert server.query(f"_25._tcp.mx1.{ZONE}", "TLSA") == [f"3 1 1 {B}", f"3 1 1 {A}"]
    policy = CliRunner().invoke(app, ["mta-sts", "policy", "example.com"]).stdout_bytes
    assert server.txt(f"_mta-sts.{ZONE}") == [
        f"v=STSv1; id={hashlib.sha256(policy).hexdigest()[:32]}".encode()
    ]
    assert server.query(f"_443._tcp.www.{ZONE}", "TLSA") == [f"3 1 1 {A}"]  # foreign stays
    assert run("plan", "--exit-code") == (0, "No changes: 1 zone(s) in sync.\n", "")
