"""The DKIM generator: one rrset per selector at ``<selector>._domainkey.<name>``.

A key, revoked or raw selector is a TXT rrset (its text, one logical string:
the renderers and octoDNS split it into character-strings of at most 255
bytes, which receivers concatenate, RFC 6376 §3.6.2.2); a delegated selector
(``cname:``) is a CNAME to the provider's name.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dnsspec.dkim.syntax import owner_name
from dnsspec.records import Record
from dnsspec.spec.kinds.dkim import DkimValue
from dnsspec.spec.load import LoadedZone
from dnsspec.spec.sites import Site


def generate(zone: LoadedZone, sites: Sequence[Site]) -> Iterator[Record]:
    """Each selector's TXT (``origin="dkim"``) or CNAME, located at its selector key."""
    for site in sites:
        value: DkimValue = site.value
        for selector in value.selectors:
            if selector.form == "unset":
                continue  # publishes nothing (plan and apply read it as consent to delete)
            location = zone.source_map.locate((*site.path, selector.selector))
            name = owner_name(selector.selector, site.name)
            if selector.cname is not None:
                target = selector.cname if selector.cname.endswith(".") else f"{selector.cname}."
                yield Record(zone.zone, name, "CNAME", zone.spec.ttl, (target,), location, "dkim")
            else:
                assert selector.text is not None
                text = (selector.text,)
                yield Record(zone.zone, name, "TXT", zone.spec.ttl, text, location, "dkim")
