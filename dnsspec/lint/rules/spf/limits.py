"""SPF2xx, the lookup cost, the 10-lookup and 2-void-lookup limits (RFC 7208 §4.6.4).

The counting itself is ``dnsspec.spf.cost.lookup_cost`` (shared with the
evaluator, so lint and evaluation never disagree); the runner computes one
``Cost`` per policy, following includes of spec names through the compiled
records and third-party names through the lock (or DNS with ``--resolve``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from dnsspec.lint.context import LintContext, SpfSite, absolute, target_of
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.lock import DEFAULT_LOCK
from dnsspec.spf.cost import Limits
from dnsspec.spf.syntax import Mechanism

if TYPE_CHECKING:
    from dnsspec.spf.cost import Cost, CostNode

LOOKUP_LIMIT = Limits().lookups
VOID_LIMIT = Limits().voids
NEAR_LIMIT = LOOKUP_LIMIT - 1
LOCK_FILE = DEFAULT_LOCK
LOCK_HINT = (
    "Run `dnsspec lock` (needs DNS) and commit dnsspec.lock, or lint with `--resolve`; "
    "until then this include counts as at least 1 lookup"
)


def _term_for(site: SpfSite, node: CostNode) -> int | None:
    """The index of the site's include/redirect term that leads to ``node`` (a root child)."""
    for i, term in enumerate(site.at.policy.terms):
        is_redirect = not isinstance(term, Mechanism)
        if (node.via == "redirect") == is_redirect and target_of(term, site.fqdn) == absolute(
            node.domain
        ):
            return i
    return None


def _count(cost: Cost) -> str:
    return f"at least {cost.lookups}" if cost.at_least else str(cost.lookups)


def _path(path: tuple[str, ...] | None) -> str:
    return f": {' → '.join(path)}" if path else ""


