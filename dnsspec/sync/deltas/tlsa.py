"""The plan's TLSA section: records added and removed per service, in words.

``TLSA _25._tcp.mx1.example.com.: + 3 1 1 8cb0fc6c527506a0…`` (the digest shortened
to 16 hex digits: enough to tell two keys apart, short enough to read).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dnsspec.sync.deltas import DeltaContext, ProviderChanges
from dnsspec.sync.markdown import md_code


@dataclass(frozen=True, slots=True)
class TlsaChange:
    """One TLSA rrset's change: the records added and removed (``u s m digest…``)."""

    fqdn: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


def _short(value: str) -> str:
    fields = value.split()
    if len(fields) == 4 and len(fields[3]) > 16:
        return f"{' '.join(fields[:3])} {fields[3][:16].lower()}…"
    return value


class TlsaDelta:
    """The TLSA kind's plan delta (:class:`~dnsspec.sync.deltas.PlanDelta`)."""

    kind = "tlsa"
    in_json = True

    def describe(
        self, changes: ProviderChanges, context: DeltaContext
    ) -> dict[str, tuple[TlsaChange, ...]]:
        """The TLSA changes of each zone at one provider."""
        items: dict[str, tuple[TlsaChange, ...]] = {}
        for zone, record_changes in changes.changes.items():
            found = [
                TlsaChange(
                    change.fqdn,
                    tuple(_short(v) for v in change.after if v not in change.before),
                    tuple(_short(v) for v in change.before if v not in change.after),
                )
                for change in record_changes
                if change.type == "TLSA" and set(change.before) != set(change.after)
            ]
            if found:
                items[zone] = tuple(found)
        return items

    def text(self, items: Sequence[TlsaChange]) -> list[str]:
        lines = ["  TLSA:"]
        for item in items:
            lines.extend(f"    {item.fqdn}: + {v}" for v in item.added)
            lines.extend(f"    {item.fqdn}: - {v}" for v in item.removed)
        return lines

    def markdown(self, items: Sequence[TlsaChange]) -> list[str]:
        lines = ["", "**TLSA**", "", "| Name | Change |", "|---|---|"]
        for item in items:
            changes = [f"+ {v}" for v in item.added] + [f"- {v}" for v in item.removed]
            lines.append(f"| {md_code(item.fqdn)} | {'<br>'.join(md_code(c) for c in changes)} |")
        return lines
