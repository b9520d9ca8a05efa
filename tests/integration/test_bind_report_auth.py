"""DMARC report authorization published to a real BIND 9 in the other zone (issue 10)."""

from __future__ import annotations

from pathlib import Path

import dns.query
import dns.update
import pytest
from bind import BindServer, StartBind, soa_zone_file
from typer.testing import CliRunner

from dnsspec.cli import app

pytestmark = pytest.mark.integration

POLICY, REPORTS = "example.com.", "example.net."
NAME = f"example.com._report._dmarc.{REPORTS}"
SECRET_VAR = "DNSSPEC_TEST_TSIG_SECRET"
RUA = "rua: [mailto:dmarc@example.com, mailto:agg@example.net]"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _project(server: BindServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(SECRET_VAR, server.key_secret)
    monkeypatch.chdir(tmp_path)
    zones = tmp_path / "zones"
    zones.mkdir()
    (tmp_path / "providers.yaml").write_text(
        "providers:\n"
        "  spec: {class: dnsspec.octodns.SpecSource, directory: ./zones}\n"
        "  bind:\n"
        "    class: octodns_bind.Rfc2136Provider\n"
        f"    host: 127.0.0.1\n    port: {server.port}\n    timeout: 5\n"
        f"    key_name: {server.key_name}\n    key_secret: env/{SECRET_VAR}\n"
        f"    key_algorithm: {server.key_algorithm}\n"
        "zones:\n"
        + "".join(f"  {z}:\n    sources: [spec]\n    targets: [bind]\n" for z in (POLICY, REPORTS))
    )
    (zones / f"{REPORTS}yaml").write_text("ttl: 300\nspf: none\n")
    return zones / f"{POLICY}yaml"


def test_the_authorization_is_published_beside_a_foreign_value_and_removed_with_the_rua(
    bind_server: StartBind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = bind_server({POLICY: soa_zone_file(POLICY, ""), REPORTS: soa_zone_file(REPORTS, "")})
    spec = _project(server, tmp_path, monkeypatch)
    spec.write_text(f"ttl: 300\nspf: none\ndmarc: {{policy: reject, {RUA}}}\n")
    code, out, err = run("plan", "--zone", "example.net")
    assert (code, err) == (0, "")
    assert f'  + {NAME} TXT 300\n      + "v=DMARC1"\n' in out
    assert run("apply", "--yes")[0] == 0
    assert server.txt(NAME) == [b"v=DMARC1"]

    # another service adds its own value there, outside dnsspec
    update = dns.update.UpdateMessage(
        REPORTS, keyring=server.keyring(), keyalgorithm=server.key_algorithm
    )
    update.add(NAME, 300, "TXT", '"other-token=1"')
    dns.query.tcp(update, "127.0.0.1", port=server.port, timeout=5)
    assert run("plan", "--exit-code")[0] == 0  # the foreign value is not dnsspec's to touch

    spec.write_text("ttl: 300\nspf: none\ndmarc: {policy: reject, rua: [mailto:d@example.com]}\n")
    code, out, _ = run("plan")
    assert code == 0 and "Policy removals" not in out
    assert run("apply", "--yes")[0] == 0
    assert server.txt(NAME) == [b"other-token=1"]
    assert run("plan", "--exit-code")[0] == 0
