"""The MTASTS1 rules' fixtures for test_rules.py."""

from __future__ import annotations

MX = '  "": {type: MX, values: [{preference: 10, exchange: mx1.example.com.}]}\n'
HOST = "  mta-sts: {type: CNAME, value: sts.example.net.}\n"
RPT = "tls_rpt: {rua: [mailto:tls@example.com]}\n"

MTA_STS_FIXTURES: dict[str, tuple[dict[str, str], list[tuple[int, int, str]]]] = {
    "MTASTS101": (
        {"example.com": f"mta_sts: {{mode: testing}}\n{RPT}records:\n{MX}{HOST}"},
        [(1, 17, "")],
    ),
    "MTASTS102": (
        {
            "example.com": "mta_sts:\n  mode: enforce\n  mx: [mx1.example.com, mx9.example.com]\n"
            f"{RPT}records:\n"
            '  "": {type: MX, values: [{preference: 10, exchange: mx1.example.com.},'
            " {preference: 20, exchange: mx2.example.com.}]}\n"
            f"{HOST}"
        },
        [(3, 7, ""), (3, 25, "")],
    ),
    "MTASTS103": (
        {
            "example.com": f"mta_sts: {{mode: enforce}}\n{RPT}"
            "subdomains:\n  eu:\n    mta_sts: {mode: enforce}\n"
            "    tls_rpt: {rua: [mailto:tls@example.com]}\n"
            f"records:\n{MX}  mta-sts.eu: {{type: A, value: 192.0.2.1}}\n"
        },
        [(1, 10, "")],
    ),
    "MTASTS104": (
        {"example.com": f"mta_sts: {{mode: enforce, max_age: 3600}}\n{RPT}records:\n{MX}{HOST}"},
        [(1, 35, "")],
    ),
    "MTASTS105": (
        {"example.com": f"mta_sts: {{mode: enforce}}\nrecords:\n{MX}{HOST}"},
        [(1, 10, "")],
    ),
}
