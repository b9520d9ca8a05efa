"""dnsspec check against a real BIND 9: in sync after apply, then each drift kind when
a record is changed behind dnsspec's back with an RFC 2136 update; the MTA-STS policy
file from an HTTPS server on 127.0.0.1 (the probe tests' trustme server), found through
the A record BIND serves."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import dns.query
import dns.update
import pytest
from bind import BindServer, StartBind, soa_zone_file
from typer.testing import CliRunner

from dnsspec.cli import app

sys.path.insert(0, str(Path(__file__).parents[1] / "probe"))

from httpsserver import PolicyServer, Served
from smtpservers import Pki

pytestmark = pytest.mark.integration

ZONE = "example.com."
SPEC = """\
ttl: 300
spf:
  mechanisms: [ip4:192.0.2.0/24, include:_spf.example.com]
  all: fail
dmarc: {policy: reject}
subdomains:
  _spf: {spf: {mechanisms: [ip4:198.51.100.0/24], all: fail}}
records:
  www: {type: A, value: 192.0.2.10}
  dev: {type: NS, values: [ns1.dev.example.net., ns2.dev.example.net.]}   # a delegation
"""
SECRET_VAR = "DNSSPEC_TEST_TSIG_SECRET"


@pytest.fixture
def applied(bind_server: StartBind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BindServer:
    return apply_spec(bind_server, tmp_path, monkeypatch, SPEC)


def apply_spec(
    bind_server: StartBind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec: str
) -> BindServer:
    server = bind_server({ZONE: soa_zone_file(ZONE, '@ IN TXT "verification=abc"\n')})
    monkeypatch.setenv(SECRET_VAR, server.key_secret)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "example.com.yaml").write_text(spec)
    (tmp_path / "providers.yaml").write_text(
        "providers:\n  spec:\n    class: dnsspec.octodns.SpecSource\n"
        f"    directory: {tmp_path / 'zones'}\n"
        "  bind:\n    class: octodns_bind.Rfc2136Provider\n    host: 127.0.0.1\n"
        f"    port: {server.port}\n    timeout: 5\n    key_name: {server.key_name}\n"
        f"    key_secret: env/{SECRET_VAR}\n    key_algorithm: {server.key_algorithm}\n"
        f"zones:\n  {ZONE}:\n    sources: [spec]\n    targets: [bind]\n"
    )
    result = CliRunner().invoke(app, ["apply", "--yes"])
    assert result.exit_code == 0, result.output
    return server


def update(server: BindServer, change: dns.update.UpdateMessage) -> None:
    response = dns.query.tcp(change, "127.0.0.1", port=server.port, timeout=5)
    assert response.rcode() == 0


def check(server: BindServer, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = CliRunner().invoke(
        app, ["check", "--nameserver", server.address, "--format", "json", *args]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def statuses(rows: list[dict[str, object]]) -> dict[tuple[object, object], object]:
    return {(r["name"], r["type"]): r["status"] for r in rows}


IN_SYNC = {
    ("example.com", "TXT"): "in-sync",
    ("_dmarc.example.com", "TXT"): "in-sync",
    ("_spf.example.com", "TXT"): "in-sync",
    ("www.example.com", "A"): "in-sync",
    ("dev.example.com", "NS"): "in-sync",
}


def test_in_sync_after_apply_then_each_drift(applied: BindServer) -> None:
    code, rows = check(applied)
    assert (code, statuses(rows)) == (0, IN_SYNC)
    assert {r["server"] for r in rows} == {applied.address}
    # the live SPF lookup count of each policy (the apex's include costs 1), on its TXT row
    lookups = {r["name"]: r["spf_lookups"] for r in rows if r["type"] == "TXT"}
    assert lookups == {"example.com": 1, "_spf.example.com": 0, "_dmarc.example.com": None}

    change = dns.update.UpdateMessage(ZONE, keyring=applied.keyring())
    change.replace("www", 300, "A", "192.0.2.99")  # different
    change.delete("_spf", "TXT")  # missing
    change.add("@", 300, "TXT", '"v=spf1 -all"')  # a second SPF record: extra-own-kind
    update(applied, change)

    code, rows = check(applied)
    assert code == 1
    assert statuses(rows) == {
        **IN_SYNC,
        ("example.com", "TXT"): "extra-own-kind",
        ("_spf.example.com", "TXT"): "missing",
        ("www.example.com", "A"): "different",
    }
    # no count (not 0) where no one SPF record is served: none at _spf, two at the apex
    lookups = {r["name"]: r["spf_lookups"] for r in rows if r["type"] == "TXT"}
    assert lookups == {"example.com": None, "_spf.example.com": None, "_dmarc.example.com": None}
    www = next(r for r in rows if r["name"] == "www.example.com")
    assert (www["expected"], www["actual"]) == (["192.0.2.10"], ["192.0.2.99"])
    apex = next(r for r in rows if r["name"] == "example.com")
    assert apex["actual"] == [
        "v=spf1 -all",
        "v=spf1 ip4:192.0.2.0/24 include:_spf.example.com -all",
        "verification=abc",
    ]


def test_a_changed_policy_is_different(applied: BindServer) -> None:
    change = dns.update.UpdateMessage(ZONE, keyring=applied.keyring())
    change.replace("_dmarc", 300, "TXT", '"v=DMARC1; p=none"')
    update(applied, change)
    code, rows = check(applied)
    assert code == 1
    assert statuses(rows) == {**IN_SYNC, ("_dmarc.example.com", "TXT"): "different"}
    row = next(r for r in rows if r["name"] == "_dmarc.example.com")
    assert (row["expected"], row["actual"]) == (["v=DMARC1; p=reject"], ["v=DMARC1; p=none"])


def test_stale_lock_and_text_output(applied: BindServer) -> None:
    Path("dnsspec.lock").write_text(
        "version: 2\nnames:\n  _spf.example.com:\n    resolved_at: '2026-01-01T00:00:00Z'\n"
        "    answers:\n      TXT: ['v=spf1 ip4:203.0.113.0/24 -all']\n"
    )
    result = CliRunner().invoke(app, ["check", "--nameserver", applied.address])
    assert result.exit_code == 1
    assert "stale-lock      _spf.example.com TXT" in result.stdout
    assert "expected: ['v=spf1 ip4:203.0.113.0/24 -all']" in result.stdout
    assert "in-sync         www.example.com A" in result.stdout
    # the lookup count of each policy as served: the apex's include costs 1
    assert "live SPF lookups: example.com 1, _spf.example.com 0" in result.stdout


def test_a_zone_that_cannot_be_queried_exits_3_and_the_others_are_checked(
    applied: BindServer,
) -> None:
    Path("zones/example.org.yaml").write_text("spf: none\n")  # BIND does not serve it
    result = CliRunner().invoke(
        app, ["check", "--nameserver", applied.address, "--format", "json", "--timeout", "2"]
    )
    assert result.exit_code == 3
    assert statuses(json.loads(result.stdout)) == IN_SYNC
    assert "error: example.org" in result.stderr


def test_an_unknown_zone_argument_is_exit_2(applied: BindServer) -> None:
    result = CliRunner().invoke(app, ["check", "example.net", "--nameserver", applied.address])
    assert result.exit_code == 2
    assert "no spec for zone 'example.net'" in result.stderr


STS_SPEC = """\
ttl: 300
mta_sts: {mode: enforce}   # mx: the zone's MX hosts
records:
  "": {type: MX, value: {preference: 10, exchange: mx1.example.com.}}
  mx1: {type: A, value: 192.0.2.25}
  mta-sts: {type: A, value: 127.0.0.1}   # the policy host: the HTTPS server below
