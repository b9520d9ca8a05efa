"""The plan's SPF section: lookups before → after, who gains or loses authorization.

Costs come from :func:`dnsspec.spf.cost.lookup_cost` (the one lookup accounting
lint and the evaluator share), answered from the zones' records before and
after the change (:class:`~dnsspec.spf.records_lookup.RecordsLookup`); names
outside the planned zones are answered from ``dnsspec.lock`` when there is one
(as ``dnsspec lint`` does), else counted as third parties ("at least").
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from ipaddress import (
    IPv4Address,
    IPv4Network,
    IPv6Address,
    IPv6Network,
    collapse_addresses,
    ip_network,
)
from typing import Any

from dnsspec.lookups import Lookup
from dnsspec.spf.syntax import Mechanism, Modifier, Policy, SpfSyntaxError, parse, render_term
from dnsspec.sync.deltas import DeltaContext, ProviderChanges
from dnsspec.sync.markdown import md_code
from dnsspec.sync.model import LookupCount, SpfChange
from dnsspec.txtkinds import TXT_TYPES, is_spf

IPNetwork = IPv4Network | IPv6Network


class SpfDelta:
    """The SPF kind's plan delta (:class:`~dnsspec.sync.deltas.PlanDelta`)."""

    kind = "spf"
    in_json = True

    def describe(
        self, changes: ProviderChanges, context: DeltaContext
    ) -> dict[str, tuple[SpfChange, ...]]:
        """The SPF changes of each zone at one provider."""
        from dnsspec.lint import lint_lookup
        from dnsspec.spf.records_lookup import RecordsLookup

        fallback = lint_lookup(resolve=False, lock=context.lock)
        # one lookup over every planned zone's records per side (they hold no state)
        before = RecordsLookup(changes.before, changes.zones, fallback=fallback)
        after = RecordsLookup(changes.after, changes.zones, fallback=fallback)
        items: dict[str, list[tuple[str, list[str], list[str]]]] = {}
        for zone, record_changes in changes.changes.items():
            for change in record_changes:
                if change.type not in TXT_TYPES:
                    continue
                old = [v for v in change.before if is_spf(v)]
                new = [v for v in change.after if is_spf(v)]
                if old != new:
                    items.setdefault(zone, []).append((change.fqdn, old, new))
        return asyncio.run(_describe_zones(items, before, after)) if items else {}

    def text(self, items: Sequence[SpfChange]) -> list[str]:
        lines = ["  SPF:"]
        for spf in items:
            lines.append(f"    {spf.fqdn} lookups {_lookups(spf)}")
            if spf.authorized:
                lines.append(f"      authorizes: {', '.join(spf.authorized)}")
            if spf.deauthorized:
                lines.append(f"      no longer authorizes: {', '.join(spf.deauthorized)}")
            lines.extend(f"      {note}" for note in spf.notes)
        return lines

    def markdown(self, items: Sequence[SpfChange]) -> list[str]:
        lines = ["", "**SPF**", ""]
        lines.append("| Name | DNS lookups | Newly authorized | No longer authorized |")
        lines.append("|---|---|---|---|")
        for spf in items:
            notes = "<br>".join(spf.notes)
            lookups = _lookups(spf) + (f"<br>{notes}" if notes else "")
            lines.append(
                f"| `{spf.fqdn}` | {lookups} | "
                f"{'<br>'.join(md_code(a) for a in spf.authorized)} | "
                f"{'<br>'.join(md_code(a) for a in spf.deauthorized)} |"
            )
        return lines


def _lookups(change: SpfChange) -> str:
    before = "-" if change.lookups_before is None else str(change.lookups_before)
    after = "-" if change.lookups_after is None else str(change.lookups_after)
    if change.before is None:
        before = "(none)"
    if change.after is None:
        after = "(none)"
    return f"{before} → {after}"


async def _describe_zones(
    items: dict[str, list[tuple[str, list[str], list[str]]]], before: Lookup, after: Lookup
) -> dict[str, tuple[SpfChange, ...]]:
    return {zone: tuple(await _changes(found, before, after)) for zone, found in items.items()}


async def _describe(
    items: list[tuple[str, list[str], list[str]]],
    before: list[Any],
    after: list[Any],
    zones: list[str],
    fallback: Any,
) -> list[SpfChange]:
    """The SpfChange of each (fqdn, old values, new values), zones' records before/after."""
    from dnsspec.spf.records_lookup import RecordsLookup

    return await _changes(
        items,
        RecordsLookup(before, zones, fallback=fallback),
        RecordsLookup(after, zones, fallback=fallback),
    )


async def _changes(
    items: list[tuple[str, list[str], list[str]]], before: Lookup, after: Lookup
) -> list[SpfChange]:
    out = []
    for fqdn, old, new in items:
        notes: list[str] = []
        for label, values in (("before", old), ("after", new)):
            if len(values) > 1:
                notes.append(f"{len(values)} SPF records {label}: receivers return permerror")
        old_text = old[0] if old else None
        new_text = new[0] if new else None
        cost_before, auth_before = await _analyse(fqdn, old_text, before)
        cost_after, auth_after = await _analyse(fqdn, new_text, after)
        old_all, new_all = _all(old_text), _all(new_text)
        if old_text and new_text and old_all != new_all:
            notes.append(f"all: {old_all or '(none)'} → {new_all or '(none)'}")
        out.append(
            SpfChange(
                fqdn=fqdn,
                before=old_text,
                after=new_text,
                lookups_before=cost_before,
                lookups_after=cost_after,
                authorized=_gained(auth_before, auth_after),
                deauthorized=_gained(auth_after, auth_before),
                notes=tuple(notes),
            )
        )
    return out


