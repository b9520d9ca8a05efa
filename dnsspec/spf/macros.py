"""RFC 7208 §7 macros: validation and expansion.

A macro-string mixes literal text with ``%{letter transformers delimiters}``
expands and the escapes ``%%`` (``%``), ``%_`` (space) and ``%-`` (``%20``).

Letters (upper case = the same value, URL-escaped per RFC 3986):

- ``s`` sender (``local-part@domain``), ``l`` its local-part, ``o`` its domain
- ``d`` the domain being checked, ``h`` the HELO/EHLO name
- ``i`` the client IP: dotted quad for IPv4, 32 dot-separated nibbles for IPv6
- ``v`` ``in-addr`` for IPv4, ``ip6`` for IPv6
- ``p`` the validated domain name of the IP (the evaluator resolves it; "unknown")
- only in explanation (``exp=`` TXT) text: ``c`` the readable client IP,
  ``r`` the receiving host's name, ``t`` the current Unix time

Transformers: a nonzero number keeps that many right-hand parts, ``r``
reverses the parts; delimiters (any of ``.-+,/_=``, default ``.``) split the
value, and the parts are rejoined with ``.``. Example: for
``strong-bad@email.example.com``, ``%{l1r-}`` is ``strong``.

The evaluator builds the :class:`MacroContext`; it is its job to use
``postmaster`` as the local-part when the sender has none (§4.3), and the
HELO identity ``postmaster@helo`` when the sender is empty.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address
from urllib.parse import quote

from dnsspec.spf.syntax import (
    DOMAIN_MACRO_LETTERS,
    EXP_MACRO_LETTERS,
    MacroExpand,
    MacroPart,
    Mechanism,
    SpfSyntaxError,
    Term,
    scan_macro_string,
)

MAX_DOMAIN_LENGTH = 253
# The macro letters a domain-spec may use and still name one fixed target, known without
# a message: %{d} (the domain whose policy is evaluated) and %{o} (the sender's domain,
# the domain the evaluation started at). The others (s, l, i, p, v, h) depend on the
# message or the client.
STATIC_MACRO_LETTERS = frozenset("do")
_ANY_CLIENT = IPv4Address("192.0.2.0")  # never read: no static letter depends on it


@dataclass(frozen=True)
class MacroContext:
    """The values macros expand to (RFC 7208 §7.2)."""

    sender: str  # "local-part@domain" (the evaluator supplies postmaster@ defaults)
    local_part: str
    domain: str  # <domain>: the name whose policy is being evaluated
    ip: IPv4Address | IPv6Address
    helo: str
    receiver: str = "unknown"  # %{r}
    validated_domain: str = "unknown"  # %{p}
    timestamp: int | None = None  # %{t}; None = now
    # %{i} of an IPv6 client in upper-case hex, as the client's address was spelled
    # (CAFE:BABE::1). RFC 7208 leaves the case open; its §7.4 example, from a lower-case
    # address, is lower case, and the RFC 7208 test suite expects an upper-case address
    # to keep its case. DNS names ignore case either way; explanations show it.
    upper_hex: bool = False

    @property
    def sender_domain(self) -> str:
        """``%{o}``: the domain part of the sender."""
        return self.sender.rpartition("@")[2]


def _parts(text: str, *, explanation: bool) -> tuple[MacroPart, ...]:
    letters = EXP_MACRO_LETTERS if explanation else DOMAIN_MACRO_LETTERS
    return scan_macro_string(text, letters=letters, spaces=explanation)[0]


def validate_macro_string(text: str, *, explanation: bool = False) -> None:
    """Raise :class:`~dnsspec.spf.syntax.SpfSyntaxError` (with the 0-based
    ``column`` in ``text``) unless ``text`` is a valid macro-string.

    With ``explanation`` the text is an explain-string (spaces and the
    letters ``c``, ``r``, ``t`` allowed).
    """
    _parts(text, explanation=explanation)


def uses_ptr_macro(text: str) -> bool:
    """Does the macro-string use ``%{p}`` (which costs DNS lookups)?"""
    try:
        parts = scan_macro_string(text, letters=EXP_MACRO_LETTERS, spaces=True)[0]
    except SpfSyntaxError:
        return False
    return any(isinstance(p, MacroExpand) and p.letter == "p" for p in parts)


def ip_nibbles(ip: IPv4Address | IPv6Address, *, upper: bool = False) -> str:
    """``%{i}``: ``192.0.2.3`` or the 32 nibbles of an IPv6 address, dotted."""
    if isinstance(ip, IPv4Address):
        return str(ip)
    nibbles = ".".join(ip.exploded.replace(":", ""))
    return nibbles.upper() if upper else nibbles


def _value(letter: str, ctx: MacroContext) -> str:
    match letter:
        case "s":
            return ctx.sender
        case "l":
            return ctx.local_part
        case "o":
            return ctx.sender_domain
        case "d":
            return ctx.domain
        case "i":
            return ip_nibbles(ctx.ip, upper=ctx.upper_hex)
        case "p":
            return ctx.validated_domain
        case "v":
            return "in-addr" if isinstance(ctx.ip, IPv4Address) else "ip6"
        case "h":
            return ctx.helo
        case "c":
            return str(ctx.ip)
        case "r":
            return ctx.receiver
        case _:  # "t"
            return str(int(time.time()) if ctx.timestamp is None else ctx.timestamp)


def expand_macro(macro: MacroExpand, ctx: MacroContext) -> str:
    """One ``%{...}`` with its transformers applied (§7.3)."""
    value = _value(macro.letter, ctx)
    if macro.digits is not None or macro.reverse or macro.delimiters:
        delimiters = macro.delimiters or "."
        parts = re.split("[" + re.escape(delimiters) + "]", value)
        if macro.reverse:
            parts.reverse()
        if macro.digits is not None:
            parts = parts[-macro.digits :]
        value = ".".join(parts)
    if macro.escape:
        value = quote(value, safe="-._~")
    return value


def expand(text: str, ctx: MacroContext, *, explanation: bool = False) -> str:
    """Expand a macro-string (a domain-spec, or explanation text).

    Raises :class:`~dnsspec.spf.syntax.SpfSyntaxError` for a malformed one.
    """
    return "".join(
        p if isinstance(p, str) else expand_macro(p, ctx)
        for p in _parts(text, explanation=explanation)
    )


def truncate_domain(name: str) -> str:
    """§7.3: drop left-hand labels until the name is at most 253 octets.

    One trailing dot is removed first (the name is absolute either way).
    """
    if name.endswith("."):
        name = name[:-1]
    while len(name.encode()) > MAX_DOMAIN_LENGTH and "." in name:
        name = name.split(".", 1)[1]
    return name


def expand_domain(text: str, ctx: MacroContext) -> str:
    """Expand a domain-spec into the name to query (truncated per §7.3)."""
    return truncate_domain(expand(text, ctx))


def domain_target(spec: str | None, domain: str, ctx: MacroContext) -> str:
    """The name a domain-spec queries while the policy of ``domain`` is evaluated:
    ``domain`` itself when the term has no domain-spec (§4.8), else the spec
    expanded and truncated (§7.3). Raises SpfSyntaxError for a malformed spec."""
    return domain if spec is None else expand_domain(spec, ctx)


def term_domain_spec(term: Term) -> tuple[bool, str | None]:
    """(whether the term queries DNS for a name, its domain-spec or None for "the
    current domain"). ``include``, ``a``, ``mx``, ``ptr``, ``exists`` and
    ``redirect=`` query; ``ip4``, ``ip6``, ``all``, ``exp=`` (fetched only to
    explain a fail, §6.2) and unknown modifiers do not."""
    if isinstance(term, Mechanism):
        if term.kind in ("include", "a", "mx", "ptr", "exists"):
            return True, term.domain
        return False, None
    if term.name.lower() == "redirect":
        return True, term.value
    return False, None


def term_target(term: Term, domain: str, *, origin: str | None = None) -> str | None:
    """The name ``term`` queries when the policy of ``domain`` is evaluated, when that
    name is known without a message: the one answer to "what does this term query"
    for the cost engine, the linter and the evaluator's expansion alike.

    ``origin`` is the domain the evaluation started at (what ``%{o}`` expands to; the
    sender's domain). The result is lower-case without a trailing dot, or None when
    the term queries nothing, or its domain-spec uses a macro letter that only a
    message can expand (``%{i}``, ``%{l}``, ``%{s}``, ``%{h}``, ``%{v}``, ``%{p}``,
    and ``%{o}`` when no ``origin`` is given), or is malformed.
    """
    queries, spec = term_domain_spec(term)
    if not queries:
        return None
    name = domain
    if spec is not None:
        try:
            parts, _ = scan_macro_string(spec)
        except SpfSyntaxError:
            return None
        letters = {p.letter for p in parts if isinstance(p, MacroExpand)}
        if not letters <= STATIC_MACRO_LETTERS or ("o" in letters and origin is None):
            return None
        sender = f"postmaster@{origin or domain}"
        ctx = MacroContext(
            sender=sender, local_part="postmaster", domain=domain, ip=_ANY_CLIENT, helo=""
        )
        name = domain_target(spec, domain, ctx)
    return name.strip().lower().rstrip(".")
