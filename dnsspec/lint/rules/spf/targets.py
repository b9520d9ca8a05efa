"""SPF2xx, what the terms aimed at spec names find there: too many MX names, void lookups."""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.lint.context import LintContext, SpfSite, target_of
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.spf.cost import Limits
from dnsspec.spf.syntax import Mechanism

MX_LIMIT = Limits().mx_names


def _targets(ctx: LintContext, kinds: tuple[str, ...]) -> Iterator[tuple[SpfSite, int, str]]:
    """(site, term index, target) for each term of these kinds aimed at a spec zone."""
    for site in ctx.sites:
        for i, term in enumerate(site.at.policy.terms):
            if isinstance(term, Mechanism) and term.kind in kinds:
                target = target_of(term, site.fqdn)
                if target is not None and ctx.loaded_zone(target) is not None:
                    yield site, i, target


@check(
    severity=Severity.ERROR,
    summary="an `mx` mechanism on a spec name with more than 10 MX records: permerror",
    fix="Use `ip4:`/`ip6:` ranges for the mail servers instead of `mx`",
)
def too_many_mx_names(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for `mx` mechanisms that point at a name of the specs that has
    more than 10 MX records.

    ## Why is this bad?
    RFC 7208 §4.6.4: evaluating `mx` may look up at most 10 MX names;
    with more, receivers return `permerror` for every message.

    ## Example
    ```yaml
    spf:
      mechanisms: [mx]        # the apex has 12 MX records
      all: fail
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [ip4:192.0.2.0/24]
      all: fail
    ```

    ## References
    - [RFC 7208 §4.6.4](https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4)
    """
    for site, i, target in _targets(ctx, ("mx",)):
        count = sum(len(r.values) for r in ctx.records_at(target, "MX"))
        if count > MX_LIMIT:
            yield site.violation(
                f"`mx` at {site.display} names {target.rstrip('.')}, which has {count} MX "
                f"records (limit {MX_LIMIT}): receivers return permerror",
                i,
            )


_VOID_TYPES = {"a": ("A", "AAAA"), "exists": ("A",), "mx": ("MX",)}


@check(
    severity=Severity.WARNING,
    summary="an `a`, `mx` or `exists` mechanism on a spec name that has no such records",
    fix="Add the records, point the mechanism at the right name, or remove it",
)
def void_lookup(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for `a`, `mx` and `exists` mechanisms that point at a name
    defined in the specs which has no records of the queried type (A/AAAA for
    `a`, MX for `mx`, A for `exists`).

    ## Why is this bad?
    The query comes back empty: the mechanism never matches, and the empty
    answer counts as a void lookup, of which receivers allow only 2 per
    evaluation (RFC 7208 §4.6.4). It is usually a left-over of a server that
    was retired, or `mx` on a name that receives no mail.

    ## Example
    ```yaml
    subdomains:
      news:
        spf:
          mechanisms: [mx]    # news.example.com has no MX records
          all: fail
    ```

    Use instead:
    ```yaml
    subdomains:
      news:
        spf:
          mechanisms: [ip4:192.0.2.25]
          all: fail
    ```

    ## References
    - [RFC 7208 §4.6.4](https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4)
    """
    for site, i, target in _targets(ctx, tuple(_VOID_TYPES)):
        loaded = ctx.loaded_zone(target)
        managed = loaded is not None and getattr(loaded.spec, "manage", "owned") == "all"
        if not (ctx.is_defined(target) or managed) or ctx.records_at(target, "CNAME"):
            continue
        term = site.at.policy.terms[i]
        assert isinstance(term, Mechanism)
        types = _VOID_TYPES[term.kind]
        if not any(ctx.records_at(target, t) for t in types):
            yield site.violation(
                f"`{term.kind}` at {site.display} queries {target.rstrip('.')}, which has no "
                f"{'/'.join(types)} records in the specs (a void lookup)",
                i,
            )
