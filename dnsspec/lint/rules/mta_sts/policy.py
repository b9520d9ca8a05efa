"""MTASTS1xx: the MTA-STS policy a spec publishes (RFC 8461).

The MX hosts are the ones the spec writes at the policy's name
(:func:`dnsspec.compile.mta_sts.mx_hosts`, what the policy defaults to); the
pattern matching is :mod:`dnsspec.mta_sts.mx`'s.
"""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.compile.mta_sts import mx_hosts
from dnsspec.lint.context import LintContext, PolicySite
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.mta_sts.mx import unmatched_hosts, unused_patterns
from dnsspec.mta_sts.policy import ONE_DAY
from dnsspec.spec.kinds.mta_sts import MtaStsValue


def _domain(site: PolicySite) -> str:
    return f"{site.name}.{site.zone}" if site.name else site.zone


def _sites(ctx: LintContext) -> Iterator[tuple[PolicySite, MtaStsValue]]:
    for site in ctx.sites_of("mta_sts"):
        yield site, site.site.value


@check(
    severity=Severity.INFO,
    summary="mode: testing: senders report failures but still deliver without TLS",
    fix="Switch to `mode: enforce` once TLS-RPT reports show no failures",
)
def testing_mode(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for MTA-STS policies in `mode: testing`.

    ## Why is this bad?
    In testing mode senders deliver even when the MX's certificate does not
    validate (RFC 8461 §5): nothing is enforced yet, and an attacker who
    strips STARTTLS still reads the mail.

    ## Example
    ```yaml
    mta_sts: {mode: testing}
    ```

    Use instead:
    ```yaml
    mta_sts: {mode: enforce}
    ```
    """
    for site, value in _sites(ctx):
        if value.mode == "testing":
            yield site.violation_at(
                f"MTA-STS for {_domain(site)} is in testing mode: nothing is enforced yet",
                ("mode",),
            )


@check(
    severity=Severity.ERROR,
    summary="an mx pattern that matches no MX host, or an MX host no pattern matches",
    fix="Make `mx:` list every MX host of the name (or leave `mx:` out: it defaults to them)",
)
def mx_mismatch(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks the policy's `mx:` patterns against the MX hosts the spec writes
    at the same name.

    ## Why is this bad?
    Senders in enforce mode refuse to deliver to an MX host that no pattern
    matches (RFC 8461 §4.1); a pattern that matches no host is a leftover of
    a host that is gone, or a typo.

    ## Example
    ```yaml
    mta_sts: {mode: enforce, mx: [mx1.example.com]}
    records:
      "": {type: MX, values: [{preference: 10, exchange: mx1.example.com.},
                              {preference: 20, exchange: mx2.example.com.}]}
    ```

    Use instead:
    ```yaml
    mta_sts: {mode: enforce}          # mx1.example.com and mx2.example.com
    ```
    """
    for site, value in _sites(ctx):
        if value.mx is None:
            continue
        hosts = mx_hosts(site.loaded, site.name)
        for host in unmatched_hosts(value.mx, hosts):
            yield site.violation_at(
                f"MX host {host} of {_domain(site)} matches no mta_sts mx pattern: senders "
                "in enforce mode refuse it",
                ("mx",),
            )
        for pattern in unused_patterns(value.mx, hosts):
            index = value.mx.index(pattern)
            yield site.violation_at(
                f"mta_sts mx pattern {pattern} matches none of the MX hosts of {_domain(site)}",
                ("mx", index),
            )


@check(
    severity=Severity.WARNING,
    summary="mta-sts.<name> has no A, AAAA or CNAME record: the policy cannot be fetched",
    fix="Add the web host that serves the policy file: `mta-sts: {type: CNAME, value: …}`",
)
def no_policy_host(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks that `mta-sts.<name>` has an address (A, AAAA or CNAME) in the specs.

    ## Why is this bad?
    Senders fetch the policy from `https://mta-sts.<name>/.well-known/mta-sts.txt`
    (RFC 8461 §3.3). Without that host the `_mta-sts` record announces a
    policy nobody can read, and senders behave as if there were none.

    ## Example
    ```yaml
    mta_sts: {mode: enforce}
    ```

    Use instead:
    ```yaml
    mta_sts: {mode: enforce}
    records:
      mta-sts: {type: CNAME, value: sts.hosting.example.net.}
    ```
    """
    for site, _ in _sites(ctx):
        fqdn = f"mta-sts.{_domain(site)}"
        if not any(r.type in ("A", "AAAA", "CNAME") for r in ctx.records_at(fqdn)):
            yield site.violation_at(
                f"{fqdn} has no A, AAAA or CNAME record in the specs: senders cannot "
                "fetch the policy"
            )


@check(
    severity=Severity.WARNING,
    summary="max_age under one day: senders forget the policy quickly",
    fix="max_age: 604800 (one week) or more once the policy is stable",
)
def short_max_age(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for a `max_age` under 86400 seconds.

    ## Why is this bad?
    MTA-STS protects a sender only while it has the policy cached; an
    attacker who blocks the policy fetch after it expired strips STARTTLS
    again (RFC 8461 §10.2). Weeks are usual.

    ## Example
    ```yaml
    mta_sts: {mode: enforce, max_age: 3600}
    ```

    Use instead:
    ```yaml
    mta_sts: {mode: enforce, max_age: 604800}
    ```
    """
    for site, value in _sites(ctx):
        if value.max_age < ONE_DAY:
            yield site.violation_at(
                f"MTA-STS max_age {value.max_age} for {_domain(site)} is under one day",
                ("max_age",),
            )


@check(
    severity=Severity.INFO,
    summary="MTA-STS without TLS-RPT: delivery failures stay invisible",
    fix="Add `tls_rpt: {rua: [mailto:tls-reports@…]}` at the same name",
)
def without_tls_rpt(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for MTA-STS policies at names without a `tls_rpt:` policy.

    ## Why is this bad?
    Senders report TLS failures to the TLS-RPT address (RFC 8460); without
    it, a broken certificate or a policy mismatch bounces mail and nobody at
    the domain hears of it.

    ## Example
    ```yaml
    mta_sts: {mode: enforce}
    ```

    Use instead:
    ```yaml
    mta_sts: {mode: enforce}
    tls_rpt: {rua: [mailto:tls-reports@example.com]}
    ```
    """
    reporting = {(s.zone, s.name) for s in ctx.sites_of("tls_rpt")}
    for site, _ in _sites(ctx):
        if (site.zone, site.name) not in reporting:
            yield site.violation_at(f"MTA-STS for {_domain(site)} has no TLS-RPT policy")
