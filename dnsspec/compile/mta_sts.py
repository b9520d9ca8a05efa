"""The MTA-STS generator: ``v=STSv1; id=…`` at ``_mta-sts.<name>`` (RFC 8461 §3.1).

The id is the first 32 hex digits of the SHA-256 of the exact policy file
(:meth:`~dnsspec.spec.kinds.mta_sts.MtaStsValue.record_text`), so it changes
exactly when the served file does. Without ``mx:`` the policy lists the MX
hosts the spec writes at that name (:func:`mx_hosts`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from dnsspec.kinds import BY_NAME
from dnsspec.records import Record
from dnsspec.spec.load import LoadedZone
from dnsspec.spec.sites import Site


def mx_hosts(zone: LoadedZone, name: str) -> tuple[str, ...]:
    """The MX exchanges ``records.<name>`` lists, absolute without the trailing dot."""
    origin = zone.zone.rstrip(".")
    hosts: list[str] = []
    for entry in zone.spec.records.get(name, ()):
        if entry.type != "MX":
            continue
        for value in entry.values:
            exchange = str(value.get("exchange", "")) if isinstance(value, Mapping) else ""
            if not exchange or exchange == ".":
                continue
            host = exchange[:-1] if exchange.endswith(".") else f"{exchange}.{origin}"
            if host.lower() not in (h.lower() for h in hosts):
                hosts.append(host)
    return tuple(hosts)


def policy_files(zone: LoadedZone) -> dict[str, bytes]:
    """The exact policy file of each ``mta_sts:`` name of the zone, by domain (lowercase,
    no dot): what ``dnsspec mta-sts policy`` writes and ``dnsspec check`` compares."""
    files: dict[str, bytes] = {}
    for site in zone.sites:
        if site.kind == "mta_sts":
            domain = f"{site.name}.{zone.zone}" if site.name else zone.zone
            files[domain.rstrip(".").lower()] = site.value.policy_file(mx_hosts(zone, site.name))
    return files


def generate(zone: LoadedZone, sites: Sequence[Site]) -> Iterator[Record]:
    """One ``v=STSv1`` TXT per site (``origin="mta_sts"``), located at its ``mta_sts:`` node."""
    line = BY_NAME["mta_sts"]
    for site in sites:
        text = site.value.record_text(mx_hosts(zone, site.name))
        location = zone.source_map.locate(site.path)
        owner = line.owner_name(site.name)
        yield Record(zone.zone, owner, "TXT", zone.spec.ttl, (text,), location, "mta_sts")
