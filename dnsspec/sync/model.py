"""The plan as plain data: what ``dnsspec plan`` shows and ``dnsspec apply`` pushes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Action = Literal["create", "update", "delete"]


@dataclass(frozen=True, slots=True)
class RecordChange:
    """One rrset change at one provider. TXT values are the text receivers see."""

    action: Action
    name: str  # relative to the zone, "" = apex
    fqdn: str
    type: str
    ttl_before: int | None
    ttl_after: int | None
    before: tuple[str, ...]
    after: tuple[str, ...]
    # foreign values this set keeps untouched (TXT at a managed name)
    kept: tuple[str, ...] = ()

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(v for v in self.after if v not in self.before)

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(v for v in self.before if v not in self.after)


@dataclass(frozen=True, slots=True)
class LookupCount:
    """DNS-querying terms of one policy (``at_least`` when third parties add an unknown part)."""

    lookups: int
    at_least: bool = False

    def __str__(self) -> str:
        return f"≥{self.lookups}" if self.at_least else str(self.lookups)


@dataclass(frozen=True, slots=True)
class SpfChange:
    """How one name's SPF policy changes: lookups and who gains or loses authorization."""

    fqdn: str
    before: str | None
    after: str | None
    lookups_before: LookupCount | None
    lookups_after: LookupCount | None
    authorized: tuple[str, ...] = ()  # terms newly authorizing senders (ip4:…, include:…)
    deauthorized: tuple[str, ...] = ()  # terms no longer authorizing senders
    notes: tuple[str, ...] = ()  # e.g. "all: -all → ~all"


@dataclass(frozen=True, slots=True)
class PolicyRemoval:
    """The plan removes a name's last record of one mail-policy kind (its SPF policy …).

    ``consented`` when the spec says the name is to have none (``spf: unset``).
    Refused by apply (without ``--allow-policy-removal``) unless consented, and,
    for SPF, also when the name keeps A/AAAA/MX records (``mail_hosts``): such a
    name can be used as a mail domain, and without SPF anyone may send as it.
    """

    fqdn: str
    kind: str  # a txtkinds kind: "spf", "dmarc" …, or "null_mx" (a null MX, `mx: none`)
    values: tuple[str, ...]  # what is removed
    consented: bool = False
    mail_hosts: tuple[str, ...] = ()  # the A/AAAA/MX types left at the name (SPF only)

    @property
    def refused(self) -> bool:
        return not self.consented or bool(self.mail_hosts)


@dataclass(frozen=True, slots=True)
class PlanWarning:
    """Something to look at before applying (merged TXT size, protected records …)."""

    message: str
    fqdn: str = ""


@dataclass(frozen=True, slots=True)
class TargetPlan:
    """The changes for one zone at one provider (octoDNS target)."""

    zone: str
    provider: str
    changes: tuple[RecordChange, ...]
    # kind -> that kind's plan delta items ("spf" -> SpfChange …), see dnsspec.sync.deltas
    deltas: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    policy_removals: tuple[PolicyRemoval, ...] = ()
    warnings: tuple[PlanWarning, ...] = ()
    kept_records: int = 0  # existing records no spec manages, left alone
    unsafe: str | None = None  # octoDNS safety threshold message; apply needs --force

    @property
    def spf(self) -> tuple[SpfChange, ...]:
        """The SPF delta's items."""
        return tuple(self.deltas.get("spf", ()))

    @property
    def counts(self) -> dict[str, int]:
        out = {"create": 0, "update": 0, "delete": 0}
        for change in self.changes:
            out[change.action] += 1
        return out


@dataclass(frozen=True)
class Plan:
    """Every planned change of one run, per zone and provider, with octoDNS's checksums."""

    config: str
    zones: tuple[str, ...]
    targets: tuple[TargetPlan, ...]
    # zone -> octoDNS plan checksum (sha256 of its plans' data); only zones with changes
    checksums: dict[str, str] = field(default_factory=dict)
    # alias zones of providers.yaml (zone -> the zone it copies), not planned by dnsspec
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def has_changes(self) -> bool:
        return any(t.changes for t in self.targets)

    @property
    def unsafe(self) -> tuple[TargetPlan, ...]:
        return tuple(t for t in self.targets if t.unsafe)

    @property
    def refused_removals(self) -> tuple[tuple[TargetPlan, PolicyRemoval], ...]:
        """Policy removals apply refuses without ``--allow-policy-removal``."""
        return tuple((t, r) for t in self.targets for r in t.policy_removals if r.refused)


@dataclass(frozen=True)
class ApplyResult:
    """What ``apply`` pushed: changes per zone and provider."""

    applied: tuple[tuple[str, str, int], ...]  # (zone, provider, number of changes)
    # zones octoDNS skipped (always-dry-run: true in providers.yaml): (zone, provider, changes)
    skipped: tuple[tuple[str, str, int], ...] = ()
    # what the provider still shows as different after the apply: (zone, provider, changes)
    pending: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    @property
    def total(self) -> int:
        return sum(n for _, _, n in self.applied)
