"""The provider include trees of the benchmark, modelled on the real published ones.

Under the fake zone ``bench.test``: ``_spf.google`` with its three ``_netblocks``
includes (4 lookups), ``spf.protection.outlook``, Mailchimp (``servers.mcsv``),
Mandrill, SendGrid, Amazon SES, Zendesk, Salesforce's ``exists:%{i}`` policy,
Mailgun's nested includes, HubSpot, Zoho, Postmark, and a web host whose policy
uses ``a`` and ``mx`` with real A/MX answers. The address ranges are the real
providers' published ranges at the time of writing (for realism of the record
sizes only; nothing here is queried outside 127.0.0.1).
"""

from __future__ import annotations

from dataclasses import dataclass

ORIGIN = "bench.test"
TTL = 300


@dataclass(frozen=True)
class RR:
    """One resource record: absolute name (no trailing dot), type, zone-file rdata."""

    name: str
    type: str
    rdata: str


@dataclass(frozen=True)
class Provider:
    key: str
    include: str  # the name customers include
    cost: int  # lookups the include costs, the include itself counted
    records: tuple[RR, ...]
    networks: tuple[str, ...]  # addresses that pass (for the evaluation pairs)


def fqdn(label: str) -> str:
    return f"{label}.{ORIGIN}"


def txt_rdata(text: str) -> str:
    """Zone-file TXT rdata: character-strings of at most 255 bytes, quoted."""
    raw = text.encode()
    chunks = [raw[i : i + 255] for i in range(0, len(raw), 255)] or [b""]
    out = []
    for chunk in chunks:
        escaped = chunk.decode().replace("\\", "\\\\").replace('"', '\\"')
        out.append(f'"{escaped}"')
    return " ".join(out)


def _spf(name: str, *terms: str) -> RR:
    return RR(name, "TXT", txt_rdata(" ".join(("v=spf1", *terms))))


def _ip4s(*nets: str) -> tuple[str, ...]:
    return tuple(f"ip4:{n}" for n in nets)


def _ip6s(*nets: str) -> tuple[str, ...]:
    return tuple(f"ip6:{n}" for n in nets)


GOOGLE_V4 = [
    "35.190.247.0/24",
    "64.233.160.0/19",
    "66.102.0.0/20",
    "66.249.80.0/20",
    "72.14.192.0/18",
    "74.125.0.0/16",
    "108.177.8.0/21",
    "173.194.0.0/16",
    "209.85.128.0/17",
    "216.58.192.0/19",
    "216.239.32.0/19",
]
GOOGLE_V6 = [
    "2001:4860:4000::/36",
    "2404:6800:4000::/36",
    "2607:f8b0:4000::/36",
    "2800:3f0:4000::/36",
    "2a00:1450:4000::/36",
    "2c0f:fb50:4000::/36",
]
GOOGLE_V4_3 = [
    "172.217.0.0/19",
    "172.217.32.0/20",
    "172.217.128.0/19",
    "172.217.160.0/20",
    "172.217.192.0/19",
    "172.253.56.0/21",
    "172.253.112.0/20",
    "108.177.96.0/19",
    "35.191.0.0/16",
    "130.211.0.0/22",
]
OUTLOOK = [
    "40.92.0.0/15",
    "40.107.0.0/16",
    "52.100.0.0/15",
    "52.102.0.0/16",
    "52.103.0.0/16",
    "104.47.0.0/17",
]
OUTLOOK_V6 = [
    "2a01:111:f400::/48",
    "2a01:111:f403::/49",
    "2a01:111:f403:8000::/51",
    "2a01:111:f403:c000::/51",
    "2a01:111:f403:f000::/52",
]
SALESFORCE_IPS = tuple(f"13.110.{b}.{c}" for b in (208, 209, 224) for c in (10, 11, 12, 13))


