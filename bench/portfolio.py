"""The benchmark portfolio: provider SPF trees and 1,000 customer domains.

Everything lives under the fake zone ``bench.test``; the provider trees are in
``providers.py``. Each customer mixes one mail host
and 0-3 sending services with its own ``ip4``/``mx``/``a``; a deterministic
fraction goes over the 10-lookup limit and a few carry void lookups.

The same data yields three things: the zone file BIND serves (providers and the
customers' published records), the dnsspec specs (``zones/<domain>.yaml``), and
the (ip, sender) pairs of the ``check_host`` throughput run.
"""

from __future__ import annotations

import ipaddress
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from providers import ORIGIN, RR, TTL, Provider, fqdn, providers, txt_rdata


@dataclass(frozen=True)
class Customer:
    domain: str
    mechanisms: tuple[str, ...]
    all: str  # "fail" | "softfail" | "neutral"
    mx: tuple[tuple[int, str], ...]  # (preference, exchange) at the apex
    a: tuple[str, ...]  # apex A addresses
    providers: tuple[str, ...]  # provider keys included
    cost: int  # lookups through the whole tree, as the evaluator counts them
    voids: int

    @property
    def spf_text(self) -> str:
        qualifier = {"fail": "-all", "softfail": "~all", "neutral": "?all"}[self.all]
        return " ".join(("v=spf1", *self.mechanisms, qualifier))


@dataclass(frozen=True)
class Portfolio:
    providers: tuple[Provider, ...]
    customers: tuple[Customer, ...]
    extra: tuple[RR, ...] = field(default=())

    def records(self) -> Iterator[RR]:
        for provider in self.providers:
            yield from provider.records
        yield from self.extra
        for customer in self.customers:
            yield RR(customer.domain, "TXT", txt_rdata(customer.spf_text))
            for pref, exchange in customer.mx:
                yield RR(customer.domain, "MX", f"{pref} {exchange}.")
            for address in customer.a:
                yield RR(customer.domain, "A", address)


MAIL_HOSTS = (("google", 45), ("outlook", 35), ("webhost", 20))
SENDERS = (
    "mailchimp",
    "mandrill",
    "sendgrid",
    "amazonses",
    "zendesk",
    "salesforce",
    "mailgun",
    "hubspot",
    "zoho",
    "postmark",
)
HEAVY_SENDERS = ("mailgun", "zoho", "hubspot", "salesforce")


def _mx_for(host: str, domain: str) -> tuple[tuple[int, str], ...]:
    if host == "google":
        return (
            (1, fqdn("aspmx.l.google")),
            (5, fqdn("alt1.aspmx.l.google")),
            (5, fqdn("alt2.aspmx.l.google")),
        )
    if host == "outlook":
        return ((0, f"{domain.replace('.', '-')}.mail.protection.outlook.{ORIGIN}"),)
    return ((10, fqdn("mx1.webhost")), (20, fqdn("mx2.webhost")))


def customers(count: int, provs: Iterable[Provider], *, seed: int = 7208) -> tuple[Customer, ...]:
    by_key = {p.key: p for p in provs}
    rng = random.Random(seed)
    out = []
    for i in range(count):
        domain = f"customer{i:04d}.{ORIGIN}"
        host = rng.choices([h for h, _ in MAIL_HOSTS], [w for _, w in MAIL_HOSTS])[0]
        over = rng.random() < 0.08
        if over:
            host = "google"
            senders = rng.sample(HEAVY_SENDERS, 3)
        else:
            senders = rng.sample(SENDERS, rng.choice((0, 1, 1, 2, 2, 3)))
        own_net = ipaddress.ip_network(f"198.18.{i // 16}.{(i % 16) * 16}/28")
        mechanisms: list[str] = []
        cost = 0
        a_records: tuple[str, ...] = ()
        if rng.random() < 0.35:
            mechanisms.append("mx")
            cost += 1
        if rng.random() < 0.1:
            a_records = (str(own_net[1]),)
            mechanisms.append("a")
            cost += 1
        if rng.random() < 0.6:
            mechanisms.append(f"ip4:{own_net}")
        included: list[str] = []
        for key in (host, *senders):
            if not over and cost + by_key[key].cost > 10:
                continue
            included.append(key)
            mechanisms.append(f"include:{by_key[key].include}")
            cost += by_key[key].cost
        voids = 0
        roll = rng.random()
        if roll < 0.01:
            voids = 3
        elif roll < 0.04:
            voids = 1
        for v in range(voids):
            mechanisms.append(f"a:relay-old{v}.{domain}")
            cost += 1
        all_ = rng.choices(("softfail", "fail", "neutral"), (60, 35, 5))[0]
        out.append(
            Customer(
                domain=domain,
                mechanisms=tuple(mechanisms),
                all=all_,
                mx=_mx_for(host, domain),
                a=a_records,
                providers=tuple(included),
                cost=cost,
                voids=voids,
            )
        )
    return tuple(out)


