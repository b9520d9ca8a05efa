"""SPF1xx, the ranges and size of one record: host bits, redundant ranges, length."""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Network, IPv6Network, ip_network

from dnsspec.lint.context import LintContext
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.spf.syntax import Mechanism, render_term

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
        ranges = [
            (i, term, net)
            for i, term in enumerate(site.at.policy.terms)
            if isinstance(term, Mechanism) and (net := _network(term)) is not None
        ]
        for i, term, net in ranges:
            for j, other, other_net in ranges:
                if j == i or other_net.version != net.version:
                    continue
                if not net.subnet_of(other_net):  # type: ignore[arg-type]
                    continue
                earlier = j < i
                if net == other_net and not earlier:
                    continue  # report a duplicate once, at the second occurrence
                if earlier or other.qualifier == term.qualifier:
                    what = "repeats" if net == other_net else "lies inside"
                    yield site.violation(
                        f"`{render_term(term)}` at {site.display} {what} "
                        f"`{render_term(other)}`"
                        + (" which comes first, so it is never reached" if earlier else ""),
                        i,
                    )
                    break


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
