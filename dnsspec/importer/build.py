"""A zone's records as a spec: the inverse of compile, checked by compiling it back.

:func:`build_spec` writes the YAML text of ``zones/<zone>.yaml`` for a
:class:`~dnsspec.importer.live.LiveZone`:

- the zone's ``ttl`` is the most common TTL of its rrsets; an entry whose TTL
  differs writes its own ``ttl:``;
- a ``v=spf1`` TXT value becomes an ``spf:`` mapping when compiling that mapping
  reproduces the record byte for byte (and its rrset's TTL is the zone's, or the
  rrset has other values whose entry carries the TTL); otherwise the value stays
  under ``records:`` as written, with a comment saying why (``MX`` in capitals,
  spacing, ``redirect=`` beside ``all`` …);
- a DMARC (``_dmarc.<name>``) or TLS-RPT (``_smtp._tls.<name>``) record becomes
  that name's ``dmarc:``/``tls_rpt:``: the mapping when it renders byte for byte,
  else the raw string (which the spec publishes as written), under the same TTL rule;
- a DKIM key record (``<selector>._domainkey.<name>``) becomes that selector under
  the name's ``dkim:``, by the same rule (the selector mapping when it renders byte
  for byte, else the raw string); a record :mod:`dnsspec.dkim.syntax` refuses stays
  under ``records:`` with the reason;
- a null MX (the one value ``MX 0 .``) becomes ``mx: none``; the TLSA rrset of
  ``_<port>._<protocol>.<host>`` becomes the host's ``tlsa:`` entries (``data:``)
  when every value compiles back to itself, under the same TTL rule;
- an MTA-STS record stays under ``records:`` with a comment: its ``id=`` comes from
  the policy file, which a DNS import does not read, so ``mta_sts:`` cannot be
  written from it;
- everything else goes under ``records:``.

The spec keeps ``manage: owned`` and no ``subdomain_default``: it adds nothing
the zone does not have.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dnsspec.importer.live import LiveZone

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


@dataclass
class Decision:
    """What became of one mail-policy TXT value (SPF, DMARC, TLS-RPT)."""

    name: str  # the policy's name: "" for the apex's _dmarc record
    text: str
    form: str  # "mapping", "raw" (the typed key, as written), "records" or "left out"
    why: str = ""
    kind: str = "spf"


#: the TXT kinds with a typed key of their own, and their owner name below the policy's name
TYPED_TXT_KINDS = (("dmarc", "_dmarc"), ("tls_rpt", "_smtp._tls"))


def _policy_name(owner: str, prefix: str) -> str | None:
    if owner == prefix:
        return ""
    return owner[len(prefix) + 1 :] if owner.startswith(prefix + ".") else None


def typed_value(kind: str, text: str) -> tuple[dict[str, Any] | str | None, str]:
    """The ``dmarc:``/``tls_rpt:`` value (or ``dkim:`` selector value) publishing exactly
    ``text``: the mapping when it
    renders byte for byte, else the raw string (published as written); None when the
    record does not parse."""
    from pydantic import ValidationError

    from dnsspec.errors import DnsspecError

    try:
        if kind == "dmarc":
            from dnsspec.dmarc.syntax import parse, render
            from dnsspec.spec.kinds.dmarc import DmarcPolicySpec, mapping_of

            mapping = mapping_of(parse(text))
            rendered = render(DmarcPolicySpec.model_validate(mapping).record())
        elif kind == "dkim":
            from dnsspec.dkim.keys import DkimKeyError
            from dnsspec.dkim.syntax import parse as parse_dkim
            from dnsspec.dkim.syntax import render as render_dkim
            from dnsspec.spec.kinds.dkim import DkimSelectorSpec

            try:
                selector_mapping = dkim_mapping(parse_dkim(text))
            except DkimKeyError as error:  # a private key: never echoed
                return None, f"it does not parse ({error.message})"
            if selector_mapping is None:
                return text, "the raw form (the mapping form cannot say it)"
            mapping = selector_mapping
            record = DkimSelectorSpec.model_validate(mapping).record()
            rendered = "" if record is None else render_dkim(record)
        else:
            from dnsspec.spec.kinds.tls_rpt import TlsRptPolicySpec
            from dnsspec.tlsrpt.syntax import parse as parse_tlsrpt
            from dnsspec.tlsrpt.syntax import render as render_tlsrpt

            mapping = {"rua": [str(uri) for uri in parse_tlsrpt(text).rua]}
            rendered = render_tlsrpt(TlsRptPolicySpec.model_validate(mapping).record())
    except DnsspecError as error:
        return None, f"it does not parse ({error.message})"
    except ValidationError:
        return text, "the raw form (the mapping form cannot say it)"
    if rendered == text:
        return mapping, ""
    return text, f"the raw form: the mapping would publish {rendered!r}"


def dkim_mapping(record: Any) -> dict[str, Any] | None:
    """The ``dkim:`` selector mapping of a parsed key record, or None when the mapping
    form cannot say it (unknown tags)."""
    if record.extra:
        return None
    mapping: dict[str, Any] = {"key_type": record.key_type}
    if record.revoked:
        mapping["revoked"] = True
    else:
        mapping["public_key"] = record.p
    for flag, key in (("y", "testing"), ("s", "strict_subdomains")):
        if flag in record.flags:
            mapping[key] = True
    if len(set(record.flags) - {"y", "s"}) or len(record.flags) != len(set(record.flags)):
        return None
    if record.hashes:
        mapping["hashes"] = list(record.hashes)
    if record.services:
        mapping["service"] = list(record.services)
    if record.notes is not None:
        mapping["notes"] = record.notes
    return mapping


def _dkim_owner(owner: str) -> tuple[str, str] | None:
    """(selector, name) of a ``<selector>._domainkey[.<name>]`` owner, else None."""
    from dnsspec.dkim.syntax import owner_name

    labels = owner.split(".")
    if "_domainkey" not in labels[1:]:
        return None
    at = labels.index("_domainkey", 1)
    selector, name = ".".join(labels[:at]), ".".join(labels[at + 1 :])
    return (selector, name) if owner_name(selector, name) == owner else None


def dkim_value(selector: str, text: str) -> tuple[dict[str, Any] | str | None, str]:
    """The ``dkim:`` value of one selector publishing exactly ``text`` (see typed_value),
    the selector name checked by the kind's own validator."""
    from pydantic import TypeAdapter, ValidationError

    from dnsspec.spec.kinds.dkim import DkimSpec

    value, why = typed_value("dkim", text)
    if value is None:
        return value, why
    try:
        TypeAdapter(DkimSpec).validate_python({selector: value})
    except ValidationError as error:
        return None, f"the dkim: key refuses it ({_first_error(error)})"
    return value, why


