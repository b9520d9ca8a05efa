"""CFG1xx: the specs and the zone list of providers.yaml disagree."""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.errors import Location
from dnsspec.lint.context import LintContext
from dnsspec.lint.model import Severity, Violation, check


@check(
    severity=Severity.ERROR,
    summary="a spec file that no zone entry of providers.yaml plans",
    fix="List the zone under zones: with sources: [spec], or use the dynamic '*' entry "
    "(dnsspec init writes it)",
    needs={"zone_list"},
)
def spec_without_zone(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks that every spec file in a directory that providers.yaml reads has
    a zone entry (explicit, or the dynamic `'*'`) sourced from that directory.

    ## Why is this bad?
    `dnsspec plan` and `dnsspec apply` stop at a spec without a zone entry,
    so the change that adds the spec fails only after it is merged. Lint (and
    so the pre-commit hook) reads providers.yaml when there is one, to catch it
    at commit time.

    ## Example
    ```yaml
    # providers.yaml: zones/example.org.yaml exists, but only example.com. is listed
    zones:
      example.com.:
        sources: [spec]
        targets: [live]
    ```

    Use instead:
    ```yaml
    zones:
      '*':                       # every zones/<zone>.yaml is a zone
        sources: [spec]
        targets: [live]
    ```
    """
    listing = ctx.zone_list
    if listing is None:
        return
    for loaded in ctx.zones:
        if not listing.sources_of(loaded.file.parent):
            continue  # this providers.yaml does not read that directory
        if not listing.covered(loaded.zone, loaded.file.parent):
            yield Violation(
                f"{loaded.file} has no zone entry in {listing.config}: plan and apply stop at it",
                Location(loaded.file, 1, 1),
                loaded.zone,
                "",
                f"add '{loaded.zone}' under zones: in {listing.config} with sources: "
                f"[{listing.sources_of(loaded.file.parent)[0]}], or a '*' entry",
            )


@check(
    severity=Severity.ERROR,
    summary="a zone entry of providers.yaml sourced from the specs that has no spec file",
    fix="Write the spec (zones/<zone>.yaml), or remove the zone entry",
    needs={"zone_list"},
)
def zone_without_spec(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks that every zone entry of providers.yaml whose sources include the
    specs has a spec file in that source's directory.

    ## Why is this bad?
    `dnsspec plan` and `dnsspec apply` stop at a zone entry without a spec, so
    a renamed or deleted spec breaks the next deployment instead of the commit
    that caused it.

    ## Example
    ```yaml
    # providers.yaml, with no zones/example.org.yaml
    zones:
      example.org.:
        sources: [spec]
        targets: [live]
    ```

    Use instead:
    ```yaml
    # providers.yaml: the entry goes with the spec (or write zones/example.org.yaml)
    zones: {}
    ```
    """
    listing = ctx.zone_list
    if listing is None:
        return
    linted = {z.file.parent.resolve() for z in ctx.zones}
    for entry in listing.entries:
        if entry.dynamic:
            continue
        for source in entry.sources:
            directory = listing.directories[source]
            spec = directory / f"{entry.name.lower()}yaml"
            if directory in linted and not spec.is_file():
                yield Violation(
                    f"zone {entry.name} in {listing.config} has no spec: {spec} does not "
                    f"exist (source {source})",
                    entry.location,
                    entry.name.lower(),
                    "",
                    f"write {spec}, or remove '{entry.name}' from zones:",
                )
