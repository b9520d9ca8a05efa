"""SPF1xx, the ranges and size of one record: host bits, redundant ranges, length."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from ipaddress import IPv4Network, IPv6Network, ip_network

from dnsspec.lint.context import LintContext
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.spf.syntax import Mechanism, Term, render_term

MAX_UDP_SAFE_BYTES = 450


def _network(term: Mechanism) -> IPv4Network | IPv6Network | None:
    if term.kind not in ("ip4", "ip6") or term.address is None:
        return None
    prefix = term.prefix if term.prefix is not None else term.address.max_prefixlen
    return ip_network(f"{term.address}/{prefix}", strict=False)


@check(
    severity=Severity.WARNING,
    summary="an `ip4:`/`ip6:` range with host bits set",
    fix="Write the network address of the range",
)
def cidr_host_bits(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for `ip4:` and `ip6:` ranges whose address has bits set beyond the
    prefix length, such as `ip4:192.0.2.10/24`.

    ## Why is this bad?
    Receivers match the whole network (`192.0.2.0/24`), which is usually not
    what the author meant: either the prefix length is wrong and far more
    addresses are authorized than intended, or the address is.

    ## Example
    ```yaml
    spf:
      mechanisms: [ip4:192.0.2.10/24]
      all: fail
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [ip4:192.0.2.10]     # one host; or ip4:192.0.2.0/24 for the network
      all: fail
    ```

    ## References
    - [RFC 7208 §5.6](https://www.rfc-editor.org/rfc/rfc7208#section-5.6)
    """
    for site in ctx.sites:
        for i, term in enumerate(site.at.policy.terms):
            if not isinstance(term, Mechanism):
                continue
            network = _network(term)
            if network is not None and network.network_address != term.address:
                yield site.violation(
                    f"`{render_term(term)}` at {site.display} has host bits set: "
                    f"it authorizes the whole network {network}",
                    i,
                    f"Write `{term.kind}:{network}`, or the single address without a prefix",
                )


@check(
    severity=Severity.WARNING,
    summary="an `ip4:`/`ip6:` range that repeats or lies inside another one",
    fix="Remove the redundant range",
)
def redundant_range(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for `ip4:`/`ip6:` ranges that duplicate or overlap another range of
    the same policy: a range inside an earlier one (never reached), or a range
    inside a later one with the same qualifier (says nothing new).

    ## Why is this bad?
    Redundant ranges make the record longer (closer to the 450-byte limit)
    and hide what the policy really authorizes. An overlap is often a stale
    entry left behind after a provider changed its ranges.

    ## Example
    ```yaml
    spf:
      mechanisms: [ip4:192.0.2.0/24, ip4:192.0.2.128/25]
      all: fail
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [ip4:192.0.2.0/24]
      all: fail
    ```
    """
    for site in ctx.sites:
        terms = site.at.policy.terms
        for i, j in sorted(_redundant(terms).items()):
            term, other = terms[i], terms[j]
            assert isinstance(term, Mechanism) and isinstance(other, Mechanism)
            what = "repeats" if _span(term) == _span(other) else "lies inside"
            yield site.violation(
                f"`{render_term(term)}` at {site.display} {what} `{render_term(other)}`"
                + (" which comes first, so it is never reached" if j < i else ""),
                i,
            )


def _span(term: Mechanism) -> tuple[int, int, int]:
    """(version, first, last address) of an ip4/ip6 term's range, as integers."""
    assert term.address is not None
    bits = term.address.max_prefixlen
    prefix = bits if term.prefix is None else term.prefix
    start = _start(term)
    return term.address.version, start, start + (1 << (bits - prefix)) - 1


def _start(term: Mechanism) -> int:
    assert term.address is not None
    bits = term.address.max_prefixlen
    prefix = bits if term.prefix is None else term.prefix
    return int(term.address) >> (bits - prefix) << (bits - prefix)


def _redundant(terms: Sequence[Term]) -> dict[int, int]:
    """{index of a redundant range: index of the range it is reported against}.

    A range is redundant when another one contains it and comes first (it is never
    reached), or comes later with the same qualifier (it says nothing new); it is
    reported against the first such range, a duplicate once, at its second
    occurrence. CIDR ranges are nested or disjoint, so one sort by (start, widest
    first) and a sweep with the stack of the ranges containing the current one find
    them all: n log n for a record of thousands of ranges.
    """
    entries = sorted(
        (*_span(t)[:2], -_span(t)[2], i, t.qualifier)
        for i, t in enumerate(terms)
        if isinstance(t, Mechanism) and t.kind in ("ip4", "ip6") and t.address is not None
    )
    found: dict[int, int] = {}
    # each frame: (version, last address, lowest index on the stack so far,
    #              lowest index per qualifier on the stack so far)
    stack: list[tuple[int, int, int, dict[str, int]]] = []
    for version, start, neg_end, index, qualifier in entries:
        end = -neg_end
        while stack and (stack[-1][0] != version or stack[-1][1] < start):
            stack.pop()
        if stack:
            _, _, lowest, by_qualifier = stack[-1]
            if lowest < index:
                found[index] = lowest
            elif qualifier in by_qualifier:
                found[index] = by_qualifier[qualifier]
        below_lowest, below_q = (stack[-1][2], stack[-1][3]) if stack else (index, {})
        mins = dict(below_q)
        mins[qualifier] = min(index, mins.get(qualifier, index))
        stack.append((version, end, min(index, below_lowest), mins))
    return found


@check(
    severity=Severity.WARNING,
    summary="an SPF record over 450 bytes: answers may not fit a UDP packet",
    fix="Move mechanisms into an `include:` of a name you control, or drop redundant ones",
)
def record_too_long(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for SPF records longer than 450 bytes.

    ## Why is this bad?
    RFC 7208 §3.4: an SPF record should fit, with the rest of the answer, in
    a 512-byte DNS response over UDP. Longer answers are truncated and need a
    retry over TCP, which some receivers and middleboxes do not do, so the
    check ends in `temperror` or `none`.

    ## Example
    ```yaml
    spf:
      mechanisms: [ip4:192.0.2.1, ip4:192.0.2.2, ...]   # 40 single addresses
      all: fail
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [ip4:192.0.2.0/26]
      all: fail
    ```

    ## References
    - [RFC 7208 §3.4](https://www.rfc-editor.org/rfc/rfc7208#section-3.4)
    """
    for site in ctx.sites:
        size = len(site.at.text.encode("utf-8"))
        if size > MAX_UDP_SAFE_BYTES:
            yield site.violation(
                f"SPF record of {site.display} is {size} bytes "
                f"(over the UDP-safe {MAX_UDP_SAFE_BYTES})"
            )
