"""The one merge of generated records with the ``records:`` pass-through.

Keyed by (name, type): an rrset is one name and type, so a generated TXT
(SPF today, DMARC and the rest as they land) and a ``records:`` TXT entry at
the same name become one rrset: the generated values first (in the kinds
table's order), then the entry's values in order without repeats; the
entry's ``ttl`` wins (its own, or the zone's). Two generators writing the
same name and type merge the same way, the first one's location and origin
kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from dnsspec.records import Record
from dnsspec.spec.load import LoadedZone


def merge(zone: LoadedZone, generated: Iterable[Record]) -> list[Record]:
    """``generated`` and the zone's ``records:`` entries, one record per (name, type)."""
    spec, source_map = zone.spec, zone.source_map
    by_key: dict[tuple[str, str], Record] = {}
    for record in generated:
        key = (record.name, record.type)
        if key in by_key:
            record = _joined(by_key[key], record.values, by_key[key].ttl)
        by_key[key] = record
    out: list[Record] = []
    for name, entries in spec.records.items():
        for index, entry in enumerate(entries):
            ttl = entry.ttl_or(spec.ttl)
            own = by_key.get((name, entry.type)) if entry.type == "TXT" else None
            if own is not None:
                by_key[(name, entry.type)] = _joined(own, entry.values, ttl)
                continue
            location = source_map.locate(("records", name, index))
            out.append(Record(zone.zone, name, entry.type, ttl, entry.values, location, "records"))
    out.extend(by_key.values())
    return out


def _joined(own: Record, values: tuple[object, ...], ttl: int) -> Record:
    merged = own.values + tuple(v for v in values if v not in own.values)
    return Record(own.zone, own.name, own.type, ttl, merged, own.location, own.origin)
