"""``records:``: octoDNS record data, validated with octoDNS's own record classes.

Each entry is checked with ``octodns.record.Record.new(zone, name, data,
lenient=False)`` in a throwaway ``octodns.zone.Zone``; its validation reasons
become located problems. Keys may be in any order (octoDNS's YAML loader
insists on sorted keys; we do not). dnsspec passes through ``type``, ``ttl``
and ``value``/``values``; other octoDNS keys (``octodns:``, ``dynamic:``,
``geo:``) are refused rather than silently dropped.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dnsspec.errors import SpecProblem
from dnsspec.records import unescape_octodns_txt
from dnsspec.spec.base import UNSET
from dnsspec.spec.names import a_label, relative_name_problem
from dnsspec.spec.source import Path_, SourceMap
from dnsspec.spec.zone import MAX_TTL, ZoneSpec
from dnsspec.spf.syntax import is_spf_record
from dnsspec.txtkinds import TXT_TYPES

_VIA = re.compile(r", via: [\w.-]+$")
_UNESCAPED = re.compile(r"(?<!\\);")
VALUE_EXAMPLES = {
    "MX": "{preference: 10, exchange: mx.example.com.}",
    "SRV": "{priority: 10, weight: 5, port: 443, target: host.example.com.}",
    "CAA": "{flags: 0, tag: issue, value: letsencrypt.org}",
    "TLSA": (
        "{certificate_usage: 3, selector: 1, matching_type: 1, certificate_association_data: ab12…}"
    ),
}
RECORD_KEYS = ("type", "ttl", "value", "values")


def _raw_entries(value: Any) -> list[tuple[Path_, Any]]:
    """``records.<name>`` as (relative path, entry) pairs: a mapping or a list of them."""
    if isinstance(value, dict):
        return [((), value)]
    if isinstance(value, list):
        return [((i,), item) for i, item in enumerate(value)]
    return []


def _raw_values(data: dict[str, Any]) -> list[Any]:
    """The ``value`` or ``values`` of one raw entry, always as a list."""
    if "values" in data:
        values = data["values"]
        return list(values) if isinstance(values, list) else [values]
    return [data["value"]] if "value" in data else []


@contextmanager
def quiet_octodns() -> Iterator[None]:
    """Silence octoDNS's one-time "automatically enabling legacy set" warning."""
    logger = logging.getLogger("Record")

    def keep(record: logging.LogRecord) -> bool:
        return "no validators configured" not in record.getMessage()

    logger.addFilter(keep)
    try:
        yield
    finally:
        logger.removeFilter(keep)


def octodns_zone(name: str) -> Any:
    """An empty ``octodns.zone.Zone`` to build records against (never added to)."""
    from dnsspec.octodns.compat import record_zone

    return record_zone(name)


def check_records(
    data: dict[str, Any], zone: str | None, source_map: SourceMap
) -> list[SpecProblem]:
    """Validate every entry under ``records:`` with octoDNS (on the raw YAML data).

    Runs beside the pydantic validation (which checks the names and the
    mapping/list shape), so both kinds of problems are reported in one run.
    """
    records = data.get("records")
    if not isinstance(records, dict):
        return []
    # octoDNS's record types (~30 ms of start-up) only for a spec that has records: (#16)
    from octodns.record import Record

    octo_zone = octodns_zone(zone or "invalid.example.")
    problems: list[SpecProblem] = []
    zone_ttl = data.get("ttl")
    ttl = zone_ttl if isinstance(zone_ttl, int) and not isinstance(zone_ttl, bool) else 3600
    with quiet_octodns():
        for name, value in records.items():
            if name and relative_name_problem(name, zone):
                continue  # reported by the model
            seen: dict[str, Path_] = {}
            for sub, entry in _raw_entries(value):
                path: Path_ = ("records", name, *sub)
                if not isinstance(entry, dict):
                    continue  # reported by the model
                found = _check_entry(Record, octo_zone, name, entry, ttl, path, source_map)
                if not found:
                    found = _check_targets(name, entry, path, octo_zone.name, source_map)
                if not found:
                    found = _check_spf_values(name, entry, path, source_map)
                problems.extend(found)
                rtype = entry.get("type")
                if isinstance(rtype, str) and not found:
                    if rtype in seen:
                        line = source_map.locate(seen[rtype]).line
                        problems.append(
                            _problem(
                                source_map.locate(path),
                                path,
                                f"second {rtype} record at '{name}' (the first is at line {line})",
                                "one rrset per name and type: merge the values into one entry's "
                                "`values:`",
                            )
                        )
                    seen[rtype] = path
    return problems


