"""SPF3xx, includes and redirects the specs themselves break: targets without a policy,
loops.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dnsspec.lint.context import LintContext, target_of
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.spf.syntax import Mechanism, Modifier, Policy, SpfSyntaxError, Term, parse


def _policy_at(ctx: LintContext, fqdn: str) -> Policy | None:
    """The SPF policy the specs publish at a name, if exactly one parses."""
    site = ctx.site_at(fqdn)
    if site is not None:
        return site.at.policy
    texts = ctx.spf_texts(fqdn)
    if len(texts) != 1:
        return None
    try:
        return parse(texts[0])
    except SpfSyntaxError:
        return None


def _delegating(term: Term) -> bool:
    if isinstance(term, Modifier):
        return term.name.lower() == "redirect"
    return term.kind == "include"


def _spec_name(ctx: LintContext, fqdn: str, delegated: Sequence[str]) -> bool:
    """Whether the specs decide the SPF record at ``fqdn``: any name of a spec zone
    outside its delegations. dnsspec owns every v=spf1 value of a zone it manages
    and removes those no spec writes, so a name there without a policy has none."""
    if ctx.loaded_zone(fqdn) is None:
        return False
    return not any(fqdn == d or fqdn.endswith("." + d) for d in delegated)


@check(
    severity=Severity.ERROR,
    summary="an include or redirect to a spec name that publishes no SPF policy: permerror",
    fix="Give the target name an SPF policy, or point the include at the right name",
)
def include_without_policy(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for `include:` mechanisms and `redirect=` modifiers that point at
    a name of a spec zone (outside its delegations) which publishes no SPF
    policy: a typo such as `include:_sfp.example.com` included. dnsspec owns
    every `v=spf1` value of the zones it manages, so such a name has none.

    ## Why is this bad?
    RFC 7208 §5.2 and §6.1: an include or a redirect whose target has no
    SPF record is a `permerror`, so every message from the including domain
    fails to authenticate, not just the ones the include was for.

    ## Example
    ```yaml
    spf:
      mechanisms: [include:_spf.example.com]   # no policy at _spf in the specs
      all: fail
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [include:_spf.example.com]
      all: fail
    subdomains:
      _spf:
        spf:
          mechanisms: [ip4:192.0.2.0/24]
          all: fail
    ```

    ## References
    - [RFC 7208 §5.2](https://www.rfc-editor.org/rfc/rfc7208#section-5.2)
    - [RFC 7208 §6.1](https://www.rfc-editor.org/rfc/rfc7208#section-6.1)
    """
    delegated = list(ctx.delegations)
    for site in ctx.sites:
        for i, term in enumerate(site.at.policy.terms):
            if not _delegating(term):
                continue
            target = target_of(term, site.fqdn)
            if target is None or not _spec_name(ctx, target, delegated) or ctx.spf_texts(target):
                continue
            how = "include" if isinstance(term, Mechanism) else "redirect"
            yield site.violation(
                f"{how} of {target.rstrip('.')} at {site.display}: the specs publish no SPF "
                "policy there, so receivers return permerror",
                i,
            )


def _cycle(ctx: LintContext, start: str, at: str, seen: set[str]) -> list[str] | None:
    """Steps of a path of includes/redirects from ``at`` back to ``start``."""
    policy = _policy_at(ctx, at)
    if policy is None:
        return None
    for term in policy.terms:
        target = target_of(term, at) if _delegating(term) else None
        if target is None:
            continue
        step = _step(term, target)
        if target == start:
            return [step]
        if target not in seen and ctx.loaded_zone(target) is not None:
            seen.add(target)
            rest = _cycle(ctx, start, target, seen)
            if rest is not None:
                return [step, *rest]
    return None


def _step(term: Term, target: str) -> str:
    how = "include:" if isinstance(term, Mechanism) else "redirect="
    return how + target.rstrip(".")


@check(
    severity=Severity.ERROR,
    summary="includes or redirects of spec names that lead back to the policy: permerror",
    fix="Break the loop: a policy must not include or redirect to itself",
)
def include_loop(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for `include:` and `redirect=` chains among the names of the specs
    that come back to the policy they started from, such as a redirect loop
    `example.com → redirect=_spf.example.com → redirect=example.com`.

    ## Why is this bad?
    Evaluation would never end; receivers stop it at the lookup limit with
    `permerror` (RFC 7208 §4.6.4), so no message from the domain passes.

    ## Example
    ```yaml
    spf:
      redirect: _spf.example.com
    subdomains:
      _spf:
        spf: "v=spf1 ip4:192.0.2.0/24 redirect=example.com"
    ```

    Use instead:
    ```yaml
    spf:
      redirect: _spf.example.com
    subdomains:
      _spf:
        spf: "v=spf1 ip4:192.0.2.0/24 -all"
    ```

    ## References
    - [RFC 7208 §4.6.4](https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4)
    """
    for site in ctx.sites:
        for i, term in enumerate(site.at.policy.terms):
            target = target_of(term, site.fqdn) if _delegating(term) else None
            if target is None or ctx.loaded_zone(target) is None:
                continue
            rest = [] if target == site.fqdn else _cycle(ctx, site.fqdn, target, {target})
            if rest is not None:
                path = " → ".join([site.display, _step(term, target), *rest])
                yield site.violation(
                    f"include/redirect loop: {path}; receivers return permerror", i
                )
                break
