"""probe mx: the MX hosts from the fixture DNS server, each probed (aiosmtpd), and the
MTA-STS policy served over HTTPS on 127.0.0.1, checked against every host."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from dnsserver import StartServer
from httpsserver import PolicyServer, Served
from smtpservers import OddServer, Pki, server_context
from typer.testing import CliRunner

from dnsspec.cli import app

DOMAIN = "example.test"
MX1, MX2 = f"mx1.{DOMAIN}", f"mx2.{DOMAIN}"
POLICY = (
    b"version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmx: *.example.test\r\n"
    b"max_age: 86400\r\n"
)


def zone(*, sts: bool = True, mx: tuple[str, ...] = (MX1, MX2)) -> dict[str, list[Any]]:
    data: dict[str, list[Any]] = {
        DOMAIN: [("MX", (10 * (i + 1), host)) for i, host in enumerate(mx)],
        f"mta-sts.{DOMAIN}": [("A", "127.0.0.1")],
    }
    for host in mx:
        data.setdefault(host, []).append(("A", "127.0.0.1"))
    if sts:
        data[f"_mta-sts.{DOMAIN}"] = [("TXT", "v=STSv1; id=20261204T0300")]
    return data


def run(*args: str) -> tuple[int, dict[str, Any], float]:
    start = time.monotonic()
    result = CliRunner().invoke(app, ["probe", "mx", *args, "--format", "json"])
    elapsed = time.monotonic() - start
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout), elapsed


def step(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in report["steps"] if s["step"] == name)


def host(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(h for h in report["hosts"] if h["host"] == name)


def probe(
    pki: Pki,
    dns_server: StartServer,
    served: Served,
    *,
    smtp_names: tuple[str, ...] = (MX1, MX2),
    sts: bool = True,
    policy_name: str = f"mta-sts.{DOMAIN}",
    extra: tuple[str, ...] = (),
) -> tuple[int, dict[str, Any], float, PolicyServer]:
    with (
        OddServer(tls=server_context(pki.leaf(*smtp_names))) as smtp,
        PolicyServer(pki.leaf(policy_name), served) as https,
    ):
        dns = dns_server(zone(sts=sts))
        code, report, elapsed = run(
            DOMAIN,
            "--port",
            str(smtp.port),
            "--mta-sts-port",
            str(https.port),
            "--nameserver",
            dns.address,
            "--ca-file",
            str(pki.ca_file),
            *extra,
        )
    return code, report, elapsed, https


def test_every_host_covered_and_valid_passes(pki: Pki, dns_server: StartServer) -> None:
    code, report, _, https = probe(pki, dns_server, Served(POLICY))
    assert code == 0, report
    assert [s["step"] for s in report["steps"]] == ["mx", "mta_sts_record", "mta_sts_policy"]
    assert step(report, "mx")["detail"]["hosts"] == [f"10 {MX1}", f"20 {MX2}"]
    assert step(report, "mta_sts_record")["detail"]["id"] == "20261204T0300"
    policy = step(report, "mta_sts_policy")["detail"]
    assert policy["mode"] == "enforce" and policy["mx"] == [MX1, "*.example.test"]
    assert policy["url"] == f"https://mta-sts.{DOMAIN}/.well-known/mta-sts.txt"
    assert https.requests == [("/.well-known/mta-sts.txt", f"mta-sts.{DOMAIN}")]
    assert [h["host"] for h in report["hosts"]] == [MX1, MX2]
    for name in (MX1, MX2):
        assert host(report, name)["mta_sts"] == {"covered": True, "certificate_valid": True}
        assert host(report, name)["exit"] == 0


def test_a_host_the_policy_does_not_cover_fails(pki: Pki, dns_server: StartServer) -> None:
    narrow = b"version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 86400\n"
    code, report, _, _ = probe(pki, dns_server, Served(narrow))
    assert code == 1
    assert host(report, MX1)["exit"] == 0
    view = host(report, MX2)["mta_sts"]
    assert view["covered"] is False and view["certificate_valid"] is True
    assert view["error"] == f"{MX2} is not covered by the policy's mx: {MX1}"
    assert host(report, MX2)["exit"] == 1


def test_a_certificate_without_the_host_name_fails_mta_sts(
    pki: Pki, dns_server: StartServer
) -> None:
    code, report, _, _ = probe(pki, dns_server, Served(POLICY), smtp_names=(MX1,))
    assert code == 1
    assert host(report, MX1)["mta_sts"] == {"covered": True, "certificate_valid": True}
    mx2 = host(report, MX2)
    assert mx2["mta_sts"]["certificate_valid"] is False
    assert [s["step"] for s in mx2["steps"] if not s["ok"]] == ["certificate"]


def test_no_mta_sts_record_is_reported_and_passes(pki: Pki, dns_server: StartServer) -> None:
    code, report, _, https = probe(pki, dns_server, Served(POLICY), sts=False)
    assert code == 0
    assert [s["step"] for s in report["steps"]] == ["mx", "mta_sts_record"]
    assert "no MTA-STS record" in step(report, "mta_sts_record")["detail"]["result"]
    assert https.requests == []
    assert all(h["mta_sts"] == {} for h in report["hosts"])


@pytest.mark.parametrize(
    ("served", "error"),
    [
        (Served(b"", status=301, location="https://www.example.test/"), "HTTP 301"),
        (Served(b"<html></html>", content_type="text/html"), "requires text/plain"),
        (
            Served(b"version: STSv1\nmode: strict\nmx: mx1.example.test\nmax_age: 86400\n"),
            "the policy file is not valid: the policy needs 'mode: enforce', 'testing' or 'none'",
        ),
        (Served(b"not a policy"), "line 1 is not 'name: value'"),
        (Served(b"", status=404), "HTTP 404"),
    ],
)
def test_a_policy_that_cannot_be_used_fails(
    served: Served, error: str, pki: Pki, dns_server: StartServer
) -> None:
    code, report, _, _ = probe(pki, dns_server, served)
    assert code == 1
    policy = step(report, "mta_sts_policy")
    assert not policy["ok"] and error in policy["detail"]["error"]


def test_a_policy_host_certificate_for_another_name_fails(
    pki: Pki, dns_server: StartServer
) -> None:
    code, report, _, _ = probe(pki, dns_server, Served(POLICY), policy_name="www.example.test")
    assert code == 1
    error = step(report, "mta_sts_policy")["detail"]["error"]
    assert error.startswith(f"the policy host's certificate is not valid for mta-sts.{DOMAIN}")


def test_hosts_are_probed_in_parallel(pki: Pki, dns_server: StartServer) -> None:
    hosts = tuple(f"mx{i}.{DOMAIN}" for i in range(1, 5))
    with OddServer(stall_ehlo=30) as smtp:
        dns = dns_server(zone(sts=False, mx=hosts))
        code, report, elapsed = run(
            DOMAIN,
            "--port",
            str(smtp.port),
            "--nameserver",
            dns.address,
            "--timeout",
            "0.6",
            "--parallel",
            "4",
        )
    assert code == 1
    assert [h["host"] for h in report["hosts"]] == list(hosts)
    assert all([s["step"] for s in h["steps"] if not s["ok"]] == ["ehlo"] for h in report["hosts"])
    assert elapsed < 4 * 0.6  # one after the other would take 2.4 s


def test_a_domain_that_does_not_exist_is_unreachable(dns_server: StartServer) -> None:
    dns = dns_server(zone())
    code, report, _ = run("nowhere.test", "--nameserver", dns.address)
    assert code == 3
    assert step(report, "mx")["detail"]["error"].startswith("nowhere.test")


def test_null_mx_has_nothing_to_probe(dns_server: StartServer) -> None:
    dns = dns_server({DOMAIN: [("MX", (0, "."))]})
    code, report, _ = run(DOMAIN, "--nameserver", dns.address)
    assert code == 0
    assert report["hosts"] == []
    assert "null MX" in step(report, "mx")["detail"]["result"]


def test_text_output_summarises_each_host(pki: Pki, dns_server: StartServer) -> None:
    narrow = b"version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmax_age: 86400\r\n"
    leaf = pki.leaf(MX1, MX2)
    with (
        OddServer(tls=server_context(leaf)) as smtp,
        PolicyServer(pki.leaf(f"mta-sts.{DOMAIN}"), Served(narrow)) as https,
    ):
        dns = dns_server(zone())
        result = CliRunner().invoke(
            app,
            [
                "probe",
                "mx",
                DOMAIN,
                "--port",
                str(smtp.port),
                "--mta-sts-port",
                str(https.port),
                "--nameserver",
                dns.address,
                "--ca-file",
                str(pki.ca_file),
            ],
        )
    assert result.exit_code == 1
    text = result.stdout
    assert text.splitlines()[0] == DOMAIN
    assert f"MX 10 {MX1}, 20 {MX2}" in text
    assert "mode: enforce" in text
    assert f"{MX1}:{smtp.port} (MX 10)" in text and f"{MX2}:{smtp.port} (MX 20)" in text
    assert "  MTA-STS: covered by the policy; certificate valid for MTA-STS" in text
    assert "  MTA-STS: NOT covered by the policy; certificate valid for MTA-STS" in text
    summary = text[text.index("summary:") :].splitlines()
    assert summary[1].split() == ["10", MX1, "ok"]
    assert summary[2].split() == ["20", MX2, "FAILED", "(mta_sts)"]
    assert summary[-1] == "exit 1"


def test_two_mta_sts_records_fail(pki: Pki, dns_server: StartServer) -> None:
    data = zone(sts=False)
    data[f"_mta-sts.{DOMAIN}"] = [("TXT", "v=STSv1; id=1"), ("TXT", "v=STSv1; id=2")]
    dns = dns_server(data)
    with OddServer(tls=server_context(pki.leaf(MX1, MX2))) as smtp:
        code, report, _ = run(
            DOMAIN,
            "--port",
            str(smtp.port),
            "--nameserver",
            dns.address,
            "--ca-file",
            str(pki.ca_file),
        )
    assert code == 1
    record = step(report, "mta_sts_record")
    assert not record["ok"] and "more than one v=STSv1 record" in record["detail"]["error"]


def test_an_oversized_policy_is_refused(pki: Pki, dns_server: StartServer) -> None:
    big = POLICY + b"#" * (64 * 1024)
    code, report, _, _ = probe(pki, dns_server, Served(big))
    assert code == 1
    assert "larger than" in step(report, "mta_sts_policy")["detail"]["error"]


def test_no_mx_record_means_the_domain_itself(pki: Pki, dns_server: StartServer) -> None:
    dns = dns_server({DOMAIN: [("A", "127.0.0.1")]})
    with OddServer(tls=server_context(pki.leaf(DOMAIN))) as smtp:
        code, report, _ = run(
            DOMAIN,
            "--port",
            str(smtp.port),
            "--nameserver",
            dns.address,
            "--ca-file",
            str(pki.ca_file),
        )
    assert code == 0, report
    assert [h["host"] for h in report["hosts"]] == [DOMAIN]
    assert "RFC 5321 §5.1" in step(report, "mx")["detail"]["result"]


def test_an_unreachable_host_outweighs_a_failed_one(pki: Pki, dns_server: StartServer) -> None:
    data = zone(sts=False)
    data[MX2] = [("A", "127.0.0.1")]
    data[DOMAIN].append(("MX", (30, "gone.example.test")))  # no address at all
    dns = dns_server(data)
    with OddServer(tls=None) as smtp:  # plaintext only: mx1 and mx2 fail
        code, report, _ = run(DOMAIN, "--port", str(smtp.port), "--nameserver", dns.address)
    assert [h["exit"] for h in report["hosts"]] == [1, 1, 3]
    assert code == 3
