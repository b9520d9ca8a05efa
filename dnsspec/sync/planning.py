"""Plan and apply: octoDNS's plans turned into dnsspec's plain :class:`Plan`.

``plan`` runs octoDNS's own sync in dry-run mode, one zone at a time, and keeps
octoDNS's plan checksum per zone. ``apply`` runs octoDNS's sync again with
that checksum, so what is pushed is exactly what was shown (octoDNS re-plans
and refuses when the live state moved), and with octoDNS's safety thresholds
unless ``force``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dnsspec.compile.mta_sts import policy_files
from dnsspec.errors import DnsspecError
from dnsspec.kinds import BY_NAME
from dnsspec.lock import DEFAULT_LOCK
from dnsspec.octodns import compat
from dnsspec.octodns.convert import record_values, to_records, txt_text
from dnsspec.records import Record
from dnsspec.sync.deltas import DeltaContext, ProviderChanges, plan_deltas
from dnsspec.sync.guards import policy_removals
from dnsspec.sync.model import ApplyResult, Plan, PlanWarning, RecordChange, TargetPlan
from dnsspec.sync.session import (
    ApplyFailed,
    LintFailed,
    PlanChangedError,
    Session,
    UnsafePlanError,
)
from dnsspec.txtkinds import TXT_TYPES

if TYPE_CHECKING:
    from dnsspec.probe.policy import ServedPolicy

# RFC 7208 §3.4: keep an SPF answer within 512 octets (no TCP fallback needed).
UDP_SAFE_RESPONSE = 512


def plan(
    session: Session,
    zones: tuple[str, ...] | list[str] = (),
    *,
    lock: str = DEFAULT_LOCK,
    fetch_policy: Callable[[str], ServedPolicy | str] | None = None,
) -> Plan:
    """What octoDNS would change for ``zones`` (default: every configured zone).

    ``lock`` answers the per-kind deltas' questions about names outside the
    planned zones (``dnsspec.lock``; a missing file counts them as unknown).
    ``fetch_policy`` (a :class:`~dnsspec.probe.policy.PolicyFetcher`) gives the MTA-STS
    policy a domain serves now, asked only for a domain whose ``_mta-sts`` id changes;
    without it the plan fetches nothing and says so.
    """
    session.check_zones_match_specs()
    selected = session.select(zones)
    loaded = session.load_specs(selected)  # every spec problem, located, before octoDNS runs
    consent = {
        (site.kind, _fqdn(BY_NAME[site.kind].owner_name(site.name), z.zone))  # _dmarc.<name>
        for z in loaded
        for site in z.unset_sites
    }
    # a kind with several owners per name (DKIM selectors) says which it unsets
    consent |= {
        (site.kind, _fqdn(f"{owner}.{BY_NAME[site.kind].owner_name(site.name)}", z.zone))
        for z in loaded
        for site in z.sites
        for owner in getattr(site.value, "unset_selectors", ())
    }
    # the domains whose spec decides their DMARC report authorizations (every spec: a
    # policy in one zone authorizes its reports in another; SpecSource reads them all)
    report_policies = {
        _fqdn(site.name, z.zone).rstrip(".").lower()
        for z in session.load_specs(session.zones)
        for site in (*z.sites, *z.unset_sites)
        if site.kind == "dmarc"
    }
    targets: list[TargetPlan] = []
    checksums: dict[str, str] = {}
    # provider -> (zones, live records, records once applied), for the deltas
    states: dict[str, tuple[list[str], list[Record], list[Record]]] = {}
    for zone in selected:
        # force: octoDNS checks its thresholds even in a dry run; the plan reports them
        _, plans = session.sync(zone, dry_run=True, force=True)
        if plans:
            checksums[zone] = compat.plans_checksum(plans)
            session.keep_plan(zone, plans)
        for target, octo_plan in plans:
            live, applied = to_records(octo_plan.existing), to_records(octo_plan.desired)
            shown = target_plan(session, zone, target, octo_plan)
            removals = policy_removals(shown.changes, live, applied, consent, report_policies)
            targets.append(dataclasses.replace(shown, policy_removals=removals))
            names, before, after = states.setdefault(str(target.id), ([], [], []))
            names.append(octo_plan.desired.name)
            before.extend(live)
            after.extend(applied)
    policies = {domain: data for z in loaded for domain, data in policy_files(z).items()}
    context = DeltaContext(lock=str(lock), policies=policies, fetch_policy=fetch_policy)
    deltas = describe_deltas(targets, states, context)
    targets = [dataclasses.replace(t, deltas=deltas.get((t.zone, t.provider), {})) for t in targets]
    return Plan(
        config=str(session.config),
        zones=selected,
        targets=tuple(targets),
        checksums=checksums,
        aliases=dict(session.aliases),
    )


def _fqdn(name: str, zone: str) -> str:
    return f"{name}.{zone}" if name else zone


def describe_deltas(
    targets: list[TargetPlan],
    states: dict[str, tuple[list[str], list[Record], list[Record]]],
    context: DeltaContext,
) -> dict[tuple[str, str], dict[str, tuple[Any, ...]]]:
    """Every kind's delta items per (zone, provider)."""
    out: dict[tuple[str, str], dict[str, tuple[Any, ...]]] = {}
    for provider, (names, before, after) in states.items():
        changes = ProviderChanges(
            provider=provider,
            zones=tuple(names),
            before=tuple(before),
            after=tuple(after),
            changes={t.zone: t.changes for t in targets if t.provider == provider},
        )
        for delta in plan_deltas():
            for zone, items in delta.describe(changes, context).items():
                out.setdefault((zone, provider), {})[delta.kind] = items
    return out


