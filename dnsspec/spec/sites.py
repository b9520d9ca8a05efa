"""Sites: every mail policy a zone spec writes, as plain values.

``policy_sites(spec)`` is the one derived view of a :class:`ZoneSpec` that
compile, lint, the lock and plan read: for each name (the apex first, then
the subdomains sorted by name) and each kind of the kinds table
(:data:`dnsspec.kinds.KINDS`) whose key the name's policy sets, one
:class:`Site`. Then the sites written as raw TXT under ``records:`` (today a
``v=spf1`` value): compile passes those through unchanged, lint and the lock
read them like any other policy.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from dnsspec.kinds import KINDS
from dnsspec.spec.base import UNSET
from dnsspec.spec.entries import Path_, RecordEntry
from dnsspec.spec.zone import ZoneSpec
from dnsspec.spf.syntax import is_spf_record
from dnsspec.txtkinds import TXT_TYPES


@dataclass(frozen=True, slots=True)
class Site:
    """One policy of one kind at one name, and where the spec wrote it."""

    kind: str  # a name of the kinds table: "spf"
    name: str  # relative to the zone, "" = apex
    path: Path_  # ("spf",), ("subdomains", "lists", "spf") or a records: value's path
    value: Any  # the kind's parsed value (SPF: dnsspec.spec.spf.SpfValue)
    ignore: tuple[str, ...]  # the name's `ignore:` lint codes

    @property
    def in_records(self) -> bool:
        """Written as a raw TXT value under ``records:`` (compile passes it through)."""
        return bool(self.path) and self.path[0] == "records"


def policy_sites(spec: ZoneSpec) -> tuple[Site, ...]:
    """Every site of the spec: the policies' keys, then the raw ones under ``records:``,
    then those its ``profile:`` adds (:func:`dnsspec.spec.profile.expand`).

    A key set to ``unset`` is no site (it publishes nothing): :func:`unset_sites`.
    """
    found: list[Site] = []
    for name, policy in spec.policies().items():
        base: Path_ = () if name == "" else ("subdomains", name)
        for kind in KINDS:
            value = getattr(policy, kind.spec_key)
            if value is not None and value != UNSET:
                path = (*base, kind.spec_key)
                found.append(
                    Site(kind.name, name, path, kind.load("site_value")(value), policy.ignore)
                )
    unset = unset_sites(spec)
    written = {(s.kind, s.name) for s in found} | {(s.kind, s.name) for s in unset}
    from dnsspec.spec.profile import expand

    return expand(spec, (*found, *record_sites(spec, written)), unset)


def unset_sites(spec: ZoneSpec) -> tuple[Site, ...]:
    """The names whose policy says a kind is deliberately absent (``spf: unset``).

    Each is a :class:`Site` with ``value=None``. Compile writes nothing for them;
    plan and apply read them as the spec's consent to remove that kind's record.
    """
    found = []
    for name, policy in spec.policies().items():
        base: Path_ = () if name == "" else ("subdomains", name)
        for kind in KINDS:
            if getattr(policy, kind.spec_key) == UNSET:
                found.append(Site(kind.name, name, (*base, kind.spec_key), None, policy.ignore))
    return tuple(found)


def record_sites(
    spec: ZoneSpec, written: AbstractSet[tuple[str, str]] = frozenset()
) -> tuple[Site, ...]:
    """The policies written as raw TXT under ``records:``, by name.

    Only a name with exactly one such value of a kind and no policy of that
    kind has one (two are DNS402; a policy beside one is refused at load).
    """
    from dnsspec.spec.spf import record_site_value

    found = []
    policies = spec.policies()
    for name in sorted(spec.records):
        if ("spf", name) in written:
            continue
        values = spf_values_at(spec, name)
        if len(values) != 1:
            continue
        path, text = values[0]
        policy = policies.get(name)
        ignore = policy.ignore if policy is not None else ()
        found.append(Site("spf", name, path, record_site_value(text), ignore))
    return tuple(found)


def spf_values_at(spec: ZoneSpec, name: str) -> list[tuple[Path_, str]]:
    """The ``v=spf1`` TXT values under ``records.<name>``, each with its YAML path."""
    return [
        found for entry in spec.records.get(name, ()) for found in entry_spf_values(name, entry)
    ]


def entry_spf_values(name: str, entry: RecordEntry) -> list[tuple[Path_, str]]:
    """The ``v=spf1`` values of one ``records.<name>`` entry, each with its YAML path."""
    if entry.type not in TXT_TYPES:
        return []
    return [
        (entry.value_path(name, i), text)
        for i, text in enumerate(entry.values)
        if is_spf_record(text)
    ]
