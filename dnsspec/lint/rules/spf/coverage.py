"""SPF3xx, names left without a policy and policies published where no resolver looks."""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.lint.context import LintContext, relative
from dnsspec.lint.model import Severity, Violation, check

SENDING_TYPES = ("A", "AAAA", "MX")


@check(
    severity=Severity.WARNING,
    summary="a name with A, AAAA or MX records and no SPF policy (SPF is not inherited)",
    fix="Give the name its own policy: `spf: none` if it never sends mail",
)
def missing_policy(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for names that have A, AAAA or MX records but no SPF policy of
    their own, including wildcard names (`*`). Names at and below a
    delegation (NS records below the apex) belong to another zone and are
    skipped.

    ## Why is this bad?
    SPF is never inherited: a receiver checks the exact name in the envelope
    sender or HELO. A name with an address or MX records looks like a real
    mail domain, and with no policy of its own anyone can send as
    `anything@www.example.com` and get `none`, even when `example.com` ends
    in `-all`. A wildcard A or MX record (`*`) makes every name that does not
    exist look like that; a wildcard SPF policy covers those names, but never
    the names that exist (RFC 4592), which need their own.

    ## Example
    ```yaml
    records:
      www: {type: A, value: 192.0.2.10}
    ```

    Use instead:
    ```yaml
    subdomains:
      www:
        spf: none          # "v=spf1 -all": www never sends mail
    records:
      www: {type: A, value: 192.0.2.10}
    ```

    ## References
    - [RFC 7208 §4: check_host() of the exact domain](https://www.rfc-editor.org/rfc/rfc7208#section-4)
    - [RFC 4592 §2.2: which names a wildcard covers](https://www.rfc-editor.org/rfc/rfc4592#section-2.2)
    """
    delegated = list(ctx.delegations)
    for fqdn in ctx.names():
        if any(fqdn == d or fqdn.endswith("." + d) for d in delegated):
            continue
        types = [t for t in SENDING_TYPES if ctx.records_at(fqdn, t)]
        if not types or ctx.spf_texts(fqdn):
            continue
        record = ctx.records_at(fqdn, types[0])[0]
        display = fqdn.rstrip(".")
        what = "/".join(types)
        zone = record.zone.rstrip(".")
        name = relative(fqdn, record.zone)
        if name == "":
            yield ctx.record_violation(
                record,
                f"{display} has {what} records but no SPF policy: "
                f"mail claiming {display} is not checked",
                "Add `spf:` to the zone spec (`spf: none` if the domain never sends mail)",
            )
        elif name == "*" or name.startswith("*."):
            yield ctx.record_violation(
                record,
                f"wildcard {display} gives every name that does not exist {what} records, but "
                f"has no SPF policy: SPF is not inherited from {zone}, so mail claiming any "
                "such name is not checked",
                f'Add `subdomains: {{"{name}": {{spf: none}}}}` (it covers only names that do '
                "not exist; names that do exist need their own policy)",
            )
        else:
            yield ctx.record_violation(
                record,
                f"{display} has {what} records but no SPF policy: SPF is not inherited from "
                f"{zone}, so mail claiming {display} is not checked",
                f"Add `subdomains: {{{name}: {{spf: none}}}}` if it never sends mail, "
                "or a policy listing its senders",
            )


@check(
    severity=Severity.ERROR,
    summary="an SPF policy at or below a delegation (NS records in `records:`): "
    "resolvers never see it",
    fix="Publish the policy in the delegated zone, or remove the NS records if the name "
    "is not delegated",
)
def policy_below_delegation(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for SPF policies (`spf:` of a subdomain, or a `v=spf1` TXT under
    `records:`) at a name that is delegated with NS records in the same spec,
    or below such a name.

    ## Why is this bad?
    A name at or below a delegation belongs to the child zone: resolvers follow
    the referral to the child's servers and never ask this zone for it. The
    record is published here and seen by nobody, so the name looks protected in
    the spec while receivers find whatever the child zone serves.

    ## Example
    ```yaml
    subdomains:
      dev: {spf: none}
    records:
      dev: {type: NS, values: [ns1.dev-dns.example.net., ns2.dev-dns.example.net.]}
    ```

    Use instead:
    ```yaml
    # zones/dev.example.com.yaml, the delegated zone's own spec
    spf: none
    ```

    ## References
    - [RFC 1034 §4.2.1](https://www.rfc-editor.org/rfc/rfc1034#section-4.2.1)
    """
    delegated = list(ctx.delegations)
    for site in ctx.sites:
        fqdn = site.fqdn.lower()
        below = next((d for d in delegated if fqdn == d or fqdn.endswith("." + d)), None)
        if below is not None:
            yield site.violation(
                f"SPF policy of {site.display} is at or below the delegation of "
                f"{below.rstrip('.')}: resolvers ask the delegated zone, never this one"
            )
