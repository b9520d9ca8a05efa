"""SPF3xx, what `all` lets through: `+all` and `?all`."""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.lint.context import LintContext, SpfSite
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.spf.syntax import Mechanism


def _all_index(site: SpfSite) -> int | None:
    return next(
        (
            i
            for i, t in enumerate(site.at.policy.terms)
            if isinstance(t, Mechanism) and t.kind == "all"
        ),
        None,
    )


@check(
    severity=Severity.ERROR,
    summary="`+all` (all: pass): every host on the internet may send as the domain",
    fix="Use `all: fail` (or `softfail` while rolling out)",
)
def pass_all(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for policies ending in `+all` (`all: pass`).

    ## Why is this bad?
    `+all` authorizes every IP address, so anyone can send mail that passes
    SPF as the domain. It is worse than publishing no SPF record, because
    receivers and DMARC treat the pass as proof.

    ## Example
    ```yaml
    spf:
      mechanisms: [include:_spf.google.com]
      all: pass
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [include:_spf.google.com]
      all: fail
    ```

    ## References
    - [RFC 7208 §5.1](https://www.rfc-editor.org/rfc/rfc7208#section-5.1)
    """
    for site in ctx.sites:
        i = _all_index(site)
        if i is not None and site.at.policy.terms[i].qualifier == "+":  # type: ignore[union-attr]
            yield site.violation(
                f"SPF policy of {site.display} ends in `+all`: any host may send as it", i
            )


@check(
    severity=Severity.WARNING,
    summary="`?all` (all: neutral): unlisted senders are neither authorized nor refused",
    fix="Use `all: fail` (or `softfail` while rolling out)",
)
def neutral_all(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for policies ending in `?all` (`all: neutral`).

    ## Why is this bad?
    `neutral` tells receivers nothing: forged mail from hosts the policy does
    not list is treated as if the domain had no SPF policy, and DMARC's SPF
    alignment cannot fail it.

    ## Example
    ```yaml
    spf:
      mechanisms: [mx]
      all: neutral
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [mx]
      all: softfail
    ```

    ## References
    - [RFC 7208 §8.2](https://www.rfc-editor.org/rfc/rfc7208#section-8.2)
    """
    for site in ctx.sites:
        i = _all_index(site)
        if i is not None and site.at.policy.terms[i].qualifier == "?":  # type: ignore[union-attr]
            yield site.violation(
                f"SPF policy of {site.display} ends in `?all`: unlisted senders get neutral", i
            )
