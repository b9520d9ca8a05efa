"""``dnsspec check`` fetches each MTA-STS policy over HTTPS and compares it byte for byte.

Real parts: an in-process DNS server on 127.0.0.1 serving the zone (``mta-sts.example.com``
is 127.0.0.1 there), and an HTTPS server on 127.0.0.1 (Python's ssl, a trustme
certificate for ``mta-sts.example.com``) serving a policy file. The expected file and
its id are written out here, not taken from dnsspec's renderer.
"""

from __future__ import annotations

import hashlib
import json
import socket
import time
from pathlib import Path

import pytest
from dnsserver import FixtureDnsServer
from httpsserver import PolicyServer, Served
from smtpservers import Pki
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.drift_mta_sts import first_difference

SPEC = """\
mta_sts: {mode: enforce, mx: [mx1.example.com]}
records:
  mta-sts: {type: A, value: 127.0.0.1}
"""
POLICY = b"version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 604800\r\n"
POLICY_ID = hashlib.sha256(POLICY).hexdigest()[:32]
SHOWN = "version: STSv1\\r\\nmode: enforce\\r\\nmx: mx1.example.com\\r\\nmax_age: 604800\\r\\n"
KEYS = {
    "zone",
    "name",
    "type",
    "status",
    "expected",
    "actual",
    "server",
    "spf_lookups",
    "spf_lookups_at_least",
    "detail",
}


@pytest.fixture
def zone(dns_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def start(
        record_id: str = POLICY_ID,
        address: str | None = "127.0.0.1",
        more: dict[str, list[tuple[str, str]]] | None = None,
    ) -> FixtureDnsServer:
        data: dict[str, list[tuple[str, str]]] = {
            "_mta-sts.example.com": [("TXT", f"v=STSv1; id={record_id}")],
        }
        if address:
            data["mta-sts.example.com"] = [("A", address)]
        data.update(more or {})
        return dns_server(data)  # type: ignore[no-any-return]

    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "example.com.yaml").write_text(SPEC)
    return start


def check(dns: FixtureDnsServer, port: int, *args: str, json_out: bool = True):  # type: ignore[no-untyped-def]
    fmt = ["--format", "json"] if json_out else []
    return CliRunner().invoke(
        app,
        ["check", "--nameserver", dns.address, "--mta-sts-port", str(port), "--timeout", "2",
         *fmt, *args],
    )  # fmt: skip


def policy_row(result) -> dict[str, object]:  # type: ignore[no-untyped-def]
    rows = json.loads(result.stdout)
    assert all(set(r) == KEYS for r in rows)
    (row,) = [r for r in rows if r["type"] == "MTA-STS-POLICY"]
    return row  # type: ignore[no-any-return]


def serve(pki: Pki, served: Served) -> PolicyServer:
    return PolicyServer(pki.leaf("mta-sts.example.com"), served)


def test_the_served_policy_is_in_sync(zone, pki: Pki) -> None:  # type: ignore[no-untyped-def]
    dns = zone()
    with serve(pki, Served(POLICY)) as https:
        result = check(dns, https.port, "--ca-file", str(pki.ca_file))
        assert https.requests == [("/.well-known/mta-sts.txt", "mta-sts.example.com")]
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["name"], r["type"], r["status"]) for r in rows] == [
        ("_mta-sts.example.com", "TXT", "in-sync"),
        ("mta-sts.example.com", "A", "in-sync"),
        ("mta-sts.example.com", "MTA-STS-POLICY", "in-sync"),
    ]
    assert policy_row(result) == {
        "zone": "example.com",
        "name": "mta-sts.example.com",
        "type": "MTA-STS-POLICY",
        "status": "in-sync",
        "expected": [SHOWN],
        "actual": [SHOWN],
        "server": f"127.0.0.1:{https.port}",
        "spf_lookups": None,
        "spf_lookups_at_least": None,
        "detail": None,
    }


