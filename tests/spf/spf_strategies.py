"""Hypothesis strategies for SPF policies: every term form, macros included.

Import from tests under ``tests/spf`` as ``from spf_strategies import policies``.
"""

from __future__ import annotations

from hypothesis import strategies as st

from dnsspec.spf.syntax import (
    MECHANISMS,
    Mechanism,
    MechanismKind,
    Modifier,
    Policy,
    Qualifier,
    Term,
)

ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
LABEL = st.text(ALNUM + "_", min_size=1, max_size=8)
TOPLABEL = st.text(ALNUM, max_size=4).map(lambda s: s + "x") | st.sampled_from(
    ["com", "org", "example", "xn--zckzah", "a1-b"]
)
MACRO = st.builds(
    lambda letter, digits, rev, delims: f"%{{{letter}{digits}{rev}{delims}}}",
    st.sampled_from("slodiphvSLODIPHV"),
    st.sampled_from(["", "1", "2", "12"]),
    st.sampled_from(["", "r", "R"]),
    st.text(".-+,/_=", max_size=2),
)
MACRO_ESCAPE = st.sampled_from(["%%", "%_", "%-"])
LITERAL = st.text("".join(chr(c) for c in range(0x21, 0x7F) if c != 0x25), min_size=1, max_size=5)


@st.composite
def domain_specs(draw: st.DrawFn) -> str:
    """A domain-spec: labels and macros, ending in a toplabel or a macro."""
    parts: list[str] = draw(st.lists(st.one_of(LABEL, MACRO), min_size=0, max_size=3))
    ends_in_label: bool = draw(st.booleans())
    if parts and ends_in_label:
        parts.append(draw(TOPLABEL))
    else:
        parts.append(draw(MACRO))
    text = ".".join(parts)
    if draw(st.booleans()):
        text += "."
    return text


def macro_strings() -> st.SearchStrategy[str]:
    """A macro-string of an unknown modifier (possibly empty)."""
    return st.lists(st.one_of(LITERAL, MACRO, MACRO_ESCAPE), max_size=4).map("".join)


QUALIFIERS: st.SearchStrategy[Qualifier] = st.sampled_from(["+", "-", "~", "?"])


@st.composite
def mechanisms(draw: st.DrawFn) -> Mechanism:
    kind: MechanismKind = draw(st.sampled_from(MECHANISMS))
    qualifier = draw(QUALIFIERS)
    explicit = qualifier == "+" and draw(st.booleans())
    base = Mechanism(kind, qualifier, explicit_qualifier=explicit)
    opt_domain = st.none() | domain_specs()
    if kind in ("include", "exists"):
        return Mechanism(kind, qualifier, domain=draw(domain_specs()), explicit_qualifier=explicit)
    if kind == "ptr":
        return Mechanism(kind, qualifier, domain=draw(opt_domain), explicit_qualifier=explicit)
    if kind in ("a", "mx"):
        return Mechanism(
            kind,
            qualifier,
            domain=draw(opt_domain),
            cidr4=draw(st.none() | st.integers(0, 32)),
            cidr6=draw(st.none() | st.integers(0, 128)),
            explicit_qualifier=explicit,
        )
    if kind == "ip4":
        return Mechanism(
            kind,
            qualifier,
            address=draw(st.ip_addresses(v=4)),
            prefix=draw(st.none() | st.integers(0, 32)),
            explicit_qualifier=explicit,
        )
    if kind == "ip6":
        return Mechanism(
            kind,
            qualifier,
            address=draw(st.ip_addresses(v=6)),
            prefix=draw(st.none() | st.integers(0, 128)),
            explicit_qualifier=explicit,
        )
    return base


UNKNOWN_MODIFIER_NAME = st.builds(
    str.__add__, st.sampled_from("abcxyzXY"), st.text(ALNUM + "ABC_.-", max_size=6)
).filter(lambda n: n.lower() not in ("redirect", "exp"))


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    """Any well-formed policy: mechanisms, at most one redirect/exp, unknown modifiers."""
    terms: list[Term] = draw(st.lists(mechanisms(), max_size=5))
    for name in ("redirect", "exp"):
        if draw(st.booleans()):
            terms.insert(draw(st.integers(0, len(terms))), Modifier(name, draw(domain_specs())))
    for _ in range(draw(st.integers(0, 2))):
        modifier = Modifier(draw(UNKNOWN_MODIFIER_NAME), draw(macro_strings()))
        terms.insert(draw(st.integers(0, len(terms))), modifier)
    return Policy(tuple(terms))