def _first_error(error: Any) -> str:
    return str(error.errors()[0]["msg"]).splitlines()[0]


_TLSA_OWNER = re.compile(r"^_([1-9][0-9]{0,4})\._(tcp|udp|sctp)(?:\.(.+))?$")


def tlsa_entries(owner: str, values: list[Any]) -> tuple[str, list[dict[str, Any]] | None, str]:
    """(host, the ``tlsa:`` entries publishing exactly ``values`` at ``owner``, why not)."""
    from pydantic import TypeAdapter, ValidationError

    from dnsspec.spec.kinds.tlsa import TlsaSpec
    from dnsspec.tlsa.syntax import DEFAULT_PORT, DEFAULT_PROTOCOL, octodns_value, owner_name

    match = _TLSA_OWNER.match(owner)
    if match is None:
        return "", None, "not a _<port>._<protocol> name"
    port, protocol, host = int(match.group(1)), match.group(2), match.group(3) or ""
    if owner_name(host, port, protocol) != owner:
        return "", None, "not a _<port>._<protocol> name"
    entries: list[dict[str, Any]] = []
    for value in values:
        if not isinstance(value, Mapping):
            return host, None, "not a TLSA value"
        entry: dict[str, Any] = {
            "usage": value.get("certificate_usage"),
            "selector": value.get("selector"),
            "matching": value.get("matching_type"),
            "data": value.get("certificate_association_data"),
        }
        if port != DEFAULT_PORT:
            entry["port"] = port
        if protocol != DEFAULT_PROTOCOL:
            entry["protocol"] = protocol
        entries.append(entry)
    try:
        specs = TypeAdapter(TlsaSpec).validate_python(entries)
    except ValidationError as error:
        return host, None, f"the tlsa: key refuses it ({_first_error(error)})"
    for spec, value in zip(specs, values, strict=True):
        rendered = octodns_value(spec.record())
        if rendered != dict(value):
            return host, None, f"the tlsa: entry would publish {rendered!r}"
    return host, entries, ""