def _check_entry(
    record_class: Any,
    octo_zone: Any,
    name: str,
    entry: dict[str, Any],
    zone_ttl: int,
    path: Path_,
    source_map: SourceMap,
) -> list[SpecProblem]:
    where = f"records.{name or repr('')}"
    problems: list[SpecProblem] = []
    for key in entry:
        if key not in RECORD_KEYS:
            close = difflib.get_close_matches(str(key), RECORD_KEYS, n=1)
            problems.append(
                _problem(
                    source_map.locate_key((*path, key)),
                    (*path, key),
                    f"unknown key '{key}' in {where}",
                    f"did you mean '{close[0]}'?"
                    if close
                    else "a record has `type`, `ttl` and `value` or `values`",
                )
            )
    rtype = entry.get("type")
    if rtype is None:
        problems.append(
            _problem(
                source_map.locate(path),
                path,
                f"{where}: missing required key 'type'",
                "e.g. `{type: A, value: 192.0.2.10}`",
            )
        )
        return problems
    types = sorted(record_class.registered_types())
    if not isinstance(rtype, str) or rtype not in types:
        close = difflib.get_close_matches(str(rtype).upper(), types, n=1)
        problems.append(
            _problem(
                source_map.locate((*path, "type")),
                (*path, "type"),
                f"{where}: unknown record type '{rtype}'",
                f"did you mean '{close[0]}'?" if close else "one of: " + ", ".join(types),
            )
        )
        return problems
    ttl = entry.get("ttl", zone_ttl)
    if "ttl" in entry and (type(ttl) is not int or not 0 <= ttl <= MAX_TTL):
        problems.append(
            _problem(
                source_map.locate((*path, "ttl")),
                (*path, "ttl"),
                f"{where}: ttl must be an integer from 0 to {MAX_TTL}, got {ttl!r}",
                "write the number of seconds, e.g. 3600",
            )
        )
        return problems
    if "value" in entry and "values" in entry:
        problems.append(
            _problem(
                source_map.locate_key((*path, "values")),
                (*path, "values"),
                f"{where}: both `value` and `values`",
                "use `value` for one value and `values` for a list",
            )
        )
        return problems
    if problems:
        return problems
    value_path = _value_path(path, entry)
    if rtype in TXT_TYPES:
        bad = [v for v in _raw_values(entry) if not isinstance(v, str)]
        if bad:
            return [
                _problem(
                    source_map.locate(value_path),
                    value_path,
                    f"{where}: a {rtype} value must be a string, got {bad[0]!r}",
                    "quote the value",
                )
            ]
    try:
        reasons = _octodns_reasons(record_class, octo_zone, name, {**entry, "ttl": ttl})
    except Exception as error:  # octoDNS's validators raise on some malformed values
        example = VALUE_EXAMPLES.get(rtype)
        shape = f"; a {rtype} value looks like {example}" if example else ""
        reasons = [f"octoDNS cannot read this value ({error}){shape}"]
    for reason in reasons:
        text = _VIA.sub("", str(reason))
        problems.append(
            _problem(
                source_map.locate(value_path),
                value_path,
                f"{where}: invalid {rtype} record: {text}",
                _reason_hint(text, entry),
            )
        )
    return problems


#: the record types whose values are (or hold) a domain name, and the field that holds it
NAME_FIELDS: dict[str, str | None] = {
    "ALIAS": None,
    "CNAME": None,
    "DNAME": None,
    "NS": None,
    "PTR": None,
    "MX": "exchange",
    "SRV": "target",
    "NAPTR": "replacement",
    "HTTPS": "targetname",
    "SVCB": "targetname",
}


