"""DMARC report authorization across the specs' zones (RFC 9990 §3.3, RFC 7489 §7.1).

A ``rua``/``ruf`` address in another Organizational Domain is used by
receivers only when that domain publishes
``<policy-domain>._report._dmarc.<report-domain> TXT "v=DMARC1"``. When the
report domain is inside a zone of the same run, the compiler writes that
record into it (``origin="dmarc_report"``, located at the URI in the policy's
spec); otherwise lint says what the other domain must publish (DMARC108).

This is the one generator that reads *other* zones: the records of a zone
depend on every spec of the run, so :func:`report_authorizations` runs over
the whole run once (``compile_zones``, and ``SpecSource`` over every spec of
its directory). A zone compiled alone gets only what the zones of its run ask
for. Not written: a name at or below a delegation of the report zone (another
zone: lint says so), a wildcard policy name (``*._report._dmarc`` is no
wildcard), and a name whose ``records:`` already publish a ``v=DMARC1`` TXT
there (the hand-written one serves; no second value).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dnsspec.compile.subdomain_default import delegations
from dnsspec.dmarc.reports import (
    AUTHORIZATION_RECORD,
    external_destinations,
    is_authorization_record,
    known_zones,
)
from dnsspec.errors import Location
from dnsspec.records import Record
from dnsspec.spec.load import LoadedZone
from dnsspec.spec.names import is_at_or_below
from dnsspec.txtkinds import TXT_TYPES

ORIGIN = "dmarc_report"


def _bare(name: str) -> str:
    return name.rstrip(".").lower()


def zone_of(fqdn: str, zones: Mapping[str, LoadedZone]) -> LoadedZone | None:
    """The zone (by bare apex) that holds ``fqdn``: the longest match, or None."""
    labels = _bare(fqdn).split(".")
    for start in range(len(labels)):
        found = zones.get(".".join(labels[start:]))
        if found is not None:
            return found
    return None


def _relative(fqdn: str, zone: LoadedZone) -> str:
    name, apex = _bare(fqdn), _bare(zone.zone)
    return "" if name == apex else name[: -len(apex) - 1]


def _hand_written(zone: LoadedZone, name: str) -> bool:
    return any(
        is_authorization_record(str(value))
        for entry in zone.spec.records.get(name, ())
        if entry.type in TXT_TYPES
        for value in entry.values
    )


def authorization_target(
    fqdn: str, zones: Mapping[str, LoadedZone]
) -> tuple[LoadedZone, str] | None:
    """Where the run writes the authorization ``fqdn``: (its zone, the relative name), or
    None when no zone of ``zones`` (by bare apex) holds it outside a delegation."""
    zone = zone_of(fqdn, zones)
    if zone is None:
        return None
    name = _relative(fqdn, zone)
    if any(is_at_or_below(name, cut) for cut in delegations(zone.spec.records)):
        return None
    return zone, name


def report_authorizations(zones: Sequence[LoadedZone]) -> dict[str, tuple[Record, ...]]:
    """zone name -> the authorization records the run's DMARC policies need written there.

    Deterministic: policies are read zone by zone (sorted by zone name), sites in
    the spec's order, ``rua`` before ``ruf``; one record per name.
    """
    by_apex = {_bare(z.zone): z for z in zones}
    known = known_zones(by_apex)
    found: dict[tuple[str, str], Record] = {}
    for policy_zone in sorted(zones, key=lambda z: z.zone):
        for site in policy_zone.sites:
            if site.kind != "dmarc" or "*" in site.name:
                continue
            domain = _bare(f"{site.name}.{policy_zone.zone}" if site.name else policy_zone.zone)
            record = site.value.record
            for tag, uris in (("rua", record.rua), ("ruf", record.ruf)):
                for uri, fqdn in external_destinations(domain, uris, known):
                    target = authorization_target(fqdn, by_apex)
                    if target is None:
                        continue
                    zone, name = target
                    if (zone.zone, name) in found or _hand_written(zone, name):
                        continue
                    location = _uri_location(policy_zone, site.path, tag, uris.index(uri))
                    found[(zone.zone, name)] = Record(
                        zone.zone,
                        name,
                        "TXT",
                        zone.spec.ttl,
                        (AUTHORIZATION_RECORD,),
                        location,
                        ORIGIN,
                    )
    out: dict[str, list[Record]] = {}
    for (zone_name, _), rec in found.items():
        out.setdefault(zone_name, []).append(rec)
    return {zone_name: tuple(records) for zone_name, records in out.items()}


def _uri_location(zone: LoadedZone, path: tuple[str | int, ...], tag: str, index: int) -> Location:
    """The URI's list item in the mapping form; the ``dmarc:`` node for a raw record."""
    return zone.source_map.locate((*path, tag, index))