def build(count: int = 1000, *, seed: int = 7208) -> Portfolio:
    provs = providers()
    ns = RR(fqdn("ns"), "A", "127.0.0.1")
    return Portfolio(provs, customers(count, provs, seed=seed), extra=(ns,))


def zone_file(portfolio: Portfolio) -> str:
    lines = [
        f"$ORIGIN {ORIGIN}.",
        f"$TTL {TTL}",
        f"@ IN SOA ns.{ORIGIN}. hostmaster.{ORIGIN}. 1 3600 600 86400 {TTL}",
        f"@ IN NS ns.{ORIGIN}.",
    ]
    lines += [f"{rr.name}. IN {rr.type} {rr.rdata}" for rr in portfolio.records()]
    return "\n".join(lines) + "\n"


def spec_yaml(customer: Customer) -> str:
    """The customer's dnsspec spec (zones/<domain>.yaml), in the spec language of issue 2."""
    lines = [f"ttl: {TTL}", "spf:", "  mechanisms:"]
    lines += [f"    - {json.dumps(m)}" for m in customer.mechanisms]
    lines += [f"  all: {customer.all}", "records:", '  "":']
    mx_values = ", ".join(
        f"{{preference: {p}, exchange: {json.dumps(e + '.')}}}" for p, e in customer.mx
    )
    lines.append(f"    - {{type: MX, values: [{mx_values}]}}")
    if customer.a:
        lines.append(f"    - {{type: A, values: [{', '.join(customer.a)}]}}")
    return "\n".join(lines) + "\n"


def write_specs(portfolio: Portfolio, directory: Path) -> Path:
    zones = directory / "zones"
    zones.mkdir(parents=True, exist_ok=True)
    for customer in portfolio.customers:
        (zones / f"{customer.domain}.yaml").write_text(spec_yaml(customer))
    return zones


@dataclass(frozen=True)
class EvalCase:
    ip: str
    sender: str
    helo: str


def _pick_address(rng: random.Random, cidr: str) -> str:
    net = ipaddress.ip_network(cidr)
    offset = rng.randrange(min(net.num_addresses, 1 << 16))
    return str(net[offset])


def eval_cases(portfolio: Portfolio, count: int, *, seed: int = 4408) -> tuple[EvalCase, ...]:
    """(ip, sender, helo) triples: ~half inside an authorised range, the rest outside."""
    rng = random.Random(seed)
    by_key = {p.key: p for p in portfolio.providers}
    cases = []
    for _ in range(count):
        customer = rng.choice(portfolio.customers)
        roll = rng.random()
        if roll < 0.5 and customer.providers:
            provider = by_key[rng.choice(customer.providers)]
            ip = _pick_address(rng, rng.choice(provider.networks))
        elif roll < 0.6:
            ip = _pick_address(rng, f"198.18.{rng.randrange(64)}.0/24")
        elif roll < 0.65:
            ip = f"2001:db8:{rng.randrange(1 << 16):x}::{rng.randrange(1, 1 << 16):x}"
        else:
            ip = f"192.0.2.{rng.randrange(1, 255)}"
        local = rng.choice(("postmaster", "billing", "noreply", "news"))
        cases.append(EvalCase(ip, f"{local}@{customer.domain}", f"mta{rng.randrange(9)}.{ORIGIN}"))
    return tuple(cases)
