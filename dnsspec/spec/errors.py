"""Pydantic errors → located, readable :class:`SpecProblem` s.

An error about a mapping key (``extra_forbidden``, an invalid dict key) points
at the key; a missing key at its parent's key; anything about a value at the
value. Segments of pydantic's ``loc`` with no YAML node behind them (union
tags such as ``'int'``, ``'function-after[…]'``, discriminator tags) are
skipped, and the walk continues (:meth:`SourceMap.resolve`).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic_core import ErrorDetails

from dnsspec.errors import SpecProblem
from dnsspec.spec.base import SPEC_ERROR
from dnsspec.spec.source import Path_, SourceMap

_KEY = "[key]"
#: a list key whose record joins its items with more than ',' (DMARC fo=1:d, RFC 9989)
_LIST_SEPARATORS = {"fo": r"[\s,:]+"}
#: a valid value for a required key, by the key that holds the mapping
_MISSING_HINTS = {
    "dmarc": {"policy": "add `policy: none` (monitoring), `quarantine` or `reject` (p=)"},
    "tls_rpt": {"rua": "add `rua: [mailto:tlsrpt@example.com]`"},
}
_YAML11_BOOLS = frozenset({"yes", "no", "on", "off", "y", "n"})
# what people write for `all:` (the record's spelling, DMARC's words) -> the spec's word
_ALL_SYNONYMS = {
    "-all": "fail",
    "hardfail": "fail",
    "reject": "fail",
    "deny": "fail",
    "~all": "softfail",
    "quarantine": "softfail",
    "?all": "neutral",
    "+all": "pass",
    "all": "pass",
    "accept": "pass",
}


def describe(value: Any) -> str:
    """A value as the user wrote it, with what YAML made of it."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string '{value}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def readable(path: Path_) -> str:
    """``('subdomains', 'lists', 'spf', 2)`` → ``subdomains.lists.spf[2]``."""
    text = ""
    for segment in path:
        if isinstance(segment, int):
            text += f"[{segment}]"
        else:
            text += f".{segment}" if text else str(segment)
    return text or "the file"


def allowed_keys(path: Path_) -> tuple[str, ...]:
    """The keys a spec mapping at ``path`` accepts (for "did you mean" hints)."""
    from dnsspec.spec.spf import SpfPolicySpec
    from dnsspec.spec.zone import SubdomainSpec, ZoneSpec

    if path == ():
        return tuple(ZoneSpec.model_fields)
    if path == ("spf",) or (len(path) == 3 and path[0] == "subdomains" and path[2] == "spf"):
        return tuple(SpfPolicySpec.model_fields)
    if len(path) in (1, 3) and (len(path) == 1 or path[0] == "subdomains"):
        from pydantic import BaseModel

        from dnsspec.spec.kinds.dmarc import DmarcPolicySpec
        from dnsspec.spec.kinds.tls_rpt import TlsRptPolicySpec

        kind_models: dict[str, type[BaseModel]] = {
            "dmarc": DmarcPolicySpec,
            "tls_rpt": TlsRptPolicySpec,
        }
        if path[-1] in kind_models:
            return tuple(kind_models[str(path[-1])].model_fields)
    if len(path) == 2 and path[0] == "subdomains":
        return tuple(SubdomainSpec.model_fields)
    return ()


def zone_level_hint(key: str) -> str | None:
    """The hint for a zone-wide key (``dnssec``, ``ttl``, ``manage`` …) written below
    the top level, where no mapping accepts it; ``None`` for any other key."""
    from dnsspec.spec.zone import SubdomainSpec, ZoneSpec

    if key not in ZoneSpec.model_fields or key in SubdomainSpec.model_fields:
        return None
    if key == "subdomains":
        return "`subdomains:` does not nest: write every name relative to the zone, e.g. `mx.eu`"
    if key == "records":
        return (
            "write the name's records under the top-level `records:`, keyed by the name "
            "relative to the zone, e.g. `mx1: {type: A, value: 192.0.2.25}`"
        )
    example = _ZONE_KEY_EXAMPLES.get(key)
    where = "move it to the top level of the file (no indentation)"
    return f"{where}: `{example}`" if example else where


_ZONE_KEY_EXAMPLES = {
    "dnssec": "dnssec: true",
    "ttl": "ttl: 3600",
    "manage": "manage: owned",
    "subdomain_default": "subdomain_default: none",
    "profile": "profile: parked",
}