def _is_null_mx(value: Any) -> bool:
    if not isinstance(value, Mapping):
        return False
    return str(value.get("preference")) == "0" and value.get("exchange") == "."


@dataclass
class BuiltSpec:
    text: str
    spf: list[Decision] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    # TXT values left out (name, value as octoDNS holds it): SPF records that do not parse
    left_out: list[tuple[str, str]] = field(default_factory=list)


def _rtype(record: Any) -> str:
    from dnsspec.octodns import compat

    return compat.record_type(record)


def _values(record: Any) -> list[Any]:
    values = getattr(record, "values", None)
    if values is None:
        values = [record.value]
    out = []
    for v in values:
        out.append({str(k): v[k] for k in v} if isinstance(v, Mapping) else str(v))
    return out


def _txt(value: str) -> str:
    from dnsspec.records import unescape_octodns_txt

    return unescape_octodns_txt(value)


def spf_mapping(text: str) -> tuple[dict[str, Any] | None, str]:
    """The ``spf:`` mapping that compiles to exactly ``text``, or (None, why not)."""
    from pydantic import ValidationError

    from dnsspec.spec.spf import SpfPolicySpec
    from dnsspec.spf.syntax import Mechanism, SpfSyntaxError, parse, render, render_term

    try:
        policy = parse(text)
    except SpfSyntaxError as error:
        return None, f"not a valid SPF record ({error.message})"
    if policy.redirect is not None and policy.all is not None:
        return None, "`redirect=` beside `all` (receivers ignore it; RFC 7208 §6.1)"
    data: dict[str, Any] = {}
    mechanisms: list[str] = []
    modifiers: dict[str, str] = {}
    seen_all = False
    results = {"-": "fail", "~": "softfail", "?": "neutral", "+": "pass"}
    for term in policy.terms:
        if isinstance(term, Mechanism):
            if seen_all:
                return None, "terms after `all` (the mapping form ends with `all`)"
            if term.kind == "all":
                if term.explicit_qualifier and term.qualifier == "+":
                    return None, "`+all` written with its `+` (the mapping form writes `all`)"
                data["all"] = results[term.qualifier]
                seen_all = True
            else:
                mechanisms.append(render_term(term))
        elif term.name in ("redirect", "exp") and term.name not in data:
            data[term.name] = term.value
        else:
            modifiers[term.name] = term.value
    if mechanisms:
        data = {"mechanisms": mechanisms, **data}
    if modifiers:
        data["modifiers"] = modifiers
    try:
        rendered = render(SpfPolicySpec.model_validate(data).policy())
    except (ValidationError, SpfSyntaxError) as error:
        return None, f"the mapping form refuses it ({str(error).splitlines()[-1].strip()})"
    if rendered != text:
        return None, f"dnsspec would publish it as {rendered!r}{_difference(text, rendered)}"
    return data, ""


def _difference(text: str, rendered: str) -> str:
    why = []
    if " ".join(text.split()) != text:
        why.append("spacing")
    if " ".join(text.split()).lower() == rendered.lower() and text != rendered.lower():
        why.append("letter case")
    return f" ({', '.join(why)})" if why else ""


def _parses(text: str) -> bool:
    from dnsspec.spf.syntax import SpfSyntaxError, parse

    try:
        parse(text)
    except SpfSyntaxError:
        return False
    return True


def most_common_ttl(records: tuple[Any, ...]) -> int:
    counts = Counter(int(r.ttl) for r in records)
    if not counts:
        return 3600
    return max(counts, key=lambda ttl: (counts[ttl], ttl))


