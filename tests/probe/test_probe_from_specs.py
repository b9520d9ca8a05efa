"""probe smtp --from-specs: the certificate is matched against the TLSA records the specs write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dnsserver import StartServer
from smtpservers import HOST, OddServer, Pki, mx_zone, server_context, tlsa_3_1_1
from typer.testing import CliRunner

from dnsspec.cli import app

OTHER = "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1"


def _spec(tmp: Path, port: int, *digests: str) -> None:
    entries = "".join(
        f"  - {{usage: 3, selector: 1, matching: 1, data: {d}, port: {port}}}\n" for d in digests
    )
    (tmp / "zones").mkdir()
    (tmp / "zones" / f"{HOST}.yaml").write_text(f"spf: none\ntlsa:\n{entries}")  # the apex


@pytest.mark.parametrize("matching", [True, False])
def test_dane_uses_the_specs_tlsa_records(
    pki: Pki,
    dns_server: StartServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    matching: bool,
) -> None:
    leaf = pki.leaf(HOST)
    monkeypatch.chdir(tmp_path)
    with OddServer(tls=server_context(leaf)) as server:
        own = tlsa_3_1_1(leaf).split()[3]
        _spec(tmp_path, server.port, OTHER, *([own] if matching else []))
        dns = dns_server(mx_zone(server.port))  # DNS publishes no TLSA yet
        result = CliRunner().invoke(
            app,
            ["probe", "smtp", HOST, "--port", str(server.port), "--nameserver", dns.address,
             "--ca-file", str(pki.ca_file), "--from-specs", "--format", "json"],
        )  # fmt: skip
    assert result.stdout, result.output
    report = json.loads(result.stdout)
    (dane,) = [s for s in report["steps"] if s["step"] == "dane"]
    assert dane["detail"]["source"] == "specs"
    assert dane["ok"] is matching, dane
    assert result.exit_code == (0 if matching else 1), result.output


def test_from_specs_with_an_invalid_spec_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / f"{HOST}.yaml").write_text("spf: none\ntlsa: [{usage: 9}]\n")
    result = CliRunner().invoke(app, ["probe", "smtp", HOST, "--from-specs"])
    assert result.exit_code == 2 and f"{HOST}.yaml:2:" in result.stderr
