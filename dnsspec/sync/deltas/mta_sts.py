"""The plan's MTA-STS section: a policy published, changed or withdrawn, in words.

The ``_mta-sts`` TXT carries only the policy's id, so a changed id means a
changed policy file: senders fetch the new file when they see the new id, so
the file must be served before the record changes (RFC 8461 §3.3). The plan
says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dnsspec.mta_sts.syntax import OWNER_PREFIX, StsRecordSyntaxError, parse
from dnsspec.sync.deltas import DeltaContext, ProviderChanges
from dnsspec.sync.markdown import md_code
from dnsspec.txtkinds import TXT_TYPES, txt_kind

SERVE_FIRST = "serve the new policy file first"


@dataclass(frozen=True)
class MtaStsChange:
    """One ``_mta-sts`` record's change: the policy id before and after (None: absent)."""

    fqdn: str
    domain: str
    id_before: str | None
    id_after: str | None


def _policy_id(values: Sequence[str], name: str) -> str | None:
    for value in values:
        if txt_kind(name, value) == "mta_sts":
            try:
                return parse(value).id
            except StsRecordSyntaxError:
                return "(unreadable)"
    return None


class MtaStsDelta:
    """The MTA-STS kind's plan delta (:class:`~dnsspec.sync.deltas.PlanDelta`)."""

    kind = "mta_sts"
    in_json = True

    def describe(
        self, changes: ProviderChanges, context: DeltaContext
    ) -> dict[str, tuple[MtaStsChange, ...]]:
        """The MTA-STS record changes of each zone at one provider."""
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
                    found.append(MtaStsChange(change.fqdn, domain, before, after))
            if found:
                items[zone] = tuple(found)
        return items

    def text(self, items: Sequence[MtaStsChange]) -> list[str]:
        return ["  MTA-STS:", *(f"    {item.domain} {_words(item)}" for item in items)]

    def markdown(self, items: Sequence[MtaStsChange]) -> list[str]:
        lines = ["", "**MTA-STS**", "", "| Domain | Change |", "|---|---|"]
        lines.extend(f"| {md_code(item.domain)} | {_words(item)} |" for item in items)
        return lines


def _words(item: MtaStsChange) -> str:
    if item.id_before is None:
        return f"policy published, id {item.id_after} ({SERVE_FIRST})"
    if item.id_after is None:
        return f"policy record removed (was id {item.id_before})"
    return f"id changed {item.id_before} → {item.id_after} ({SERVE_FIRST})"
