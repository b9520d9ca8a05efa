"""The plan's MTA-STS section: a policy published, changed or withdrawn, in words.

The ``_mta-sts`` TXT carries only the policy's id, so a changed id means a
changed policy file: senders fetch the new file when they see the new id, so
the file must be served before the record changes (RFC 8461 §3.3). The plan
says so beside every id change.

What changed in the policy comes from two files: the new one is the file the
spec writes (``DeltaContext.policies``), the old one the file the domain serves
now, fetched once per changed id by ``DeltaContext.fetch_policy`` (the probe's
bounded HTTPS GET) and read by the one policy parser::

    example.com: mode testing → enforce, id changed (serve the new policy file first)
    example.com: id changed (old policy not fetched: <reason>; serve the new policy file first)

A domain that already serves the new file (the safe order, done) says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from dnsspec.mta_sts.policy import StsPolicy, StsPolicySyntaxError, policy_id
from dnsspec.mta_sts.policy import parse as parse_policy
from dnsspec.mta_sts.syntax import OWNER_PREFIX, StsRecordSyntaxError, parse
from dnsspec.sync.deltas import DeltaContext, ProviderChanges
from dnsspec.sync.deltas.tags import MINUS
from dnsspec.sync.markdown import md_code
from dnsspec.txtkinds import TXT_TYPES, txt_kind

SERVE_FIRST = "serve the new policy file first"
FETCH_OFF = "the fetch is off, --no-mta-sts-fetch"


@dataclass(frozen=True, slots=True)
class MtaStsChange:
    """One ``_mta-sts`` record's change: the policy id before and after (None: absent),
    the policy's mode before (from the served file) and after (from the spec's file),
    the other fields that change, and what the served file was: ``"old"`` (the policy
    before), ``"new"`` (already the spec's), ``""`` (not asked: no id before or after)
    or ``"not fetched: <reason>"``."""

    fqdn: str
    domain: str
    id_before: str | None
    id_after: str | None
    mode_before: str | None = None
    mode_after: str | None = None
    fields: tuple[str, ...] = ()  # "mx + mx3.example.com", "max_age 86400 → 604800"
    served: str = ""


def _policy_id(values: Sequence[str], name: str) -> str | None:
    for value in values:
        if txt_kind(name, value) == "mta_sts":
            try:
                return parse(value).id
            except StsRecordSyntaxError:
                return "(unreadable)"
    return None


def _new_policy(policies: Mapping[str, bytes], domain: str) -> StsPolicy | None:
    data = policies.get(domain.rstrip(".").lower())
    if data is None:
        return None
    try:
        return parse_policy(data)
    except StsPolicySyntaxError:  # pragma: no cover - the spec renders valid policies
        return None


def _field_changes(old: StsPolicy, new: StsPolicy) -> tuple[str, ...]:
    """The policy's mx patterns and max_age, before → after, in words (mode apart)."""
    words = [f"mx + {p}" for p in new.mx if p not in old.mx]
    words += [f"mx {MINUS} {p}" for p in old.mx if p not in new.mx]
    if old.max_age != new.max_age:
        words.append(f"max_age {old.max_age} → {new.max_age}")
    return tuple(words)


def _change(
    fqdn: str, domain: str, before: str | None, after: str | None, context: DeltaContext
) -> MtaStsChange:
    new = _new_policy(context.policies, domain)
    change = MtaStsChange(fqdn, domain, before, after, mode_after=new.mode if new else None)
    if before is None or after is None:
        return change  # published or withdrawn: there is no old policy to compare
    if context.fetch_policy is None:
        return replace(change, served=f"not fetched: {FETCH_OFF}")
    served = context.fetch_policy(domain.rstrip("."))
    if isinstance(served, str):
        return replace(change, served=f"not fetched: {served}")
    if new is not None and (policy_id(served.body) == after or served.policy == new):
        return replace(change, served="new")
    fields = _field_changes(served.policy, new) if new is not None else ()
    return replace(change, mode_before=served.policy.mode, fields=fields, served="old")


class MtaStsDelta:
    """The MTA-STS kind's plan delta (:class:`~dnsspec.sync.deltas.PlanDelta`)."""

    kind = "mta_sts"
    in_json = True

    def describe(
        self, changes: ProviderChanges, context: DeltaContext
    ) -> dict[str, tuple[MtaStsChange, ...]]:
        """The MTA-STS record changes of each zone at one provider (the served policy is
        fetched once per domain whose id changes)."""
        items: dict[str, tuple[MtaStsChange, ...]] = {}
        for zone, record_changes in changes.changes.items():
            found = []
            for change in record_changes:
                first = change.fqdn.split(".", 1)
                if change.type not in TXT_TYPES or first[0].lower() != OWNER_PREFIX:
                    continue
                before = _policy_id(change.before, change.name)
                after = _policy_id(change.after, change.name)
                if before != after:
                    domain = first[1] if len(first) > 1 else ""
                    found.append(_change(change.fqdn, domain, before, after, context))
            if found:
                items[zone] = tuple(found)
        return items

    def text(self, items: Sequence[MtaStsChange]) -> list[str]:
        return ["  MTA-STS:", *(f"    {_name(item)}: {words(item)}" for item in items)]

    def markdown(self, items: Sequence[MtaStsChange]) -> list[str]:
        lines = ["", "**MTA-STS**", "", "| Domain | Change |", "|---|---|"]
        lines.extend(f"| {md_code(_name(item))} | {words(item)} |" for item in items)
        return lines


def _name(item: MtaStsChange) -> str:
    return item.domain.rstrip(".")


def words(item: MtaStsChange) -> str:
    """One change in words, e.g. ``mode testing → enforce, id changed (serve the new
    policy file first)``."""
    mode = f"mode {item.mode_after}" if item.mode_after else ""
    if item.id_before is None:
        return f"policy published{': ' + mode if mode else ''}, id {item.id_after} ({SERVE_FIRST})"
    if item.id_after is None:
        return f"policy record removed (was id {item.id_before})"
    parts: list[str] = []
    if item.served == "old":
        if item.mode_before != item.mode_after and item.mode_after:
            parts.append(f"mode {item.mode_before} → {item.mode_after}")
        parts.extend(item.fields)
    parts.append("id changed")
    said = ", ".join(parts)
    if item.served == "new":
        host = f"mta-sts.{_name(item)}"
        return f"{said} ({SERVE_FIRST}: done, {host} already serves it)"
    if item.served.startswith("not fetched: "):
        reason = item.served.removeprefix("not fetched: ")
        return f"{said} (old policy not fetched: {reason}; {SERVE_FIRST})"
    return f"{said} ({SERVE_FIRST})"
