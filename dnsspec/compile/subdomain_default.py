"""``subdomain_default: none``: ``v=spf1 -all`` at the names that send no mail.

Every name of ``records:`` carrying A, AAAA or MX that has no SPF policy and
no ``v=spf1`` TXT of its own gets ``v=spf1 -all`` (``origin="subdomain_default"``),
except names at or below a delegation (an NS record other than at the apex).
A wildcard owner (``*``) with A/AAAA/MX gets one too: the wildcard TXT is
synthesised exactly where the wildcard address records are, i.e. for names
that do not exist otherwise (RFC 4592).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from dnsspec.records import Record
from dnsspec.spec.entries import RecordEntry
from dnsspec.spec.load import LoadedZone
from dnsspec.spec.names import is_at_or_below
from dnsspec.spec.sites import Site, entry_spf_values
from dnsspec.spec.spf import NONE_RECORD

ADDRESS_TYPES = frozenset({"A", "AAAA", "MX"})


def delegations(records: Mapping[str, Sequence[RecordEntry]]) -> frozenset[str]:
    """Names below the apex with an NS record: they and their subtree are another zone."""
    return frozenset(
        name for name, entries in records.items() if name and any(e.type == "NS" for e in entries)
    )


def default_names(zone: LoadedZone) -> list[str]:
    """Names that ``subdomain_default: none`` gives ``v=spf1 -all`` (sorted)."""
    spec = zone.spec
    if spec.subdomain_default != "none":
        return []
    have_policy = {s.name for s in zone.sites if s.kind == "spf" and not s.in_records}
    have_policy |= {s.name for s in zone.unset_sites if s.kind == "spf"}  # `spf: unset`
    cut = delegations(spec.records)
    names = []
    for name, entries in spec.records.items():
        if name in have_policy or not any(e.type in ADDRESS_TYPES for e in entries):
            continue
        if any(is_at_or_below(name, parent) for parent in cut):
            continue
        if any(entry_spf_values(name, e) for e in entries):
            continue  # the user publishes their own SPF TXT here
        names.append(name)
    return sorted(names)


def generate(zone: LoadedZone, sites: Sequence[Site]) -> Iterator[Record]:
    location = zone.source_map.locate(("subdomain_default",))
    for name in default_names(zone):
        yield Record(
            zone.zone, name, "TXT", zone.spec.ttl, (NONE_RECORD,), location, "subdomain_default"
        )
