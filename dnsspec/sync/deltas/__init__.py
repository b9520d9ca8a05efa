"""Per-kind plan deltas: what a planned change means for a mail policy, in words.

A record change says ``- "v=spf1 …"`` / ``+ "v=spf1 …"``; a kind's delta says
what that does (SPF: DNS lookups before → after, who gains or loses
authorization). Each kind with a delta names it in the kinds table
(``dnsspec.kinds``, field ``delta``) as ``module:attribute`` of an object with
the :class:`PlanDelta` shape; the plan asks every one of them.

A delta sees plain data, never octoDNS objects: for each provider, the records
of the planned zones before and after (:class:`ProviderChanges`), and the
record changes of each zone. It returns its items per zone, which the plan
keeps under the kind's name (``TargetPlan.deltas["spf"]``) and the renderers
print with the delta's own ``text``/``markdown`` functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from dnsspec.records import Record
from dnsspec.sync.model import RecordChange


@dataclass(frozen=True)
class ProviderChanges:
    """Everything one provider's plan changes, as a delta sees it."""

    provider: str
    zones: tuple[str, ...]  # the zones with changes at this provider (octoDNS names)
    before: tuple[Record, ...]  # their live records
    after: tuple[Record, ...]  # their records once applied (foreign ones merged in)
    changes: Mapping[str, tuple[RecordChange, ...]]  # zone -> its record changes, in order


@dataclass(frozen=True)
class DeltaContext:
    """What a delta may need beyond the plan."""

    lock: str  # dnsspec.lock: answers for names outside the planned zones


class PlanDelta(Protocol):
    """One kind's plan delta (SPF's: :data:`dnsspec.sync.deltas.spf.DELTA`)."""

    kind: str  # the kind's name in the kinds table and the plan's JSON key

    def describe(
        self, changes: ProviderChanges, context: DeltaContext
    ) -> Mapping[str, tuple[Any, ...]]:
        """The kind's items per zone (zones without any are left out)."""
        ...

    def text(self, items: Sequence[Any]) -> list[str]:
        """The plan's text section of one zone and provider (indented lines)."""
        ...

    def markdown(self, items: Sequence[Any]) -> list[str]:
        """The same section as markdown (a heading and a table)."""
        ...


_SPF_DELTA = "dnsspec.sync.deltas.spf:DELTA"


def plan_deltas() -> tuple[PlanDelta, ...]:
    """The deltas of every kind that has one, in the kinds table's order."""
    import importlib

    try:
        kinds = importlib.import_module("dnsspec.kinds").KINDS
    except ImportError:  # the kinds table is not there yet: SPF's delta is the one
        return (_load(_SPF_DELTA),)
    return tuple(_load(kind.delta) for kind in kinds if kind.delta)


def _load(path: str) -> PlanDelta:
    import importlib

    module, _, attribute = path.partition(":")
    found: PlanDelta = getattr(importlib.import_module(module), attribute)
    return found
