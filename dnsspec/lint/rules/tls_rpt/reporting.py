"""A name that receives mail should say where senders report TLS failures (RFC 8460)."""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec import txtkinds
from dnsspec.kinds import BY_NAME
from dnsspec.lint.context import LintContext
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.lint.rules.null_mx import is_null_mx


@check(
    severity=Severity.INFO,
    summary="a name with MX records and no TLS-RPT policy: TLS delivery failures stay unseen",
    fix="Add `tls_rpt: {rua: [mailto:tls-reports@your-domain]}` at the name "
    "(under `subdomains.<name>` for a subdomain)",
)
def mx_without_tls_rpt(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for names with MX hosts (not a null MX) that publish no TLS-RPT
    record at `_smtp._tls.<name>`, whether `tls_rpt:` or `records:` would
    write it. A name with an MTA-STS policy is left to MTASTS105, and a
    wildcard name is skipped (its TLS-RPT name cannot be published).

    ## Why is this bad?
    Senders that fail to set up TLS to your MX hosts (an expired
    certificate, a downgrade attack, a DANE or MTA-STS mismatch) report it
    to the TLS-RPT address (RFC 8460 §3); without one, nobody at the domain
    learns of it until mail is lost or read in transit.

    ## Example
    ```yaml
    records:
      "": {type: MX, values: [{preference: 10, exchange: mx1.example.com.}]}
    ```

    Use instead:
    ```yaml
    tls_rpt: {rua: [mailto:tls-reports@example.com]}
    records:
      "": {type: MX, values: [{preference: 10, exchange: mx1.example.com.}]}
    ```

    ## References
    - [RFC 8460 §3](https://www.rfc-editor.org/rfc/rfc8460#section-3)
    """
    owner = BY_NAME["tls_rpt"]
    with_mta_sts = {site.fqdn for site in ctx.sites_of("mta_sts")}
    for record in ctx.records:
        if record.type != "MX" or record.name.split(".")[0] == "*":
            continue
        if all(is_null_mx(value) for value in record.values):
            continue
        fqdn = record.fqdn.lower()
        if fqdn in with_mta_sts:
            continue
        at = f"{owner.owner_name(record.name)}.{record.zone}"
        if any(
            txtkinds.txt_kind(at, str(value)) == txtkinds.TLS_RPT
            for found in ctx.records_at(at, "TXT")
            for value in found.values
        ):
            continue
        yield ctx.record_violation(
            record,
            f"{fqdn.rstrip('.')} receives mail but publishes no TLS-RPT policy at "
            f"{at.rstrip('.')}: senders cannot report TLS failures",
        )