def lint_errors(session: Session, zones: tuple[str, ...], lock: str = DEFAULT_LOCK) -> list[Any]:
    """Lint errors in the specs of ``zones`` (linted with every spec: lookups cross zones)."""
    from dnsspec.lint import lint_lookup, run_lint
    from dnsspec.lint.model import Severity

    loaded = session.load_specs(session.zones)
    findings = run_lint(loaded, lookup=lint_lookup(resolve=False, lock=lock))
    wanted = {z.rstrip(".").lower() for z in zones}
    return [
        f
        for f in findings
        if f.severity >= Severity.ERROR and str(f.zone).rstrip(".").lower() in wanted
    ]


def check_lint(session: Session, zones: tuple[str, ...], lock: str = DEFAULT_LOCK) -> None:
    """Raise :class:`LintFailed` when a spec of ``zones`` has lint errors."""
    errors = lint_errors(session, zones, lock)
    if errors:
        raise LintFailed(errors)


def apply(
    session: Session, shown: Plan, *, force: bool = False, allow_policy_removal: bool = False
) -> ApplyResult:
    """Push exactly ``shown`` (octoDNS re-plans and checks the checksum per zone).

    Refuses a plan over octoDNS's thresholds without ``force``, and one that
    removes mail policies the spec does not unset without ``allow_policy_removal``.
    """
    if shown.unsafe and not force:
        reasons = "; ".join(f"{t.zone} at {t.provider}: {t.unsafe}" for t in shown.unsafe)
        raise UnsafePlanError(f"{reasons}; rerun with --force to apply it")
    if shown.refused_removals and not allow_policy_removal:
        raise PolicyRemovalRefused(shown)
    applied: list[tuple[str, str, int]] = []
    skipped: list[tuple[str, str, int]] = []
    pending: list[tuple[str, str, tuple[str, ...]]] = []
    for zone in shown.zones:
        checksum = shown.checksums.get(zone)
        if checksum is None:
            continue  # nothing shown for this zone, nothing to push
        targets = [str(t) for t in session.zone_config(zone).get("targets") or ()]
        try:
            plans = _push(session, zone, checksum, force)
        except PlanChangedError as error:
            if not applied:
                raise
            raise _partial(applied, error.message) from None
        except ApplyFailed as error:
            # a provider may send a zone's changes in several updates (octodns-bind:
            # update_batch_size): the ones before the failing one were applied
            others = f" (its targets, in order: {', '.join(targets)})" if len(targets) > 1 else ""
            why = f"{error.message}; {zone} may be partially applied{others}"
            raise _partial(applied, why) from None
        except DnsspecError as error:
            # octoDNS applies a zone's targets one after the other: the ones before the
            # failing one may have been changed already
            others = f" (its targets, in order: {', '.join(targets)})" if len(targets) > 1 else ""
            if not applied and not others:
                raise
            why = f"{error.message}; {zone} may be partially applied{others}"
            raise _partial(applied, why) from None
        dry = bool(session.zone_config(zone).get("always-dry-run"))
        for target, p in plans:
            (skipped if dry else applied).append((zone, target.id, len(p.changes)))
        if dry:
            continue
        # The provider said yes; does the zone now say so too? A server may accept an
        # update and ignore part of it (BIND drops a record beside a CNAME), and an
        # RFC 2136 delete whose rdata does not match deletes nothing, without an error.
        # Read back once and compare with what was planned; a zone that does not show it
        # is planned again, to say what differs (the same words as always), and so is one
        # with a target that had nothing to apply (the re-plan reads every target).
        every_target = sorted(str(t.id) for t, _ in plans) == sorted(targets)
        try:
            again: list[tuple[Any, Any]] = []
            if not (every_target and session.shows_planned(zone, plans)):
                _, again = session.sync(zone, dry_run=True, force=True)
        except DnsspecError as error:
            raise _partial(
                applied, f"the changes were pushed, but reading {zone} back failed: {error.message}"
            ) from None
        for target, p in again:
            if p.changes:
                pending.append((zone, target.id, tuple(_still_differs(c) for c in p.changes)))
    return ApplyResult(applied=tuple(applied), skipped=tuple(skipped), pending=tuple(pending))


