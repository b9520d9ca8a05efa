"""Rules, findings and severities: the linter's vocabulary.

A rule is a plain function decorated with :func:`rule`; the decorator turns it
into a frozen :class:`Rule` and registers it in :data:`RULES` (registering a
code or a name twice raises). The function's docstring is the rule's docs
page, in ruff's sections (``## What it does``, ``## Why is this bad?``,
``## Example`` with ``Use instead:``, optional ``## References``).

A rule yields :class:`Violation` values (what and where); the runner turns
them into :class:`Finding` values by adding the rule's code, name and
severity, as yamllint's linter does with its ``LintProblem``.

Codes never get reused. Families (select by prefix, ruff style: ``SPF2``):

- ``SPF1xx`` the syntax and shape of one SPF record
- ``SPF2xx`` DNS lookup cost: the 10-lookup and 2-void limits
- ``SPF3xx`` policy and coverage: what a policy allows, names without one,
  includes and redirects the specs themselves break
- ``DNS4xx`` record conflicts at one name
"""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dnsspec.errors import DnsspecError, Location

if TYPE_CHECKING:
    from dnsspec.lint.context import LintContext

FAMILIES: dict[str, str] = {
    "SPF1": "SPF syntax and shape",
    "SPF2": "SPF lookup cost",
    "SPF3": "SPF policy and coverage",
    "DNS4": "DNS record conflicts",
}
_CODE = re.compile(r"^(SPF[123]|DNS4)\d\d$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
REQUIRED_SECTIONS = ("## What it does", "## Why is this bad?", "## Example")


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
class Rule:
    """A registered lint rule (see the module docstring)."""

    code: str
    name: str
    severity: Severity
    summary: str  # one line: what is wrong, e.g. "SPF record needs more than 10 DNS lookups"
    fix: str  # an imperative hint, e.g. "Flatten or remove includes"
    check: CheckFn
    docs: str  # the docs page: the check function's docstring
    needs_dns: bool = False  # counts lookups through the lock / resolver

    @property
    def family(self) -> str:
        return FAMILIES[self.code[:4]]

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


RULES: dict[str, Rule] = {}


def register(new: Rule) -> Rule:
    """Add a rule to :data:`RULES`; a code or name already taken raises ValueError."""
    if not _CODE.match(new.code):
        raise ValueError(f"rule code {new.code!r} is not in a family (SPF1xx … DNS4xx)")
    if not _NAME.match(new.name):
        raise ValueError(f"rule name {new.name!r} is not kebab-case")
    if new.code in RULES:
        raise ValueError(f"rule code {new.code} is already registered ({RULES[new.code].name})")
    if any(r.name == new.name for r in RULES.values()):
        raise ValueError(f"rule name {new.name!r} is already registered")
    RULES[new.code] = new
    return new


def rule(
    code: str,
    name: str,
    *,
    severity: Severity,
    summary: str,
    fix: str,
    needs_dns: bool = False,
) -> Callable[[CheckFn], Rule]:
    """Register the decorated check function as a rule; its docstring is the docs page."""

    def decorate(check: CheckFn) -> Rule:
        return register(
            Rule(
                code=code,
                name=name,
                severity=severity,
                summary=summary,
                fix=fix,
                check=check,
                docs=inspect.cleandoc(check.__doc__ or ""),
                needs_dns=needs_dns,
            )
        )

    return decorate


def all_rules() -> list[Rule]:
    """Every registered rule, by family (SPF1, SPF2, SPF3, DNS4), then code."""
    import dnsspec.lint.rules  # noqa: F401  (registers the rules)

    order = list(FAMILIES)
    return sorted(RULES.values(), key=lambda r: (order.index(r.code[:4]), r.code))


def get(code_or_name: str) -> Rule:
    """The rule with this code (any case) or name; UnknownRuleError otherwise."""
    key = code_or_name.strip()
    for r in all_rules():
        if r.code == key.upper() or r.name == key.lower():
            return r
    raise UnknownRuleError(f"no lint rule {code_or_name!r}; `dnsspec rules` lists them")


def _matches(prefix: str, r: Rule) -> bool:
    p = prefix.strip()
    return p.upper() == "ALL" or r.code.startswith(p.upper()) or r.name == p.lower()


def _check_known(prefixes: Sequence[str], rules: Sequence[Rule]) -> None:
    for p in prefixes:
        if not any(_matches(p, r) for r in rules):
            raise UnknownRuleError(
                f"{p!r} matches no lint rule (codes are like SPF201, prefixes like SPF2; "
                "`dnsspec rules` lists them)"
            )


def _specificity(prefix: str) -> int:
    p = prefix.strip()
    return 0 if p.upper() == "ALL" else 99 if _NAME.match(p.lower()) else len(p)


def select_rules(
    rules: Sequence[Rule], *, select: Sequence[str] = (), ignore: Sequence[str] = ()
) -> list[Rule]:
    """Rules enabled by ``select``/``ignore`` code prefixes (or names), ruff style.

    No ``select`` means all rules. When both a select and an ignore prefix
    match a rule, the more specific (longer) one wins; a tie ignores.
    An entry that matches no rule raises UnknownRuleError.
    """
    _check_known([*select, *ignore], rules)
    chosen = []
    for r in rules:
        best_select = max(
            (_specificity(p) for p in select if _matches(p, r)), default=-1 if select else 0
        )
        best_ignore = max((_specificity(p) for p in ignore if _matches(p, r)), default=-1)
        if best_select >= 0 and best_select > best_ignore:
            chosen.append(r)
    return chosen


def is_suppressed(code: str, name: str, entries: Iterable[str]) -> bool:
    """Whether a spec's ``ignore:`` list (codes, code prefixes or names) covers a finding."""
    return any(
        e.strip().upper() == "ALL" or code.startswith(e.strip().upper()) or e.strip() == name
        for e in entries
        if e.strip()
    )