def providers() -> tuple[Provider, ...]:
    """The dozen shared include trees."""
    google = fqdn("_spf.google")
    nb1, nb2, nb3 = (
        fqdn("_netblocks.google"),
        fqdn("_netblocks2.google"),
        fqdn("_netblocks3.google"),
    )
    outlook = fqdn("spf.protection.outlook")
    sf, sf_mta = fqdn("_spf.salesforce"), fqdn("_spf.mta.salesforce")
    mg, mg_spf, mg_eu = fqdn("mailgun"), fqdn("_spf.mailgun"), fqdn("_spf.eu.mailgun")
    hs, hs2 = fqdn("_spf.hubspotemail"), fqdn("_spf2.hubspotemail")
    zoho, transmail, zcsend = fqdn("zoho"), fqdn("transmail"), fqdn("zcsend")
    host = fqdn("webhost")
    relay1, relay2 = fqdn("relay1.webhost"), fqdn("relay2.webhost")
    mx1, mx2 = fqdn("mx1.webhost"), fqdn("mx2.webhost")

    def simple(key: str, name: str, nets: str, all_: str = "~all") -> Provider:
        cidrs = nets.split()
        return Provider(key, name, 1, (_spf(name, *_ip4s(*cidrs), all_),), tuple(cidrs))

    mg_v4 = [
        "209.61.151.0/24",
        "166.78.68.0/22",
        "198.61.254.0/23",
        "192.237.158.0/23",
        "23.253.183.0/24",
        "104.130.96.0/28",
        "146.20.113.0/24",
        "146.20.191.0/24",
        "159.135.224.0/20",
        "69.72.32.0/20",
    ]
    mg_eu_v4 = ["141.193.32.0/23", "159.112.240.0/20", "185.250.236.0/22"]
    hs_v4 = [
        "3.93.157.0/24",
        "3.210.190.0/24",
        "18.208.124.128/25",
        "54.174.52.0/24",
        "54.174.57.0/24",
        "54.174.60.0/23",
        "108.179.144.0/20",
        "143.244.80.0/20",
        "158.247.16.0/20",
    ]
    transmail_v4 = ["136.143.188.0/24", "135.84.80.0/22", "135.84.84.0/24"]
    zcsend_v4 = ["136.143.160.0/20", "204.141.32.0/23", "204.141.42.0/23"]
    return (
        Provider(
            "google",
            google,
            4,
            (
                _spf(google, f"include:{nb1}", f"include:{nb2}", f"include:{nb3}", "~all"),
                _spf(nb1, *_ip4s(*GOOGLE_V4), "~all"),
                _spf(nb2, *_ip6s(*GOOGLE_V6), "~all"),
                _spf(nb3, *_ip4s(*GOOGLE_V4_3), "~all"),
                RR(fqdn("aspmx.l.google"), "A", "142.250.27.26"),
                RR(fqdn("aspmx.l.google"), "AAAA", "2a00:1450:4025:c03::1a"),
                RR(fqdn("alt1.aspmx.l.google"), "A", "142.250.153.27"),
                RR(fqdn("alt2.aspmx.l.google"), "A", "142.251.9.26"),
            ),
            (*GOOGLE_V4, *GOOGLE_V6, *GOOGLE_V4_3),
        ),
        Provider(
            "outlook",
            outlook,
            1,
            (
                _spf(outlook, *_ip4s(*OUTLOOK), *_ip6s(*OUTLOOK_V6), "-all"),
                RR(fqdn("*.mail.protection.outlook"), "A", "52.101.68.14"),
                RR(fqdn("*.mail.protection.outlook"), "A", "52.101.73.7"),
            ),
            (*OUTLOOK, *OUTLOOK_V6),
        ),
        simple("mailchimp", fqdn("servers.mcsv"), "205.201.128.0/20 198.2.128.0/18 148.105.8.0/21"),
        simple("mandrill", fqdn("spf.mandrillapp"), "198.2.128.0/18 148.105.0.0/16"),
        simple(
            "sendgrid",
            fqdn("sendgrid"),
            "167.89.0.0/17 208.117.48.0/20 50.31.32.0/19 198.37.144.0/20 198.21.0.0/21 "
            "192.254.112.0/20 168.245.0.0/17 149.72.0.0/16 159.183.0.0/16",
        ),
        simple(
            "amazonses",
            fqdn("amazonses"),
            "199.255.192.0/22 199.127.232.0/22 54.240.0.0/18 69.169.224.0/20 23.249.208.0/20 "
            "23.251.224.0/19 76.223.176.0/20 54.240.64.0/19 54.240.96.0/19 76.223.128.0/19 "
            "216.221.160.0/19 206.55.144.0/20",
            "-all",
        ),
        simple(
            "zendesk",
            fqdn("mail.zendesk"),
            "192.161.144.0/20 185.12.80.0/22 188.172.128.0/20 216.198.0.0/18",
        ),
        Provider(
            "salesforce",
            sf,
            2,
            (
                _spf(sf, f"exists:%{{i}}.{sf_mta}", "-all"),
                *(RR(f"{ip}.{sf_mta}", "A", "127.0.0.2") for ip in SALESFORCE_IPS),
            ),
            SALESFORCE_IPS,
        ),
        Provider(
            "mailgun",
            mg,
            3,
            (
                _spf(mg, f"include:{mg_spf}", "~all"),
                _spf(mg_spf, *_ip4s(*mg_v4), f"include:{mg_eu}", "~all"),
                _spf(mg_eu, *_ip4s(*mg_eu_v4), "~all"),
            ),
            (*mg_v4, *mg_eu_v4),
        ),
        Provider(
            "hubspot",
            hs,
            2,
            (
                _spf(hs, *_ip4s(*hs_v4), f"include:{hs2}", "~all"),
                _spf(hs2, "ip4:216.139.64.0/19", "ip4:199.15.212.0/22", "~all"),
            ),
            (*hs_v4, "216.139.64.0/19", "199.15.212.0/22"),
        ),
        Provider(
            "zoho",
            zoho,
            3,
            (
                _spf(zoho, f"include:{transmail}", f"include:{zcsend}", "~all"),
                _spf(transmail, *_ip4s(*transmail_v4), "~all"),
                _spf(zcsend, *_ip4s(*zcsend_v4), "~all"),
            ),
            (*transmail_v4, *zcsend_v4),
        ),
        simple(
            "postmark",
            fqdn("spf.mtasv"),
            "50.31.156.96/27 104.245.209.192/26 3.134.147.0/24 18.217.206.57/32",
        ),
        Provider(
            "webhost",
            fqdn("spf.webhost"),
            4,
            (
                _spf(
                    fqdn("spf.webhost"),
                    f"a:{relay1}",
                    f"a:{relay2}",
                    f"mx:{host}",
                    "ip4:185.199.108.0/24",
                    "~all",
                ),
                RR(relay1, "A", "185.199.110.10"),
                RR(relay1, "AAAA", "2a05:d014:0:1::10"),
                RR(relay2, "A", "185.199.110.11"),
                RR(host, "MX", f"10 {mx1}."),
                RR(host, "MX", f"20 {mx2}."),
                RR(mx1, "A", "185.199.111.25"),
                RR(mx2, "A", "185.199.111.26"),
            ),
            (
                "185.199.110.10/32",
                "185.199.110.11/32",
                "185.199.111.25/32",
                "185.199.108.0/24",
                "2a05:d014:0:1::10/128",
            ),
        ),
    )
