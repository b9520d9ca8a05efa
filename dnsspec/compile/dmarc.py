"""The DMARC generator: one TXT rrset per site at ``_dmarc.<name>`` (the kinds table's line)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dnsspec.kinds import BY_NAME
from dnsspec.records import Record
from dnsspec.spec.load import LoadedZone
from dnsspec.spec.sites import Site


def txt_records(zone: LoadedZone, sites: Sequence[Site], kind: str) -> Iterator[Record]:
    """One TXT rrset per site of ``kind``: its ``value.text``, at the kind's owner name."""
    line = BY_NAME[kind]
    for site in sites:
        if site.in_records:
            continue
        yield Record(
            zone.zone,
            line.owner_name(site.name),
            "TXT",
            zone.spec.ttl,
            (site.value.text,),
            zone.source_map.locate(site.path),
            kind,
        )


def generate(zone: LoadedZone, sites: Sequence[Site]) -> Iterator[Record]:
    """``v=DMARC1; …`` at ``_dmarc.<name>`` (``origin="dmarc"``), the raw text as written."""
    return txt_records(zone, sites, "dmarc")
