"""The probe's MTA-STS view of one MX host: covered by the policy's mx: patterns (matched
by dnsspec.mta_sts), and a certificate valid for its name."""

from __future__ import annotations

import pytest

from dnsspec.mta_sts.policy import StsPolicy
from dnsspec.probe.model import Step
from dnsspec.probe.policy import covers, host_view

POLICY = StsPolicy("enforce", ("mx1.example.com", "*.mx.example.net"), 86400)


@pytest.mark.parametrize(
    ("host", "covered"),
    [
        ("mx1.example.com", True),
        ("MX1.Example.COM.", True),
        ("a.mx.example.net", True),
        ("mx.example.net", False),  # the wildcard needs a label of its own
        ("a.b.mx.example.net", False),  # and covers exactly one
        ("mx2.example.com", False),
    ],
)
def test_mx_patterns_cover_hosts_as_rfc_8461_says(host: str, covered: bool) -> None:
    assert covers(POLICY, host) is covered


def certificate(**detail: object) -> Step:
    return Step("certificate", True, 1.0, "", {"matches_host": True, "trusted": True, **detail})


def test_a_covered_host_with_a_valid_certificate_passes() -> None:
    view = host_view(POLICY, "mx1.example.com", certificate())
    assert view == {"covered": True, "certificate_valid": True}


@pytest.mark.parametrize(
    ("detail", "host"),
    [
        ({"matches_host": False}, "mx1.example.com"),
        ({"trusted": False}, "mx1.example.com"),
        ({"error": "expired on 2026-01-01"}, "mx1.example.com"),
    ],
)
def test_a_certificate_senders_refuse_fails(detail: dict[str, object], host: str) -> None:
    view = host_view(POLICY, host, certificate(**detail))
    assert view["certificate_valid"] is False
    assert view["error"] == f"{host}'s certificate is not valid for its name as MTA-STS requires"


def test_a_host_without_tls_fails_mta_sts() -> None:
    view = host_view(POLICY, "mx1.example.com", None)  # no certificate step: no STARTTLS
    assert view["certificate_valid"] is False


def test_mode_none_checks_nothing() -> None:
    withdrawn = StsPolicy("none", (), 86400)
    assert host_view(withdrawn, "mx9.example.org", None) == {}
    assert host_view(None, "mx9.example.org", None) == {}
