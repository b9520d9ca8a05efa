"""Per-kind plan deltas: what a planned change means for a mail policy, in words.

A record change says ``- "v=spf1 …"`` / ``+ "v=spf1 …"``; a kind's delta says
what that does (SPF: DNS lookups before → after, who gains or loses
authorization). Each kind with a delta names it in the kinds table
(``dnsspec.kinds``, field ``delta``) as ``module:Class``, a class of the
:class:`PlanDelta` shape built without arguments; the plan asks every one.

A delta sees plain data, never octoDNS objects: for each provider, the records
of the planned zones before and after (:class:`ProviderChanges`), and the
record changes of each zone. It returns its items per zone, which the plan
keeps under the kind's name (``TargetPlan.deltas["spf"]``) and the renderers
print with the delta's own ``text``/``markdown`` functions; the JSON plan has
them under the kind's name when the delta's ``in_json`` says so (DMARC's and
TLS-RPT's words are for people: the JSON has their values before and after).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from dnsspec.records import Record
from dnsspec.sync.model import RecordChange

if TYPE_CHECKING:
    from dnsspec.probe.policy import ServedPolicy


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
    # the MTA-STS policy file each planned spec writes, by domain ("example.com")
    policies: Mapping[str, bytes] = field(default_factory=dict)
    # the policy a domain serves now (dnsspec.probe.policy.PolicyFetcher), or why it was not
    # fetched; None: plan fetches nothing (--no-mta-sts-fetch)
    fetch_policy: Callable[[str], ServedPolicy | str] | None = None


class PlanDelta(Protocol):
    """One kind's plan delta (SPF's: :class:`dnsspec.sync.deltas.spf.SpfDelta`)."""

    kind: str  # the kind's name in the kinds table and the plan's JSON key
    in_json: bool  # whether the JSON plan carries the items (DMARC's words: text only)

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


@cache
def plan_deltas() -> tuple[PlanDelta, ...]:
    """The deltas of every kind that has one, in the kinds table's order."""
    from dnsspec.kinds import KINDS

    return tuple(kind.load("delta")() for kind in KINDS if kind.delta)
