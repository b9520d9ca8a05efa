"""A :class:`Plan` as text (terminal), markdown (pull-request comment) or JSON."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from dnsspec.kinds import BY_NAME
from dnsspec.sync.deltas import plan_deltas
from dnsspec.sync.markdown import md_code
from dnsspec.sync.model import ApplyResult, Plan, PolicyRemoval, RecordChange, TargetPlan
from dnsspec.txtkinds import TITLES

# how the plan names each policy kind: the TXT kinds', and what `mx: none` writes
POLICY_TITLES = {**TITLES, "null_mx": "null MX"}
SIGN = {"create": "+", "update": "~", "delete": "-"}
MD_ACTION = {"create": "➕ create", "update": "✏️ update", "delete": "➖ delete"}


def summary(plan: Plan) -> str:
    counts = {"create": 0, "update": 0, "delete": 0}
    for target in plan.targets:
        for action, n in target.counts.items():
            counts[action] += n
    total = sum(counts.values())
    if not total:
        return f"No changes: {len(plan.zones)} zone(s) in sync."
    zones = len({t.zone for t in plan.targets if t.changes})
    return (
        f"{total} change{'s' if total != 1 else ''} in {zones} zone{'s' if zones != 1 else ''}: "
        f"{counts['create']} to create, {counts['update']} to update, "
        f"{counts['delete']} to delete."
    )


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _shown(name: str, values: tuple[str, ...]) -> list[str]:
    """Values as text and markdown show them: a DKIM key shortened (JSON keeps it whole)."""
    from dnsspec.sync.deltas.dkim import shown_value

    return [shown_value(name, v) for v in values]


# -- text ------------------------------------------------------------------


def to_text(plan: Plan) -> str:
    lines: list[str] = []
    for target in plan.targets:
        lines.extend(_text_target(target))
        lines.append("")
    lines.append(summary(plan))
    lines.extend(_alias_notes(plan))
    if plan.unsafe:
        lines.append(
            "Over octoDNS's safety threshold (dnsspec apply needs --force): "
            + "; ".join(f"{t.zone} at {t.provider}: {t.unsafe}" for t in plan.unsafe)
        )
    if plan.refused_removals:
        lines.append(_refused_summary(plan))
    return "\n".join(lines)


def _refused_summary(plan: Plan) -> str:
    names = dict.fromkeys(
        f"{r.fqdn} {POLICY_TITLES.get(r.kind, r.kind)}" for _, r in plan.refused_removals
    )
    return f"Policy removals (dnsspec apply needs --allow-policy-removal): {', '.join(names)}"


def removal_reason(removal: PolicyRemoval) -> str:
    """Why a policy removal is shown, and what to write instead when it is not meant."""
    title = POLICY_TITLES.get(removal.kind, removal.kind)
    authorization = report_authorization(removal)
    if authorization is not None:
        return (
            f"the report authorization for {authorization}'s DMARC reports; no spec of this "
            f"run writes `dmarc:` for {authorization}, so nothing says they are to stop "
            f"(with one, taking the address out of its rua/ruf removes this record)"
        )
    kind = BY_NAME.get(removal.kind)
    unset = f"`{kind.spec_key}: unset`" if kind else None
    selector = _dkim_selector(removal) if kind is not None and kind.name == "dkim" else None
    if selector is not None:  # one of a name's selectors, not the name's whole `dkim:`
        unset = f"`{selector}: unset` under `dkim:`"
    if removal.consented:
        reason = f"the spec says so ({unset})"
    else:
        reason = f"no spec writes {_article(title)} {title} record there any more"
        if removal.kind == "null_mx":  # RFC 5321 §5.1: no MX, the A/AAAA address takes mail
            reason += " (without it the name accepts mail again)"
    if removal.mail_hosts:
        reason += (
            f"{', but' if removal.consented else ', and'} the name keeps "
            f"{', '.join(removal.mail_hosts)} records: without SPF anyone may send as it"
        )
    if not removal.consented and selector is not None:
        reason += (
            f"; write {unset} if it is to go (mail it signed that is still in transit then "
            "fails DKIM), or `revoked: true` to withdraw the key and keep the name"
        )
    elif not removal.consented and unset and kind:
        prefix = kind.owner.split("{name}")[0]  # "_dmarc.": the policy's name is below it
        name = removal.fqdn.removeprefix(prefix) if prefix else removal.fqdn
        reason += f"; write {unset} for {name} if it is to have none"
    return reason


def report_authorization(removal: PolicyRemoval) -> str | None:
    """The policy domain when ``removal`` is a DMARC report authorization, else None."""
    from dnsspec.dmarc.reports import split_authorization_name

    parts = split_authorization_name(removal.fqdn) if removal.kind == "dmarc" else None
    return parts[0] if parts is not None else None


def _dkim_selector(removal: PolicyRemoval) -> str | None:
    from dnsspec.dkim.published import split_owner

    parts = split_owner(removal.fqdn)
    return parts[0] if parts is not None and parts[0] else None


def _article(title: str) -> str:
    return "an" if title[0] in "AEFHILMNORSX" else "a"  # as the letters are spoken: an SPF


def _text_removals(target: TargetPlan) -> list[str]:
    if not target.policy_removals:
        return []
    lines = ["  Policy removals (the last record of its kind at the name):"]
    for removal in target.policy_removals:
        title = POLICY_TITLES.get(removal.kind, removal.kind)
        flag = " [refused without --allow-policy-removal]" if removal.refused else ""
        lines.append(f"    {removal.fqdn} loses its {title} record{flag}")
        lines.extend(f"      - {_quote(v)}" for v in _shown(removal.fqdn, removal.values))
        lines.append(f"      {removal_reason(removal)}")
    return lines


def _text_target(target: TargetPlan) -> list[str]:
    c = target.counts
    head = (
        f"{target.zone} → {target.provider}: {c['create']} to create, {c['update']} to update, "
        f"{c['delete']} to delete"
    )
    if target.kept_records:
        head += f"; {target.kept_records} record(s) no spec manages left alone"
    lines = [head]
    for change in target.changes:
        lines.extend(_text_change(change))
    for delta in plan_deltas():
        items = target.deltas.get(delta.kind)
        if items:
            lines.extend(delta.text(items))
    lines.extend(_text_removals(target))
    lines.extend(f"  warning: {w.message}" for w in target.warnings)
    return lines


def _text_change(change: RecordChange) -> list[str]:
    sign = SIGN[change.action]
    ttl = change.ttl_after if change.ttl_after is not None else change.ttl_before
    lines = [f"  {sign} {change.fqdn} {change.type} {ttl}"]
    if change.action == "update" and change.ttl_before != change.ttl_after:
        lines[0] += f" (ttl {change.ttl_before} → {change.ttl_after})"
    name = change.name
    if change.action == "create":
        lines.extend(f"      + {_quote(v)}" for v in _shown(name, change.after))
    elif change.action == "delete":
        lines.extend(f"      - {_quote(v)}" for v in _shown(name, change.before))
    else:
        lines.extend(f"      - {_quote(v)}" for v in _shown(name, change.removed))
        lines.extend(f"      + {_quote(v)}" for v in _shown(name, change.added))
        unchanged = [v for v in change.after if v in change.before and v not in change.kept]
        lines.extend(f"        {_quote(v)}" for v in _shown(name, tuple(unchanged)))
    kept = _shown(name, change.kept)
    lines.extend(f"      = {_quote(v)} (not dnsspec's: kept as is)" for v in kept)
    return lines


# -- markdown --------------------------------------------------------------


def _alias_notes(plan: Plan) -> list[str]:
    return [
        f"Not planned: {alias} is an alias of {source} in {plan.config} (octodns-sync syncs it)."
        for alias, source in sorted(plan.aliases.items())
    ]


def to_markdown(plan: Plan) -> str:
    lines = [f"### dnsspec plan — {summary(plan)}", ""]
    for note in _alias_notes(plan):
        lines.extend([f"> {note}", ""])
    if plan.refused_removals:
        lines.extend([f"> 🛑 {_refused_summary(plan)}", ""])
    for target in plan.targets:
        if not target.changes:
            continue
        c = target.counts
        lines.append(
            f"#### `{target.zone}` → `{target.provider}`: {c['create']} create · "
            f"{c['update']} update · {c['delete']} delete"
        )
        lines.append("")
        if target.unsafe:
            lines.append(f"> ⚠️ over octoDNS's safety threshold: {target.unsafe}")
            lines.append("")
        lines.append("| Change | Name | Type | TTL | Values |")
        lines.append("|---|---|---|---|---|")
        for change in target.changes:
            lines.append(_md_row(change))
        if target.kept_records:
            lines.append("")
            lines.append(f"{target.kept_records} record(s) no spec manages are left alone.")
        for delta in plan_deltas():
            items = target.deltas.get(delta.kind)
            if items:
                lines.extend(delta.markdown(items))
        if target.policy_removals:
            lines.extend(["", "**Policy removals**", ""])
            for removal in target.policy_removals:
                title = POLICY_TITLES.get(removal.kind, removal.kind)
                refused = " 🛑 *dnsspec apply refuses it without `--allow-policy-removal`*"
                lines.append(
                    f"- `{removal.fqdn}` loses its {title} record "
                    f"{'<br>'.join(md_code(v) for v in _shown(removal.fqdn, removal.values))}: "
                    f"{removal_reason(removal)}.{refused if removal.refused else ''}"
                )
        for warning in target.warnings:
            lines.append("")
            lines.append(f"> ⚠️ {warning.message}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md_row(change: RecordChange) -> str:
    ttl = change.ttl_after if change.ttl_after is not None else change.ttl_before
    name = change.name
    if change.action == "create":
        values = [md_code(v) for v in _shown(name, change.after)]
    elif change.action == "delete":
        values = [f"~~{md_code(v)}~~" for v in _shown(name, change.before)]
    else:
        values = [f"~~{md_code(v)}~~" for v in _shown(name, change.removed)]
        values += [f"**{md_code(v)}**" for v in _shown(name, change.added)]
        same = tuple(v for v in change.after if v in change.before and v not in change.kept)
        values += [md_code(v) for v in _shown(name, same)]
    values += [f"{md_code(v)} *(kept: not dnsspec's)*" for v in _shown(name, change.kept)]
    return (
        f"| {MD_ACTION[change.action]} | `{change.fqdn}` | {change.type} | {ttl} | "
        f"{'<br>'.join(values)} |"
    )


# -- json ------------------------------------------------------------------


def to_json(plan: Plan) -> str:
    data = dataclasses.asdict(plan)
    # each kind's delta items under the kind's name, where the deltas field is
    data["targets"] = [_json_target(t) for t in data["targets"]]
    data["has_changes"] = plan.has_changes
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def _json_target(target: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in target.items():
        if key == "deltas":
            for delta in plan_deltas():
                if delta.in_json:
                    out[delta.kind] = list(value.get(delta.kind, ()))
        else:
            out[key] = value
    return out


def applied_text(result: ApplyResult) -> str:
    lines = []
    if result.total:
        parts = [f"{zone} → {provider}: {n} change(s)" for zone, provider, n in result.applied]
        lines.append(f"Applied {result.total} change(s). " + "; ".join(parts))
    for zone, provider, n in result.skipped:
        lines.append(
            f"Not applied: {zone} → {provider}: {n} change(s) (always-dry-run: true for this "
            "zone in providers.yaml)"
        )
    if not lines:
        lines.append("Nothing to apply: already in sync.")
    return "\n".join(lines)


def pending_text(result: ApplyResult) -> str:
    """Why an apply the provider accepted did not converge (an error for stderr)."""
    parts = [
        f"{zone} at {provider} still differs from the specs: {'; '.join(left)}"
        for zone, provider, left in result.pending
    ]
    return (
        "the provider accepted the changes but does not show all of them: "
        + "; ".join(parts)
        + ". A server may ignore part of an update without an error (its own log says "
        "why); run dnsspec plan to see what is left"
    )
