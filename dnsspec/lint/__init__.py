"""The linter: stable rule codes over the loaded specs and their compiled records.

``run_lint`` is the whole API: select rules (ruff-style code prefixes), build
one :class:`~dnsspec.lint.context.LintContext` (compiled records of all zones,
lookup costs through ``dnsspec.spf.cost`` when a cost rule runs), run every
rule, drop what a spec's ``ignore:`` list suppresses, and sort.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dnsspec.lint.catalogue import FAMILIES, all_rules, is_suppressed, select_rules
from dnsspec.lint.context import LintContext, SpfSite
from dnsspec.lint.model import Finding, Rule, Severity, UnknownRuleError, Violation, check

if TYPE_CHECKING:
    from dnsspec.errors import SpecProblem
    from dnsspec.lookups import Lookup
    from dnsspec.records import Record
    from dnsspec.spec.load import LoadedZone
    from dnsspec.spf.cost import Cost

__all__ = [
    "FAMILIES",
    "Finding",
    "LintContext",
    "Rule",
    "Severity",
    "UnknownRuleError",
    "Violation",
    "all_rules",
    "check",
    "run_lint",
]


def run_lint(
    zones: Sequence[LoadedZone],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    lookup: Lookup | None = None,
    config: Path | None = None,
) -> list[Finding]:
    """Lint the loaded zones; findings sorted by file, line, column, code.

    ``config`` is the octoDNS configuration (providers.yaml) whose zone list the
    CFG rules hold the specs against; without it they find nothing.

    ``lookup`` answers names outside the specs (the lock's ``LockedLookup``,
    or a ``DnsResolver`` for ``--resolve``); without it such includes count
    as "at least 1" lookup and get a warning. It is also asked for the DMARC
    report authorization records the specs do not publish (DMARC108).
    """
    import asyncio

    from dnsspec.compile import compile_zones

    rules = select_rules(all_rules(), select=select, ignore=ignore)
    records = tuple(compile_zones(zones))
    context = LintContext(zones=tuple(zones), records=records)
    if any("spf_costs" in r.needs for r in rules):
        costs = asyncio.run(_costs(context.sites, records, context.zone_names, lookup))
        context = LintContext(zones=context.zones, records=records, costs=costs)
    if lookup is not None and any("report_authorizations" in r.needs for r in rules):
        from dataclasses import replace

        from dnsspec.dmarc.reports import lookup_authorizations
        from dnsspec.lint.rules.dmarc.reports import unpublished_authorizations

        names = [name for _, _, _, name in unpublished_authorizations(context)]
        answers = asyncio.run(lookup_authorizations(names, lookup)) if names else {}
        context = replace(context, authorizations=answers)
    if config is not None and any("zone_list" in r.needs for r in rules):
        from dataclasses import replace

        from dnsspec.lint.zonelist import read_zone_list

        context = replace(context, zone_list=read_zone_list(config))
    findings: set[Finding] = set()
    for r in rules:
        for violation in r.check(context):
            if not is_suppressed(
                r.code, r.name, context.ignores(violation.zone, violation.record_name)
            ):
                findings.add(r.finding(violation))
    return sorted(findings)


async def _costs(
    sites: Sequence[SpfSite],
    records: Sequence[Record],
    zones: Sequence[str],
    fallback: Lookup | None,
) -> Mapping[str, Cost]:
    from dnsspec.spf.cost import lookup_costs
    from dnsspec.spf.records_lookup import RecordsLookup

    lookup = RecordsLookup(records, zones, fallback=fallback)
    results = await lookup_costs([(s.display, s.at.policy) for s in sites], lookup)
    return {s.fqdn: cost for s, cost in zip(sites, results, strict=True)}


def load_for_lint(
    paths: Sequence[str | Path] = (),
) -> tuple[list[LoadedZone], set[Path] | None, list[SpecProblem]]:
    """The zones to lint, the files to report on (None = all), and the invalid input.

    Includes cross zones, so a file is always linted together with every spec
    in its directory (pre-commit and editors pass single files); findings are
    then reported for the given files only. A file that does not load does not
    stop the others: its problems come back beside the zones that loaded, so
    one run reports every problem.
    """
    from dnsspec.spec.load import load_zones_and_problems

    if not paths and not Path("zones").exists():  # not a repository: nothing to lint at all
        from dnsspec.errors import Location, SpecError, SpecProblem

        problem = "no zones/ directory here: this is not a dnsspec repository"
        hint = "run `dnsspec init` to start one, or pass the directory of your specs"
        raise SpecError([SpecProblem(Location(Path("zones"), 1, 1), problem, (), hint)])
    given = [Path(p) for p in paths] or [Path("zones")]
    files = [p for p in given if p.is_file()]
    explicit = {p for p in given if not p.is_file()}
    zones, problems = load_zones_and_problems(
        [*sorted(explicit | {f.parent for f in files}), *files]
    )
    if not files:
        return zones, None, problems
    report = {f.resolve() for f in files}
    report |= {
        z.file.resolve() for z in zones for d in explicit if z.file.parent.resolve() == d.resolve()
    }
    return zones, report, problems


def only_files(findings: Sequence[Finding], files: set[Path] | None) -> list[Finding]:
    if files is None:
        return list(findings)
    return [f for f in findings if f.location.file.resolve() in files]


def lint_lookup(
    *, resolve: bool, lock: Path | str, nameservers: Sequence[str] = (), timeout: float = 2.0
) -> Lookup | None:
    """What answers third-party names: DNS with ``resolve``, else the lock if there is one."""
    if resolve:
        from dnsspec.lookups import DnsResolver

        return DnsResolver(nameservers, timeout=timeout)
    from dnsspec.lock import LockedLookup, read_lock

    found = read_lock(lock)
    return LockedLookup(found) if found is not None else None
