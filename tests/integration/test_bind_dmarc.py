"""dmarc: and mx: none published to a real BIND 9 beside foreign records (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path

import dns.query
import dns.update
import pytest
from bind import BindServer, StartBind, soa_zone_file
from typer.testing import CliRunner

from dnsspec.cli import app

pytestmark = pytest.mark.integration

ZONE = "example.com."
SECRET_VAR = "DNSSPEC_TEST_TSIG_SECRET"
# foreign values at _dmarc, to survive byte for byte (one with a ';' octoDNS escapes)
FOREIGN = ("google-site-verification=abc", 'esp-token=a; b="c"')


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _project(server: BindServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(SECRET_VAR, server.key_secret)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
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
    return tmp_path / "zones" / f"{ZONE}yaml"


def _dmarc_lines(server: BindServer) -> list[str]:
    return [line for line in server.axfr(ZONE) if line.startswith(f"_dmarc.{ZONE} ")]


def test_p_none_to_reject_at_bind_leaves_one_dmarc_record_and_the_foreign_values(
    bind_server: StartBind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = bind_server({ZONE: soa_zone_file(ZONE, "")})
    spec = _project(server, tmp_path, monkeypatch)
    rua = "rua: [mailto:dmarc@example.com, mailto:agg@example.com]"
    spec.write_text(f"ttl: 300\nspf: none\ndmarc: {{policy: none, {rua}}}\n")
    assert run("apply", "--yes")[0] == 0
    dmarc = b"v=DMARC1; p=none; rua=mailto:dmarc@example.com,mailto:agg@example.com"
    assert server.txt(f"_dmarc.{ZONE}") == [dmarc]

    # another service adds its own values at _dmarc, outside dnsspec
    update = dns.update.UpdateMessage(
        ZONE, keyring=server.keyring(), keyalgorithm=server.key_algorithm
    )
    for value in FOREIGN:
        update.add(f"_dmarc.{ZONE}", 300, "TXT", '"' + value.replace('"', '\\"') + '"')
    dns.query.tcp(update, "127.0.0.1", port=server.port, timeout=5)
    assert server.txt(f"_dmarc.{ZONE}") == sorted([dmarc, *(v.encode() for v in FOREIGN)])

    rua = "rua: [mailto:dmarc@example.com]"
    spec.write_text(f"ttl: 300\nspf: none\ndmarc: {{policy: reject, {rua}}}\n")
    code, out, err = run("plan")
    assert (code, err) == (0, ""), err
    assert (
        "  DMARC:\n"
        f"    _dmarc.{ZONE} p: none → reject\n"
        f"    _dmarc.{ZONE} rua − mailto:agg@example.com\n"
    ) in out
    for value in FOREIGN:  # the rrset line shows them kept, the DMARC section never
        assert f"      = {json.dumps(value)} (not dnsspec's: kept as is)\n" in out
        assert out.count(json.dumps(value)) == 1
    code, out, err = run("plan", "--format", "markdown")
    assert "| `_dmarc.example.com.` | `p: none → reject`<br>`rua − mailto:agg@example.com` |" in out
    assert run("apply", "--yes")[0] == 0

    values = server.txt(f"_dmarc.{ZONE}")
    assert [v for v in values if v.startswith(b"v=DMARC1")] == [
        b"v=DMARC1; p=reject; rua=mailto:dmarc@example.com"
    ]
    assert sorted(v for v in values if not v.startswith(b"v=DMARC1")) == sorted(
        v.encode() for v in FOREIGN
    )
    # over AXFR too: three TXT records at _dmarc, nothing else there
    lines = _dmarc_lines(server)
    assert len(lines) == 3 and all(" TXT " in line for line in lines)
    assert sum("v=DMARC1" in line for line in lines) == 1
    assert run("plan", "--exit-code") == (0, "No changes: 1 zone(s) in sync.\n", "")


def test_a_foreign_mx_where_the_spec_says_mx_none_is_refused_before_any_push(
    bind_server: StartBind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = "shop IN MX 10 mx.example.net.\nwww IN A 192.0.2.1\n"
    server = bind_server({ZONE: soa_zone_file(ZONE, live)})
    spec = _project(server, tmp_path, monkeypatch)
    # the spec changes other names too: none of it may be pushed
    spec.write_text(
        "ttl: 300\nspf: none\ndmarc: {policy: reject}\nsubdomains:\n  shop: {spf: none, mx: none}\n"
    )
    before = server.axfr(ZONE)
    for command in (["plan"], ["apply", "--yes"]):
        code, _, err = run(*command)
        assert code == 2 and "Traceback" not in err, err
        assert "shop.example.com.: the spec makes it a null MX (`mx: none`" in err
        assert "(mx.example.net.)" in err and "nothing was changed" in err
    assert server.axfr(ZONE) == before
    assert server.query(f"shop.{ZONE}", "MX") == ["10 mx.example.net."]
