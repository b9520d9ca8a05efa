"""The JSON Schema of the spec language, generated from the pydantic models.

``dnsspec schema`` prints :func:`schema_json`; ``schema/dnsspec.schema.json``
is that output, committed (a test keeps the two equal), and the specs name it
in a ``# yaml-language-server: $schema=…`` line so editors complete and
validate as one types.

The models give the structure (keys, types, enums, bounds, unknown keys
refused). This module adds what a schema can say beyond that, per key: a
description and an example (a ``Field(description=…, examples=[…])`` on the
model wins over :data:`KEY_DOCS`), and the string grammars a regular
expression can express (names, SPF terms, lint codes). What only the
validators know (a term's CIDR range, macros, octoDNS's per-type value
checks) stays with ``dnsspec lint``; the schema never rejects a valid spec.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

#: description and example of each key, by "Model.key" (or "key" for every model)
KEY_DOCS: dict[str, tuple[str, Any]] = {
    "spf": (
        "The SPF policy of this name (RFC 7208): a mapping (mechanisms, all, redirect, …), "
        '`none` ("v=spf1 -all": the name never sends mail), `unset` (the name '
        "deliberately has no SPF record) or a raw 'v=spf1 …' record. "
        "SPF is never inherited: each name needs its own. Leave the key out for no policy.",
        {"mechanisms": ["mx", "ip4:192.0.2.0/24", "include:_spf.google.com"], "all": "fail"},
    ),
    "ignore": (
        "Lint rule codes or prefixes suppressed for this name (`dnsspec rules` lists them).",
        ["SPF204"],
    ),
    "ZoneSpec.ttl": ("TTL in seconds of the records dnsspec generates.", 3600),
    "ZoneSpec.subdomains": (
        "Names below the apex, relative to the zone ('lists', 'mail.eu', '_spf', '*'), "
        "each with its own mail policy.",
        {"www": {"spf": "none"}},
    ),
    "ZoneSpec.records": (
        "Every other record of the zone, in octoDNS's record format, by name relative to "
        "the zone ('' is the apex): one entry or a list of entries per name.",
        {"": [{"type": "MX", "value": {"preference": 10, "exchange": "mx1.example.com."}}]},
    ),
    "ZoneSpec.subdomain_default": (
        "`none`: every name with A, AAAA or MX records and no policy of its own gets "
        '"v=spf1 -all"; `unset` (the default): nothing is added.',
        "none",
    ),
    "ZoneSpec.manage": (
        "`owned` (the default): only the records the spec produces are changed; `all`: "
        "records no spec mentions are deleted (never SOA, the apex NS set or glue).",
        "owned",
    ),
    "SpfPolicySpec.mechanisms": (
        "SPF mechanisms in evaluation order, one term per item, with an optional qualifier "
        "(+ - ~ ?): include, a, mx, ptr, ip4, ip6, exists. `all` is its own key.",
        ["mx", "ip4:192.0.2.0/24", "~include:_spf.example.net"],
    ),
    "SpfPolicySpec.all": (
        "The final `all`: fail (-all), softfail (~all), neutral (?all) or pass (+all). "
        "Cannot be combined with `redirect`.",
        "fail",
    ),
    "SpfPolicySpec.redirect": (
        "redirect=: hand the decision to another domain's policy (instead of `all`).",
        "_spf.example.com",
    ),
    "SpfPolicySpec.exp": (
        "exp=: the name of a TXT record whose text receivers show on a fail.",
        "explain._spf.example.com",
    ),
    "SpfPolicySpec.modifiers": (
        "Unknown modifiers, kept as written after the mechanisms (RFC 7208 §6).",
        {"ra": "postmaster"},
    ),
    "dmarc": (
        "The DMARC policy published at _dmarc.<this name> (RFC 9989): a mapping (policy, "
        "rua, …), a raw 'v=DMARC1; …' record (published byte for byte) or `unset`.",
        {"policy": "reject", "rua": ["mailto:dmarc-reports@example.com"]},
    ),
    "mx": (
        '`none`: this name accepts no mail, a null MX "MX 0 ." (RFC 7505); MX hosts go '
        "under `records:`. `unset`: no null MX here (not even the parked profile's).",
        "none",
    ),
    "tls_rpt": (
        "The SMTP TLS reporting policy published at _smtp._tls.<this name> (RFC 8460): a "
        "mapping with `rua`, a raw 'v=TLSRPTv1; rua=…' record or `unset`.",
        {"rua": ["mailto:tls-reports@example.com"]},
    ),
    "DmarcPolicySpec.policy": (
        "p=: what receivers do with mail that fails DMARC: none, quarantine or reject.",
        "reject",
    ),
    "DmarcPolicySpec.subdomain_policy": (
        "sp=: the policy for subdomains without their own DMARC record (default: `policy`).",
        "reject",
    ),
    "DmarcPolicySpec.nonexistent_policy": (
        "np=: the policy for names that do not exist (default: `subdomain_policy`).",
        "reject",
    ),
    "DmarcPolicySpec.psd": (
        "psd=: y if this is a public suffix domain, n if it is not, u (the default) unknown.",
        "n",
    ),
    "DmarcPolicySpec.testing": (
        "t=y: the policy is being tested; receivers apply the next weaker one.",
        False,
    ),
    "DmarcPolicySpec.adkim": ("adkim=: DKIM alignment, relaxed (default) or strict.", "strict"),
    "DmarcPolicySpec.aspf": ("aspf=: SPF alignment, relaxed (default) or strict.", "relaxed"),
    "DmarcPolicySpec.fo": (
        "fo=: when failure reports are wanted: 0 (all fail), 1 (any fails), d (DKIM), s (SPF).",
        ["1"],
    ),
    "DmarcPolicySpec.rua": (
        "rua=: where aggregate reports go (mailto: URIs).",
        ["mailto:dmarc-reports@example.com"],
    ),
    "DmarcPolicySpec.ruf": (
        "ruf=: where failure reports go (mailto: URIs).",
        ["mailto:dmarc-failures@example.com"],
    ),
    "TlsRptPolicySpec.rua": (
        "rua=: where TLS reports go (mailto: or https: URIs), at least one.",
        ["mailto:tls-reports@example.com"],
    ),
    "dkim": (
        "The DKIM selectors of this name (RFC 6376), each published at "
        "<selector>._domainkey.<this name>: a key (public_key_file or public_key), a "
        "delegation (cname), revoked: true, a raw 'v=DKIM1; …' record, or unset (delete the "
        "selector dnsspec published).",
        {"s2026": {"public_key_file": "keys/s2026.example.com.pub"}, "s2024": {"revoked": True}},
    ),
    "DkimSelectorSpec.key_type": ("k=: rsa (default) or ed25519 (RFC 8463).", "ed25519"),
    "DkimSelectorSpec.public_key_file": (
        "A PEM public key file, relative to the directory that holds zones/.",
        "keys/s2026.example.com.pub",
    ),
    "DkimSelectorSpec.public_key": (
        "p=: the base64 public key (RSA: DER SubjectPublicKeyInfo; Ed25519: the raw 32 bytes).",
        "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
    ),
    "DkimSelectorSpec.cname": (
        "Delegate the selector to a provider: a CNAME to its record.",
        "s1.domainkey.u1234.wl.sendgrid.net.",
    ),
    "DkimSelectorSpec.revoked": ('Publish "v=DKIM1; p=": the key is withdrawn.', True),
    "DkimSelectorSpec.testing": ("t=y: testing (lint warns when left on).", False),
    "DkimSelectorSpec.strict_subdomains": ("t=s: no subdomain may use the key.", True),
    "DkimSelectorSpec.hashes": ("h=: the allowed hashes.", ["sha256"]),
    "DkimSelectorSpec.service": ("s=: the services the key is for.", ["email"]),
    "DkimSelectorSpec.notes": ("n=: notes for people (qp-encoded).", "rotated 2026-01"),
    "mta_sts": (
        "The MTA-STS policy of this mail domain (RFC 8461): mode, mx patterns (default: the "
        "name's MX hosts) and max_age. Compiles to 'v=STSv1; id=…' at _mta-sts.<this name>, "
        "the id hashed from the policy file `dnsspec mta-sts policy` prints.",
        {"mode": "enforce", "max_age": 604800},
    ),
    "MtaStsSpec.mode": ("enforce, testing, or none (withdraw the policy).", "enforce"),
    "MtaStsSpec.mx": (
        "The MX host patterns (a host name, or *.<name> for one label).",
        ["mx1.example.com", "*.mx.example.net"],
    ),
    "MtaStsSpec.max_age": ("Seconds senders cache the policy (86400 .. 31557600).", 604800),
    "tlsa": (
        "DANE TLSA records of this host's TLS service (RFC 7672), at _<port>._<protocol>."
        "<this name>: a list of {usage, selector, matching, data or cert}.",
        [{"usage": 3, "selector": 1, "matching": 1, "cert": "certs/mx1.pem"}],
    ),
    "TlsaEntrySpec.usage": ("3 DANE-EE or 2 DANE-TA (0 and 1 are ignored by SMTP).", 3),
    "TlsaEntrySpec.selector": ("1 the SubjectPublicKeyInfo, 0 the whole certificate.", 1),
    "TlsaEntrySpec.matching": ("1 SHA-256, 2 SHA-512.", 1),
    "TlsaEntrySpec.data": (
        "The digest in hex (64 digits for SHA-256, 128 for SHA-512).",
        "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1",
    ),
    "TlsaEntrySpec.cert": (
        "A certificate or public-key file (relative to the directory that holds zones/).",
        "certs/mx1.pem",
    ),
    "TlsaEntrySpec.port": ("The service's port (25; 465 for implicit TLS).", 25),
    "TlsaEntrySpec.protocol": ("The service's protocol.", "tcp"),
    "RecordEntry.type": ("The octoDNS record type.", "A"),
    "RecordEntry.ttl": ("TTL in seconds (default: the zone's `ttl`).", 300),
    "RecordEntry.value": (
        "The record's one value, in octoDNS's format (a mapping for MX, SRV, CAA, TLSA …; "
        "TXT escapes ';' as '\\;').",
        "192.0.2.80",
    ),
    "RecordEntry.values": ("The record's values, in octoDNS's format.", ["192.0.2.80"]),
}

_LABEL = r"[A-Za-z0-9_-]{1,63}"
#: a name relative to the zone: labels, '*' only leftmost
RELATIVE_NAME = rf"^(\*|{_LABEL})(\.{_LABEL})*$"
RECORD_NAME = rf"^$|{RELATIVE_NAME}"
#: a lint rule code or prefix (any case), ALL, or a rule name (spf-missing-policy)
LINT_CODE = r"^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*$"


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)


def _mechanism_pattern() -> str:
    from dnsspec.spf.syntax import MECHANISMS

    names = "|".join(_any_case(m) for m in sorted(MECHANISMS, key=len, reverse=True) if m != "all")
    return rf"^[+?~-]?({names})([:/].*)?$"


def _spf_text_pattern() -> str:
    from dnsspec.spec.base import UNSET

    return rf"^(none|{UNSET}|{_any_case('v=spf1')}( .*)?)$"


def _record_entry() -> dict[str, Any]:
    from dnsspec.octodns.source import SPEC_RECORD_TYPES

    return {
        "title": "RecordEntry",
        "description": "One rrset, in octoDNS's record format: type, ttl, value or values.",
        "type": "object",
        "additionalProperties": False,
        "required": ["type"],
        "properties": {
            "type": {"enum": sorted(SPEC_RECORD_TYPES)},
            "ttl": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
            "value": {},
            "values": {},
        },
        "oneOf": [{"required": ["value"]}, {"required": ["values"]}],
    }


def build_schema() -> dict[str, Any]:
    """The spec language's JSON Schema (draft 2020-12) as a dict."""
    from dnsspec.spec.zone import ZoneSpec

    schema: dict[str, Any] = ZoneSpec.model_json_schema(mode="validation")
    defs: dict[str, Any] = schema.setdefault("$defs", {})
    defs["RecordEntry"] = _record_entry()
    entry = {"$ref": "#/$defs/RecordEntry"}
    schema["properties"]["records"] = {
        "type": "object",
        "propertyNames": {"pattern": RECORD_NAME},
        "additionalProperties": {"anyOf": [entry, {"type": "array", "items": entry}]},
    }
    for model in _models(schema):
        for key, prop in model.get("properties", {}).items():
            _refine(model.get("title", ""), key, prop)
    _refine_spf(schema)
    schema["properties"]["subdomains"]["propertyNames"] = {"pattern": RELATIVE_NAME}
    ordered: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "dnsspec zone spec (zones/<zone>.yaml)",
    }
    ordered.update((k, v) for k, v in schema.items() if k != "title")
    return ordered


