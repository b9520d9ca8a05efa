"""octoDNS records ⇄ dnsspec :class:`~dnsspec.records.Record` values.

One direction each: :func:`to_octodns` builds the octoDNS record of a compiled
Record (what :class:`~dnsspec.octodns.SpecSource` adds to a zone), and
:func:`record_values` / :func:`to_records` read octoDNS records back as the
text receivers see (what the plan shows and the per-kind deltas analyse).
"""

from __future__ import annotations

from typing import Any

from dnsspec.octodns import compat
from dnsspec.records import Record, unescape_octodns_txt
from dnsspec.txtkinds import TXT_TYPES


def txt_text(value: Any) -> str:
    """octoDNS's internal TXT form (``\\;``) back to the text receivers see."""
    return unescape_octodns_txt(str(value))


def to_octodns(record: Record, zone: Any, *, source: Any, context: object, lenient: bool) -> Any:
    """The octoDNS record of ``record`` in ``zone``; octoDNS's own errors name ``context``
    (formatted only then: a spec :class:`~dnsspec.errors.Location` is found when read)."""
    from octodns.context import ContextDict
    from octodns.record import Record as OctoRecord

    data = ContextDict(record.octodns_data(), context=context)
    return OctoRecord.new(zone, record.name, data, source=source, lenient=lenient)


def _values(record: Any) -> list[Any]:
    values = getattr(record, "values", None)
    return [record.value] if values is None else list(values)


def record_values(record: Any) -> tuple[str, ...]:
    """Values of an octoDNS record as text (TXT unescaped; others in zone-file form)."""
    if record is None:
        return ()
    if compat.record_type(record) in TXT_TYPES:
        return tuple(txt_text(v) for v in _values(record))
    return tuple(compat.rdata_text(v) for v in _values(record))


def to_records(zone: Any) -> list[Record]:
    """An octoDNS zone's records as dnsspec Records (TXT as receivers see it)."""
    out = []
    for record in zone.records:
        rtype = compat.record_type(record)
        if rtype in TXT_TYPES:
            data: tuple[Any, ...] = tuple(txt_text(v) for v in _values(record))
        else:
            data = tuple(getattr(v, "data", v) for v in _values(record))
        out.append(
            Record(zone=zone.name, name=record.name, type=rtype, ttl=record.ttl, values=data)
        )
    return out
