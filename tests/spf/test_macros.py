"""RFC 7208 §7 macros: the §7.4 examples, exact."""

from __future__ import annotations

import dataclasses
from ipaddress import IPv4Address, IPv6Address, ip_address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnsspec.spf.macros import (
    MacroContext,
    expand,
    expand_domain,
    ip_nibbles,
    truncate_domain,
    uses_ptr_macro,
    validate_macro_string,
)
from dnsspec.spf.syntax import SpfSyntaxError

V4 = MacroContext(
    sender="strong-bad@email.example.com",
    local_part="strong-bad",
    domain="email.example.com",
    ip=IPv4Address("192.0.2.3"),
    helo="mx.example.org",
    receiver="receiver.example.net",
    validated_domain="mx.example.org",
    timestamp=1234567890,
)
V6 = MacroContext(
    sender="strong-bad@email.example.com",
    local_part="strong-bad",
    domain="email.example.com",
    ip=IPv6Address("2001:db8::cb01"),
    helo="mx.example.org",
)


@pytest.mark.parametrize(
    ("macro", "expansion"),
    [
        ("%{s}", "strong-bad@email.example.com"),
        ("%{o}", "email.example.com"),
        ("%{d}", "email.example.com"),
        ("%{d4}", "email.example.com"),
        ("%{d3}", "email.example.com"),
        ("%{d2}", "example.com"),
        ("%{d1}", "com"),
        ("%{dr}", "com.example.email"),
        ("%{d2r}", "example.email"),
        ("%{l}", "strong-bad"),
        ("%{l-}", "strong.bad"),
        ("%{lr}", "strong-bad"),
        ("%{lr-}", "bad.strong"),
        ("%{l1r-}", "strong"),
        ("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"),
        ("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
        ("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"),
        ("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com"),
        ("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"),
    ],
)
def test_rfc7208_section_7_4_ipv4(macro: str, expansion: str) -> None:
    assert expand(macro, V4) == expansion


def test_rfc7208_section_7_4_ipv6() -> None:
    assert expand("%{ir}.%{v}._spf.%{d2}", V6) == (
        "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"
    )


def test_i_of_an_ipv6_client_spelled_in_upper_case_keeps_the_case() -> None:
    upper = dataclasses.replace(V6, upper_hex=True)
    assert expand("%{ir}.%{v}", upper) == (
        "1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6"
    )
    assert expand("%{c}", upper, explanation=True) == "2001:db8::cb01"  # %{c} stays normal


def test_other_letters_and_escapes() -> None:
    assert expand("%{h}|%{p}|%{v}|%{i}", V4) == "mx.example.org|mx.example.org|in-addr|192.0.2.3"
    assert expand("%{c} %{r} %{t}", V4, explanation=True) == (
        "192.0.2.3 receiver.example.net 1234567890"
    )
    assert expand("%{c}", V6, explanation=True) == "2001:db8::cb01"
    assert expand("%{p}", V6) == "unknown"
    assert expand("a%%b%_c%-d", V4) == "a%b c%20d"
    assert expand("%{S}", V4) == "strong-bad%40email.example.com"
    assert expand("%{L}", V4.__class__(**{**V4.__dict__, "local_part": "a b/c~"})) == "a%20b%2Fc~"
    assert expand("%{d9}", V4) == "email.example.com"
    assert expand("%{l+-}", V4.__class__(**{**V4.__dict__, "local_part": "a+b-c"})) == "a.b.c"
    assert expand("%{l-}", V4.__class__(**{**V4.__dict__, "local_part": "a--b"})) == "a..b"


@pytest.mark.parametrize(
    ("text", "column", "explanation"),
    [
        ("%", 0, False),
        ("ab%x", 2, False),
        ("a.%{d0}", 2, False),
        ("x%{z}", 1, False),
        ("%{c}.example.com", 0, False),
        ("%{d", 0, False),
        ("a b", 1, False),
        ("héllo", 1, True),
        ("%{d}%{x}", 4, True),
    ],
)
def test_validate_macro_string_locates(text: str, column: int, explanation: bool) -> None:
    with pytest.raises(SpfSyntaxError) as info:
        validate_macro_string(text, explanation=explanation)
    assert info.value.column == column


def test_validate_explanation_text() -> None:
    validate_macro_string("%{i} is not one of %{d}'s designated mail servers.", explanation=True)
    validate_macro_string("See http://%{d}/why.html?s=%{S}&i=%{C} at %{t}", explanation=True)


def test_uses_ptr_macro() -> None:
    assert uses_ptr_macro("%{p}.example.com")
    assert uses_ptr_macro("x.%{P2r}.example.com")
    assert not uses_ptr_macro("%{d}.example.com")
    assert not uses_ptr_macro("%{bad")


def test_ip_nibbles() -> None:
    assert ip_nibbles(ip_address("::1")) == "0." * 31 + "1"
    assert ip_nibbles(ip_address("10.0.0.1")) == "10.0.0.1"


def test_expand_domain_truncates_left_labels_to_253() -> None:
    long_local = ".".join(["abcdefghi"] * 30)  # 299 octets
    ctx = V4.__class__(**{**V4.__dict__, "local_part": long_local})
    name = expand_domain("%{l}.example.com.", ctx)
    assert len(name) == 251
    assert name.endswith("abcdefghi.example.com")
    assert name == ".".join(["abcdefghi"] * 24) + ".example.com"
    assert expand_domain("%{d}.", V4) == "email.example.com"


@given(st.lists(st.text("abc", min_size=1, max_size=70), min_size=1, max_size=12))
def test_truncate_domain_keeps_right_labels(labels: list[str]) -> None:
    name = ".".join(labels)
    out = truncate_domain(name)
    assert len(out) <= 253 or "." not in out
    assert name.endswith(out)
    if len(name) <= 253:
        assert out == name
    else:
        assert len(name[: -len(out) - 1].split(".")) >= 1
        # dropping one fewer label would be too long
        dropped = name[: len(name) - len(out) - 1]
        previous = dropped.rsplit(".", 1)[-1] + "." + out
        assert len(previous) > 253
