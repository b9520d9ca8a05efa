"""SPF record text ⇄ terms (RFC 7208 §4.6, §5, §6, §7 grammar).

The only SPF parser in dnsspec: the spec models, the linter, the evaluator,
import and flatten all call it. ``parse`` and ``render`` are inverses:
``parse(render(p)) == p`` for every ``Policy`` and ``render(parse(t)) == t``
for every canonical text (lower-case mechanism names, single spaces).
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address
from typing import Literal

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


class SpfSyntaxError(DnsspecError):
    """The SPF record is malformed."""

    def __init__(self, message: str, *, column: int = 0, term: str = "") -> None:
        # column: 0-based offset of the offending term (or character) in the text
        self.column = column
        self.term = term
        super().__init__(message)


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Modifier:
    """A ``name=value`` modifier: redirect, exp, or an unknown one (kept, §6)."""

    name: str  # lower-case for redirect/exp; as written for unknown ones
    value: str  # macro-string


Term = Mechanism | Modifier


@dataclass(frozen=True)
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