def _models(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield schema
    yield from schema.get("$defs", {}).values()


def _refine(model: str, key: str, prop: dict[str, Any]) -> None:
    prop.pop("title", None)
    # `key: ~` is never meaningful in a spec (the spf: key refuses it): leave the key out
    options = prop.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        options.remove({"type": "null"})
        if len(options) == 1:
            prop.pop("anyOf")
            prop.update(options[0])
        if prop.get("default", 0) is None:
            prop.pop("default")
    docs = KEY_DOCS.get(f"{model}.{key}") or KEY_DOCS.get(key)
    if docs is not None:
        prop.setdefault("description", docs[0])
        prop.setdefault("examples", [docs[1]])
    if key == "ignore":
        prop["items"] = {"type": "string", "pattern": LINT_CODE}


def _refine_spf(schema: dict[str, Any]) -> None:
    policy = schema["$defs"].get("SpfPolicySpec")
    if policy is None:
        return
    policy["properties"]["mechanisms"]["items"] = {
        "type": "string",
        "pattern": _mechanism_pattern(),
    }
    # receivers ignore redirect= beside all (RFC 7208 §6.1): the mapping form refuses both
    policy["not"] = {"required": ["all", "redirect"]}
    for model in _models(schema):
        spf = model.get("properties", {}).get("spf")
        if spf is None:
            continue
        for option in spf.get("oneOf", []):
            if option.get("type") == "string":
                option["pattern"] = _spf_text_pattern()


def schema_json() -> str:
    """:func:`build_schema` as the text ``dnsspec schema`` prints (ends with a newline)."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def undocumented_keys(schema: dict[str, Any]) -> list[str]:
    """``Model.key`` of every property without a description or an example."""
    missing = []
    for model in _models(schema):
        for key, prop in model.get("properties", {}).items():
            if not prop.get("description") or not prop.get("examples"):
                title = "ZoneSpec" if model is schema else model.get("title", "?")
                missing.append(f"{title}.{key}")
    return missing
