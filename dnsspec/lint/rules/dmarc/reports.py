"""Report destinations in another organization need that organization's consent."""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.dmarc.reports import (
    AUTHORIZATION_RECORD,
    PUBLISHED,
    external_destinations,
    known_zones,
)
from dnsspec.dmarc.uris import ReportUri
from dnsspec.lint.context import LintContext
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.lint.rules.dmarc import DmarcSite, dmarc_sites
from dnsspec.txtkinds import TXT_TYPES


@check(
    severity=Severity.WARNING,
    needs=("report_authorizations",),
    summary="a DMARC report address in another organization that has not authorized it",
    fix="The other domain publishes <your-domain>._report._dmarc.<its-domain> TXT "
    '"v=DMARC1" (when it is a zone in these specs, compile writes it there)',
)
def unauthorized_report_destination(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks `rua`/`ruf` addresses whose domain belongs to another
    organization for the authorization record that domain must publish:
    `<policy-domain>._report._dmarc.<report-domain> TXT "v=DMARC1"`.

    ## Why is this bad?
    Receivers send reports to another organization's address only when it
    has published that record (RFC 9990 §3.3, RFC 7489 §7.1); without it the
    reports are silently dropped. "Another organization" is decided without
    DNS: the zones of these specs are organizations of their own, other names
    by their registrable domain (a well-known public-suffix table), so the
    finding says *likely*. `lint --resolve` asks the DNS for the record: when
    it is published the finding goes away, when it is not the finding says
    `(checked: not published)` (or `(checked: lookup failed: …)`).

    When the report domain is in a zone of these specs, compile writes the
    record into that zone itself (docs/spec-language.md, "Report
    authorization"), so this rule fires only for report domains outside the
    specs: their owner must publish the record.

    ## Example
    ```yaml
    dmarc: {policy: reject, rua: [mailto:agg@reports.example.net]}
    ```

    Use instead:
    ```yaml
    # zones/example.net.yaml, when example.net is yours: a spec beside this one is
    # enough (compile writes example.com._report._dmarc.reports there); or by hand:
    records:
      example.com._report._dmarc.reports: {type: TXT, value: v=DMARC1}
    ```
    A report domain that is not yours: its owner publishes that record.

    ## References
    - [RFC 9990 §3.3](https://www.rfc-editor.org/rfc/rfc9990#section-3.3)
    - [RFC 7489 §7.1](https://www.rfc-editor.org/rfc/rfc7489#section-7.1)
    """
    for site, tag, uri, name in unpublished_authorizations(ctx):
        uris = getattr(site.value.record, tag)
        state = ctx.authorizations.get(name)
        if state == PUBLISHED:
            continue
        checked = f" (checked: {state})" if state is not None else " in these specs"
        yield site.violation(
            f"{site.fqdn}: reports to {uri} likely go unsent: {name}. publishes "
            f'no TXT "{AUTHORIZATION_RECORD}"{checked}',
            tag,
            index=uris.index(uri),
        )


def unpublished_authorizations(
    ctx: LintContext,
) -> Iterator[tuple[DmarcSite, str, ReportUri, str]]:
    """(site, tag, URI, authorization name) of each report destination in another
    organization whose authorization the specs do not publish."""
    zones = known_zones(z.zone for z in ctx.zones)
    for site in dmarc_sites(ctx):
        record = site.value.record
        for tag, uris in (("rua", record.rua), ("ruf", record.ruf)):
            for uri, name in external_destinations(site.domain, uris, zones):
                if not _published(ctx, name):
                    yield site, tag, uri, name


def _published(ctx: LintContext, name: str) -> bool:
    return any(
        str(value).startswith(AUTHORIZATION_RECORD)
        for record in ctx.records_at(f"{name}.")
        if record.type in TXT_TYPES
        for value in record.values
    )
