"""ZoneSpec → exact DNS records (:class:`~dnsspec.records.Record`), and their outputs.

What the compiler produces, per zone, in :meth:`Record.sort_key` order:

- one TXT rrset per SPF policy (``origin="spf"``), located at the ``spf:`` node;
- with ``subdomain_default: none``, ``v=spf1 -all`` (``origin="subdomain_default"``)
  at every name of ``records:`` carrying A, AAAA or MX that has no policy and
  no ``v=spf1`` TXT of its own, except names at or below a delegation (an NS
  record other than at the apex). A wildcard owner (``*``) with A/AAAA/MX gets
  one too: the wildcard TXT is synthesised exactly where the wildcard address
  records are, i.e. for names that do not exist otherwise (RFC 4592);
- every entry of ``records:`` passed through (``origin="records"``). A TXT
  entry at a name that also gets an SPF value is merged into that one rrset
  (the SPF value first, then the entry's values in order; the entry's ``ttl``
  wins, as an rrset has one TTL).

Output is deterministic: the same specs give byte-identical output.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from dnsspec.errors import SpecError
from dnsspec.records import Record, split_character_strings, unescape_octodns_txt
from dnsspec.spec.load import LoadedZone
from dnsspec.spec.names import is_at_or_below
from dnsspec.spec.records import TXT_TYPES, check_spf_conflicts, record_values, spf_values
from dnsspec.spec.spf import NONE_RECORD

ADDRESS_TYPES = frozenset({"A", "AAAA", "MX"})


def delegations(records: Mapping[str, Sequence[Mapping[str, Any]]]) -> frozenset[str]:
    """Names below the apex with an NS record: they and their subtree are another zone."""
    return frozenset(
        name
        for name, entries in records.items()
        if name and any(e.get("type") == "NS" for e in entries)
    )


def default_names(zone: LoadedZone) -> list[str]:
    """Names that ``subdomain_default: none`` gives ``v=spf1 -all`` (sorted)."""
    spec = zone.spec
    if spec.subdomain_default != "none":
        return []
    have_policy = spec.policy_names()
    cut = delegations(spec.records)
    names = []
    for name, entries in spec.records.items():
        if name in have_policy or not any(e.get("type") in ADDRESS_TYPES for e in entries):
            continue
        if any(is_at_or_below(name, parent) for parent in cut):
            continue
        if any(spf_values(e) for e in entries):
            continue  # the user publishes their own SPF TXT here
        names.append(name)
    return sorted(names)


def compile_zone(zone: LoadedZone) -> list[Record]:
    """Every record the zone's spec produces, sorted by :meth:`Record.sort_key`."""
    spec, source_map = zone.spec, zone.source_map
    conflicts = check_spf_conflicts(spec, source_map)
    if conflicts:
        raise SpecError(conflicts)
    spf_at: dict[str, Record] = {}
    for spf in spec.spf_policies():
        spf_at[spf.name] = Record(
            zone.zone, spf.name, "TXT", spec.ttl, (spf.text,), source_map.locate(spf.path), "spf"
        )
    for name in default_names(zone):
        location = source_map.locate(("subdomain_default",))
        spf_at[name] = Record(
            zone.zone, name, "TXT", spec.ttl, (NONE_RECORD,), location, "subdomain_default"
        )
    out: list[Record] = []
    for name, entries in spec.records.items():
        for index, entry in enumerate(entries):
            rtype = str(entry["type"])
            ttl = int(entry.get("ttl", spec.ttl))
            values = tuple(_value(rtype, v) for v in record_values(entry))
            if rtype == "TXT" and name in spf_at:
                own = spf_at[name]
                merged = own.values + tuple(v for v in values if v not in own.values)
                spf_at[name] = Record(zone.zone, name, "TXT", ttl, merged, own.location, own.origin)
                continue
            location = source_map.locate(("records", name, index))
            out.append(Record(zone.zone, name, rtype, ttl, values, location, "records"))
    out.extend(spf_at.values())
    return sorted(out, key=Record.sort_key)


def compile_zones(zones: Sequence[LoadedZone]) -> list[Record]:
    """The records of every zone, zone by zone (zones in the given order)."""
    return [record for zone in zones for record in compile_zone(zone)]


def _value(rtype: str, value: Any) -> Any:
    if rtype in TXT_TYPES:
        return unescape_octodns_txt(str(value))
    if isinstance(value, Mapping):
        return {str(k): value[k] for k in sorted(value)}
    return value


# --- outputs -------------------------------------------------------------------


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
