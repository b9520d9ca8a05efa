"""--tls-versions against aiosmtpd: sslyze rates every version; without sslyze the
probe says which versions it cannot test instead of calling them refused."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
import warnings

import pytest
from dnsserver import StartServer
from smtpservers import HOST, OddServer, Pki, mx_zone, server_context

from dnsspec.probe import SmtpOptions, probe_smtp
from dnsspec.probe.versions import sslyze_available


def legacy_context(pki: Pki) -> ssl.SSLContext:
    """A server that still accepts TLS 1.0 (OpenSSL 3 needs security level 0 for it)."""
    context = server_context(pki.leaf(HOST))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
    context.set_ciphers("ALL:@SECLEVEL=0")
    return context


def ratings(report_step_detail: dict[str, object]) -> dict[str, object]:
    keys = ("SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")
    return {k: report_step_detail[k] for k in keys}


def test_sslyze_is_installed_where_the_tests_run() -> None:
    # the dev extra installs it, so CI tests the sslyze path; the absent path is the seam's
    assert sslyze_available()


@pytest.mark.parametrize("use_sslyze", [True, False])
def test_a_modern_server_refuses_the_old_versions(
    use_sslyze: bool, pki: Pki, dns_server: StartServer
) -> None:
    with OddServer(tls=server_context(pki.leaf(HOST))) as server:
        dns = dns_server(mx_zone(server.port))
        report = probe_smtp(
            SmtpOptions(
                HOST,
                server.port,
                nameservers=(dns.address,),
                ca_file=pki.ca_file,
                tls_versions=True,
                sslyze=use_sslyze,
                timeout=5,
            )
        )
    step = report.step("tls_versions")
    assert step is not None and step.ok, step
    expected = {
        "SSLv3": "refused" if use_sslyze else "untestable",
        "TLSv1.0": "refused",
        "TLSv1.1": "refused",
        "TLSv1.2": "accepted",
        "TLSv1.3": "accepted",
    }
    assert ratings(dict(step.detail)) == expected
    assert report.exit_code == 0
    if not use_sslyze:
        note = step.detail["notes"]["SSLv3"]  # type: ignore[index]
        assert "cannot offer SSLv3" in note and "dnsspec[probe]" in note
        assert step.detail["tester"].startswith("python ssl")  # type: ignore[union-attr]
    else:
        assert step.detail["tester"] == "sslyze"


@pytest.mark.parametrize("use_sslyze", [True, False])
def test_a_server_accepting_tls_1_0_is_flagged(
    use_sslyze: bool, pki: Pki, dns_server: StartServer
) -> None:
    with OddServer(tls=legacy_context(pki)) as server:
        dns = dns_server(mx_zone(server.port))
        report = probe_smtp(
            SmtpOptions(
                HOST,
                server.port,
                nameservers=(dns.address,),
                ca_file=pki.ca_file,
                tls_versions=True,
                sslyze=use_sslyze,
                timeout=5,
            )
        )
    step = report.step("tls_versions")
    assert step is not None and not step.ok
    assert step.detail["TLSv1.0"] == "accepted" and step.detail["TLSv1.1"] == "accepted"
    assert step.detail["error"] == "TLSv1.0, TLSv1.1 accepted: refuse TLS older than 1.2"
    assert report.exit_code == 1
    assert [s.step for s in report.failed] == ["tls_versions"]


def test_the_cli_without_sslyze_reports_sslv3_untestable(pki: Pki, dns_server: StartServer) -> None:
    # a separate interpreter in which `import sslyze` fails, as where it is not installed
    code = (
        "import sys; sys.modules['sslyze'] = None; from dnsspec.cli import main; "
        "sys.argv = ['dnsspec', *sys.argv[1:]]; main()"
    )
    with OddServer(tls=server_context(pki.leaf(HOST))) as server:
        dns = dns_server(mx_zone(server.port))
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                code,
                "probe",
                "smtp",
                HOST,
                "--port",
                str(server.port),
                "--nameserver",
                dns.address,
                "--ca-file",
                str(pki.ca_file),
                "--tls-versions",
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ},
        )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    step = next(s for s in report["steps"] if s["step"] == "tls_versions")
    assert step["detail"]["SSLv3"] == "untestable"
    assert step["detail"]["TLSv1.2"] == "accepted"
    assert "SSLv3 untestable" in step["reply"]