def _push(session: Session, zone: str, checksum: str, force: bool) -> list[tuple[Any, Any]]:
    """Apply ``zone``'s plan; returns octoDNS's plans that were applied.

    octoDNS re-plans with the checksum and refuses when the plan moved. When the plan was
    made in this session and every target still shows exactly what it showed then (read
    again, once), re-planning would make the same plans from the same specs and the same
    live records: the kept ones are applied instead.
    """
    kept = session.planned.get(zone)
    if (
        kept is not None
        and compat.plans_checksum(kept[0]) == checksum
        and session.unchanged_since_plan(zone)
    ):
        return session.apply_planned(zone, force=force)
    session.planned.pop(zone, None)
    _, plans = session.sync(zone, dry_run=False, force=force, checksum=checksum)
    return plans


class PolicyRemovalRefused(DnsspecError):
    """The plan removes mail policies the specs do not unset; nothing was applied."""

    def __init__(self, shown: Plan) -> None:
        self.removals = shown.refused_removals
        names = ", ".join(dict.fromkeys(f"{r.fqdn} ({r.kind})" for _, r in self.removals))
        count = len(self.removals)
        # The key to write is the removed kind's own (`dmarc: unset` for a DMARC record;
        # a DKIM selector's own: `s2024: unset` under `dkim:`).
        keys = dict.fromkeys(_unset_key(r.kind, r.fqdn) for _, r in self.removals)
        super().__init__(
            f"the plan removes {count} mail polic{'ies' if count != 1 else 'y'} ({names}); "
            f"nothing was applied. If that is meant, write {' or '.join(keys)} at each name "
            "in its spec (a name that keeps A/AAAA/MX records needs the flag even then), or "
            "rerun with --allow-policy-removal"
        )


def _unset_key(kind_name: str, fqdn: str) -> str:
    from dnsspec.dkim.published import split_owner
    from dnsspec.dmarc.reports import split_authorization_name

    authorization = split_authorization_name(fqdn) if kind_name == "dmarc" else None
    if authorization is not None:  # goes with the rua/ruf of the policy domain's `dmarc:`
        return f"a `dmarc:` for {authorization[0]} without that report address"

    kind = BY_NAME.get(kind_name)
    if kind is None:
        return f"`{kind_name}: unset`"
    parts = split_owner(fqdn) if kind.name == "dkim" else None
    if parts is not None and parts[0]:
        return f"`{parts[0]}: unset` under `dkim:`"
    return f"`{kind.spec_key}: unset`"


class PartiallyApplied(DnsspecError):
    """A provider failed after earlier zones (or targets) were applied."""


def _partial(applied: list[tuple[str, str, int]], why: str | None) -> PartiallyApplied:
    done = "; ".join(f"{z} → {p}: {n} change(s)" for z, p, n in applied)
    parts = [why or "the live state changed after the plan was shown; the rest was not pushed"]
    if done:
        parts.append(f"already applied: {done}")
    parts.append("run dnsspec plan to see what is left")
    return PartiallyApplied(". ".join(parts))