def build_spec(live: LiveZone, *, source: str) -> BuiltSpec:
    """The spec text for ``live`` (see the module docstring)."""
    from dnsspec.txtkinds import TXT_TYPES, is_spf, txt_kind

    ttl = most_common_ttl(live.records)
    built = BuiltSpec("")
    policies: dict[str, dict[str, Any]] = {}
    entries: dict[str, list[tuple[dict[str, Any], str]]] = {}
    for record in sorted(live.records, key=lambda r: (_sort_name(r.name), _rtype(r))):
        rtype, name = _rtype(record), record.name
        values = _values(record)
        comment = ""
        if rtype == "MX" and any(_is_null_mx(v) for v in values):
            if len(values) == 1 and record.ttl == ttl:
                policies.setdefault(name, {})["mx"] = "none"
                continue
            why = (
                f"its TTL {record.ttl} is not the zone's {ttl}"
                if len(values) == 1
                else "MX 0 . beside other MX hosts (RFC 7505 §3)"
            )
            comment = f"null MX kept as written: {why}"
        if rtype == "TLSA":
            host, tlsa, why = tlsa_entries(name, values)
            if tlsa is not None and record.ttl != ttl:
                tlsa, why = None, f"its TTL {record.ttl} is not the zone's {ttl}"
            if tlsa is not None:
                policies.setdefault(host, {}).setdefault("tlsa", []).extend(tlsa)
                continue
            comment = f"tlsa kept as written: {why}"
        if rtype == "TXT":
            for value in [v for v in values if is_spf(_txt(v)) and not _parses(_txt(v))]:
                # a spec cannot hold an SPF record that does not parse (invalid input there)
                built.left_out.append((name, value))
                built.spf.append(Decision(name, _txt(value), "left out", "it does not parse"))
                values = [v for v in values if v is not value]
            spf = [v for v in values if is_spf(_txt(v))]
            if len(spf) == 1:
                text = _txt(spf[0])
                others = [v for v in values if v is not spf[0]]
                mapping, why = spf_mapping(text)
                if mapping is not None and record.ttl != ttl and not others:
                    mapping, why = None, f"its TTL {record.ttl} is not the zone's {ttl}"
                if mapping is not None:
                    policies.setdefault(name, {})["spf"] = mapping
                    built.spf.append(Decision(name, text, "mapping"))
                    values = others
                else:
                    built.spf.append(Decision(name, text, "records", why))
                    comment = f"SPF kept as written: {why}"
            elif len(spf) > 1:
                for value in spf:
                    built.spf.append(
                        Decision(name, _txt(value), "records", "two SPF records at one name")
                    )
                comment = "SPF kept as written: two SPF records at one name (lint: DNS402)"
            for kind, owner in TYPED_TXT_KINDS:
                at = _policy_name(name, owner)
                if at is None:
                    continue
                found = [v for v in values if txt_kind(name, _txt(v)) == kind]
                others = [v for v in values if v not in found]
                if len(found) != 1 or (record.ttl != ttl and not others):
                    if found:
                        why = (
                            f"two {kind} records at one name"
                            if len(found) > 1
                            else f"its TTL {record.ttl} is not the zone's {ttl}"
                        )
                        comment = f"{kind} kept as written: {why}"
                        built.spf.append(Decision(name, _txt(found[0]), "records", why, kind))
                    continue
                text = _txt(found[0])
                value, why = typed_value(kind, text)
                if value is None:
                    comment = f"{kind} kept as written: {why}"
                    built.spf.append(Decision(name, text, "records", why, kind))
                    continue
                policies.setdefault(at, {})[kind] = value
                form = "mapping" if isinstance(value, dict) else "raw"
                built.spf.append(Decision(at, text, form, why, kind))
                values = others
            dkim_at = _dkim_owner(name)
            found = [v for v in values if txt_kind(name, _txt(v)) == "dkim"]
            if dkim_at is not None and found:
                others = [v for v in values if v not in found]
                why = ""
                value = None
                if len(found) > 1:
                    why = "two dkim records at one name"
                elif record.ttl != ttl and not others:
                    why = f"its TTL {record.ttl} is not the zone's {ttl}"
                else:
                    value, why = dkim_value(dkim_at[0], _txt(found[0]))
                if value is None:
                    comment = f"dkim kept as written: {why}"
                    built.spf.append(Decision(name, _txt(found[0]), "records", why, "dkim"))
                else:
                    policies.setdefault(dkim_at[1], {}).setdefault("dkim", {})[dkim_at[0]] = value
                    form = "mapping" if isinstance(value, dict) else "raw"
                    built.spf.append(Decision(name, _txt(found[0]), form, why, "dkim"))
                    values = others
            if any(txt_kind(name, _txt(v)) == "mta_sts" for v in values):
                comment = (
                    "mta_sts kept as written: its id= comes from the policy file, which a "
                    "DNS import does not read (mta_sts: would publish the id of the file "
                    "dnsspec writes)"
                )
        if not values:
            continue
        built.counts[rtype] += 1
        entry: dict[str, Any] = {"type": rtype}
        if record.ttl != ttl:
            entry["ttl"] = int(record.ttl)
        if len(values) == 1:
            entry["value"] = values[0]
        else:
            entry["values"] = sorted(values, key=json.dumps) if rtype in TXT_TYPES else values
        entries.setdefault(name, []).append((entry, comment))
    built.text = _render(live, ttl, policies, entries, source)
    return built


