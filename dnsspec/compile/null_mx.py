"""The null-MX generator: ``MX 0 .`` at each ``mx: none`` name (RFC 7505)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dnsspec.records import Record
from dnsspec.spec.load import LoadedZone
from dnsspec.spec.sites import Site


def generate(zone: LoadedZone, sites: Sequence[Site]) -> Iterator[Record]:
    """``MX 0 .`` at each ``mx: none`` name (``origin="null_mx"``), located at the key."""
    for site in sites:
        yield Record(
            zone.zone,
            site.name,
            "MX",
            zone.spec.ttl,
            (site.value.octodns_value,),
            zone.source_map.locate(site.path),
            "null_mx",
        )
