"""The TLSA generator: one TLSA rrset per service at ``_<port>._<protocol>.<name>``.

Values are octoDNS's TLSA value mappings (:func:`dnsspec.tlsa.syntax.octodns_value`),
so the records go through octoDNS's own TLSA type to every provider.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dnsspec.records import Record
from dnsspec.spec.kinds.tlsa import TlsaValue
from dnsspec.spec.load import LoadedZone
from dnsspec.spec.sites import Site
from dnsspec.tlsa.syntax import octodns_value


def generate(zone: LoadedZone, sites: Sequence[Site]) -> Iterator[Record]:
    """Each service's TLSA rrset (``origin="tlsa"``), located at the site's ``tlsa:`` node."""
    for site in sites:
        value: TlsaValue = site.value
        location = zone.source_map.locate(site.path)
        for service in value.services:
            values = tuple(octodns_value(record) for record in service.records)
            owner = service.owner(site.name)
            yield Record(zone.zone, owner, "TLSA", zone.spec.ttl, values, location, "tlsa")
