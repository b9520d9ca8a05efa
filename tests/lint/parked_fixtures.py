"""The PARKED1 rules' fixtures for test_rules.py: each conflict beside `profile: parked`."""

from __future__ import annotations

ED = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="

PARKED_FIXTURES: dict[str, tuple[dict[str, str], list[tuple[int, int, str]]]] = {
    # an SPF key, a raw records: SPF and `spf: unset`; `spf: none` beside the profile is fine
    "PARKED101": (
        {
            "example.com": """
                profile: parked
                spf: {mechanisms: [mx], all: softfail}
                subdomains:
                  shop: {spf: unset}
                  www: {spf: none}
                records:
                  lists: {type: TXT, value: "v=spf1 include:mailgun.org ~all"}
                """
        },
        [(2, 6, ""), (4, 15, "shop"), (7, 29, "lists")],
    ),
    # MX hosts at the apex and below; a hand-written null MX is no conflict
    "PARKED102": (
        {
            "example.com": """
                profile: parked
                records:
                  "": {type: MX, value: {preference: 10, exchange: mx1.example.com.}}
                  shop:
                    - {type: MX, value: {preference: 0, exchange: .}}
                  lists:
                    - {type: MX, value: {preference: 10, exchange: mx.mailgun.org.}}
                """
        },
        [(3, 7, ""), (7, 7, "lists")],
    ),
    # a key, a delegated selector, a raw key record under records:; revoked ones are fine
    "PARKED103": (
        {
            "example.com": f"""
                profile: parked
                dkim:
                  s1: {{key_type: ed25519, public_key: {ED}}}
                  esp: {{cname: s1.domainkey.esp.example.}}
                  old: {{revoked: true}}
                  older: "v=DKIM1; p="
                records:
                  k2._domainkey: {{type: TXT, value: 'v=DKIM1\\; k=ed25519\\; p={ED}'}}
                """
        },
        [(3, 7, ""), (4, 8, ""), (8, 37, "k2._domainkey")],
    ),
    # p=quarantine (sp and np follow it), np=none at a subdomain, `dmarc: unset`
    "PARKED104": (
        {
            "example.com": """
                profile: parked
                dmarc: {policy: quarantine}
                subdomains:
                  shop: {dmarc: {policy: reject, nonexistent_policy: none}}
                  eu: {dmarc: unset}
                  ok: {dmarc: "v=DMARC1; p=reject"}
                """
        },
        [(2, 8, ""), (4, 17, "shop"), (5, 15, "eu")],
    ),
}