@pytest.mark.parametrize(
    ("served", "detail"),
    [
        (POLICY.replace(b"604800", b"604801"),
         "line 4 differs: expected 'max_age: 604800\\r\\n', served 'max_age: 604801\\r\\n'"),
        (POLICY.replace(b"\r\n", b"\n"),
         "line 1 differs: expected 'version: STSv1\\r\\n', served 'version: STSv1\\n'"),
        (POLICY + b"mx: mx2.example.com\r\n",
         "the served file goes on after line 4: 'mx: mx2.example.com\\r\\n'"),
    ],
)  # fmt: skip
def test_a_changed_byte_is_different(zone, pki: Pki, served: bytes, detail: str) -> None:  # type: ignore[no-untyped-def]
    dns = zone()
    with serve(pki, Served(served)) as https:
        result = check(dns, https.port, "--ca-file", str(pki.ca_file))
    assert result.exit_code == 1, result.output
    row = policy_row(result)
    assert row["status"] == "different"
    assert row["expected"] == [SHOWN]
    assert row["actual"] == [_shown(served)]
    # the live _mta-sts id is the compiled file's, not the served one's: said too
    served_id = hashlib.sha256(served).hexdigest()[:32]
    assert row["detail"] == (
        f"{detail}; the _mta-sts record's id={POLICY_ID} is not the served file's "
        f"id={served_id}: senders that cached a policy under that id do not fetch this one"
    )


def _shown(data: bytes) -> str:
    return data.decode("ascii").replace("\r", "\\r").replace("\n", "\\n")


def test_a_changed_id_beside_an_in_sync_file_is_said(zone, pki: Pki) -> None:  # type: ignore[no-untyped-def]
    dns = zone(record_id="20260101")
    with serve(pki, Served(POLICY)) as https:
        result = check(dns, https.port, "--ca-file", str(pki.ca_file))
    assert result.exit_code == 1, result.output  # the TXT row drifted
    rows = {(r["name"], r["type"]): r["status"] for r in json.loads(result.stdout)}
    assert rows[("_mta-sts.example.com", "TXT")] == "different"
    row = policy_row(result)
    assert row["status"] == "in-sync"
    assert row["detail"] == (
        f"the _mta-sts record's id=20260101 is not the served file's id={POLICY_ID}: "
        "senders that cached a policy under that id do not fetch this one"
    )


def test_a_404_is_missing(zone, pki: Pki) -> None:  # type: ignore[no-untyped-def]
    dns = zone()
    with serve(pki, Served(b"", status=404)) as https:
        result = check(dns, https.port, "--ca-file", str(pki.ca_file))
    assert result.exit_code == 1, result.output
    row = policy_row(result)
    assert (row["status"], row["actual"]) == ("missing", [])
    assert row["detail"] == "HTTP 404: mta-sts.example.com serves no /.well-known/mta-sts.txt"


def test_a_policy_host_without_an_address_is_missing(zone) -> None:  # type: ignore[no-untyped-def]
    Path("zones/example.com.yaml").write_text("mta_sts: {mode: enforce, mx: [mx1.example.com]}\n")
    result = check(zone(address=None), 443)
    assert result.exit_code == 1, result.output
    row = policy_row(result)
    assert (row["status"], row["server"]) == ("missing", "")
    assert row["detail"] == "mta-sts.example.com has no address (A or AAAA)"


def test_a_cname_chain_is_followed_to_the_policy_host(zone, pki: Pki) -> None:  # type: ignore[no-untyped-def]
    Path("zones/example.com.yaml").write_text(
        "mta_sts: {mode: enforce, mx: [mx1.example.com]}\n"
        "records:\n  mta-sts: {type: CNAME, value: sts.hosting.example.net.}\n"
    )
    dns = zone(
        address=None,
        more={
            "mta-sts.example.com": [("CNAME", "sts.hosting.example.net")],
            "sts.hosting.example.net": [("A", "127.0.0.1")],
        },
    )
    with serve(pki, Served(POLICY)) as https:
        result = check(dns, https.port, "--ca-file", str(pki.ca_file))
    assert result.exit_code == 0, result.output
    assert policy_row(result)["status"] == "in-sync"


