"""Plan and apply the specs through octoDNS (``providers.yaml``).

>>> session = open_session("providers.yaml")
>>> shown = plan(session)            # dry run: what would change, per zone and provider
>>> result = apply(session, shown)   # pushes exactly ``shown`` (octoDNS checksum)
"""

from dnsspec.sync.model import ApplyResult, Plan, RecordChange, SpfChange, TargetPlan
from dnsspec.sync.planning import apply, plan
from dnsspec.sync.session import (
    LintFailed,
    PlanChangedError,
    Session,
    UnsafePlanError,
    open_session,
)

__all__ = [
    "ApplyResult",
    "LintFailed",
    "Plan",
    "PlanChangedError",
    "RecordChange",
    "Session",
    "SpfChange",
    "TargetPlan",
    "UnsafePlanError",
    "apply",
    "open_session",
    "plan",
]
