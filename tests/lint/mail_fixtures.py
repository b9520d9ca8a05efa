"""The MX1 and TLSRPT1 rules' fixtures, and DMARC's alignment rule's, for test_rules.py."""

from __future__ import annotations

MX_HOST = "{preference: 10, exchange: mx1.example.com.}"
NULL = "{preference: 0, exchange: .}"

MAIL_FIXTURES: dict[str, tuple[dict[str, str], list[tuple[int, int, str]]]] = {
    "MX101": (
        {
            "example.com": f"""
                spf: none
                records:
                  "": {{type: MX, values: [{NULL}, {MX_HOST}]}}
                  eu: {{type: MX, values: [{NULL}]}}
                  us: {{type: MX, values: [{MX_HOST}]}}
                """
        },
        [(3, 7, "")],
    ),
    "MX102": (
        {
            "example.com": """
                mx: none
                spf: {mechanisms: [ip4:192.0.2.0/24], all: fail}
                subdomains:
                  www: {mx: none, spf: none}
                  shop: {mx: none, spf: "v=spf1 -all ip4:192.0.2.1"}
                  news: {mx: none, spf: {redirect: example.com}}
                  old: {mx: none, spf: "v=spf1 ~include:_spf.example.net -all"}
                """
        },
        [(2, 6, ""), (6, 25, "news")],
    ),
    "TLSRPT101": (
        {
            "example.com": f"""
                spf: none
                tls_rpt: {{rua: [mailto:tls@example.com]}}
                subdomains:
                  eu: {{spf: none}}
                  parked: {{mx: none, spf: none}}
                  raw: {{spf: none}}
                records:
                  "": {{type: MX, values: [{MX_HOST}]}}
                  eu: {{type: MX, values: [{MX_HOST}]}}
                  raw: {{type: MX, values: [{MX_HOST}]}}
                  _smtp._tls.raw: {{type: TXT, value: "v=TLSRPTv1\\\\; rua=mailto:t@example.com"}}
                  "*": {{type: MX, values: [{MX_HOST}]}}
                """
        },
        [(9, 7, "eu")],
    ),
    "DMARC109": (
        {
            # fires: no route at all; -all and ?all authorize nobody; a revoked key aligns nothing
            "example.com": """
                dmarc: {policy: reject}
                subdomains:
                  www: {spf: none}
                  eu:
                    dmarc: {policy: reject, aspf: strict, adkim: strict}
                    spf: "v=spf1 ?all"
                  us:
                    dmarc: {policy: quarantine}
                    dkim: {s1: {revoked: true}}
                """,
            # quiet: relaxed alignment through a subdomain's SPF
            "example.net": """
                dmarc: {policy: reject}
                subdomains:
                  bounce: {spf: {mechanisms: [ip4:192.0.2.0/24], all: fail}}
                """,
            # quiet: strict, but lists has no _dmarc of its own and inherits this one
            "example.org": """
                dmarc: {policy: reject, aspf: strict, adkim: strict}
                subdomains:
                  lists: {spf: {mechanisms: [ip4:192.0.2.0/24], all: fail}}
                """,
            # quiet: a domain that says it sends no mail; a delegated selector
            "parked.example": "profile: parked\n",
            "cname.example": "dmarc: {policy: reject}\n"
            "dkim: {google: {cname: google._domainkey.example.net.}}\n",
        },
        [(1, 8, ""), (5, 12, "eu"), (8, 12, "us")],
    ),
}
