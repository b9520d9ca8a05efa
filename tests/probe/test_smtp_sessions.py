"""probe smtp against aiosmtpd: a clean session, and each odd behaviour a real MTA
will not produce on demand, with the failing step, the exit code and the time it took."""

from __future__ import annotations

import json
import ssl
import time
from typing import Any

import pytest
from dnsserver import StartServer
from smtpservers import HOST, OddServer, Pki, mx_zone, server_context, tlsa_3_1_1
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.probe import SmtpOptions, probe_smtp


def run(*args: str) -> tuple[int, dict[str, Any], float]:
    start = time.monotonic()
    result = CliRunner().invoke(app, ["probe", "smtp", *args, "--format", "json"])
    elapsed = time.monotonic() - start
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout), elapsed


def failed(report: dict[str, Any]) -> list[str]:
    return [s["step"] for s in report["steps"] if not s["ok"]]


def steps(report: dict[str, Any]) -> list[str]:
    return [s["step"] for s in report["steps"]]


def test_a_clean_session_passes_every_step(pki: Pki, dns_server: StartServer) -> None:
    leaf = pki.leaf(HOST)
    with OddServer(tls=server_context(leaf)) as server:
        dns = dns_server(mx_zone(server.port, tlsa_3_1_1(leaf)))
        code, report, _ = run(
            HOST,
            "--port",
            str(server.port),
            "--nameserver",
            dns.address,
            "--ca-file",
            str(pki.ca_file),
            "--helo",
            "client.test",
            "--from",
            "probe@client.test",
            "--rcpt",
            "postmaster@mx.test",
        )
    assert code == 0, report
    assert steps(report) == [
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
    by_name = {s["step"]: s for s in report["steps"]}
    assert by_name["banner"]["reply"].startswith(f"220 {HOST} ")
    assert by_name["banner"]["detail"]["names_host"] is True
    assert "STARTTLS" in by_name["ehlo"]["reply"]
    assert by_name["tls"]["detail"]["version"] in ("TLSv1.2", "TLSv1.3")
    cert = by_name["certificate"]["detail"]
    assert cert["names"] == [HOST] and cert["trusted"] and cert["matches_host"]
    assert cert["days_left"] > 300
    assert by_name["dane"]["detail"]["result"] == "match"
    assert by_name["rcpt_to"]["reply"] == "250 2.1.5 Ok"
    assert all(s["ms"] >= 0 for s in report["steps"])
    assert all(set(s) == {"step", "ok", "ms", "reply", "detail"} for s in report["steps"])
    assert set(report) == {"host", "port", "ok", "exit", "steps"}


def test_send_test_sends_data_and_reports_the_queue_reply(
    pki: Pki, dns_server: StartServer
) -> None:
    leaf = pki.leaf(HOST)
    with OddServer(tls=server_context(leaf)) as server:
        dns = dns_server(mx_zone(server.port))
        report = probe_smtp(
            SmtpOptions(
                HOST,
                server.port,
                nameservers=(dns.address,),
                ca_file=pki.ca_file,
                mail_from="probe@client.test",
                rcpt_to="postmaster@mx.test",
                send_test=True,
            )
        )
        messages = server.handler.messages
    assert report.exit_code == 0, report
    message = report.step("message")
    assert message is not None and message.reply == "250 2.0.0 Ok: queued as 4TEST"
    assert len(messages) == 1 and b"Subject: dnsspec probe test message" in messages[0]


def test_without_send_test_no_data_is_sent(pki: Pki, dns_server: StartServer) -> None:
    with OddServer(tls=server_context(pki.leaf(HOST))) as server:
        dns = dns_server(mx_zone(server.port))
        report = probe_smtp(
            SmtpOptions(
                HOST,
                server.port,
                nameservers=(dns.address,),
                ca_file=pki.ca_file,
                mail_from="probe@client.test",
                rcpt_to="postmaster@mx.test",
            )
        )
        assert server.handler.messages == []
    assert report.step("data") is None and report.exit_code == 0


def test_a_rejected_recipient_is_reported_with_its_text(pki: Pki, dns_server: StartServer) -> None:
    with OddServer(tls=server_context(pki.leaf(HOST))) as server:
        dns = dns_server(mx_zone(server.port))
        code, report, _ = run(
            HOST,
            "--port",
            str(server.port),
            "--nameserver",
            dns.address,
            "--ca-file",
            str(pki.ca_file),
            "--from",
            "probe@client.test",
            "--rcpt",
            "nobody@mx.test",
        )
    assert code == 1
    assert failed(report) == ["rcpt_to"]
    rcpt = report["steps"][steps(report).index("rcpt_to")]
    assert "User unknown" in rcpt["reply"] and "User unknown" in rcpt["detail"]["error"]
    assert steps(report)[-1] == "quit"


def test_no_starttls_offered_is_plaintext_only(dns_server: StartServer) -> None:
    with OddServer(tls=None) as server:
        dns = dns_server(mx_zone(server.port))
        code, report, _ = run(
            HOST, "--port", str(server.port), "--nameserver", dns.address, "--tls-versions"
        )
    assert code == 1
    assert failed(report) == ["starttls"]  # and no tls_versions: there is no TLS to rate
    assert "plaintext" in report["steps"][steps(report).index("starttls")]["detail"]["error"]
    assert steps(report)[-1] == "quit"


def test_a_handshake_that_fails_is_reported_at_the_tls_step(
    pki: Pki, dns_server: StartServer
) -> None:
    # the server speaks at most TLS 1.1, the probe's session at least TLS 1.2
    tls = server_context(pki.leaf(HOST), max_version=ssl.TLSVersion.TLSv1_1)
    with OddServer(tls=tls) as server:
        dns = dns_server(mx_zone(server.port))
        code, report, elapsed = run(
            HOST,
            "--port",
            str(server.port),
            "--nameserver",
            dns.address,
            "--timeout",
            "2",
            "--ca-file",
            str(pki.ca_file),
        )
    assert code == 1
    assert failed(report) == ["tls"]
    assert report["steps"][-1]["detail"]["error"].startswith("TLS handshake failed")
    assert elapsed < 5


def test_an_expired_certificate_fails_the_certificate_step(
    pki: Pki, dns_server: StartServer
) -> None:
    leaf = pki.leaf(HOST, expired=True)
    with OddServer(tls=server_context(leaf)) as server:
        dns = dns_server(mx_zone(server.port, tlsa_3_1_1(leaf)))
        code, report, _ = run(
            HOST,
            "--port",
            str(server.port),
            "--nameserver",
            dns.address,
            "--ca-file",
            str(pki.ca_file),
        )
    assert code == 1
    assert failed(report) == ["certificate"]
    cert = report["steps"][steps(report).index("certificate")]["detail"]
    assert "expired" in cert["error"] and cert["days_left"] < 0
    assert cert["trusted"] is False  # OpenSSL refuses an expired chain too
    # the probe reconnected without verification, so DANE was still checked, and matched
    assert report["steps"][steps(report).index("dane")]["detail"]["result"] == "match"


def test_a_certificate_for_another_name_fails(pki: Pki, dns_server: StartServer) -> None:
    with OddServer(tls=server_context(pki.leaf("other.test"))) as server:
        dns = dns_server(mx_zone(server.port))
        code, report, _ = run(
            HOST,
            "--port",
            str(server.port),
            "--nameserver",
            dns.address,
            "--ca-file",
            str(pki.ca_file),
        )
    assert code == 1
    assert failed(report) == ["certificate"]
    cert = report["steps"][steps(report).index("certificate")]["detail"]
    assert cert["matches_host"] is False and cert["trusted"] is True
    assert cert["error"] == "issued for other.test, not mx.test"


def test_an_untrusted_certificate_fails_without_the_ca_file(
    pki: Pki, dns_server: StartServer
) -> None:
    with OddServer(tls=server_context(pki.leaf(HOST))) as server:
        dns = dns_server(mx_zone(server.port))
        code, report, _ = run(HOST, "--port", str(server.port), "--nameserver", dns.address)
    assert code == 1
    assert failed(report) == ["certificate"]
    cert = report["steps"][steps(report).index("certificate")]["detail"]
    assert cert["trusted"] is False and "not trusted" in cert["error"]


def test_a_stall_after_ehlo_fails_at_ehlo_within_the_timeout(dns_server: StartServer) -> None:
    with OddServer(stall_ehlo=30) as server:
        dns = dns_server(mx_zone(server.port))
        code, report, elapsed = run(
            HOST, "--port", str(server.port), "--nameserver", dns.address, "--timeout", "0.5"
        )
    assert code == 1
    assert failed(report) == ["ehlo"]
    assert report["steps"][-1]["detail"]["error"] == "no answer within 0.5s"
    assert elapsed < 3


def test_the_deadline_bounds_the_whole_run(dns_server: StartServer) -> None:
    with OddServer(stall_ehlo=30) as server:
        dns = dns_server(mx_zone(server.port))
        code, report, elapsed = run(
            HOST,
            "--port",
            str(server.port),
            "--nameserver",
            dns.address,
            "--timeout",
            "20",
            "--deadline",
            "0.7",
        )
    assert code == 1
    assert failed(report) == ["ehlo"]
    assert report["steps"][-1]["detail"]["error"] == "the run's deadline was reached"
    assert elapsed < 3


@pytest.mark.parametrize(
    "banner",
    [b"HTTP/1.1 400 Bad Request\r\n", b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\r\n", b"220"],
)
def test_a_garbage_banner_fails_at_the_banner(banner: bytes, dns_server: StartServer) -> None:
    if banner == b"220":  # a reply line must end: a banner without CRLF is a stall
        banner = b"220 mx.test ESMTP but no line end"
    with OddServer(banner=banner) as server:
        dns = dns_server(mx_zone(server.port))
        code, report, elapsed = run(
            HOST, "--port", str(server.port), "--nameserver", dns.address, "--timeout", "0.5"
        )
    assert code == 1
    assert failed(report) == ["banner"]
    assert steps(report) == ["resolve", "connect", "banner"]
    error = report["steps"][-1]["detail"]["error"]
    if banner.endswith(b"\n"):
        assert error.startswith("not an SMTP reply: ")
    else:
        assert error == "no answer within 0.5s"
    assert elapsed < 3


def test_a_554_banner_fails_at_the_banner_and_quits(dns_server: StartServer) -> None:
    with OddServer(banner=b"554 5.3.2 mx.test no SMTP service here\r\n") as server:
        dns = dns_server(mx_zone(server.port))
        code, report, _ = run(HOST, "--port", str(server.port), "--nameserver", dns.address)
    assert code == 1
    assert failed(report) == ["banner"]
    assert report["steps"][2]["reply"] == "554 5.3.2 mx.test no SMTP service here"
    assert steps(report) == ["resolve", "connect", "banner", "quit"]


def test_a_closed_port_is_unreachable(dns_server: StartServer) -> None:
    from smtpservers import free_port

    dns = dns_server(mx_zone(25))
    code, report, _ = run(HOST, "--port", str(free_port()), "--nameserver", dns.address)
    assert code == 3
    assert failed(report) == ["connect"]
    assert report["exit"] == 3


def test_a_host_without_addresses_is_unreachable(dns_server: StartServer) -> None:
    dns = dns_server(mx_zone(25))
    code, report, _ = run("nowhere.test", "--nameserver", dns.address)
    assert code == 3
    assert failed(report) == ["resolve"]
    assert "NXDOMAIN" in report["steps"][0]["detail"]["error"]


def test_a_tlsa_mismatch_fails_the_dane_step(pki: Pki, dns_server: StartServer) -> None:
    leaf = pki.leaf(HOST)
    other = tlsa_3_1_1(pki.leaf(HOST))  # the next key, not the one presented
    with OddServer(tls=server_context(leaf)) as server:
        dns = dns_server(mx_zone(server.port, other))
        code, report, _ = run(
            HOST,
            "--port",
            str(server.port),
            "--nameserver",
            dns.address,
            "--ca-file",
            str(pki.ca_file),
        )
    assert code == 1
    assert failed(report) == ["dane"]
    dane = report["steps"][steps(report).index("dane")]["detail"]
    assert dane["result"] == "no match" and dane["records"] == [other]


def test_no_tlsa_is_reported_and_passes(pki: Pki, dns_server: StartServer) -> None:
    with OddServer(tls=server_context(pki.leaf(HOST))) as server:
        dns = dns_server(mx_zone(server.port))
        code, report, _ = run(
            HOST,
            "--port",
            str(server.port),
            "--nameserver",
            dns.address,
            "--ca-file",
            str(pki.ca_file),
        )
    assert code == 0
    dane = report["steps"][steps(report).index("dane")]["detail"]
    assert dane["result"] == "no TLSA" and dane["name"] == f"_{server.port}._tcp.{HOST}"


def test_an_ip_address_host_has_no_dane_and_no_matching_name(pki: Pki) -> None:
    with OddServer(tls=server_context(pki.leaf(HOST))) as server:
        code, report, _ = run(
            "127.0.0.1", "--port", str(server.port), "--ca-file", str(pki.ca_file)
        )
    assert code == 1
    assert steps(report)[0] == "connect"  # nothing to resolve
    assert failed(report) == ["certificate"]
    dane = report["steps"][steps(report).index("dane")]["detail"]
    assert dane["result"] == "no TLSA: DANE needs the host's name, not an IP address"


def test_a_refused_ehlo_falls_back_to_helo(dns_server: StartServer) -> None:
    with OddServer(refuse_ehlo=True) as server:
        dns = dns_server(mx_zone(server.port))
        code, report, _ = run(
            HOST,
            "--port",
            str(server.port),
            "--nameserver",
            dns.address,
            "--from",
            "probe@client.test",
        )
    assert code == 1
    assert steps(report)[:6] == ["resolve", "connect", "banner", "ehlo", "helo", "starttls"]
    by_name = {s["step"]: s for s in report["steps"]}
    assert by_name["ehlo"]["reply"].startswith("502 ")
    assert by_name["helo"]["ok"] and by_name["helo"]["reply"].startswith("250 ")
    assert failed(report) == ["ehlo", "starttls"]  # no EHLO, no extensions, no STARTTLS
    assert by_name["mail_from"]["ok"]


def test_an_empty_from_is_the_null_sender(pki: Pki, dns_server: StartServer) -> None:
    with OddServer(tls=server_context(pki.leaf(HOST))) as server:
        dns = dns_server(mx_zone(server.port))
        code, report, _ = run(
            HOST,
            "--port",
            str(server.port),
            "--nameserver",
            dns.address,
            "--ca-file",
            str(pki.ca_file),
            "--from",
            "",
            "--rcpt",
            "postmaster@mx.test",
        )
        senders = server.handler.senders
    assert code == 0, report
    assert senders == ["<>"]  # MAIL FROM:<>, as aiosmtpd records it


def test_dns_questions_are_bounded_by_the_step_timeout(dns_server: StartServer) -> None:
    dns = dns_server({HOST: ["TIMEOUT"]})
    code, report, elapsed = run(HOST, "--nameserver", dns.address, "--timeout", "0.5")
    assert code == 3
    assert failed(report) == ["resolve"]
    assert "timed out" in report["steps"][0]["detail"]["error"]
    assert elapsed < 3


def test_dane_ta_matches_an_issuer_the_server_sent(pki: Pki, dns_server: StartServer) -> None:
    import hashlib

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    intermediate = pki.ca.create_child_ca()
    leaf = intermediate.issue_cert(HOST)  # the server sends the leaf and the intermediate

    def sha256(ca: Any) -> str:
        cert = x509.load_pem_x509_certificate(ca.cert_pem.bytes())
        return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()

    with OddServer(tls=server_context(leaf)) as server:
        dns = dns_server(mx_zone(server.port, f"2 0 1 {sha256(intermediate)}"))
        code, report, _ = run(
            HOST,
            "--port",
            str(server.port),
            "--nameserver",
            dns.address,
            "--ca-file",
            str(pki.ca_file),
        )
        assert code == 0, report
        assert report["steps"][steps(report).index("dane")]["detail"]["result"] == "match"
        # the root is not in the chain the server sends: a DANE-TA record for it matches nothing
        dns = dns_server(mx_zone(server.port, f"2 0 1 {sha256(pki.ca)}"))
        code, report, _ = run(
            HOST,
            "--port",
            str(server.port),
            "--nameserver",
            dns.address,
            "--ca-file",
            str(pki.ca_file),
        )
    assert code == 1
    assert report["steps"][steps(report).index("dane")]["detail"]["result"] == "no match"
