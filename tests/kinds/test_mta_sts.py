"""MTA-STS: the exact policy file, its id, the _mta-sts record, mx patterns."""

from __future__ import annotations

import re

import pytest
from dmarc_strategies import domains
from hypothesis import given
from hypothesis import strategies as st

from dnsspec.mta_sts.mx import mx_matches, mx_pattern_problem, unmatched_hosts, unused_patterns
from dnsspec.mta_sts.policy import (
    MAX_MAX_AGE,
    StsPolicy,
    StsPolicySyntaxError,
    parse,
    policy_id,
    policy_path,
    policy_url,
    render,
)
from dnsspec.mta_sts.syntax import StsRecord, StsRecordSyntaxError, is_sts_record
from dnsspec.mta_sts.syntax import owner_name as sts_owner
from dnsspec.mta_sts.syntax import parse as parse_record
from dnsspec.mta_sts.syntax import render as render_record

patterns = st.one_of(domains, domains.map(lambda d: f"*.{d}"))
policies = st.builds(
    StsPolicy,
    st.sampled_from(["enforce", "testing", "none"]),
    st.lists(patterns, min_size=1, max_size=4).map(tuple),
    st.integers(min_value=0, max_value=MAX_MAX_AGE),
    st.lists(
        st.tuples(
            st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(
                lambda n: n not in ("mx", "mode", "version", "max_age")
            ),
            st.from_regex(r"[!-9<>-~]{1,6}", fullmatch=True),
        ),
        max_size=2,
    ).map(tuple),
)


def test_exact_policy_bytes_and_id() -> None:
    policy = StsPolicy("enforce", ("mx1.example.com", "*.mx.example.net"), 604800)
    data = render(policy)
    assert data == (
        b"version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\n"
        b"mx: *.mx.example.net\r\nmax_age: 604800\r\n"
    )
    import hashlib

    assert policy_id(policy) == hashlib.sha256(data).hexdigest()[:32] == policy_id(data)
    assert len(policy_id(policy)) == 32
    assert policy_path("Example.com.") == "example.com/.well-known/mta-sts.txt"
    assert policy_url("example.com") == "https://mta-sts.example.com/.well-known/mta-sts.txt"


@given(policies)
def test_parse_inverts_render(policy: StsPolicy) -> None:
    data = render(policy)
    assert parse(data) == policy
    assert render(parse(data)) == data
    # senders accept LF endings and any order of fields
    lines = data.decode().split("\r\n")[:-1]
    assert parse("\n".join(reversed(lines))) == StsPolicy(
        policy.mode, tuple(reversed(policy.mx)), policy.max_age, tuple(reversed(policy.extra))
    )


@given(policies, policies)
def test_id_changes_exactly_when_the_policy_bytes_change(a: StsPolicy, b: StsPolicy) -> None:
    assert (policy_id(a) == policy_id(b)) == (render(a) == render(b))


@given(policies, st.data())
def test_changing_any_byte_changes_the_id(policy: StsPolicy, data: st.DataObject) -> None:
    original = render(policy)
    index = data.draw(st.integers(min_value=0, max_value=len(original) - 1))
    new = data.draw(st.integers(min_value=0, max_value=255).filter(lambda b: b != original[index]))
    changed = original[:index] + bytes([new]) + original[index + 1 :]
    assert policy_id(changed) != policy_id(original)
    assert policy_id(bytes(original)) == policy_id(policy)  # and nothing else goes in


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("version: STSv1\nmode: enforce\nmax_age: 86400\n", 1, "needs at least one 'mx:'"),
        ("version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n", 1, "needs 'mode: enforce'"),
        ("version: STSv2\nmode: none\nmax_age: 1\n", 0, "needs 'version: STSv1'"),
        ("mode: none\nmax_age: 1\n", 0, "needs 'version: STSv1'"),
        ("version: STSv1\nmode: none\nmax_age: 1d\n", 2, "max_age: <seconds>"),
        ("version: STSv1\nmode: none\nmax_age: 31557601\n", 2, "out of range"),
        ("version: STSv1\nmode: none\nmode: none\nmax_age: 1\n", 2, "appears twice"),
        ("version: STSv1\nmode: testing\nmx: mail.*.example\nmax_age: 1\n", 2, "leftmost label"),
        ("version: STSv1\nmode: testing\nmx: localhost\nmax_age: 1\n", 2, "two labels"),
        ("version: STSv1\nmode: none\nmax_age 1\n", 2, "not 'name: value'"),
        ("version: STSv1\nmode: none\nnote: é\n", 2, "ASCII"),
    ],
)
def test_bad_policies_point_at_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(StsPolicySyntaxError, match=re.escape(message)) as caught:
        parse(text)
    assert caught.value.line == line, caught.value.message


