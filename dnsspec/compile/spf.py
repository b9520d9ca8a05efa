"""The SPF generator: one TXT rrset per SPF policy site (the kinds table's ``spf`` line)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dnsspec.records import Record
from dnsspec.spec.load import LoadedZone
from dnsspec.spec.sites import Site


def generate(zone: LoadedZone, sites: Sequence[Site]) -> Iterator[Record]:
    """``v=spf1 …`` at each policy's name (``origin="spf"``), located at its ``spf:`` node.

    A ``v=spf1`` value written under ``records:`` is passed through with the
    other records, not generated here.
    """
    for site in sites:
        if site.in_records:
            continue
        yield Record(
            zone.zone,
            site.name,
            "TXT",
            zone.spec.ttl,
            (site.value.text,),
            zone.source_map.locate(site.path),
            "spf",
        )
