"""DMARC policy strength: monitoring only, test mode, subdomain policies weaker than p."""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.lint.context import LintContext
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.lint.rules.dmarc import dmarc_sites


@check(
    severity=Severity.WARNING,
    summary="a DMARC policy of p=none: monitoring only, failing mail is delivered",
    fix="Once the aggregate reports show your mail aligns, raise the policy to quarantine "
    "or reject",
)
def policy_none(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for DMARC records whose policy is `none` (written, or implied by a
    record without `p=` that has `rua=`).

    ## Why is this bad?
    `p=none` asks receivers to do nothing with mail that fails DMARC: it
    collects reports, but anyone can still send as the domain (RFC 9989 §4.7,
    `p`). It is the right first step and the wrong place to stay.

    ## Example
    ```yaml
    dmarc: {policy: none, rua: [mailto:dmarc@example.com]}
    ```

    Use instead:
    ```yaml
    dmarc: {policy: reject, rua: [mailto:dmarc@example.com]}
    ```

    ## References
    - [RFC 9989 §4.7](https://www.rfc-editor.org/rfc/rfc9989#section-4.7)
    """
    for site in dmarc_sites(ctx):
        record = site.value.record
        if record.policy == "none" or (record.policy is None and record.rua):
            written = "p=none" if record.policy else "no p= (receivers read p=none)"
            yield site.violation(
                f"{site.fqdn}: {written}: receivers deliver mail that fails DMARC",
                "p",
            )


@check(
    severity=Severity.WARNING,
    summary="a DMARC policy in test mode (t=y, or the RFC 7489 pct below 100)",
    fix="Remove `testing: true` (t=y) or pct once the policy is to apply",
)
def testing_mode(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for DMARC records that ask receivers not to apply the policy
    fully: `t=y` (RFC 9989), or `pct` below 100 in a raw RFC 7489 record.

    ## Why is this bad?
    With `t=y` receivers apply one level less than the policy says
    (`reject` acts as `quarantine`, `quarantine` as `none`); RFC 9989 removed
    `pct`, and receivers that still read it apply the policy to only that
    share of failing mail. A test left on for years protects nothing.

    ## Example
    ```yaml
    dmarc: {policy: reject, testing: true}
    ```

    Use instead:
    ```yaml
    dmarc: {policy: reject}
    ```

    ## References
    - [RFC 9989 §4.7](https://www.rfc-editor.org/rfc/rfc9989#section-4.7)
    - [RFC 9989 §A.5, the removal of pct](https://www.rfc-editor.org/rfc/rfc9989)
    """
    for site in dmarc_sites(ctx):
        record = site.value.record
        if record.testing == "y" and record.effective_policy != "none":
            yield site.violation(
                f"{site.fqdn}: t=y: receivers apply one level less than "
                f"p={record.effective_policy}",
                "t",
            )
        for name, value in record.legacy_tags:
            if name.lower() == "pct" and value.isdigit() and int(value) < 100:
                yield site.violation(
                    f"{site.fqdn}: pct={value}: receivers that still read it apply the policy "
                    f"to {int(value)}% of failing mail",
                    name,
                    hint="remove pct (RFC 9989 replaced it with t=y)",
                )


_STRENGTH = {"none": 0, "quarantine": 1, "reject": 2}


@check(
    severity=Severity.WARNING,
    summary="a subdomain (sp=) or non-existent-subdomain (np=) policy weaker than p=",
    fix="Make sp= and np= at least as strict as p=, or drop them (they default to p=)",
)
def weaker_subdomain_policy(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for DMARC records whose `sp=` or `np=` asks for less than `p=`.

    ## Why is this bad?
    Spoofers then use a subdomain (`www.example.com`, or a name that does
    not exist at all) instead of the domain: the weaker policy applies to them
    (RFC 9989 §4.10.1). Without `sp`/`np`, subdomains get `p`.

    ## Example
    ```yaml
    dmarc: {policy: reject, subdomain_policy: none}
    ```

    Use instead:
    ```yaml
    dmarc: {policy: reject}
    ```

    ## References
    - [RFC 9989 §4.10.1](https://www.rfc-editor.org/rfc/rfc9989#section-4.10.1)
    """
    for site in dmarc_sites(ctx):
        record = site.value.record
        for tag in record.weaker_than_p():
            value = record.subdomain_policy if tag == "sp" else record.nonexistent_policy
            yield site.violation(
                f"{site.fqdn}: {tag}={value} is weaker than p={record.effective_policy}",
                tag,
            )
