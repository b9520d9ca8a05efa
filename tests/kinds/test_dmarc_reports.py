"""Report authorization (RFC 9990 §3.3, RFC 7489 §7.1) and the offline org-domain guess."""

from __future__ import annotations

from dnsspec.dmarc.reports import (
    authorization_name,
    external_destinations,
    is_authorization_record,
    needs_authorization,
    organizational_domain_guess,
    same_organization,
)
from dnsspec.dmarc.syntax import parse
from dnsspec.dmarc.uris import ReportUri


def test_authorization_name_and_record() -> None:
    assert (
        authorization_name("Example.COM.", "reports.example.net")
        == "example.com._report._dmarc.reports.example.net"
    )
    assert is_authorization_record("v=DMARC1")
    assert is_authorization_record("v=DMARC1; rua=mailto:x@reports.example.net")
    assert not is_authorization_record("v=spf1 -all")


def test_guess() -> None:
    assert organizational_domain_guess("mail.example.com") == "example.com"
    assert organizational_domain_guess("a.b.example.co.uk") == "example.co.uk"
    assert organizational_domain_guess("x.example.com.au") == "example.com.au"
    assert organizational_domain_guess("me.github.io") == "me.github.io"
    assert organizational_domain_guess("example.com") == "example.com"
    assert organizational_domain_guess("a.b.example.com", known=["b.example.com"]) == (
        "b.example.com"
    )
    assert same_organization("example.com", "reports.example.com")
    assert not same_organization("example.com", "example.net")
    assert not same_organization("a.example.com", "example.com", known=["a.example.com"])


def test_external_destinations() -> None:
    record = parse(
        "v=DMARC1; p=reject; rua=mailto:d@example.com,mailto:agg@reports.example.net,"
        "https://reports.example.net/x,mailto:x@vendor.example.org!10m"
    )
    assert [name for _, name in external_destinations("example.com", record.rua)] == [
        "example.com._report._dmarc.reports.example.net",
        "example.com._report._dmarc.vendor.example.org",
    ]
    assert not needs_authorization("sub.example.com", ReportUri("mailto:d@example.com"))
    assert needs_authorization("example.com", ReportUri("mailto:d%40x@example.net"))
