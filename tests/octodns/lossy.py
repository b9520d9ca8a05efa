"""A YamlProvider that says yes to every change and leaves some out (test helper).

Like a server that accepts an update and ignores part of it (BIND drops a record
beside a CNAME; an RFC 2136 delete whose rdata does not match deletes nothing):
``apply`` reports every change applied, the file lacks the ones at ``ignore``.
"""

from __future__ import annotations

from typing import Any

from octodns.provider.plan import Plan
from octodns.provider.yaml import YamlProvider


class LossyYamlProvider(YamlProvider):  # type: ignore[misc]
    def __init__(self, id: str, *args: Any, ignore: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(id, *args, **kwargs)
        self.ignore = frozenset(ignore)

    def _apply(self, plan: Any) -> None:
        kept = [c for c in plan.changes if c.record.name not in self.ignore]
        super()._apply(Plan(plan.existing, plan.desired, kept, plan.exists))
