"""probe smtp's command line: invalid input is exit 2 with a hint and no traceback; the
text output shows every step with the server's reply."""

from __future__ import annotations

from pathlib import Path

import pytest
from dnsserver import StartServer
from smtpservers import HOST, OddServer, Pki, mx_zone, server_context, tlsa_3_1_1
from typer.testing import CliRunner

from dnsspec.cli import app


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (["bad host!"], "HOST 'bad host!' is not a host name", "HOST mx1.example.com"),
        (["mx.test", "--helo", "a b"], "--helo 'a b' is not a host name", "--helo mx1"),
        (["mx.test", "--from", "no-at-sign"], "--from 'no-at-sign' is not a mail", "--from"),
        (["mx.test", "--rcpt", "a@b.test"], "--rcpt needs --from", "--from probe@"),
        (["mx.test", "--from", "a@b.test", "--send-test"], "--send-test needs", "--rcpt"),
    ],
)
def test_invalid_input_exits_2_with_a_hint(args: list[str], message: str, hint: str) -> None:
    result = CliRunner().invoke(app, ["probe", "smtp", *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "hint:" in result.stderr and hint in result.stderr
    assert "Traceback" not in result.output


def test_a_ca_file_that_is_not_pem_exits_2(tmp_path: Path) -> None:
    bogus = tmp_path / "ca.pem"
    bogus.write_text("not a certificate\n")
    result = CliRunner().invoke(app, ["probe", "smtp", HOST, "--ca-file", str(bogus)])
    assert result.exit_code == 2
    assert "not a PEM file of CA certificates" in result.stderr


def test_a_port_out_of_range_exits_2() -> None:
    result = CliRunner().invoke(app, ["probe", "smtp", HOST, "--port", "70000"])
    assert result.exit_code == 2


def test_text_output_shows_each_step_and_the_verdict(pki: Pki, dns_server: StartServer) -> None:
    leaf = pki.leaf(HOST)
    with OddServer(tls=server_context(leaf)) as server:
        dns = dns_server(mx_zone(server.port, tlsa_3_1_1(leaf)))
        result = CliRunner().invoke(
            app,
            [
                "probe",
                "smtp",
                HOST,
                "--port",
                str(server.port),
                "--nameserver",
                dns.address,
                "--ca-file",
                str(pki.ca_file),
                "--from",
                "me@client.test",
                "--rcpt",
                "postmaster@mx.test",
            ],
        )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{HOST}:{server.port}"
    marks = [line.split()[:2] for line in lines if line.startswith("  ok") or "FAIL" in line]
    assert [m[1] for m in marks] == [
        "resolve",
        "connect",
        "banner",
        "ehlo",
        "starttls",
        "tls",
        "certificate",
        "dane",
        "tls_ehlo",
        "mail_from",
        "rcpt_to",
        "quit",
    ]
    assert all(m[0] == "ok" for m in marks)
    text = result.stdout
    assert f"220 {HOST} Python SMTP" in text
    assert "250-STARTTLS" in text or "STARTTLS" in text
    assert f"names {HOST}" in text and "chain trusted" in text
    assert f"match at _{server.port}._tcp.{HOST} (dns)" in text
    assert lines[-1] == "every check passed (exit 0)"


@pytest.mark.parametrize("command", ["smtp", "mx"])
def test_help_names_the_extra_that_tests_old_tls(command: str) -> None:
    result = CliRunner().invoke(app, ["probe", command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "pip install 'dnsspec[probe]'" in result.stdout  # not eaten as rich markup
