"""SPF3xx: what a policy allows, names left without one, and includes the specs break."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dnsspec.lint.context import LintContext, SpfSite, relative, target_of
from dnsspec.lint.registry import Severity, Violation, rule
from dnsspec.spf.syntax import Mechanism, Modifier, Policy, SpfSyntaxError, Term, parse

SENDING_TYPES = ("A", "AAAA", "MX")


def _all_index(site: SpfSite) -> int | None:
    return next(
        (
            i
            for i, t in enumerate(site.at.policy.terms)
            if isinstance(t, Mechanism) and t.kind == "all"
        ),
        None,
    )


@rule(
    "SPF301",
    "spf-pass-all",
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


@rule(
    "SPF302",
    "spf-neutral-all",
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


def _delegations(ctx: LintContext) -> list[str]:
    return [
        r.fqdn.lower()
        for r in ctx.records
        if r.type == "NS" and r.name != "" and ctx.loaded_zone(r.fqdn) is not None
    ]


@rule(
    "SPF303",
    "spf-missing-policy",
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
    delegated = _delegations(ctx)
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


@rule(
    "SPF304",
    "spf-include-without-policy",
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
    delegated = _delegations(ctx)
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


@rule(
    "SPF305",
    "spf-include-loop",
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


@rule(
    "SPF306",
    "spf-policy-below-delegation",
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
    delegated = _delegations(ctx)
    for site in ctx.sites:
        fqdn = site.fqdn.lower()
        below = next((d for d in delegated if fqdn == d or fqdn.endswith("." + d)), None)
        if below is not None:
            yield site.violation(
                f"SPF policy of {site.display} is at or below the delegation of "
                f"{below.rstrip('.')}: resolvers ask the delegated zone, never this one"
            )
