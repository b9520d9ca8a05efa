"""MTA-STS ``mx`` patterns: validation and matching (RFC 8461 §3.2, §4.1).

A pattern is a host name (``mx1.example.com``) or a wildcard whose leftmost label
is ``*`` (``*.mx.example.net``). A wildcard matches exactly one label in its place:
``*.example.com`` matches ``mail.example.com`` but neither ``example.com`` nor
``a.b.example.com``. Comparison ignores case and a trailing dot.
"""

from __future__ import annotations

from collections.abc import Iterable


def _canonical(name: str) -> str:
    return name.rstrip(".").lower()


def mx_pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a host name or a leftmost-``*`` wildcard (``None`` if it is)."""
    if not pattern:
        return "empty pattern"
    if pattern.endswith("."):
        return f"'{pattern}': write the host name without the trailing dot"
    body = pattern[2:] if pattern.startswith("*.") else pattern
    if "*" in body:
        return f"'{pattern}': '*' may only be the whole leftmost label, as in '*.mx.example.net'"
    if "_" in body:
        return f"'{pattern}': a host name has no '_'"
    from dnsspec.spec.names import domain_problem  # here: spec imports this package

    problem = domain_problem(body)
    if problem:
        return f"'{pattern}': {problem}"
    if "." not in body:
        return f"'{pattern}': an MX host name has at least two labels"
    return None


def mx_matches(pattern: str, host: str) -> bool:
    """Whether the MX host ``host`` matches ``pattern`` (RFC 8461 §4.1)."""
    pattern, host = _canonical(pattern), _canonical(host)
    if pattern.startswith("*."):
        head, dot, rest = host.partition(".")
        return bool(head) and bool(dot) and rest == pattern[2:]
    return pattern == host


def unmatched_hosts(patterns: Iterable[str], hosts: Iterable[str]) -> list[str]:
    """MX hosts no pattern matches (senders in enforce mode refuse them)."""
    patterns = tuple(patterns)
    return [host for host in hosts if not any(mx_matches(p, host) for p in patterns)]


def unused_patterns(patterns: Iterable[str], hosts: Iterable[str]) -> list[str]:
    """Patterns that match none of the MX hosts."""
    hosts = tuple(hosts)
    return [p for p in patterns if not any(mx_matches(p, host) for host in hosts)]
