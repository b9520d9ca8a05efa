"""probe smtp against a real Postfix (Debian's package) configured like the seed's TLS
section, and against one that still accepts TLS 1.0, which the probe must flag."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from dnsserver import StartServer
from postfix import PostfixServer, postfix_available
from smtpservers import HOST, Pki, mx_zone, tlsa_3_1_1
from typer.testing import CliRunner

from dnsspec.cli import app

pytestmark = pytest.mark.integration


@pytest.fixture
def postfix(pki: Pki) -> Iterator[Any]:
    """``server = postfix(leaf, legacy=False)``: a running Postfix; stopped (and checked
    to have left no process behind) when the test ends."""
    if not postfix_available():
        message = "Postfix is not installed (and root): apt-get install postfix (make test does)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    started: list[PostfixServer] = []

    def start(leaf: Any, *, legacy: bool = False) -> PostfixServer:
        cert, key = pki.write(leaf, f"postfix{len(started)}")
        server = PostfixServer(cert, key, legacy=legacy)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()
        left, log = server.processes_left(), server.maillog
        server.remove()
        assert not left, f"Postfix left processes behind:\n{log}"


def probe(*args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(app, ["probe", "smtp", *args, "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def by_step(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["step"]: s for s in report["steps"]}


def test_postfix_configured_like_the_seed(postfix: Any, pki: Pki, dns_server: StartServer) -> None:
    leaf = pki.leaf(HOST)
    server = postfix(leaf)
    dns = dns_server(mx_zone(server.port, tlsa_3_1_1(leaf)))
    code, report = probe(
        HOST,
        "--port",
        str(server.port),
        "--nameserver",
        dns.address,
        "--ca-file",
        str(pki.ca_file),
        "--helo",
        "client.test",
        "--tls-versions",
        "--from",
        "probe@client.test",
        "--rcpt",
        "postmaster@mx.test",
        "--send-test",
    )
    steps = by_step(report)
    assert code == 0, json.dumps(report, indent=2) + server.maillog
    assert steps["banner"]["reply"] == f"220 {HOST} ESMTP Postfix"
    assert "250-STARTTLS" in steps["ehlo"]["reply"]
    assert "STARTTLS" not in steps["tls_ehlo"]["reply"]
    assert steps["tls"]["detail"]["version"] == "TLSv1.3"
    assert (
        steps["certificate"]["detail"]["trusted"] and steps["certificate"]["detail"]["matches_host"]
    )
    assert steps["dane"]["detail"]["result"] == "match"
    assert steps["mail_from"]["reply"] == "250 2.1.0 Ok"
    assert steps["rcpt_to"]["reply"] == "250 2.1.5 Ok"
    assert steps["data"]["reply"].startswith("354 ")
    assert steps["message"]["reply"].startswith("250 2.0.0 Ok: queued as ")
    assert steps["quit"]["reply"] == "221 2.0.0 Bye"
    versions = steps["tls_versions"]["detail"]
    assert {v: versions[v] for v in ("SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")} == {
        "SSLv3": "refused",
        "TLSv1.0": "refused",
        "TLSv1.1": "refused",
        "TLSv1.2": "accepted",
        "TLSv1.3": "accepted",
    }
    assert versions["tester"] == "sslyze"
    assert "queued as" in server.maillog or "discard" in server.maillog


def test_postfix_still_accepting_tls_1_0_is_flagged(
    postfix: Any, pki: Pki, dns_server: StartServer
) -> None:
    server = postfix(pki.leaf(HOST), legacy=True)
    dns = dns_server(mx_zone(server.port))
    code, report = probe(
        HOST,
        "--port",
        str(server.port),
        "--nameserver",
        dns.address,
        "--ca-file",
        str(pki.ca_file),
        "--tls-versions",
    )
    assert code == 1
    assert [s["step"] for s in report["steps"] if not s["ok"]] == ["tls_versions"]
    versions = by_step(report)["tls_versions"]["detail"]
    assert versions["TLSv1.0"] == "accepted" and versions["TLSv1.1"] == "accepted"
    assert versions["TLSv1.2"] == "accepted" and versions["SSLv3"] == "refused"
    assert versions["error"] == "TLSv1.0, TLSv1.1 accepted: refuse TLS older than 1.2"


def test_a_tlsa_record_for_another_key_does_not_match_postfix(
    postfix: Any, pki: Pki, dns_server: StartServer
) -> None:
    server = postfix(pki.leaf(HOST))
    dns = dns_server(mx_zone(server.port, tlsa_3_1_1(pki.leaf(HOST))))
    code, report = probe(
        HOST,
        "--port",
        str(server.port),
        "--nameserver",
        dns.address,
        "--ca-file",
        str(pki.ca_file),
    )
    assert code == 1
    assert [s["step"] for s in report["steps"] if not s["ok"]] == ["dane"]
    assert by_step(report)["dane"]["detail"]["result"] == "no match"
