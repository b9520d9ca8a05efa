"""SPEC1xx: the spec files themselves."""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.errors import Location
from dnsspec.lint.context import LintContext
from dnsspec.lint.model import Severity, Violation, check


@check(
    severity=Severity.WARNING,
    summary="a spec file that writes no policy, no subdomain and no record: applying it "
    "removes the zone's mail policy",
    fix="Restore the spec (a bad merge or an editor slip?), or write `spf: none` if the "
    "zone sends no mail",
)
def empty_spec(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for zone spec files that are empty, or hold only comments or
    zone-wide settings (`ttl:`, `manage:`): no policy, no `subdomains:`, no
    `records:`.

    ## Why is this bad?
    dnsspec owns the mail policies of the zones it manages and removes the
    ones no spec writes. An emptied spec (a bad merge, an editor slip, a
    truncated file) therefore plans the deletion of every SPF record of the
    zone, apex and subdomains alike, and mail from the domain stops passing
    SPF. A zone that really sends no mail says so with `spf: none`.

    ## Example
    ```yaml
    # zones/example.com.yaml, emptied by mistake
    ```

    Use instead:
    ```yaml
    spf: none            # example.com sends no mail
    ```
    """
    for loaded in ctx.zones:
        spec = loaded.spec
        if loaded.sites or loaded.unset_sites or spec.subdomains or spec.records:
            continue
        yield Violation(
            f"{loaded.file.name} writes no policy, no subdomain and no record: "
            f"applying it removes the mail policy of {loaded.zone.rstrip('.')}",
            Location(loaded.file, 1, 1),
            loaded.zone,
            "",
        )