def unknown_key_hint(key: str, allowed: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if allowed:
        text = "expected one of: " + ", ".join(allowed)
        if "subdomains" in allowed:
            text += "; a name's policy goes under `subdomains:`, its records under `records:`"
        return text
    return None


def _int_hint(value: Any) -> str | None:
    if isinstance(value, str):
        if re.fullmatch(r"[0-9]+(:[0-5]?[0-9])+", value):
            return (
                "YAML 1.1 reads this as a base-60 number; dnsspec does not: "
                "write the number of seconds, e.g. 3600"
            )
        if re.fullmatch(r"0[0-9]+", value):
            return (
                "a leading zero is an octal number in YAML 1.1; dnsspec does not guess: "
                f"write {value.lstrip('0') or '0'}"
            )
        if value.strip().isdigit():
            return "remove the quotes"
    if isinstance(value, bool):
        return "write a number of seconds, e.g. 3600"
    return None


def problem_from_pydantic(error: ErrorDetails, source_map: SourceMap) -> SpecProblem:
    """One pydantic error as a located problem with a message and a hint."""
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    hint: str | None = None
    if _KEY in loc:
        path = source_map.resolve(loc[: loc.index(_KEY)])
        location = source_map.locate_key(path)
    else:
        path = source_map.resolve(loc)
        location = source_map.locate(path)
    where = readable(path)

    if kind == SPEC_ERROR:
        message = f"{where}: {ctx['message']}"
        hint = ctx.get("hint") or None
        if isinstance(ctx.get("offset"), int) and isinstance(value, str):
            location = source_map.locate_in_string(path, value, ctx["offset"])
    elif kind == "extra_forbidden":
        key = str(loc[-1])
        parent = source_map.resolve(loc[:-1])
        message = f"unknown key '{key}'" + (f" in {readable(parent)}" if parent else "")
        hint = zone_level_hint(key) if parent else None
        if hint is not None:
            message += f": `{key}:` is a zone-level key"
        else:
            hint = unknown_key_hint(key, allowed_keys(parent))
        location = source_map.locate_key(source_map.resolve(loc))
    elif kind == "missing":
        key = str(loc[-1])
        parent = source_map.resolve(loc[:-1])
        message = f"{readable(parent)}: missing required key '{key}'"
        location = source_map.locate_key(parent)
        hint = _MISSING_HINTS.get((parent[-1:] and str(parent[-1])) or "", {}).get(key)
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"{where}: expected an integer, got {describe(value)}"
        hint = _int_hint(value)
    elif kind == "literal_error":
        message = f"{where}: expected {ctx.get('expected')}, got {describe(value)}"
        if isinstance(value, bool):
            hint = "YAML reads true/false as booleans; quote the value or use one of the words"
        elif str(value).lower() in _YAML11_BOOLS:
            hint = (
                f"dnsspec reads '{value}' as a word, not a boolean (YAML 1.2); "
                "use one of the words above"
            )
        else:
            options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
            meant = _ALL_SYNONYMS.get(str(value).strip().lower()) if path[-1:] == ("all",) else None
            close = [meant] if meant else difflib.get_close_matches(str(value), options, n=1)
            hint = f"did you mean '{close[0]}'?" if close else None
            if path[-2:-1] == ("fo",) and ":" in str(value):
                from dnsspec.spec.spf import flow_list

                items = [v for v in re.split(_LIST_SEPARATORS["fo"], str(value)) if v]
                hint = f"one option per item: `fo: {flow_list(items)}`"
            if meant and str(value).startswith(("-", "~", "?", "+")):
                hint = f"did you mean '{meant}'? `all:` takes the result's name: `all: {meant}`"
    elif kind in ("greater_than_equal", "less_than_equal") and path[-1:] == ("ttl",):
        from dnsspec.spec.zone import MAX_TTL

        message = f"{where}: ttl must be an integer from 0 to {MAX_TTL}, got {value!r}"
        hint = "write the number of seconds, e.g. 3600"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        message = f"{where}: expected a mapping, got {describe(value)}"
    elif kind in ("list_type", "tuple_type"):
        message = f"{where}: expected a list, got {describe(value)}"
        if isinstance(value, str):
            from dnsspec.spec.spf import flow_list

            items = [
                v for v in re.split(_LIST_SEPARATORS.get(str(path[-1]), r"[\s,]+"), value) if v
            ]
            hint = f"write it as a list: `{flow_list(items)}`"
    elif kind in ("bool_type", "bool_parsing"):
        message = f"{where}: expected true or false, got {describe(value)}"
        if isinstance(value, str) and value.lower() in ("true", "false"):
            hint = "remove the quotes"
        elif isinstance(value, str) and value.lower() in _YAML11_BOOLS:
            hint = f"dnsspec reads '{value}' as a word (YAML 1.2): write true or false"
        else:
            hint = "write true or false"
    elif kind == "string_type":
        message = f"{where}: expected a string, got {describe(value)}"
        if isinstance(value, bool | int | float):
            hint = "quote the value"
    elif kind == "spf_form":
        message = (
            f"{where}: expected a policy mapping, `none` or a raw 'v=spf1 …' record, "
            f"got {describe(value)}"
        )
        hint = (
            'e.g. `spf: none`, `spf: "v=spf1 mx -all"` or a mapping with `mechanisms:` and `all:`'
        )
    else:
        message = f"{where}: {error['msg']}"
    return SpecProblem(location, message, path, hint)
