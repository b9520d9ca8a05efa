"""Check, with dnspython and no other tool, that the server answers the portfolio."""

from __future__ import annotations

import itertools
from collections import defaultdict

import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.resolver
from bind import BindServer
from portfolio import Portfolio
from providers import RR


def verify_server(server: BindServer, portfolio: Portfolio, *, customers: int = 100) -> int:
    """Resolve every provider rrset and a sample of customers' rrsets; return how many
    rrsets matched. Raises RuntimeError on the first mismatch."""
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = server.port
    resolver.lifetime = 5.0
    wanted: dict[tuple[str, str], set[dns.rdata.Rdata]] = defaultdict(set)
    provider_rrs = (rr for p in portfolio.providers for rr in p.records)
    sample = Portfolio((), portfolio.customers[:customers])
    rr: RR
    for rr in itertools.chain(provider_rrs, portfolio.extra, sample.records()):
        rdtype = dns.rdatatype.from_text(rr.type)
        wanted[(rr.name, rr.type)].add(
            dns.rdata.from_text(
                dns.rdataclass.IN, rdtype, rr.rdata, origin=dns.name.root, relativize=False
            )
        )
    for (name, type_text), expected in wanted.items():
        answer = resolver.resolve(f"{name}.", type_text, search=False)
        got = set(answer.rrset or ())
        if got != expected:
            raise RuntimeError(f"server answers {name} {type_text} with {got}, expected {expected}")
    for customer in portfolio.customers[:customers]:
        txt = resolver.resolve(f"{customer.domain}.", "TXT", search=False)
        joined = [b"".join(r.strings).decode() for r in txt]
        if joined != [customer.spf_text]:
            raise RuntimeError(
                f"{customer.domain} publishes {joined}, expected {customer.spf_text}"
            )
    return len(wanted)