def _check_targets(
    name: str, entry: dict[str, Any], path: Path_, zone: str, source_map: SourceMap
) -> list[SpecProblem]:
    """Every domain name in a record's values is absolute (ends in a dot) and ASCII.

    octoDNS accepts ``brightkettle.statuspage.example`` as a CNAME with
    ``lenient=False``, and providers then publish it relative to the zone
    (``brightkettle.statuspage.example.brightkettle.com.``): wrong DNS, silently.
    """
    rtype = entry.get("type")
    if not isinstance(rtype, str) or rtype not in NAME_FIELDS:
        return []
    field = NAME_FIELDS[rtype]
    where = f"records.{name or repr('')}"
    value_path = _value_path(path, entry)
    listed = isinstance(entry.get("values"), list)
    problems = []
    for i, value in enumerate(_raw_values(entry)):
        at: Path_ = (*value_path, i) if listed else value_path
        target = value.get(field) if field is not None and isinstance(value, dict) else value
        if field is not None:
            at = (*at, field)
        if not isinstance(target, str) or target == ".":
            continue  # "." is the root: a null MX, an SRV "no service", an HTTPS "self"
        what = f"the {rtype} {field or 'target'} '{target}'"
        key = field or ("" if listed else "values" if "values" in entry else "value")
        if not target.isascii():
            converted = a_label(target)
            problems.append(
                _problem(
                    source_map.locate(at),
                    at,
                    f"{where}: {what} is not ASCII: DNS carries internationalized names as "
                    "A-labels",
                    f"write the A-label: `{key + ': ' if key else ''}{converted}`"
                    if converted
                    else "this name has no IDNA A-label form; write the name in ASCII",
                )
            )
        elif not target.endswith("."):
            problems.append(
                _problem(
                    source_map.locate(at),
                    at,
                    f"{where}: {what} has no trailing dot, so DNS reads it relative to the "
                    f"zone: {target}.{zone}",
                    f"add the trailing dot: `{key + ': ' if key else ''}{target}.`",
                )
            )
    return problems


def _octodns_reasons(
    record_class: Any, octo_zone: Any, name: str, data: dict[str, Any]
) -> list[str]:
    """What ``Record.new(zone, name, data, lenient=False)`` would refuse, without
    building the record (or copying the data: octoDNS's validators only read it)."""
    from octodns.idna import IdnaError, idna_encode

    reasons: list[str] = []
    try:
        name = idna_encode(name)
    except IdnaError as error:
        reasons.append(str(error))
    fqdn = f"{name}.{octo_zone.name}" if name else octo_zone.name
    record_type = record_class.registered_types()[data["type"]]
    disabled = getattr(octo_zone, "disabled_record_validators", None)
    reasons.extend(record_type.validate(name, fqdn, data, disabled=disabled))
    return reasons


def _check_spf_values(
    name: str, entry: dict[str, Any], path: Path_, source_map: SourceMap
) -> list[SpecProblem]:
    """A ``v=spf1`` TXT under ``records:`` must parse like a raw ``spf:`` string."""
    from dnsspec.spec.spf import raw_record_problem

    problems = []
    for value_path, text in _raw_spf_values(entry, path):
        problem = raw_record_problem(text)
        if problem is not None:
            message, hint, offset = problem
            location = source_map.locate(value_path)
            if offset is not None and "\\" not in text:  # octoDNS escapes change columns
                location = source_map.locate_in_string(value_path, text, offset)
            problems.append(
                _problem(
                    location,
                    value_path,
                    f"records.{name or repr('')}: {message}",
                    hint,
                )
            )
    return problems


def _raw_spf_values(entry: dict[str, Any], path: Path_) -> list[tuple[Path_, str]]:
    """The ``v=spf1`` values of a raw TXT entry (unescaped), each with its YAML path."""
    if entry.get("type") not in TXT_TYPES:
        return []
    if "values" in entry and isinstance(entry["values"], list):
        located: list[tuple[Path_, Any]] = [
            ((*path, "values", i), v) for i, v in enumerate(entry["values"])
        ]
    else:
        key = "values" if "values" in entry else "value"
        located = [((*path, key), entry[key])] if key in entry else []
    found = []
    for value_path, value in located:
        if isinstance(value, str) and is_spf_record(text := unescape_octodns_txt(value)):
            found.append((value_path, text))
    return found


def _value_path(path: Path_, entry: dict[str, Any]) -> Path_:
    key = "values" if "values" in entry else "value"
    return (*path, key) if key in entry else path


def _reason_hint(reason: str, entry: dict[str, Any] | None = None) -> str | None:
    missing = re.fullmatch(r"missing (\w+)", reason.strip())
    if missing and entry is not None:
        # octoDNS ignores keys it does not know: a misspelt one shows up as missing
        field = missing.group(1)
        keys = {str(k) for v in _raw_values(entry) if isinstance(v, dict) for k in v}
        close = difflib.get_close_matches(field, sorted(keys - {field}), n=1, cutoff=0.6)
        if close:
            return f"did you mean '{field}' for '{close[0]}'?"
    if "unescaped ;" in reason:
        bad = next(
            (v for v in _raw_values(entry or {}) if isinstance(v, str) and _UNESCAPED.search(v)),
            None,
        )
        example = ""
        if bad is not None:
            fixed = _UNESCAPED.sub("\\\\;", bad).replace("'", "''")
            example = f": `value: '{fixed}'`"
        return (
            "octoDNS's record format escapes ';' in TXT values as \\; "
            "(in single quotes write \\;, in double quotes \\\\;)" + example
        )
    if "not a valid FQDN" in reason or "missing trailing" in reason:
        return "absolute names end with a dot: 'mail.example.com.'"
    return None