def test_a_cname_to_a_name_without_an_address_is_missing(zone) -> None:  # type: ignore[no-untyped-def]
    # an authoritative server answers a CNAME out of its zone alone: check asks for the
    # target too, and names the chain
    Path("zones/example.com.yaml").write_text(
        "mta_sts: {mode: enforce, mx: [mx1.example.com]}\n"
        "records:\n  mta-sts: {type: CNAME, value: sts.hosting.example.net.}\n"
    )
    dns = zone(address=None, more={"mta-sts.example.com": [("CNAME", "sts.hosting.example.net")]})
    result = check(dns, 443)
    assert result.exit_code == 1, result.output
    row = policy_row(result)
    assert (row["status"], row["detail"]) == (
        "missing",
        "mta-sts.example.com has no address: mta-sts.example.com → sts.hosting.example.net "
        "(CNAME) ends there",
    )


def test_an_untrusted_certificate_is_an_error_exit_3(zone, pki: Pki) -> None:  # type: ignore[no-untyped-def]
    dns = zone()
    with serve(pki, Served(POLICY)) as https:  # the trustme CA, not in the system store
        result = check(dns, https.port)
    assert result.exit_code == 3, result.output
    row = policy_row(result)
    assert (row["status"], row["actual"]) == ("error", [])
    assert "certificate is not valid for mta-sts.example.com" in str(row["detail"])
    assert "error: example.com: https://mta-sts.example.com/.well-known/mta-sts.txt" in (
        result.stderr
    )


def test_a_certificate_for_another_name_is_an_error(zone, pki: Pki) -> None:  # type: ignore[no-untyped-def]
    dns = zone()
    with PolicyServer(pki.leaf("www.example.com"), Served(POLICY)) as https:
        result = check(dns, https.port, "--ca-file", str(pki.ca_file))
    assert result.exit_code == 3, result.output
    assert "certificate is not valid for mta-sts.example.com" in str(policy_row(result)["detail"])


def test_a_silent_policy_host_times_out_within_the_bound(zone) -> None:  # type: ignore[no-untyped-def]
    dns = zone()
    with socket.socket() as silent:  # accepts TCP (the backlog), never says a word of TLS
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        started = time.monotonic()
        result = CliRunner().invoke(
            app,
            ["check", "--nameserver", dns.address, "--mta-sts-port", str(port),
             "--timeout", "0.5", "--format", "json"],
        )  # fmt: skip
        elapsed = time.monotonic() - started
    assert result.exit_code == 3, result.output
    row = policy_row(result)
    assert row["status"] == "error"
    assert "timed out" in str(row["detail"]) or "no answer within" in str(row["detail"])
    assert elapsed < 3


def test_the_text_output_shows_the_difference(zone, pki: Pki) -> None:  # type: ignore[no-untyped-def]
    dns = zone()
    with serve(pki, Served(POLICY.replace(b"enforce", b"testing"))) as https:
        result = check(dns, https.port, "--ca-file", str(pki.ca_file), json_out=False)
    assert result.exit_code == 1, result.output
    assert "different       mta-sts.example.com MTA-STS-POLICY" in result.stdout
    assert f"    expected: {SHOWN}\n" in result.stdout
    assert "    line 2 differs: expected 'mode: enforce\\r\\n', served 'mode: testing\\r\\n'" in (
        result.stdout
    )


def test_first_difference_when_the_served_file_is_shorter() -> None:
    assert first_difference(POLICY, POLICY[:-12]) == (
        "line 4 differs: expected 'max_age: 604800\\r\\n', served 'max_a'"
    )
    assert first_difference(POLICY, b"version: STSv1\r\n") == (
        "the served file ends after line 1: expected 'mode: enforce\\r\\n'"
    )


def test_a_ca_file_that_is_not_pem_is_exit_2(zone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "ca.pem").write_text("not a certificate\n")
    result = check(zone(), 443, "--ca-file", str(tmp_path / "ca.pem"))
    assert result.exit_code == 2
    assert "--ca-file" in result.stderr and "not a PEM file" in result.stderr
    assert "Traceback" not in result.output
