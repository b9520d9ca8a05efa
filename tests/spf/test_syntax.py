"""RFC 7208 §4.5/§4.6.1 grammar: parse ⇄ render, and exactly located errors."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address

import pytest
from hypothesis import given
from hypothesis import strategies as st
from spf_strategies import mechanisms, policies

from dnsspec.spf.syntax import (
    Mechanism,
    Modifier,
    Policy,
    SpfSyntaxError,
    Term,
    is_spf_record,
    parse,
    parse_term,
    render,
    render_term,
)


@given(policies())
def test_parse_inverts_render(policy: Policy) -> None:
    assert parse(render(policy)) == policy


@given(policies())
def test_render_inverts_parse_on_canonical_text(policy: Policy) -> None:
    text = render(policy)
    assert render(parse(text)) == text


@given(mechanisms())
def test_parse_term_inverts_render_term(term: Mechanism) -> None:
    assert parse_term(render_term(term)) == term


TERMS: list[tuple[str, Term]] = [
    ("all", Mechanism("all")),
    ("+all", Mechanism("all", "+", explicit_qualifier=True)),
    ("-all", Mechanism("all", "-")),
    ("~ALL", Mechanism("all", "~")),
    ("?all", Mechanism("all", "?")),
    ("include:_spf.google.com", Mechanism("include", domain="_spf.google.com")),
    ("~Include:partner.example", Mechanism("include", "~", domain="partner.example")),
    ("a", Mechanism("a")),
    ("a/24", Mechanism("a", cidr4=24)),
    ("a//64", Mechanism("a", cidr6=64)),
    ("a/24//64", Mechanism("a", cidr4=24, cidr6=64)),
    ("a:host.example.com/24//64", Mechanism("a", domain="host.example.com", cidr4=24, cidr6=64)),
    ("a:foo:bar/baz.example.com", Mechanism("a", domain="foo:bar/baz.example.com")),
    ("mx:%{d}/0", Mechanism("mx", domain="%{d}", cidr4=0)),
    ("mx:example.com.", Mechanism("mx", domain="example.com.")),
    ("ptr", Mechanism("ptr")),
    ("-ptr:example.org", Mechanism("ptr", "-", domain="example.org")),
    ("ip4:192.0.2.0/24", Mechanism("ip4", address=IPv4Address("192.0.2.0"), prefix=24)),
    ("ip4:192.0.2.1", Mechanism("ip4", address=IPv4Address("192.0.2.1"))),
    ("ip6:2001:db8::/32", Mechanism("ip6", address=IPv6Address("2001:db8::"), prefix=32)),
    ("ip6:::1.1.1.1/0", Mechanism("ip6", address=IPv6Address("::1.1.1.1"), prefix=0)),
    ("exists:%{ir}.%{l1r-}.%{d}", Mechanism("exists", domain="%{ir}.%{l1r-}.%{d}")),
    ("redirect=_spf.example.com", Modifier("redirect", "_spf.example.com")),
    ("REDIRECT=%{d}.d.spf.example.com.", Modifier("redirect", "%{d}.d.spf.example.com.")),
    ("exp=explain.%{d}", Modifier("exp", "explain.%{d}")),
    ("moo.cow-far_out=man:dog/cat", Modifier("moo.cow-far_out", "man:dog/cat")),
    ("Default=", Modifier("Default", "")),
]


@pytest.mark.parametrize(("text", "term"), TERMS)
def test_parse_term(text: str, term: Term) -> None:
    assert parse_term(text) == term


def test_render_canonical_forms() -> None:
    policy = parse("V=SPF1   +MX  A:Host.example.com/24  ip6:2001:DB8::/32 Redirect=x.example ")
    assert render(policy) == "v=spf1 +mx a:Host.example.com/24 ip6:2001:db8::/32 redirect=x.example"
    assert render(Policy()) == "v=spf1"
    assert render_term(Mechanism("all", "+")) == "all"


def test_policy_accessors() -> None:
    policy = parse("v=spf1 mx -all exp=e.example.com redirect=r.example.com foo=bar")
    assert policy.redirect == "r.example.com"
    assert policy.exp == "e.example.com"
    assert policy.all == Mechanism("all", "-")
    assert policy.modifiers[2] == Modifier("foo", "bar")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v=spf1", True),
        ("v=spf1 -all", True),
        ("V=SpF1 mx", True),
        ("v=spf10", False),
        ("v=spf1mx", False),
        (" v=spf1 -all", False),
        ("v=spf1\t-all", False),
        ("spf2.0/pra -all", False),
        ("", False),
    ],
)
def test_is_spf_record(text: str, expected: bool) -> None:
    assert is_spf_record(text) is expected


# (record, column of the offending term, start of the message)
MALFORMED: list[tuple[str, int, str]] = [
    ("v=spf10 -all", 0, "not an SPF record"),
    ("spf1 -all", 0, "not an SPF record"),
    ("v=spf1 foo", 7, "unknown mechanism 'foo'"),
    ("v=spf1 mx ip4", 10, "'ip4' needs ':address'"),
    ("v=spf1 include -all", 7, "'include' needs ':domain'"),
    ("v=spf1 -all exists", 12, "'exists' needs ':domain'"),
    ("v=spf1  a  -all.", 11, "unknown mechanism 'all.'"),
    ("v=spf1 -all:foo", 7, "'all' takes no argument"),
    ("v=spf1 all/8", 7, "'all' takes no argument"),
    ("v=spf1 ptr/0", 7, "'ptr' takes only an optional ':domain'"),
    ("v=spf1 ptr:", 7, "empty domain-spec"),
    ("v=spf1 a:", 7, "empty domain-spec"),
    ("v=spf1 a/33", 7, "invalid ip4 prefix length /33"),
    ("v=spf1 mx//129", 7, "invalid ip6 prefix length /129"),
    ("v=spf1 a/24/64", 7, "invalid dual-cidr-length '/24/64'"),
    ("v=spf1 a/024", 7, "invalid ip4 prefix length /024"),
    ("v=spf1 a:museum", 7, "invalid domain-spec 'museum'"),
    ("v=spf1 a:museum.", 7, "invalid domain-spec 'museum.'"),
    ("v=spf1 a:abc.123", 7, "invalid domain-spec 'abc.123'"),
    ("v=spf1 a:example.-com", 7, "invalid domain-spec 'example.-com'"),
    ("v=spf1 mx:example.com:8080", 7, "invalid domain-spec 'example.com:8080'"),
    ("v=spf1 include:ip5.example.com/24", 7, "invalid domain-spec 'ip5.example.com/24'"),
    ("v=spf1 a:foo.example.com\x00", 7, "invalid character '\\x00'"),
    ("v=spf1 a:ctrl.example.com\rptr", 7, "invalid character '\\r'"),
    ("v=spf1 a:\ufeffx.example.net", 7, "invalid character '\\ufeff'"),
    ("v=spf1 ip4:1.2.3", 7, "invalid ip4 address '1.2.3'"),
    ("v=spf1 ip4:1.2.3.4:8080", 7, "invalid ip4 address '1.2.3.4:8080'"),
    ("v=spf1 ip4:01.2.3.4", 7, "invalid ip4 address '01.2.3.4'"),
    ("v=spf1 ip4:1.2.3.4/33", 7, "invalid ip4 prefix length /33"),
    ("v=spf1 ip4:1.2.3.4/032", 7, "invalid ip4 prefix length /032"),
    ("v=spf1 ip4:1.2.3.4//32", 7, "invalid ip4 prefix length //32"),
    ("v=spf1 ip4:2001:db8::", 7, "invalid ip4 address '2001:db8::' (that looks like an IPv6"),
    ("v=spf1 ip6:192.0.2.1", 7, "invalid ip6 address '192.0.2.1' (that is an IPv4"),
    ("v=spf1 ip6::CAFE::BABE", 7, "invalid ip6 address ':CAFE::BABE'"),
    ("v=spf1 ip6:::1/129", 7, "invalid ip6 prefix length /129"),
    ("v=spf1 ip6:fe80::1%eth0", 7, "invalid ip6 address 'fe80::1%eth0'"),
    ("v=spf1 ip4:1.2.3.4 redirect:x.example", 19, "'redirect' is a modifier"),
    ("v=spf1 -redirect=x.example", 7, "a modifier takes no qualifier"),
    ("v=spf1 1up=foo", 7, "invalid modifier name '1up'"),
    ("v=spf1 =all", 7, "invalid modifier name ''"),
    ("v=spf1 moo.cow/far=x", 7, "unknown mechanism 'moo.cow'"),
    ("v=spf1 redirect=-all", 7, "invalid domain-spec '-all'"),
    ("v=spf1 exp=", 7, "empty domain-spec"),
    ("v=spf1 redirect=a.example mx redirect=b.example", 29, "duplicate redirect= modifier"),
    ("v=spf1 exp=a.example EXP=b.example", 21, "duplicate exp= modifier"),
    ("v=spf1 -all foo=%abc", 12, "invalid macro at '%abc'"),
    ("v=spf1 exists:foo%.sbl.example.com", 7, "invalid macro at '%.sbl.ex'"),
    ("v=spf1 exists:%(ir).sbl.example.com", 7, "invalid macro at '%(ir).sb'"),
    ("v=spf1 a:%{a}.example.com", 7, "unknown macro letter 'a'"),
    ("v=spf1 exp=%{r}.example.com", 7, "unknown macro letter 'r'"),
    ("v=spf1 a:%{d0}.example.com", 7, "macro '%{d0}' keeps zero parts"),
    ("v=spf1 a:%{d2x}.example.com", 7, "invalid macro at '%{d2x}.e'"),
]


@pytest.mark.parametrize(("text", "column", "message"), MALFORMED)
def test_malformed_records_are_located(text: str, column: int, message: str) -> None:
    with pytest.raises(SpfSyntaxError) as info:
        parse(text)
    assert info.value.column == column
    assert info.value.message.startswith(message), info.value.message
    if column:
        assert info.value.term == text[column:].split(" ")[0]


def test_parse_term_errors_are_at_column_zero() -> None:
    with pytest.raises(SpfSyntaxError) as info:
        parse_term("~include")
    assert (info.value.column, info.value.term) == (0, "~include")
    assert info.value.message == "'include' needs ':domain' in term '~include'"


@pytest.mark.parametrize(
    "text",
    [
        "v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all",
        "v=spf1 redirect=%{d}.d.spf.example.com.",
        "v=spf1 exists:%{i}.%{l2r-}.user.%{d2}",
        "v=spf1 a:foo.example.xn--zckzah -all",
        "v=spf1 exists:%{ir}.%{v}._spf.%{d}",
        "v=spf1 include:%{d}.",
        "v=spf1 x-unknown=%{c}%{r}%{t} -all",
    ],
)
def test_valid_edge_cases(text: str) -> None:
    assert render(parse(text)) == text


BAD_TERMS = [t[7:] for t, c, _ in MALFORMED if c == 7 and " " not in t[7:]]


@given(policies(), st.sampled_from(BAD_TERMS), st.integers(0, 8))
def test_error_column_points_at_the_bad_term(policy: Policy, bad: str, at: int) -> None:
    terms = render(policy).split(" ")[1:]
    at = min(at, len(terms))
    text = " ".join(["v=spf1", *terms[:at], bad, *terms[at:]])
    with pytest.raises(SpfSyntaxError) as info:
        parse(text)
    assert info.value.column == len(" ".join(["v=spf1", *terms[:at]])) + 1
    assert info.value.term == bad