def _parse(text: str | None) -> Policy | None:
    if text is None:
        return None
    try:
        return parse(text)
    except SpfSyntaxError:
        return None


def _all(text: str | None) -> str | None:
    policy = _parse(text)
    if policy is None or policy.all is None:
        return None
    return render_term(dataclasses.replace(policy.all, explicit_qualifier=True))


async def _analyse(
    fqdn: str, text: str | None, lookup: Lookup
) -> tuple[LookupCount | None, _Grants]:
    policy = _parse(text)
    if policy is None:
        return None, _Grants()
    static = text is not None and _asks_nothing(policy)
    if static and text in _STATIC:
        return _STATIC[text]
    from dnsspec.spf.cost import lookup_cost

    cost = await lookup_cost(fqdn.rstrip("."), lookup, policy=policy)
    found = LookupCount(cost.lookups, cost.at_least), _authorizations(policy, cost.tree)
    if static and text is not None:
        _STATIC[text] = found
    return found


# The analysis of a policy that asks DNS nothing, by its text. Such a policy (only
# ip4/ip6/all terms: "v=spf1 -all" at every parked name) costs the same whatever its
# name and zones; a plan of thousands of parked zones walked it thousands of times.
_STATIC: dict[str, tuple[LookupCount, _Grants]] = {}


def _asks_nothing(policy: Policy) -> bool:
    """Only ip4:, ip6: and all terms: no lookup, no macro, no name involved."""
    return all(isinstance(t, Mechanism) and t.kind in ("ip4", "ip6", "all") for t in policy.terms)


@dataclasses.dataclass
class _Grants:
    """What a policy passes: terms by name (a, mx, include:…), and address ranges.

    Both keyed by the include they are reached through ("" = the policy itself), so
    ``ip4:192.0.2.0/25`` → ``ip4:192.0.2.0/26`` reads as 192.0.2.64/26 no longer
    authorized, not as one range gained and another lost.
    """

    terms: set[str] = dataclasses.field(default_factory=set)
    networks: dict[str, list[IPNetwork]] = dataclasses.field(
        default_factory=lambda: defaultdict(list)
    )


def _gained(old: _Grants, new: _Grants) -> tuple[str, ...]:
    """What ``new`` authorizes that ``old`` does not, as sorted display strings."""
    out = set(new.terms - old.terms)
    for via, networks in new.networks.items():
        suffix = f" (via {via})" if via else ""
        for net in _subtract(networks, old.networks.get(via, [])):
            out.add(f"ip{net.version}:{net.with_prefixlen.removesuffix(_host_prefix(net))}{suffix}")
    return tuple(sorted(out))


def _network(address: IPv4Address | IPv6Address, prefix: int | None) -> IPNetwork:
    """The range an ip4:/ip6: term covers (host bits beyond the prefix ignored, §5.6)."""
    length = prefix if prefix is not None else address.max_prefixlen
    return ip_network(f"{address}/{length}", strict=False)


def _host_prefix(net: IPNetwork) -> str:
    return "/32" if net.version == 4 else "/128"


def _subtract(networks: list[IPNetwork], minus: list[IPNetwork]) -> list[IPNetwork]:
    """The address ranges of ``networks`` outside every range of ``minus``, collapsed."""
    out: list[IPNetwork] = []
    for version in (4, 6):
        pieces: list[Any] = _collapse(n for n in networks if n.version == version)
        for other in _collapse(n for n in minus if n.version == version):
            remaining: list[Any] = []
            for piece in pieces:
                if piece.subnet_of(other):
                    continue
                if other.subnet_of(piece):
                    remaining.extend(piece.address_exclude(other))
                else:
                    remaining.append(piece)
            pieces = remaining
        out.extend(_collapse(pieces))
    return out


def _collapse(networks: Iterable[Any]) -> list[Any]:
    """Adjacent and nested ranges merged (all of one IP version)."""
    return list(collapse_addresses(list(networks)))


def _authorizations(policy: Policy, node: Any, via: str = "") -> _Grants:
    """What gives senders a pass: top level, and inside pass-includes we can read."""
    suffix = f" (via {via})" if via else ""
    out = _Grants()
    for term in policy.terms:
        if isinstance(term, Mechanism):
            if term.kind == "all" or term.qualifier != "+":
                continue
            if term.kind in ("ip4", "ip6") and term.address is not None:
                out.networks[via].append(_network(term.address, term.prefix))
                continue
            plain = dataclasses.replace(term, explicit_qualifier=False)
            out.terms.add(render_term(plain) + suffix)
        elif isinstance(term, Modifier) and term.name == "redirect":
            out.terms.add(render_term(term) + suffix)
    for child in getattr(node, "children", ()) or ():
        child_policy = _parse(getattr(child, "record", None))
        if child_policy is None:
            continue
        domain = str(child.domain).rstrip(".").lower()
        if child.via == "include":
            passes = any(
                m.kind == "include"
                and m.qualifier == "+"
                and (m.domain or "").rstrip(".").lower() == domain
                for m in policy.mechanisms
            )
            if not passes:
                continue
        inner = _authorizations(child_policy, child, domain)
        out.terms |= inner.terms
        for key, networks in inner.networks.items():
            out.networks[key].extend(networks)
    return out
