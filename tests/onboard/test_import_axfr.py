"""The issue's end-to-end round trip: a BIND zone → `dnsspec import --from axfr` → `dnsspec plan`
against that same BIND says "No changes"."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

from bind import BindServer, named_available, soa_zone_file

from dnsspec.cli import app

pytestmark = pytest.mark.integration

ZONE = "example.com."
SECRET_VAR = "DNSSPEC_IMPORT_TSIG_SECRET"
LIVE = soa_zone_file(
    ZONE,
    # mail records …
    "@ IN MX 10 mx1\n"
    '@ IN TXT "v=spf1 mx ip4:192.0.2.0/24 include:_spf.example.com -all"\n'
    '@ IN TXT "google-site-verification=abc123"\n'
    '_spf IN TXT "v=spf1 ip4:198.51.100.0/24 " "-all"\n'  # two strings
    'legacy 300 IN TXT "v=spf1 +MX  ~all"\n'  # kept as written
    'lists IN TXT "v=spf1 a -all" "" \n'
    "lists IN A 192.0.2.20\n"
    '_dmarc IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com"\n'
    's1._domainkey IN TXT "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC"\n'
    "_25._tcp.mx1 IN TLSA 3 1 1 "
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
    "mx1 IN A 192.0.2.25\n"
    # … and foreign ones, URI/OPENPGPKEY among them (a spec cannot carry those)
    "www 600 IN A 192.0.2.80\n"
    "shop IN CNAME shops.example.net.\n"
    '@ IN CAA 0 issue "letsencrypt.org"\n'
    "_sip._tcp IN SRV 10 5 5060 sip.example.net.\n"
    "dev IN NS ns1.dev.example.net.\n"
    'u IN URI 10 1 "https://example.com/"\n'
    "k IN OPENPGPKEY AQID\n",
)


@pytest.fixture
def bind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[BindServer]:
    if not named_available():
        message = "BIND 9 (named) is not installed: apt-get install bind9 (make test does)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    server = BindServer(tmp_path / "bind", {ZONE: LIVE})
    server.start()
    monkeypatch.setenv(SECRET_VAR, server.key_secret)
    yield server
    server.stop()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def providers(tmp_path: Path, server: BindServer) -> Path:
    config = tmp_path / "providers.yaml"
    config.write_text(
        "providers:\n"
        "  spec:\n"
        "    class: dnsspec.octodns.SpecSource\n"
        f"    directory: {tmp_path / 'zones'}\n"
        "  bind:\n"
        "    class: octodns_bind.Rfc2136Provider\n"
        "    host: 127.0.0.1\n"
        f"    port: {server.port}\n"
        "    timeout: 5\n"
        f"    key_name: {server.key_name}\n"
        f"    key_secret: env/{SECRET_VAR}\n"
        f"    key_algorithm: {server.key_algorithm}\n"
        "zones:\n"
        "  '*':\n"
        "    sources: [spec]\n"
        "    targets: [bind]\n"
    )
    return config


def test_axfr_import_then_plan_shows_no_changes(bind: BindServer, tmp_path: Path) -> None:
    tsig = f"{bind.key_algorithm}:{bind.key_name}:{bind.key_secret}"
    code, out, err = run(
        "import", "example.com", "--from", "axfr", "--nameserver", bind.address,
        "--tsig-key", tsig, "--out", str(tmp_path / "zones"),
    )  # fmt: skip
    assert (code, err) == (0, ""), out
    assert "not imported: u URI" in out and "not imported: k OPENPGPKEY" in out
    assert "SPF at @: an spf: mapping" in out
    assert "SPF at legacy: kept as written under records:" in out
    text = (tmp_path / "zones" / "example.com.yaml").read_text()
    assert "include:_spf.example.com" in text and "google-site-verification=abc123" in text

    # the one change: the marker that claims the imported DKIM selector for dnsspec
    code, out, err = run("plan", "--config", str(providers(tmp_path, bind)))
    assert (code, err) == (0, ""), out
    assert out.startswith(
        "example.com. → bind: 1 to create, 0 to update, 0 to delete\n"
        "  + _dnsspec._domainkey.example.com. TXT 3600\n"
        '      + "v=dnsspec1 selectors=s1"\n'
    ), out


def test_a_refused_axfr_is_a_per_domain_error(bind: BindServer, tmp_path: Path) -> None:
    code, _out, err = run(
        "import", "example.com", "--from", "axfr", "--nameserver", bind.address,
        "--out", str(tmp_path / "zones"),
    )  # fmt: skip
    assert code == 1
    assert f"example.com.: error: example.com.: AXFR from 127.0.0.1:{bind.port} refused" in err
    assert "--tsig-key" in err
    assert not (tmp_path / "zones").exists()
