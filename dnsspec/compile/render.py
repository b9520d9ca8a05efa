"""Compiled records → outputs: JSON, octoDNS YamlProvider files, RFC 1035 zone files.

Each renderer is a pure function of the records; ``render_outputs`` picks one
and lays the result out per zone or as one text for stdout.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from dnsspec.records import Record, split_character_strings
from dnsspec.txtkinds import TXT_TYPES


def to_json(records: Sequence[Record]) -> str:
    """``[{zone, name, fqdn, type, ttl, values}]``; a TXT value is a list of character-strings.

    Each TXT/SPF value is the list of its ≤255-byte character-strings (split
    at term boundaries); receivers join them with nothing in between, so
    ``"".join(value)`` is the logical text. Other values are octoDNS's value
    data (a string, or an object such as ``{"exchange": …, "preference": 10}``).
    """
    rows = [
        {
            "zone": r.zone,
            "name": r.name,
            "fqdn": r.fqdn,
            "type": r.type,
            "ttl": r.ttl,
            "values": [split_character_strings(v) if r.type in TXT_TYPES else v for v in r.values],
        }
        for r in records
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def to_octodns(records: Sequence[Record]) -> dict[str, str]:
    """One octoDNS YamlProvider file per zone: ``{"example.com.": yaml_text}``.

    Keys in octoDNS's natural sort order (its loader enforces it), ``;``
    escaped in TXT values; octoDNS chunks long TXT values itself.
    """
    from octodns.yaml import safe_dump

    by_zone: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for record in records:
        by_zone.setdefault(record.zone, {}).setdefault(record.name, []).append(
            record.octodns_data()
        )
    files: dict[str, str] = {}
    for zone, names in by_zone.items():
        data = {
            name: entries[0] if len(entries) == 1 else sorted(entries, key=lambda e: e["type"])
            for name, entries in names.items()
        }
        files[zone] = _dump(safe_dump, data)
    return files


def _dump(safe_dump: Any, data: Any) -> str:
    import io

    buffer = io.StringIO()
    safe_dump(data, buffer)
    return buffer.getvalue()


def to_zone_file(records: Sequence[Record]) -> str:
    """RFC 1035 master-file lines, one ``$ORIGIN`` block per zone."""
    lines: list[str] = []
    zone = None
    for record in records:
        if record.zone != zone:
            if zone is not None:
                lines.append("")
            zone = record.zone
            lines.append(f"$ORIGIN {zone}")
        owner = record.name or "@"
        for rdata in _rdata(record):
            lines.append(f"{owner} {record.ttl} IN {record.type} {rdata}")
    return "\n".join(lines) + "\n" if lines else ""


def _rdata(record: Record) -> list[str]:
    if record.type in TXT_TYPES:
        return [
            " ".join(quote_character_string(s) for s in split_character_strings(v))
            for v in record.values
        ]
    from octodns.record import Record as OctoRecord

    from dnsspec.spec.records import octodns_zone, quiet_octodns

    with quiet_octodns():
        octo = OctoRecord.new(octodns_zone(record.zone), record.name, record.octodns_data())
    values = getattr(octo, "values", None) or [octo.value]
    return [v.to_rdata_text() if hasattr(v, "to_rdata_text") else str(v) for v in values]


def quote_character_string(text: str) -> str:
    """One ``"…"`` character-string: ``"`` and ``\\`` escaped, non-ASCII bytes as ``\\DDD``."""
    out = []
    for byte in text.encode("utf-8"):
        if byte in (0x22, 0x5C):
            out.append("\\" + chr(byte))
        elif 0x20 <= byte < 0x7F:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def render_outputs(records: Sequence[Record], fmt: str, *, per_zone: bool) -> dict[str, str]:
    """Render ``records`` as ``fmt`` (``json``, ``octodns``, ``zone``).

    With ``per_zone`` the result maps a file name per zone (``example.com.yaml``,
    ``example.com.json``, ``example.com.zone``) to its text; otherwise ``""``
    maps to one text for stdout (octoDNS documents separated by ``---``).
    """
    zones = list(dict.fromkeys(r.zone for r in records))
    if fmt == "octodns":
        files = to_octodns(records)
        if per_zone:
            return {f"{zone.rstrip('.')}.yaml": files[zone] for zone in zones}
        return {"": "".join(files[zone] for zone in zones)}
    render = to_json if fmt == "json" else to_zone_file
    if per_zone:
        suffix = "json" if fmt == "json" else "zone"
        return {
            f"{zone.rstrip('.')}.{suffix}": render([r for r in records if r.zone == zone])
            for zone in zones
        }
    return {"": render(records)}