def _problem(location: Any, path: Path_, message: str, hint: str | None) -> SpecProblem:
    return SpecProblem(location, message, path, hint)


def check_name_case(data: dict[str, Any], source_map: SourceMap) -> list[SpecProblem]:
    """Two keys of ``subdomains:`` or ``records:`` that are the same DNS name in another case."""
    problems: list[SpecProblem] = []
    for section in ("subdomains", "records"):
        names = data.get(section)
        if not isinstance(names, dict):
            continue
        first: dict[str, str] = {}
        for name in names:
            key = str(name).lower()
            if key in first:
                at = source_map.locate_key((section, first[key]))
                problems.append(
                    _problem(
                        source_map.locate_key((section, name)),
                        (section, name),
                        f"{section}.{name}: the same DNS name as '{first[key]}' at line {at.line} "
                        "(DNS names are case-insensitive)",
                        "merge the two entries into one",
                    )
                )
            else:
                first[key] = str(name)
    return problems


def check_spf_conflicts(spec: ZoneSpec, source_map: SourceMap) -> list[SpecProblem]:
    """A ``v=spf1`` TXT under ``records:`` where the spec defines a policy is a conflict."""
    from dnsspec.spec.sites import entry_spf_values

    problems: list[SpecProblem] = []
    for name, policy in spec.policies().items():
        if policy.spf is None:
            continue
        spf_path: Path_ = ("spf",) if name == "" else ("subdomains", name, "spf")
        for entry in spec.records.get(name, ()):
            if entry_spf_values(name, entry):
                path: Path_ = source_map.nearest(entry.path(name))
                at = source_map.locate(spf_path)
                if policy.spf == UNSET:
                    message = (
                        f"records.{name or repr('')}: a 'v=spf1' TXT value contradicts "
                        f"`spf: unset` at line {at.line} (the name is to publish no SPF record)"
                    )
                    hint = "remove the v=spf1 value, or replace `spf: unset` with the policy"
                else:
                    message = (
                        f"records.{name or repr('')}: a 'v=spf1' TXT value conflicts with "
                        f"the spf policy at line {at.line} (a name may publish one SPF record)"
                    )
                    hint = "remove the v=spf1 value from `records:`; the spf policy produces it"
                problems.append(_problem(source_map.locate(path), path, message, hint))
    return problems


def check_txt_sizes(
    zone: str, spec: ZoneSpec, sites: tuple[Any, ...], source_map: SourceMap
) -> list[SpecProblem]:
    """A TXT rrset the spec writes must fit one DNS message (65,535 octets), whatever
    its values: generated policies (SPF, DMARC …) and ``records:`` values together."""
    from dnsspec.kinds import BY_NAME
    from dnsspec.records import MAX_MESSAGE, txt_answer_size

    rrsets: dict[tuple[str, str], list[tuple[str, Path_]]] = {}
    for site in sites:
        text = getattr(site.value, "text", None)
        if isinstance(text, str) and not site.in_records and site.kind in BY_NAME:
            owner = BY_NAME[site.kind].owner_name(site.name)
            rrsets.setdefault((owner, "TXT"), []).append((text, site.path))
    for name, entries in spec.records.items():
        for entry in entries:
            if entry.type in TXT_TYPES:
                rrset = rrsets.setdefault((name, entry.type), [])
                rrset.extend((v, entry.value_path(name, i)) for i, v in enumerate(entry.values))
    problems = []
    for (name, rtype), values in rrsets.items():
        fqdn = f"{name}.{zone}" if name else zone
        size = txt_answer_size(fqdn, [text for text, _ in values])
        if size <= MAX_MESSAGE:
            continue
        text, path = max(values, key=lambda found: len(found[0]))
        what = "the value" if len(values) == 1 else f"the {len(values)} values"
        problems.append(
            _problem(
                source_map.locate(path),
                path,
                f"{readable_path(path)}: the {rtype} rrset at {fqdn} ({what}) needs a "
                f"{size:,}-octet DNS answer; a DNS message carries at most {MAX_MESSAGE:,} "
                "octets, so no resolver could receive it",
                "shorten the values, or spread them over several names",
            )
        )
    return problems


def readable_path(path: Path_) -> str:
    from dnsspec.spec.errors import readable

    return readable(path)
