"""The linter's vocabulary: severities, what a rule yields, findings, rules.

A rule's check is a plain function decorated with :func:`check`, which keeps
its metadata (severity, one-line summary, fix hint, what it needs) beside the
code; its docstring is the rule's docs page, in ruff's sections (``## What it
does``, ``## Why is this bad?``, ``## Example`` with ``Use instead:``,
optional ``## References``). The decorator registers nothing: the rule's code
and name are given to it by the one table of :mod:`dnsspec.lint.catalogue`,
which builds the :class:`Rule`.

A check yields :class:`Violation` values (what and where); the runner turns
them into :class:`Finding` values by adding the rule's code, name and
severity, as yamllint's linter does with its ``LintProblem``.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dnsspec.errors import DnsspecError, Location

if TYPE_CHECKING:
    from dnsspec.lint.context import LintContext

REQUIRED_SECTIONS = ("## What it does", "## Why is this bad?", "## Example")
# What a rule may ask the runner to compute before it runs (``needs=``):
# ``spf_costs``: the lookup cost of every SPF policy (through the lock or DNS);
# ``zone_list``: the zone list of providers.yaml (``LintContext.zone_list``);
# ``report_authorizations``: what the lookup (``--resolve``: DNS) says of the DMARC report
# authorization names the specs do not publish (``LintContext.authorizations``).
NEEDS: frozenset[str] = frozenset({"spf_costs", "zone_list", "report_authorizations"})


class Severity(enum.IntEnum):
    """How bad a finding is; ``--fail-on`` compares against it."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise UnknownRuleError(
                f"unknown severity {text!r} (expected one of: info, warning, error)"
            ) from None


class UnknownRuleError(DnsspecError):
    """No lint rule matches that code or name."""


@dataclass(frozen=True)
class Violation:
    """What a rule yields: the problem, where it is, and at which DNS name."""

    message: str
    location: Location
    zone: str  # absolute: "example.com."
    record_name: str  # relative to the zone, "" = apex
    hint: str | None = None  # overrides the rule's fix hint when given


@dataclass(frozen=True, order=True)
class Finding:
    """One lint result, ready for a report."""

    location: Location
    code: str
    name: str
    severity: Severity
    message: str
    hint: str | None
    zone: str
    record_name: str


CheckFn = Callable[["LintContext"], Iterable[Violation]]


@dataclass(frozen=True)
class Check:
    """A rule's check function and the metadata written beside it (see :func:`check`)."""

    run: CheckFn
    severity: Severity
    summary: str  # one line: what is wrong, e.g. "SPF record needs more than 10 DNS lookups"
    fix: str  # an imperative hint, e.g. "Flatten or remove includes"
    needs: frozenset[str]  # of NEEDS: what the runner computes before the check runs
    docs: str  # the docs page: the check function's docstring

    def __call__(self, context: LintContext) -> Iterable[Violation]:
        return self.run(context)


def check(
    *,
    severity: Severity,
    summary: str,
    fix: str,
    needs: Iterable[str] = (),
) -> Callable[[CheckFn], Check]:
    """Keep a check function with its metadata; its docstring is the docs page.

    ``needs`` names what the rule reads beyond the specs and their records
    (``{"spf_costs"}``); an unknown need raises ValueError.
    """
    wanted = frozenset(needs)
    unknown = wanted - NEEDS
    if unknown:
        raise ValueError(f"unknown rule needs {sorted(unknown)} (known: {sorted(NEEDS)})")

    def decorate(fn: CheckFn) -> Check:
        return Check(fn, severity, summary, fix, wanted, inspect.cleandoc(fn.__doc__ or ""))

    return decorate


@dataclass(frozen=True)
class Rule:
    """A rule of the catalogue: its code, name and family, and its check."""

    code: str
    name: str
    family: str  # the family's title, "SPF lookup cost"
    check: Check

    @property
    def severity(self) -> Severity:
        return self.check.severity

    @property
    def summary(self) -> str:
        return self.check.summary

    @property
    def fix(self) -> str:
        return self.check.fix

    @property
    def docs(self) -> str:
        return self.check.docs

    @property
    def needs(self) -> frozenset[str]:
        return self.check.needs

    def finding(self, violation: Violation) -> Finding:
        return Finding(
            location=violation.location,
            code=self.code,
            name=self.name,
            severity=self.severity,
            message=violation.message,
            hint=violation.hint if violation.hint is not None else self.fix,
            zone=violation.zone,
            record_name=violation.record_name,
        )