@check(
    severity=Severity.ERROR,
    summary="an SPF policy that needs more than 10 DNS lookups: receivers return permerror",
    fix="Remove includes you no longer use, replace `a`/`mx` with `ip4:`/`ip6:` ranges, "
    "or flatten a provider's include",
    needs={"spf_costs"},
)
def too_many_lookups(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for SPF policies whose evaluation needs more than 10 DNS-querying
    terms (`include`, `a`, `mx`, `ptr`, `exists`, `redirect`), counted
    through nested includes exactly as the evaluator counts them. The message
    shows the path that crosses the limit. Third-party includes are counted
    from `dnsspec.lock` (or DNS with `--resolve`); one missing from the lock
    counts as "at least 1".

    ## Why is this bad?
    RFC 7208 §4.6.4: a receiver stops at the 11th lookup with `permerror`,
    which most receivers treat like having no SPF at all, or like `fail`.
    Every message from the domain is then unauthenticated.

    ## Example
    ```yaml
    spf:
      mechanisms: [a, mx, include:_spf.google.com, include:spf.protection.outlook.com,
                   include:sendgrid.net, include:mailgun.org, include:servers.mcsv.net]
      all: fail
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [ip4:192.0.2.0/24, include:_spf.google.com, include:sendgrid.net]
      all: fail
    ```

    ## References
    - [RFC 7208 §4.6.4](https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4)
    """
    for site in ctx.sites:
        cost = ctx.costs.get(site.fqdn)
        if cost is not None and cost.lookups > LOOKUP_LIMIT:
            yield site.violation(
                f"SPF policy of {site.display} needs {_count(cost)} DNS lookups "
                f"(limit {LOOKUP_LIMIT}){_path(cost.lookup_over_path)}",
                cost.lookup_over_term,
            )


@check(
    severity=Severity.WARNING,
    summary="an SPF policy that needs 9 or 10 DNS lookups: one more include breaks it",
    fix="Make room before a provider adds a nested include: replace `a`/`mx` with ranges "
    "or drop unused includes",
    needs={"spf_costs"},
)
def lookups_near_limit(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for SPF policies that need 9 or 10 DNS lookups, just under the
    limit of 10.

    ## Why is this bad?
    Providers change their own SPF records without notice. A provider that
    adds one nested include pushes such a policy over the limit and all mail
    of the domain gets `permerror` at the receivers, with no change on your
    side.

    ## Example
    ```yaml
    spf:
      mechanisms: [a, mx, include:_spf.google.com, include:sendgrid.net, include:mailgun.org]
      all: fail
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [ip4:192.0.2.0/24, include:_spf.google.com, include:sendgrid.net]
      all: fail
    ```

    ## References
    - [RFC 7208 §4.6.4](https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4)
    """
    for site in ctx.sites:
        cost = ctx.costs.get(site.fqdn)
        if cost is not None and NEAR_LIMIT <= cost.lookups <= LOOKUP_LIMIT:
            yield site.violation(
                f"SPF policy of {site.display} needs {_count(cost)} of the "
                f"{LOOKUP_LIMIT} allowed DNS lookups"
            )


@check(
    severity=Severity.ERROR,
    summary="an SPF policy with more than 2 void lookups: receivers return permerror",
    fix="Remove the terms that point at names with no records",
    needs={"spf_costs"},
)
def too_many_void_lookups(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for SPF policies whose evaluation makes more than 2 void lookups:
    queries answered with no records (NXDOMAIN or an empty answer), counted
    through nested includes, for IPv4 and for IPv6 clients apart: `a` asks for
    A records for one and AAAA records for the other, so three `a:` hosts with
    IPv4 addresses only break the limit for every IPv6 sender. The message
    shows the path to the third void lookup.

    ## Why is this bad?
    RFC 7208 §4.6.4: receivers SHOULD stop with `permerror` after the second
    void lookup, to limit the load that broken or hostile records cause.

    ## Example
    ```yaml
    spf:
      mechanisms: [a:old1.example.com, a:old2.example.com, a:old3.example.com]
      all: fail
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [a:mail.example.com]
      all: fail
    ```

    ## References
    - [RFC 7208 §4.6.4](https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4)
    """
    for site in ctx.sites:
        cost = ctx.costs.get(site.fqdn)
        if cost is not None and cost.voids > VOID_LIMIT:
            clients = f" for {cost.void_family} clients" if cost.void_family else ""
            yield site.violation(
                f"SPF policy of {site.display} makes {cost.voids} void DNS lookups{clients} "
                f"(limit {VOID_LIMIT}){_path(cost.void_over_path)}",
                cost.void_over_term,
            )


def _nodes(node: CostNode, top: CostNode | None) -> Iterator[tuple[CostNode, CostNode | None]]:
    """Every node with the root's child it hangs below (None for the root)."""
    yield node, top
    for child in node.children:
        yield from _nodes(child, top or child)


def _unknown(node: CostNode, top: CostNode | None) -> Iterator[tuple[CostNode, CostNode | None]]:
    return ((n, t) for n, t in _nodes(node, top) if n.unknown)


@check(
    severity=Severity.WARNING,
    summary="an include or redirect to a name not in dnsspec.lock: counted as at least 1 lookup",
    fix=LOCK_HINT,
    needs={"spf_costs"},
)
def unresolved_include(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for includes and redirects to third-party names (outside the
    specs) whose SPF record is not in `dnsspec.lock`, so their lookup cost is
    unknown. Lint is offline by default: it counts such a name as one lookup
    and reports the total as "at least N".

    ## Why is this bad?
    Third-party records are where most lookups hide (`_spf.google.com` alone
    costs 4). Without their real cost the lookup-limit rules cannot tell
    whether the policy breaks the limit of 10.

    ## Example
    ```console
    $ dnsspec lint        # zones/ includes _spf.google.com, no dnsspec.lock yet
    ```

    Use instead:
    ```console
    $ dnsspec lock        # resolves every third-party include, writes dnsspec.lock
    $ dnsspec lint        # counts through the lock, still offline
    ```
    """
    for site in ctx.sites:
        cost = ctx.costs.get(site.fqdn)
        if cost is None:
            continue
        for node, top in _unknown(cost.tree, None):
            if node is cost.tree or "%" in node.domain:
                continue  # macros depend on the message: no lock can know them
            why = node.problem or f"not in {LOCK_FILE}"
            yield site.violation(
                f"`{node.hop}` (from {site.display}) is unresolved ({why}): "
                "counted as at least 1 lookup",
                _term_for(site, top) if top is not None else None,
            )


@check(
    severity=Severity.ERROR,
    summary="an include or redirect chain that reaches a third-party record receivers "
    "reject (permerror)",
    fix="Remove or replace the include; tell the provider, or re-run `dnsspec lock` "
    "if the record was fixed",
    needs={"spf_costs"},
)
def broken_include(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks the include and redirect tree of each policy, as resolved through
    `dnsspec.lock` (or DNS with `--resolve`), for third-party records that
    make receivers stop with `permerror`: a target with no SPF record or with
    several, a syntax error, a loop, nesting deeper than 20, or an `mx` with
    more than 10 names. (Names of the specs that a spec policy reaches
    directly are checked by SPF205, SPF304 and SPF305; a name of the specs
    reached through a third-party record, such as a provider's `redirect=`
    back to a name without a policy, is reported here.)

    ## Why is this bad?
    A permerror anywhere in the tree ends the whole evaluation: every message
    from the domain fails SPF, not just the mail of that provider.

    ## Example
    ```yaml
    spf:
      mechanisms: [include:_spf.retired-provider.example]   # no SPF record there any more
      all: fail
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [include:_spf.current-provider.example]
      all: fail
    ```

    ## References
    - [RFC 7208 §5.2](https://www.rfc-editor.org/rfc/rfc7208#section-5.2)
    """
    for site in ctx.sites:
        cost = ctx.costs.get(site.fqdn)
        if cost is None:
            continue
        for node, parent, top in _with_parents(cost.tree, None, None):
            if node.problem is None or node.unknown or "permerror" not in node.problem:
                continue
            if ctx.loaded_zone(node.domain) is not None and (
                parent is None or ctx.loaded_zone(parent.domain) is not None
            ):
                continue  # a spec name reached from a spec policy: SPF205/SPF304/SPF305
            yield site.violation(
                f"`{node.hop}` (from {site.display}): {node.problem}",
                _term_for(site, top) if top is not None else None,
            )


def _with_parents(
    node: CostNode, parent: CostNode | None, top: CostNode | None
) -> Iterator[tuple[CostNode, CostNode | None, CostNode | None]]:
    """Every node with its parent and the root's child it hangs below (None for the root)."""
    yield node, parent, top
    for child in node.children:
        yield from _with_parents(child, node, top or child)