def test_mode_none_withdraws_with_no_mx() -> None:
    policy = parse(b"version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n")
    assert policy == StsPolicy("none", (), 86400)


def test_record() -> None:
    record = parse_record("v=STSv1; id=20260101T000000")
    assert record == StsRecord("20260101T000000")
    assert render_record(record) == "v=STSv1; id=20260101T000000"
    assert parse_record("v=STSv1;id=abc;") == StsRecord("abc")
    assert render_record(StsRecord("a" * 32, (("x", "1"),))) == f"v=STSv1; id={'a' * 32}; x=1"
    assert is_sts_record("v=STSv1; id=1")
    assert not is_sts_record("v=STSv10; id=1")
    assert sts_owner("") == "_mta-sts"
    for bad, column in [
        ("v=STSv1", 0),
        ("v=STSv1; id=" + "a" * 33, 9),
        ("v=STSv1; id=a-b", 9),
        ("v=stsv1; id=1", 0),
    ]:
        with pytest.raises(StsRecordSyntaxError) as caught:
            parse_record(bad)
        assert caught.value.column == column


@given(st.builds(StsRecord, st.from_regex(r"[A-Za-z0-9]{1,32}", fullmatch=True)))
def test_record_parse_inverts_render(record: StsRecord) -> None:
    assert parse_record(render_record(record)) == record


def test_mx_patterns() -> None:
    assert mx_pattern_problem("mx1.example.com") is None
    assert mx_pattern_problem("*.mx.example.net") is None
    assert mx_pattern_problem("*") is not None
    assert mx_pattern_problem("*mx.example.net") is not None
    assert mx_pattern_problem("a.*.example.net") is not None
    assert mx_pattern_problem("mx1.example.com.") is not None
    assert mx_pattern_problem("") is not None
    assert mx_matches("*.example.com", "mail.example.com")
    assert mx_matches("*.example.com", "MAIL.Example.com.")
    assert not mx_matches("*.example.com", "example.com")
    assert not mx_matches("*.example.com", "a.b.example.com")
    assert mx_matches("mx1.example.com", "mx1.example.com.")
    assert not mx_matches("mx1.example.com", "mx2.example.com")
    hosts = ["mx1.example.com.", "backup.mx.example.net."]
    assert unmatched_hosts(["mx1.example.com"], hosts) == ["backup.mx.example.net."]
    assert unused_patterns(["mx1.example.com", "*.other.example"], hosts) == ["*.other.example"]


@given(domains, st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True))
def test_wildcard_matches_exactly_one_label(domain: str, label: str) -> None:
    assert mx_matches(f"*.{domain}", f"{label}.{domain}")
    assert not mx_matches(f"*.{domain}", domain)
    assert not mx_matches(f"*.{domain}", f"{label}.{label}.{domain}")


def test_policy_files_are_written_under_their_domain(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dnsspec.mta_sts.policy import write_policy_file

    data = render(StsPolicy("testing", ("mx1.example.com",)))
    path = write_policy_file(tmp_path, "Example.COM.", data)
    assert path == tmp_path / "example.com" / ".well-known" / "mta-sts.txt"
    assert path.read_bytes() == data
    for bad in ("../etc", "a/b.example", ""):
        with pytest.raises(ValueError, match="is not a domain name"):
            write_policy_file(tmp_path, bad, data)
