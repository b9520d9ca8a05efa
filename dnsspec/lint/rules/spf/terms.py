"""SPF1xx, the terms of one record: redirect beside all, unknown modifiers, a missing
or early `all`, `ptr`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from dnsspec.lint.context import LintContext
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.spf.syntax import Mechanism, Modifier, render_term

KNOWN_MODIFIERS = ("redirect", "exp")


@check(
    severity=Severity.WARNING,
    summary="`redirect=` in a record that also has `all`: the redirect is ignored",
    fix="Remove either the `all` mechanism or the `redirect=` modifier",
)
def redirect_beside_all(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for raw SPF records that contain both an `all` mechanism and a
    `redirect=` modifier.

    ## Why is this bad?
    RFC 7208 §6.1: when a record has an `all` mechanism, `redirect=` is never
    used. Evaluation always ends at `all`, so the redirect target (and the
    policy someone meant to delegate to) has no effect.

    ## Example
    ```yaml
    spf: "v=spf1 mx redirect=_spf.example.com -all"
    ```

    Use instead:
    ```yaml
    spf: "v=spf1 mx redirect=_spf.example.com"
    ```

    ## References
    - [RFC 7208 §6.1](https://www.rfc-editor.org/rfc/rfc7208#section-6.1)
    """
    for site in ctx.sites:
        policy = site.at.policy
        if policy.all is None:
            continue
        for i, term in enumerate(policy.terms):
            if isinstance(term, Modifier) and term.name.lower() == "redirect":
                yield site.violation(
                    f"`redirect={term.value}` is ignored because {site.display} also has "
                    f"`{render_term(policy.all)}`",
                    i,
                )


@check(
    severity=Severity.WARNING,
    summary="a modifier other than `redirect=` and `exp=`: receivers ignore it",
    fix="Remove the modifier, or correct its name",
)
def unknown_modifier(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for modifiers other than `redirect=` and `exp=`.

    ## Why is this bad?
    RFC 7208 §6 lets receivers ignore modifiers they do not know, so an
    unknown modifier is kept but has no effect. It is almost always a typo
    (`redirekt=`, `exp=` misspelled) that silently drops the intended
    delegation.

    ## Example
    ```yaml
    spf: "v=spf1 redirec=_spf.example.com"
    ```

    Use instead:
    ```yaml
    spf: "v=spf1 redirect=_spf.example.com"
    ```

    ## References
    - [RFC 7208 §6](https://www.rfc-editor.org/rfc/rfc7208#section-6)
    """
    for site in ctx.sites:
        for i, term in enumerate(site.at.policy.terms):
            if isinstance(term, Modifier) and term.name.lower() not in KNOWN_MODIFIERS:
                close = difflib.get_close_matches(term.name.lower(), KNOWN_MODIFIERS, n=1)
                hint = f"Did you mean `{close[0]}=`?" if close else None
                yield site.violation(
                    f"unknown modifier `{term.name}=` at {site.display} is ignored by receivers",
                    i,
                    hint,
                )


@check(
    severity=Severity.WARNING,
    summary="an SPF policy with neither `all` nor `redirect=`: unmatched senders get neutral",
    fix="End the policy with `all: fail` (or `softfail`), or delegate with `redirect`",
)
def missing_all(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for SPF policies that end without an `all` mechanism and have no
    `redirect=` modifier.

    ## Why is this bad?
    RFC 7208 §4.7: when no mechanism matches and there is no redirect, the
    result is `neutral`, the same as having no policy for most receivers.
    Senders the policy does not list are then not rejected.

    ## Example
    ```yaml
    spf:
      mechanisms: [mx, include:_spf.google.com]
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [mx, include:_spf.google.com]
      all: fail
    ```

    ## References
    - [RFC 7208 §4.7](https://www.rfc-editor.org/rfc/rfc7208#section-4.7)
    """
    for site in ctx.sites:
        if site.at.policy.all is None and site.at.policy.redirect is None:
            yield site.violation(
                f"SPF policy of {site.display} has no `all` and no `redirect`: "
                "senders it does not list get `neutral`"
            )


@check(
    severity=Severity.WARNING,
    summary="mechanisms after `all`: they are never evaluated",
    fix="Move the mechanisms before `all`, or remove them",
)
def terms_after_all(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for mechanisms written after the `all` mechanism of a raw SPF
    record.

    ## Why is this bad?
    `all` always matches, so evaluation stops there (RFC 7208 §5.1) and the
    mechanisms after it are never looked at. The senders they were meant to
    authorize fail.

    ## Example
    ```yaml
    spf: "v=spf1 mx -all include:_spf.google.com"
    ```

    Use instead:
    ```yaml
    spf: "v=spf1 mx include:_spf.google.com -all"
    ```

    ## References
    - [RFC 7208 §5.1](https://www.rfc-editor.org/rfc/rfc7208#section-5.1)
    """
    for site in ctx.sites:
        terms = site.at.policy.terms
        seen_all = False
        for i, term in enumerate(terms):
            if isinstance(term, Mechanism):
                if seen_all:
                    yield site.violation(
                        f"`{render_term(term)}` comes after `all` at {site.display} "
                        "and is never evaluated",
                        i,
                    )
                seen_all = seen_all or term.kind == "all"


@check(
    severity=Severity.WARNING,
    summary="the `ptr` mechanism: deprecated, slow and unreliable",
    fix="Replace `ptr` with `ip4:`/`ip6:` ranges or an `a:` name",
)
def ptr_mechanism(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for the `ptr` mechanism.

    ## Why is this bad?
    RFC 7208 §5.5 says `ptr` SHOULD NOT be used: it makes receivers do
    reverse and forward lookups for every message, it depends on reverse DNS
    that the sender's network often does not control, and some large
    receivers skip it. Its result is therefore unpredictable.

    ## Example
    ```yaml
    spf:
      mechanisms: [ptr]
      all: fail
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [ip4:192.0.2.0/24]
      all: fail
    ```

    ## References
    - [RFC 7208 §5.5](https://www.rfc-editor.org/rfc/rfc7208#section-5.5)
    """
    for site in ctx.sites:
        for i, term in enumerate(site.at.policy.terms):
            if isinstance(term, Mechanism) and term.kind == "ptr":
                yield site.violation(
                    f"`{render_term(term)}` at {site.display} uses the deprecated `ptr` mechanism",
                    i,
                )
