"""SPF record text ⇄ terms (RFC 7208 §4.6, §5, §6, §7 grammar).

The only SPF parser in dnsspec: the spec models, the linter, the evaluator,
import and flatten all call it. ``parse`` and ``render`` are inverses:
``parse(render(p)) == p`` for every ``Policy`` and ``render(parse(t)) == t``
for every canonical text (lower-case mechanism names, single spaces).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv4Address, IPv6Address
from typing import Literal, cast

from dnsspec.errors import DnsspecError

Qualifier = Literal["+", "-", "~", "?"]
MechanismKind = Literal["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"]

MECHANISMS: tuple[MechanismKind, ...] = (
    "all",
    "include",
    "a",
    "mx",
    "ptr",
    "ip4",
    "ip6",
    "exists",
)
# Terms that cost one DNS lookup each (RFC 7208 §4.6.4); the modifier
# ``redirect`` costs one too.
LOOKUP_MECHANISMS: frozenset[str] = frozenset({"include", "a", "mx", "ptr", "exists"})
VERSION = "v=spf1"
# Macro letters (RFC 7208 §7.2); c, r, t only in explanation text.
DOMAIN_MACRO_LETTERS = "slodiphv"
EXP_MACRO_LETTERS = DOMAIN_MACRO_LETTERS + "crt"
MACRO_DELIMITERS = ".-+,/_="


class SpfSyntaxError(DnsspecError):
    """The SPF record is malformed."""

    def __init__(self, message: str, *, column: int = 0, term: str = "") -> None:
        # column: 0-based offset of the offending term (or character) in the text
        self.column = column
        self.term = term
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Mechanism:
    """One mechanism with its qualifier and arguments.

    ``domain`` is the domain-spec (a macro-string) of include/exists (required)
    and a/mx/ptr (optional). ``address``/``prefix`` belong to ip4/ip6 (prefix
    ``None`` when not written). ``cidr4``/``cidr6`` are the dual-cidr-length of
    a/mx (``a:host/24//64``), ``None`` when not written. ``explicit_qualifier``
    keeps whether ``+`` was written, so render is the inverse of parse.
    """

    kind: MechanismKind
    qualifier: Qualifier = "+"
    domain: str | None = None
    address: IPv4Address | IPv6Address | None = None
    prefix: int | None = None
    cidr4: int | None = None
    cidr6: int | None = None
    explicit_qualifier: bool = False


@dataclass(frozen=True, slots=True)
class Modifier:
    """A ``name=value`` modifier: redirect, exp, or an unknown one (kept, §6)."""

    name: str  # lower-case for redirect/exp; as written for unknown ones
    value: str  # macro-string


Term = Mechanism | Modifier


@dataclass(frozen=True, slots=True)
class Policy:
    """A parsed ``v=spf1`` record: its terms in order."""

    terms: tuple[Term, ...] = ()

    @property
    def mechanisms(self) -> tuple[Mechanism, ...]:
        return tuple(t for t in self.terms if isinstance(t, Mechanism))

    @property
    def modifiers(self) -> tuple[Modifier, ...]:
        return tuple(t for t in self.terms if isinstance(t, Modifier))

    def modifier(self, name: str) -> Modifier | None:
        return next((m for m in self.modifiers if m.name.lower() == name), None)

    @property
    def redirect(self) -> str | None:
        m = self.modifier("redirect")
        return m.value if m else None

    @property
    def exp(self) -> str | None:
        m = self.modifier("exp")
        return m.value if m else None

    @property
    def all(self) -> Mechanism | None:
        return next((m for m in self.mechanisms if m.kind == "all"), None)


# --- macro-string scanning (RFC 7208 §7.1) -----------------------------------


@dataclass(frozen=True, slots=True)
class MacroExpand:
    """One ``%{...}`` macro: letter (lower-case), transformers and delimiters.

    ``escape`` is true when the letter was written upper-case (URL-escape the
    value, §7.3); ``digits`` is the number of right-hand parts to keep.
    """

    letter: str
    digits: int | None = None
    reverse: bool = False
    delimiters: str = ""
    escape: bool = False


MacroPart = str | MacroExpand
_MACRO = re.compile(r"%\{([A-Za-z])([0-9]*)([rR]?)([.\-+,/_=]*)\}")
_ESCAPES = {"%": "%", "_": " ", "-": "%20"}


@lru_cache(maxsize=1 << 16)  # pure, and its parts are immutable
def scan_macro_string(
    text: str, *, letters: str = DOMAIN_MACRO_LETTERS, spaces: bool = False
) -> tuple[tuple[MacroPart, ...], bool]:
    """Split a macro-string into literal text and :class:`MacroExpand` parts.

    Returns the parts and whether the string ends in a macro-expand. Raises
    :class:`SpfSyntaxError` whose ``column`` is the offset in ``text``.
    """
    parts: list[MacroPart] = []
    i, ends_in_macro = 0, False
    while i < len(text):
        ch = text[i]
        ends_in_macro = ch == "%"
        if ch == "%":
            nxt = text[i + 1 : i + 2]
            if nxt and nxt in _ESCAPES:
                parts.append(_ESCAPES[nxt])
                i += 2
                continue
            m = _MACRO.match(text, i)
            if not m:
                raise SpfSyntaxError(
                    f"invalid macro at {text[i : i + 8]!r}: '%' starts %{{...}}, %%, %_ or %-",
                    column=i,
                    term=text,
                )
            letter, digits, rev, delims = m.groups()
            if letter.lower() not in letters:
                where = "" if "c" in letters else " (c, r and t are only allowed in exp= text)"
                raise SpfSyntaxError(
                    f"unknown macro letter {letter!r} in {m.group()!r}{where}", column=i, term=text
                )
            if digits and int(digits) == 0:
                raise SpfSyntaxError(
                    f"macro {m.group()!r} keeps zero parts: the digit must be nonzero",
                    column=i,
                    term=text,
                )
            parts.append(
                MacroExpand(
                    letter.lower(),
                    int(digits) if digits else None,
                    bool(rev),
                    delims,
                    letter.isupper(),
                )
            )
            i = m.end()
        else:
            run = (_LITERAL_RUN_SPACES if spaces else _LITERAL_RUN).match(text, i)
            if run is None:
                raise SpfSyntaxError(_bad_character(ch), column=i, term=text)
            parts.append(run.group())  # the whole run of literal characters at once
            i = run.end()
    return _join_literals(parts), ends_in_macro


# printable ASCII except '%' (which starts a macro), optionally with spaces (exp= text)
_LITERAL_RUN = re.compile(r"[!-$&-~]+")
_LITERAL_RUN_SPACES = re.compile(r"[ !-$&-~]+")


def _bad_character(ch: str) -> str:
    if ch in " \t":
        return f"invalid character {ch!r}: a space inside a term (a space separates terms)"
    if not ch.isascii():
        return f"invalid character {ch!r}: not ASCII (SPF names are written as A-labels)"
    return f"invalid character {ch!r} (only printable ASCII is allowed)"


def _join_literals(parts: list[MacroPart]) -> tuple[MacroPart, ...]:
    """Adjacent literal strings joined into one (linear: each run joined once)."""
    out: list[MacroPart] = []
    run: list[str] = []
    for part in parts:
        if isinstance(part, str):
            run.append(part)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(part)
    if run:
        out.append("".join(run))
    return tuple(out)


_TOPLABEL = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9]")


def check_domain_spec(text: str) -> None:
    """Validate a domain-spec: a macro-string with a valid domain-end.

    domain-end is ``"." toplabel ["."]`` or a macro-expand (optionally followed
    by ``"."``, as published records commonly write ``%{d}.``).
    """
    if not text:
        raise SpfSyntaxError("empty domain-spec", term=text)
    _, ends_in_macro = scan_macro_string(text)
    body = text[:-1] if text.endswith(".") else text
    if body != text:
        _, ends_in_macro = scan_macro_string(body)
    if ends_in_macro:
        return
    _, dot, top = body.rpartition(".")
    if not dot or not _TOPLABEL.fullmatch(top):
        raise SpfSyntaxError(
            f"invalid domain-spec {text!r}: it must end in a top-level label"
            " (letters, digits, inner '-', not all digits) after a '.', or in a macro",
            term=text,
        )


# --- terms ---------------------------------------------------------------------

_MODIFIER = re.compile(r"([A-Za-z][A-Za-z0-9_.\-]*)=(.*)", re.S)
_DIRECTIVE = re.compile(r"([+\-~?]?)([^:/]*)(.*)", re.S)
_DUAL_CIDR = re.compile(r"(.*?)(?:/([0-9]+))?(?://([0-9]+))?", re.S)
_IP4 = re.compile(
    r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}"
    r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
)
_IP6 = re.compile(r"[0-9A-Fa-f:.]+")


def is_spf_record(text: str) -> bool:
    """RFC 7208 §4.5: does this TXT string select as an SPF record?

    It must begin with ``v=spf1`` (any case) followed by a space or the end.
    """
    return text[:6].lower() == VERSION and (len(text) == 6 or text[6] == " ")


@lru_cache(maxsize=1 << 14)  # a Policy is immutable; evaluations re-read the same records
def parse(text: str) -> Policy:
    """Parse a whole ``v=spf1 ...`` record into a :class:`Policy`.

    Inverse of :func:`render`. Raises :class:`SpfSyntaxError` whose ``column``
    is the 0-based offset of the offending term in ``text``.
    """
    if not is_spf_record(text):
        raise SpfSyntaxError(
            f"not an SPF record: it must start with {VERSION!r} followed by a space or the end",
            term=text.split(" ", 1)[0],
        )
    terms: list[Term] = []
    seen: set[str] = set()
    col = 6
    for raw in text[6:].split(" "):
        if raw:
            term = _parse_at(raw, col)
            if isinstance(term, Modifier) and term.name in ("redirect", "exp"):
                if term.name in seen:
                    raise SpfSyntaxError(
                        f"duplicate {term.name}= modifier: it may appear at most once",
                        column=col,
                        term=raw,
                    )
                seen.add(term.name)
            terms.append(term)
        col += len(raw) + 1
    return Policy(tuple(terms))


def parse_term(text: str) -> Term:
    """Parse one term (``~include:x``, ``ip4:192.0.2.0/24``, ``redirect=x``).

    Inverse of :func:`render_term`; errors have ``column=0``.
    """
    return _parse_at(text, 0)


def _parse_at(raw: str, col: int) -> Term:
    try:
        return _parse_term(raw)
    except SpfSyntaxError as e:
        raise SpfSyntaxError(f"{e.message} in term {raw!r}", column=col, term=raw) from None


@lru_cache(maxsize=1 << 16)
def _parse_term(raw: str) -> Term:  # terms are immutable: a portfolio's shared ones parse once
    mod = _MODIFIER.fullmatch(raw)
    if mod:
        name, value = mod.groups()
        if name.lower() in ("redirect", "exp"):
            check_domain_spec(value)
            return Modifier(name.lower(), value)
        scan_macro_string(value, letters=EXP_MACRO_LETTERS)
        return Modifier(name, value)
    m = _DIRECTIVE.fullmatch(raw)
    assert m is not None  # the pattern matches every string
    qual, name, rest = m.groups()
    kind = name.lower()
    if kind not in MECHANISMS:
        if kind in ("redirect", "exp"):
            raise SpfSyntaxError(f"{kind!r} is a modifier: write {kind}=domain")
        if "=" in name and qual and _MODIFIER.fullmatch(name):
            raise SpfSyntaxError("a modifier takes no qualifier (+ - ~ ?)")
        if "=" in name:
            raise SpfSyntaxError(f"invalid modifier name {name.split('=')[0]!r}")
        raise SpfSyntaxError(f"unknown mechanism {name!r}")
    explicit = qual == "+"
    q = cast(Qualifier, qual or "+")
    if kind == "all":
        if rest:
            raise SpfSyntaxError("'all' takes no argument")
        return Mechanism("all", q, explicit_qualifier=explicit)
    if kind in ("ip4", "ip6"):
        address, prefix = _parse_ip(kind, rest)
        return Mechanism(kind, q, address=address, prefix=prefix, explicit_qualifier=explicit)
    if kind in ("include", "exists"):
        if not rest.startswith(":"):
            raise SpfSyntaxError(f"{kind!r} needs ':domain'")
        check_domain_spec(rest[1:])
        return Mechanism(kind, q, domain=rest[1:], explicit_qualifier=explicit)
    if kind == "ptr":
        if rest and not rest.startswith(":"):
            raise SpfSyntaxError("'ptr' takes only an optional ':domain'")
        domain = rest[1:] if rest else None
        if domain is not None:
            check_domain_spec(domain)
        return Mechanism("ptr", q, domain=domain, explicit_qualifier=explicit)
    # a / mx
    if rest and rest[0] not in ":/":
        raise SpfSyntaxError(f"unknown mechanism {name + rest!r}")
    cidr = _DUAL_CIDR.fullmatch(rest)
    assert cidr is not None
    spec, c4, c6 = cidr.groups()
    domain = None
    if spec:
        if not spec.startswith(":"):
            raise SpfSyntaxError(f"invalid dual-cidr-length {rest!r} (write /24, //64 or /24//64)")
        domain = spec[1:]
        check_domain_spec(domain)
    return Mechanism(
        cast(MechanismKind, kind),
        q,
        domain=domain,
        cidr4=_cidr(c4, 32, "ip4"),
        cidr6=_cidr(c6, 128, "ip6"),
        explicit_qualifier=explicit,
    )


def _cidr(digits: str | None, top: int, family: str) -> int | None:
    if digits is None:
        return None
    if (digits.startswith("0") and digits != "0") or int(digits) > top:
        raise SpfSyntaxError(f"invalid {family} prefix length /{digits} (0-{top}, no leading zero)")
    return int(digits)


def _parse_ip(kind: str, rest: str) -> tuple[IPv4Address | IPv6Address, int | None]:
    if not rest.startswith(":") or len(rest) == 1:
        raise SpfSyntaxError(f"{kind!r} needs ':address' or ':address/prefix'")
    text, slash, digits = rest[1:].partition("/")
    if slash and not (digits.isascii() and digits.isdigit()):
        raise SpfSyntaxError(f"invalid {kind} prefix length /{digits}")
    prefix = _cidr(digits, 32 if kind == "ip4" else 128, kind) if slash else None
    try:
        if kind == "ip4":
            if not _IP4.fullmatch(text):
                raise ValueError
            return IPv4Address(text), prefix
        if not _IP6.fullmatch(text):
            raise ValueError
        return IPv6Address(text), prefix
    except ValueError:
        other = " (that is an IPv4 address: use ip4:)" if _IP4.fullmatch(text) else ""
        if kind == "ip4" and ":" in text:
            other = " (that looks like an IPv6 address: use ip6:)"
        raise SpfSyntaxError(f"invalid {kind} address {text!r}{other}") from None


def render_term(term: Term) -> str:
    """One term as text; inverse of :func:`parse_term`."""
    if isinstance(term, Modifier):
        return f"{term.name}={term.value}"
    text: str = term.qualifier if term.qualifier != "+" or term.explicit_qualifier else ""
    text += term.kind
    if term.address is not None:
        text += f":{term.address}"
        if term.prefix is not None:
            text += f"/{term.prefix}"
    if term.domain is not None:
        text += f":{term.domain}"
    if term.cidr4 is not None:
        text += f"/{term.cidr4}"
    if term.cidr6 is not None:
        text += f"//{term.cidr6}"
    return text


def render(policy: Policy) -> str:
    """The record text ``v=spf1 term ...``; inverse of :func:`parse`."""
    return " ".join((VERSION, *(render_term(t) for t in policy.terms)))
