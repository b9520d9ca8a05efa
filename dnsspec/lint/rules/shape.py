"""SPF1xx: the syntax and shape of one SPF record."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from ipaddress import IPv4Network, IPv6Network, ip_network

from dnsspec.lint.context import LintContext
from dnsspec.lint.registry import Severity, Violation, rule
from dnsspec.spf.syntax import Mechanism, Modifier, render_term

MAX_UDP_SAFE_BYTES = 450
KNOWN_MODIFIERS = ("redirect", "exp")


@rule(
    "SPF101",
    "spf-redirect-beside-all",
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


@rule(
    "SPF102",
    "spf-unknown-modifier",
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


@rule(
    "SPF103",
    "spf-missing-all",
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


@rule(
    "SPF104",
    "spf-terms-after-all",
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


@rule(
    "SPF105",
    "spf-ptr-mechanism",
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


def _network(term: Mechanism) -> IPv4Network | IPv6Network | None:
    if term.kind not in ("ip4", "ip6") or term.address is None:
        return None
    prefix = term.prefix if term.prefix is not None else term.address.max_prefixlen
    return ip_network(f"{term.address}/{prefix}", strict=False)


@rule(
    "SPF106",
    "spf-cidr-host-bits",
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


@rule(
    "SPF107",
    "spf-redundant-range",
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


@rule(
    "SPF108",
    "spf-record-too-long",
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