def _sort_name(name: str) -> tuple[str, ...]:
    return tuple(reversed(name.split("."))) if name else ()


_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:/@=+-]*$")
# words other YAML readers (editors' YAML 1.1) take for booleans or null
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _scalar(value: Any) -> str:
    """A scalar that every YAML reader reads back as the same value."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and not text.endswith(":") and text.lower() not in _YAML11_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _key(key: str) -> str:
    return key if _PLAIN_KEY.match(key) and key.lower() not in _YAML11_WORDS else json.dumps(key)


def _flow(value: Any) -> str:
    """A value as a one-line YAML flow node (JSON-quoted strings: nothing re-typed)."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(str(k))}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _render(
    live: LiveZone,
    ttl: int,
    policies: Mapping[str, Mapping[str, Any]],
    entries: Mapping[str, list[tuple[dict[str, Any], str]]],
    source: str,
) -> str:
    from dnsspec.importer.scaffold import SCHEMA_MODELINE

    domain = live.zone.rstrip(".")
    lines = [
        SCHEMA_MODELINE,
        f"# {domain}: imported by `dnsspec import` from {source}.",
        "# Compiling this file reproduces the imported records exactly, so the first",
        "# `dnsspec plan` against the same provider shows no changes.",
    ]
    if not live.complete:
        lines.append("# A DNS import sees only the names it asks for: records it did not see")
        lines.append("# are not here (manage: owned keeps them untouched at the provider).")
    for skipped in live.skipped:
        lines.append(f"# not imported: {skipped}")
    lines += ["", f"ttl: {ttl}"]
    for key, value in policies.get("", {}).items():
        lines += ["", *_policy_lines(key, value, 0)]
    subdomains = [n for n in sorted(policies, key=_sort_name) if n]
    if subdomains:
        lines += ["", "subdomains:"]
        for name in subdomains:
            lines.append(f"  {_key(name)}:")
            for key, value in policies[name].items():
                lines += _policy_lines(key, value, 4)
    if entries:
        lines += ["", "records:"]
        for name, items in entries.items():
            lines.append(f"  {_key(name) if name else json.dumps(name)}:")
            for entry, comment in items:
                if comment:
                    lines.append(f"    # {comment}")
                lines.append(f"    - {_flow(entry)}")
    return "\n".join(lines) + "\n"


def _policy_lines(key: str, mapping: Mapping[str, Any] | list[Any] | str, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(mapping, str):
        return [f"{pad}{key}: {json.dumps(mapping, ensure_ascii=False)}"]
    out = [f"{pad}{key}:"]
    if isinstance(mapping, list):
        return out + [f"{pad}  - {_flow(item)}" for item in mapping]
    for k, v in mapping.items():
        if k == "mechanisms" and key == "spf":
            out.append(f"{pad}  mechanisms:")
            out += [f"{pad}    - {_scalar(m)}" for m in v]
        else:
            # a selector may need quotes: `"*"` (every selector revoked) is a YAML alias bare
            out.append(f"{pad}  {_key(k) if key == 'dkim' else k}: {_flow(v)}")
    return out
