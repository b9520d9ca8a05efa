"""The probe's reading of an MTA-STS policy file (RFC 8461 §3.2) and of its mx: patterns."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnsspec.probe.policy import Policy, PolicyError, parse_policy


def test_a_policy_with_crlf_lines() -> None:
    text = (
        "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.mx.example.net\r\n"
        "max_age: 604800\r\n"
    )
    assert parse_policy(text) == Policy("enforce", ("mx1.example.com", "*.mx.example.net"), 604800)


def test_lf_lines_unknown_keys_and_spaces_are_accepted() -> None:
    text = "version:STSv1\nmode:  testing\nfuture_key: 1\nmx: a.example\n\nmax_age: 86400"
    assert parse_policy(text) == Policy("testing", ("a.example",), 86400)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("mode: enforce\nmx: a\n", "policy version '(missing)'"),
        ("version: STSv2\nmode: enforce\n", "policy version 'STSv2'"),
        ("version: STSv1\nmode: strict\n", "policy mode 'strict'"),
        ("version: STSv1\nthis line has no colon\n", "policy line 2"),
    ],
)
def test_unusable_policies_are_errors(text: str, error: str) -> None:
    with pytest.raises(PolicyError, match=re.escape(error)):
        parse_policy(text)


@pytest.mark.parametrize(
    ("host", "covered"),
    [
        ("mx1.example.com", True),
        ("MX1.Example.COM.", True),
        ("a.mx.example.net", True),
        ("mx.example.net", False),  # the wildcard needs a label of its own
        ("a.b.mx.example.net", False),  # and covers exactly one
        ("mx2.example.com", False),
    ],
)
def test_mx_patterns_cover_hosts_as_rfc_8461_says(host: str, covered: bool) -> None:
    policy = Policy("enforce", ("mx1.example.com", "*.mx.example.net"), 86400)
    assert policy.covers(host) is covered


label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
pattern = st.builds(
    lambda wildcard, labels: ("*." if wildcard else "") + ".".join(labels),
    st.booleans(),
    st.lists(label, min_size=2, max_size=4),
)


@given(
    mode=st.sampled_from(["enforce", "testing", "none"]),
    mx=st.lists(pattern, max_size=4),
    max_age=st.integers(0, 31557600),
    newline=st.sampled_from(["\r\n", "\n"]),
)
def test_a_policy_file_reads_back_as_written(
    mode: str, mx: list[str], max_age: int, newline: str
) -> None:
    lines = ["version: STSv1", f"mode: {mode}", *(f"mx: {p}" for p in mx), f"max_age: {max_age}"]
    policy = parse_policy(newline.join(lines) + newline)
    assert policy == Policy(mode, tuple(mx), max_age)
    assert all(policy.covers(p.replace("*", "x", 1)) for p in mx)
