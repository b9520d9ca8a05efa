"""SPF3xx, what `all` lets through: `+all` and `?all`."""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.lint.context import LintContext, SpfSite
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.spf.cost import evaluated_terms
from dnsspec.spf.syntax import Mechanism, render_term

_FAMILY_BITS = {4: 32, 6: 128}


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
    summary="`+all` (all: pass), or a term that is `+all` by another name (`ip4:0.0.0.0/0`): "
    "every host on the internet may send as the domain",
    fix="Use `all: fail` (or `softfail` while rolling out)",
)
def pass_all(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for policies ending in `+all` (`all: pass`), and for terms that
    are `+all` by another name: an `ip4:`/`ip6:` range with prefix 0
    (`ip4:0.0.0.0/0`, `ip6:::/0`), `+` ranges that together cover every
    IPv4 or every IPv6 address (`ip4:0.0.0.0/1 ip4:128.0.0.0/1`), and `a`/`mx`
    with a CIDR length of 0 (`a/0`: every address, once the name resolves).

    ## Why is this bad?
    `+all` authorizes every IP address, so anyone can send mail that passes
    SPF as the domain. It is worse than publishing no SPF record, because
    receivers and DMARC treat the pass as proof. A range that covers every
    address does the same while looking like a list of servers.

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
        for j, version in _covering_terms(site):
            term = render_term(site.at.policy.terms[j])
            yield site.violation(
                f"`{term}` at {site.display} authorizes every IPv{version} address: "
                "it is `+all` by another name",
                j,
            )


def _covering_terms(site: SpfSite) -> Iterator[tuple[int, int]]:
    """(term index, IP version) where an evaluated `+` term makes every address of that
    version pass: a /0 range or CIDR length, else the last of `+` ranges that together
    cover the whole address space (checked once, sorted: n log n)."""
    ranges: dict[int, list[tuple[int, int]]] = {4: [], 6: []}
    last: dict[int, int] = {}
    whole: dict[int, int] = {}
    for index, term in evaluated_terms(site.at.policy):
        if not isinstance(term, Mechanism) or term.qualifier != "+":
            continue
        if term.kind in ("a", "mx"):
            for version, cidr in ((4, term.cidr4), (6, term.cidr6)):
                if cidr == 0:
                    whole.setdefault(version, index)
        elif term.kind in ("ip4", "ip6") and term.address is not None:
            version = term.address.version
            bits = _FAMILY_BITS[version]
            prefix = bits if term.prefix is None else term.prefix
            if prefix == 0:
                whole.setdefault(version, index)
            start = int(term.address) >> (bits - prefix) << (bits - prefix)
            ranges[version].append((start, start + (1 << (bits - prefix)) - 1))
            last[version] = index
    for version in (4, 6):
        if version in whole:
            yield whole[version], version
        elif version in last and _covers_all(ranges[version], _FAMILY_BITS[version]):
            yield last[version], version


def _covers_all(ranges: list[tuple[int, int]], bits: int) -> bool:
    """Whether the ranges (inclusive) together cover 0 … 2**bits - 1 (sorted: n log n)."""
    reach = -1
    for start, end in sorted(ranges):
        if start > reach + 1:
            return False
        reach = max(reach, end)
    return reach >= (1 << bits) - 1


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
