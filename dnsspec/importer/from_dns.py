"""``dnsspec import --from dns``: a zone's mail names, as DNS answers them.

A DNS import cannot list a zone: it asks for the names mail depends on (the
apex, ``_dmarc``, ``_mta-sts``, ``mta-sts``, ``_smtp._tls``, DKIM selectors,
the MX hosts inside the zone and their ``_25._tcp`` TLSA, the names SPF
policies include inside the zone) and says so; the spec keeps ``manage: owned``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dnsspec.importer.live import ImportSourceError, LiveZone, from_rdatasets, host_port

#: DKIM selectors a DNS import asks for (beside those given with --dkim-selector)
COMMON_DKIM_SELECTORS = (
    "default",
    "dkim",
    "google",
    "k1",
    "k2",
    "mail",
    "s1",
    "s2",
    "selector1",
    "selector2",
)
#: the names below the apex a DNS import always asks for, and the types it asks there
WELL_KNOWN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("", ("MX", "TXT", "A", "AAAA", "CAA")),
    ("_dmarc", ("TXT",)),
    ("_mta-sts", ("TXT",)),
    ("mta-sts", ("CNAME", "A", "AAAA")),
    ("_smtp._tls", ("TXT",)),
)
#: the most names a DNS import follows through SPF includes inside the zone
MAX_SPF_NAMES = 50


def read_dns(
    zone: str,
    nameservers: Sequence[str],
    *,
    selectors: Sequence[str] = (),
    timeout: float = 2.0,
) -> LiveZone:
    """The mail names of ``zone`` as DNS answers them (never the whole zone).

    Asks for the apex, ``_dmarc``, ``_mta-sts``, ``mta-sts``, ``_smtp._tls``, the DKIM
    selectors (common ones plus ``selectors``), each MX host inside the zone (its
    addresses and ``_25._tcp`` TLSA) and every name inside the zone that an SPF
    policy includes or redirects to.
    """
    import dns.exception
    import dns.name
    import dns.rdatatype
    import dns.resolver

    resolver = _resolver(nameservers, timeout)
    rrsets: dict[tuple[str, str], tuple[int, list[str]]] = {}

    def ask(name: str, rtype: str) -> list[Any]:
        fqdn = f"{name}.{zone}" if name else zone
        try:
            answer = resolver.resolve(fqdn, rtype, raise_on_no_answer=False)
        except dns.resolver.NXDOMAIN:
            if not name:
                raise ImportSourceError(f"{zone} does not exist (NXDOMAIN)") from None
            return []
        except dns.resolver.NoNameservers as error:
            raise ImportSourceError(
                f"{zone}: no server answered for {fqdn} {rtype}: {error}"
            ) from None
        except dns.exception.Timeout:
            raise ImportSourceError(f"{zone}: no answer for {fqdn} {rtype} (timed out)") from None
        response = answer.response
        owner = dns.name.from_text(fqdn)
        found = []
        for rrset in response.answer:
            if rrset.name != owner:
                continue
            kind = dns.rdatatype.to_text(rrset.rdtype)
            if kind not in (rtype, "CNAME"):
                continue
            texts = [r.to_text(origin=None, relativize=False) for r in rrset]
            rrsets[(fqdn.lower(), kind)] = (int(rrset.ttl), texts)
            found.extend(rrset)
        return found

    for name, types in WELL_KNOWN:
        for rtype in types:
            ask(name, rtype)
    for selector in dict.fromkeys([*COMMON_DKIM_SELECTORS, *selectors]):
        for rtype in ("TXT", "CNAME"):
            ask(f"{selector}._domainkey", rtype)
    for host in _in_zone_targets(rrsets, zone, "MX"):
        for rtype in ("A", "AAAA"):
            ask(host, rtype)
        ask(f"_25._tcp.{host}" if host else "_25._tcp", "TLSA")
    seen: set[str] = set()
    queue = list(_spf_targets(rrsets, zone))
    while queue and len(seen) < MAX_SPF_NAMES:
        name = queue.pop(0)
        if name in seen:
            continue
        seen.add(name)
        ask(name, "TXT")
        queue.extend(_spf_targets(rrsets, zone))
    live = from_rdatasets(
        zone,
        [(f, t, ttl, texts) for (f, t), (ttl, texts) in sorted(rrsets.items())],
        complete=False,
    )
    note = (
        "a DNS import sees only the names it asks for (the apex, _dmarc, _mta-sts, mta-sts, "
        "_smtp._tls, DKIM selectors, the MX hosts and SPF include targets in the zone), so "
        "the spec keeps manage: owned; use --from axfr, bind or octodns for the whole zone"
    )
    return LiveZone(zone, live.records, live.skipped, False, (note,))


def _resolver(nameservers: Sequence[str], timeout: float) -> Any:
    import dns.resolver

    resolver = dns.resolver.Resolver(configure=not nameservers)
    if nameservers:
        hosts = [host_port(n) for n in nameservers]
        resolver.nameservers = [h for h, _ in hosts]
        resolver.port = hosts[0][1]
    resolver.timeout = timeout
    resolver.lifetime = timeout * 3
    return resolver


def _relative(fqdn: str, zone: str) -> str | None:
    fqdn = fqdn.lower()
    if fqdn == zone:
        return ""
    return fqdn[: -len(zone) - 1] if fqdn.endswith("." + zone) else None


def _in_zone_targets(
    rrsets: dict[tuple[str, str], tuple[int, list[str]]], zone: str, rtype: str
) -> list[str]:
    hosts = []
    for (_, kind), (_, texts) in rrsets.items():
        if kind != rtype:
            continue
        for text in texts:
            name = _relative(text.split()[-1], zone)
            if name is not None and name not in hosts:
                hosts.append(name)
    return hosts


def _spf_targets(rrsets: dict[tuple[str, str], tuple[int, list[str]]], zone: str) -> list[str]:
    from dnsspec.spf.syntax import Mechanism, Modifier, SpfSyntaxError, parse
    from dnsspec.txtkinds import is_spf

    names = []
    for (_, kind), (_, texts) in list(rrsets.items()):
        if kind != "TXT":
            continue
        for text in texts:
            joined = _txt_join(text)
            if not is_spf(joined):
                continue
            try:
                policy = parse(joined)
            except SpfSyntaxError:
                continue
            for term in policy.terms:
                target = None
                if isinstance(term, Mechanism) and term.kind in ("include", "exists"):
                    target = term.domain
                elif isinstance(term, Modifier) and term.name == "redirect":
                    target = term.value
                if target and "%" not in target:
                    name = _relative(target.rstrip(".") + ".", zone)
                    if name is not None and name not in names:
                        names.append(name)
    return names


def _txt_join(text: str) -> str:
    """A TXT rdata in presentation form ("a" "b") → the text receivers see."""
    import dns.rdata
    import dns.rdataclass
    import dns.rdatatype

    rdata = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.TXT, text)
    return b"".join(rdata.strings).decode("utf-8", "replace")  # type: ignore[attr-defined]