def _still_differs(change: Any) -> str:
    """What the provider shows, against what the specs want, for one change left over."""
    record = change.record
    where = f"{record.fqdn} {compat.record_type(record)}"
    want, have = record_values(change.new), record_values(change.existing)

    def shown(values: tuple[str, ...]) -> str:
        return ", ".join(json.dumps(v, ensure_ascii=False) for v in values)

    action = compat.change_action(change)
    if action == "create":
        return f"{where}: the provider does not show it (the specs want {shown(want)})"
    if action == "delete":
        return f"{where}: the provider still shows {shown(have)} (the specs want none)"
    parts = []
    if want != have:
        parts.append(f"the provider shows {shown(have)} where the specs want {shown(want)}")
    if change.existing.ttl != change.new.ttl:
        parts.append(f"TTL {change.existing.ttl} where the specs want {change.new.ttl}")
    return f"{where}: {'; '.join(parts) or 'differs'}"


def target_plan(session: Session, zone: str, target: Any, octo_plan: Any) -> TargetPlan:
    report = session.processor.reports.get((zone, target.id))
    kept_values = report.kept_values if report else {}
    changes = []
    warnings: list[PlanWarning] = []
    for change in octo_plan.changes:
        record = change.record
        rtype = compat.record_type(record)
        key = (record.name, rtype)
        changes.append(
            RecordChange(
                action=compat.change_action(change),  # type: ignore[arg-type]
                name=record.name,
                fqdn=record.fqdn,
                type=rtype,
                ttl_before=change.existing.ttl if change.existing else None,
                ttl_after=change.new.ttl if change.new else None,
                before=record_values(change.existing),
                after=record_values(change.new),
                kept=tuple(txt_text(v) for v in kept_values.get(key, ())),
            )
        )
        if change.new is not None and rtype in TXT_TYPES:
            size = txt_response_size(record.fqdn, record_values(change.new))
            if size > UDP_SAFE_RESPONSE:
                foreign = " (foreign values included)" if key in kept_values else ""
                warnings.append(
                    PlanWarning(
                        f"the TXT answer at {record.fqdn} will be {size} bytes{foreign}, over "
                        f"{UDP_SAFE_RESPONSE} (RFC 7208 §3.4): receivers may need TCP, some fail",
                        fqdn=record.fqdn,
                    )
                )
    for name, _type in report.protected if report else ():
        fqdn = f"{name}.{zone}" if name else zone
        warnings.append(
            PlanWarning(
                f"{fqdn} {_type} in the spec is ignored: dnsspec never changes the apex NS set "
                "or the addresses of in-zone name servers",
                fqdn=fqdn,
            )
        )
    unsafe = None
    try:
        octo_plan.raise_if_unsafe()
    except Exception as error:  # octoDNS's UnsafePlan family
        unsafe = str(error)
    return TargetPlan(
        zone=zone,
        provider=str(target.id),
        changes=tuple(changes),
        warnings=tuple(warnings),
        kept_records=report.kept_records if report else 0,
        unsafe=unsafe,
    )


DNS_HEADER = 12  # RFC 1035 §4.1.1
RR_FIXED = 10  # type, class, TTL, RDLENGTH (§4.1.3)
NAME_POINTER = 2  # the answer's owner name compressed to the question's (§4.1.4)


def txt_response_size(fqdn: str, values: tuple[str, ...]) -> int:
    """Bytes of the DNS response answering ``fqdn`` TXT with ``values`` (no EDNS).

    Counted, not built: header, the question, then one compressed RR per distinct
    value whose RDATA is its character-strings, each with its length octet.
    """
    import dns.name

    from dnsspec.records import split_character_strings

    wire = dns.name.from_text(fqdn).to_wire() or b""
    question = len(wire) + 4  # QTYPE, QCLASS
    size = DNS_HEADER + question
    for value in dict.fromkeys(values):  # an rrset holds each rdata once
        strings = split_character_strings(value, at_spaces=False)
        size += NAME_POINTER + RR_FIXED + sum(1 + len(s.encode("utf-8")) for s in strings)
    return size


__all__ = ["UnsafePlanError", "apply", "plan"]
