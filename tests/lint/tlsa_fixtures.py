"""The TLSA1 rules' fixtures for test_rules.py."""

from __future__ import annotations

A = "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1"
B = "01fe0b0f172727e466e9091279d28871969f1d763dddc969066ec63828f0f0cd"
MX = '  "": {type: MX, value: {preference: 10, exchange: mx1.example.com.}}\n'

TLSA_FIXTURES: dict[str, tuple[dict[str, str], list[tuple[int, int, str]]]] = {
    "TLSA101": (
        {
            "example.com": f"records:\n{MX}subdomains:\n  mx1:\n    tlsa:\n"
            f"      - {{usage: 1, selector: 1, matching: 1, data: {A}}}\n"
            f"      - {{usage: 3, selector: 1, matching: 1, data: {B}}}\n"
        },
        [(6, 7, "mx1")],
    ),
    "TLSA102": (
        {
            "example.com": f"records:\n{MX}subdomains:\n  mx1:\n"
            f"    tlsa: [{{usage: 3, selector: 1, matching: 1, data: {A}}}]\n"
        },
        [(5, 11, "mx1")],
    ),
    "TLSA103": (
        {
            "example.com": f"records:\n{MX}subdomains:\n  mail:\n    tlsa:\n"
            f"      - {{usage: 3, selector: 1, matching: 1, data: {A}}}\n"
            f"      - {{usage: 3, selector: 1, matching: 1, data: {B}}}\n"
        },
        [(6, 7, "mail")],
    ),
    # the signed zone (example.net) is silent; records: TLSA is found too, at its entry
    "TLSA104": (
        {
            "example.com": f"records:\n{MX}"
            f"  _25._tcp.mx2: {{type: TLSA, value: {{certificate_usage: 3, selector: 1, "
            f"matching_type: 1, certificate_association_data: {A}}}}}\n"
            f"subdomains:\n  mx1:\n    tlsa:\n"
            f"      - {{usage: 3, selector: 1, matching: 1, data: {A}}}\n"
            f"      - {{usage: 3, selector: 1, matching: 1, data: {B}}}\n",
            "example.net": "dnssec: true\nsubdomains:\n  mx1:\n    tlsa:\n"
            f"      - {{usage: 3, selector: 1, matching: 1, data: {A}}}\n"
            f"      - {{usage: 3, selector: 1, matching: 1, data: {B}}}\n",
        },
        [(3, 17, "_25._tcp.mx2"), (7, 7, "mx1")],
    ),
}