"""
POLICY = b"version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 604800\r\n"


def sts_id(policy: bytes) -> str:
    return hashlib.sha256(policy).hexdigest()[:32]


def test_the_mta_sts_policy_file_against_the_record_bind_serves(
    bind_server: StartBind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = apply_spec(bind_server, tmp_path, monkeypatch, STS_SPEC)
    assert server.txt("_mta-sts.example.com") == [f"v=STSv1; id={sts_id(POLICY)}".encode()]
    pki = Pki(tmp_path)
    served = Served(POLICY)
    with PolicyServer(pki.leaf("mta-sts.example.com"), served) as https:
        args = ["--mta-sts-port", str(https.port), "--ca-file", str(pki.ca_file)]
        code, rows = check(server, *args)
        assert (code, statuses(rows)) == (0, {
            ("example.com", "MX"): "in-sync",
            ("_mta-sts.example.com", "TXT"): "in-sync",
            ("mx1.example.com", "A"): "in-sync",
            ("mta-sts.example.com", "A"): "in-sync",
            ("mta-sts.example.com", "MTA-STS-POLICY"): "in-sync",
        })  # fmt: skip
        assert rows[-1]["server"] == f"127.0.0.1:{https.port}"

        # the web server's file changes behind the specs' back, then the record follows it
        served.body = POLICY.replace(b"enforce", b"testing")
        code, rows = check(server, *args)
        assert code == 1
        assert rows[-1]["status"] == "different"
        assert "the _mta-sts record's id=" in str(rows[-1]["detail"])
        change = dns.update.UpdateMessage(ZONE, keyring=server.keyring())
        change.replace("_mta-sts", 300, "TXT", f'"v=STSv1; id={sts_id(served.body)}"')
        update(server, change)
        code, rows = check(server, *args)
        assert code == 1
        assert statuses(rows)[("_mta-sts.example.com", "TXT")] == "different"
        assert rows[-1]["status"] == "different"
        assert rows[-1]["detail"] == (
            "line 2 differs: expected 'mode: enforce\\r\\n', served 'mode: testing\\r\\n'"
        )  # the record names the served file: no id note
