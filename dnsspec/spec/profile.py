"""Zone profiles: one top-level key that stands for the keys a kind of domain needs.

``profile: parked`` (the only profile) is a domain that sends and receives no mail.
It expands into the sites the user would get by writing, at the apex::

    spf: none                                   # v=spf1 -all
    mx: none                                    # MX 0 . (RFC 7505)
    dmarc: {policy: reject, subdomain_policy: reject, nonexistent_policy: reject}
    dkim: {"*": {revoked: true}}                # *._domainkey TXT "v=DKIM1; p="

and ``spf: none`` at ``*`` and at every other name that has records in the spec
(a key of ``subdomains:`` or ``records:``), except where DNS or the name itself
rules a TXT out: a name with a CNAME (RFC 1034 §3.6.2), a name at or below a
delegation (the child zone answers there), and a name whose first label starts with
``_`` (a service name such as ``_acme-challenge``, never a mail domain, RFC 8552).

The expansion never overrides the spec: a kind the spec writes at a name (its key,
``<key>: unset``, or the kind's record under ``records:``) stays the spec's, and a
spec that contradicts the profile that way is a lint error (the ``PARKED1`` rules).
A ``dkim:`` at the apex gets the wildcard revocation added to its selectors.
Each added site is read through the kinds' own spec models and ``site_value``
functions, so compile, lint, plan, ownership and check see ordinary sites; its
path is ``("profile",)``, so whatever is said about it points at the ``profile:`` key.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from dnsspec.kinds import BY_NAME, KINDS, Kind
from dnsspec.spec.entries import Path_
from dnsspec.spec.kinds.dkim import WILDCARD, DkimValue
from dnsspec.spec.policy import MailPolicySpec
from dnsspec.spec.sites import Site, spf_values_at
from dnsspec.spec.zone import ZoneSpec
from dnsspec.txtkinds import TXT_TYPES, txt_kind

PROFILE_PATH: Path_ = ("profile",)

#: the keys ``profile: parked`` writes at the apex (the docs and tests read this table)
PARKED_APEX: dict[str, Any] = {
    "spf": "none",
    "mx": "none",
    "dmarc": {"policy": "reject", "subdomain_policy": "reject", "nonexistent_policy": "reject"},
    "dkim": {WILDCARD: {"revoked": True}},
}
#: the keys it writes at ``*`` and at the other names with records
PARKED_NAME: dict[str, Any] = {"spf": "none"}


@cache
def _policy(apex: bool) -> MailPolicySpec:
    return MailPolicySpec.model_validate(PARKED_APEX if apex else PARKED_NAME)


def expand(spec: ZoneSpec, sites: Sequence[Site], unset: Sequence[Site]) -> tuple[Site, ...]:
    """``sites`` (the spec's own) with the sites its profile adds; unchanged without one."""
    if spec.profile is None:
        return tuple(sites)
    written = {(s.kind, s.name) for s in (*sites, *unset)}
    found = [_with_wildcard(spec, s) for s in sites]
    apex = _policy(True)
    for kind in KINDS:
        value = getattr(apex, kind.spec_key)
        if value is not None and (kind.name, "") not in written and _free(spec, kind, ""):
            found.append(Site(kind.name, "", PROFILE_PATH, _site_value(kind, value), spec.ignore))
    policies = spec.policies()
    for name in parked_names(spec):
        if ("spf", name) in written:
            continue
        policy = policies.get(name)
        ignore = policy.ignore if policy is not None else ()
        found.append(Site("spf", name, PROFILE_PATH, _site_value(BY_NAME["spf"], "none"), ignore))
    return tuple(found)


def _site_value(kind: Kind, value: Any) -> Any:
    return kind.load("site_value")(value)


def _with_wildcard(spec: ZoneSpec, site: Site) -> Site:
    """The apex's own ``dkim:`` site with ``"*": {revoked: true}`` added (unless it has one)."""
    if site.kind != "dkim" or site.name != "" or not _free(spec, BY_NAME["dkim"], ""):
        return site
    value: DkimValue = site.value
    if any(s.selector == WILDCARD for s in value.selectors):
        return site
    parked: DkimValue = _site_value(BY_NAME["dkim"], _policy(True).dkim)
    merged = DkimValue((*value.selectors, *parked.selectors))
    return Site(site.kind, site.name, site.path, merged, site.ignore)


def _free(spec: ZoneSpec, kind: Kind, name: str) -> bool:
    """Whether ``records:`` leaves the kind's record at ``name`` to the profile."""
    if kind.name == "null_mx":
        return not any(e.type == "MX" for e in spec.records.get(name, ()))
    if kind.name == "dkim":
        return f"{WILDCARD}.{kind.owner_name(name)}" not in spec.records
    if kind.name == "spf":
        return not spf_values_at(spec, name)
    owner = kind.owner_name(name)
    return not any(
        txt_kind(owner, str(text)) == kind.name
        for entry in spec.records.get(owner, ())
        if entry.type in TXT_TYPES
        for text in entry.values
    )


def parked_names(spec: ZoneSpec) -> list[str]:
    """The names below the apex that ``profile: parked`` gives ``v=spf1 -all`` (sorted;
    names that already have an SPF record under ``records:`` are left out)."""
    cut = [n for n, entries in spec.records.items() if n and any(e.type == "NS" for e in entries)]
    names = []
    for name in sorted({WILDCARD, *spec.subdomains, *spec.records} - {""}):
        entries = spec.records.get(name, ())
        if name.split(".")[0].startswith("_") or any(e.type == "CNAME" for e in entries):
            continue
        if any(name == parent or name.endswith("." + parent) for parent in cut):
            continue
        if spf_values_at(spec, name):
            continue
        names.append(name)
    return names
