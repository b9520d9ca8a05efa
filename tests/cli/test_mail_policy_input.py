"""Issue 10, tried as a new user writes it: DMARC, TLS-RPT and null-MX input at the CLI.

Each test runs ``dnsspec lint`` and ``dnsspec compile`` on a spec written from the README
and docs/spec-language.md. Bad input: exit 2, ``file:line:col``, no traceback, and a hint
that is itself valid (copying it must not produce the next error).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.dmarc.syntax import parse as parse_dmarc

runner = CliRunner()


def run(tmp_path: Path, text: str, command: str = "compile", *args: str) -> tuple[int, str]:
    zones = tmp_path / "zones"
    zones.mkdir(exist_ok=True)
    (zones / "example.com.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, [command, *args, str(zones)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def refused(tmp_path: Path, text: str) -> str:
    """The output of compile, checked to be exit 2 for lint too."""
    code, output = run(tmp_path, text)
    assert code == 2, output
    lint_code, lint_output = run(tmp_path, text, "lint")
    assert lint_code == 2, lint_output
    return output


def hint_of(output: str) -> str:
    found = re.search(r"^\s+hint: (.*)$", output, re.MULTILINE)
    assert found, output
    return found.group(1)


def quoted_records(hint: str, start: str) -> list[str]:
    return re.findall(rf"'({re.escape(start)}[^']*)'", hint)


@pytest.mark.parametrize(
    "raw",
    [
        "p=reject; v=DMARC1",  # the hint was 'v=DMARC1; p=reject; v=DMARC1': a duplicate v=
        "v=dmarc1; p=reject",  # the hint was 'v=DMARC1', which has no p=
        "v=DMARC2; p=quarantine; rua=mailto:d@example.com",
        "p=rejec; v=DMARC1",
        "v=DMARC1; sp=reject",
        "v=DMARC1",
        "sp=reject",
    ],
)
def test_a_raw_dmarc_record_hint_is_a_record_that_parses(tmp_path: Path, raw: str) -> None:
    output = refused(tmp_path, f'spf: none\ndmarc: "{raw}"\n')
    assert "example.com.yaml:2:" in output
    records = quoted_records(hint_of(output), "v=DMARC1")
    assert records, output
    for record in records:
        parse_dmarc(record)  # raises if the hint is itself invalid
        code, compiled = run(tmp_path, f'spf: none\ndmarc: "{record}"\n', "compile")
        assert code == 0, compiled


def test_a_raw_record_with_v_second_is_told_the_same_record_with_v_first(
    tmp_path: Path,
) -> None:
    raw = "p=quarantine; v=DMARC1; rua=mailto:d@example.com"
    output = refused(tmp_path, f'spf: none\ndmarc: "{raw}"\n')
    assert "'v=DMARC1; p=quarantine; rua=mailto:d@example.com'" in hint_of(output)


@pytest.mark.parametrize(
    ("key", "value", "owner"),
    [
        ("dmarc", "{policy: reject}", "_dmarc.*"),
        ("dmarc", '"v=DMARC1; p=reject"', "_dmarc.*"),
        ("tls_rpt", "{rua: [mailto:tlsrpt@example.com]}", "_smtp._tls.*"),
        ("dkim", "{s1: {revoked: true}}", "_domainkey.*"),
        ("mta_sts", "{mode: enforce}", "_mta-sts.*"),
    ],
)
@pytest.mark.parametrize("wildcard", ["*", "*.eu"])
def test_a_kind_below_the_name_is_refused_at_a_wildcard(
    tmp_path: Path, key: str, value: str, owner: str, wildcard: str
) -> None:
    # `_dmarc.*.example.com.` is a literal name ('*' is a wildcard only leftmost, RFC 4592):
    # compile used to publish it, and no receiver ever looks it up
    text = f'spf: none\nsubdomains:\n  "{wildcard}":\n    spf: none\n    {key}: {value}\n'
    output = refused(tmp_path, text)
    assert "example.com.yaml:5:" in output
    assert f"would be at {owner.replace('*', wildcard)}, a literal name" in output
    assert "hint: set `" in output


def test_the_wildcard_still_takes_spf_and_null_mx_and_unset(tmp_path: Path) -> None:
    text = 'spf: none\nsubdomains:\n  "*":\n    spf: none\n    mx: none\n    dmarc: unset\n'
    code, output = run(tmp_path, text, "compile", "--format", "zone")
    assert code == 0, output
    assert '* 3600 IN TXT "v=spf1 -all"' in output and "* 3600 IN MX 0 ." in output


def test_the_dmarc_wildcard_hint_is_valid(tmp_path: Path) -> None:
    output = refused(tmp_path, 'spf: none\nsubdomains:\n  "*": {dmarc: {policy: reject}}\n')
    assert "set `dmarc:` at the apex" in hint_of(output)
    code, moved = run(tmp_path, "spf: none\ndmarc: {policy: reject}\n")
    assert code == 0, moved


def _uris(count: int, width: int = 1) -> str:
    return ", ".join(f"mailto:dmarc-{i:0{width}d}@example.com" for i in range(count))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # the raw form refused these; the mapping form published them (200 URIs, 2 kB)
        (f"dmarc: {{policy: reject, rua: [{_uris(17)}]}}", "17 report URIs (at most 16)"),
        (f"dmarc: {{policy: reject, ruf: [{_uris(200)}]}}", "200 report URIs (at most 16)"),
        (f"tls_rpt: {{rua: [{_uris(17)}]}}", "rua= lists 17 URIs (at most 16)"),
        (f"dmarc: {{policy: reject, rua: [{_uris(16, 120)}]}}", "characters long (at most 2048)"),
    ],
)
def test_the_mapping_form_is_held_to_the_raw_form_s_limits(
    tmp_path: Path, text: str, message: str
) -> None:
    output = refused(tmp_path, f"spf: none\n{text}\n")
    assert "example.com.yaml:2:" in output and message in output
    assert hint_of(output).startswith(("keep the addresses", "list fewer"))


def test_sixteen_report_uris_still_compile(tmp_path: Path) -> None:
    code, output = run(tmp_path, f"spf: none\ndmarc: {{policy: reject, rua: [{_uris(16)}]}}\n")
    assert code == 0, output


def test_mx_unset_is_the_documented_opt_out_of_the_parked_null_mx(tmp_path: Path) -> None:
    # docs and PARKED102 name `mx: unset`; it was refused as invalid input (exit 2)
    text = 'profile: parked\nmx: unset\nrecords:\n  "": {type: A, value: 192.0.2.1}\n'
    code, output = run(tmp_path, text, "compile", "--format", "zone")
    assert code == 0, output
    assert "MX" not in output and '@ 3600 IN TXT "v=spf1 -all"' in output
    code, output = run(tmp_path, text, "lint")
    assert code == 1 and "example.com.yaml:2:5: PARKED102" in output, output


def test_mx_unset_beside_mx_hosts_is_no_conflict(tmp_path: Path) -> None:
    mx = "{type: MX, value: {preference: 10, exchange: mx1.example.com.}}"
    text = f'mx: unset\nrecords:\n  "": {mx}\n'
    code, output = run(tmp_path, text, "compile", "--format", "zone")
    assert code == 0, output
    assert "@ 3600 IN MX 10 mx1.example.com." in output and "MX 0 ." not in output


@pytest.mark.parametrize("value", ["null", "None", "NONE", "unst", "mx1.example.com", "[a]"])
def test_mx_takes_only_none_or_unset(tmp_path: Path, value: str) -> None:
    output = refused(tmp_path, f"spf: none\nmx: {value}\n")
    assert "example.com.yaml:2:" in output and "`mx: none`" in hint_of(output)


@pytest.mark.parametrize(
    ("line", "fix"),
    [
        ("dmarc: reject", "dmarc: {policy: reject}"),
        ("dmarc: Quarantine", "dmarc: {policy: quarantine}"),
        ("dmarc: none", "dmarc: unset"),
        ("dmarc: none", "dmarc: {policy: none}"),
        ("tls_rpt: none", "tls_rpt: unset"),
        ("tls_rpt: none", "tls_rpt: {rua: [mailto:tlsrpt@example.com]}"),
    ],
)
def test_a_bare_word_for_a_record_key_is_told_the_key_s_forms(
    tmp_path: Path, line: str, fix: str
) -> None:
    # these read as a one-tag record: "tag 'reject' has no '='"
    output = refused(tmp_path, f"spf: none\n{line}\n")
    assert "example.com.yaml:2:" in output and "has no '='" not in output
    assert f"`{fix}`" in hint_of(output)
    code, fixed = run(tmp_path, f"spf: none\n{fix}\n")
    assert code == 0, fixed


@pytest.mark.parametrize(
    ("line", "fix"),
    [
        ('fo: "1:d"', "['1', d]"),  # was `['1:d']`, itself refused
        ("fo: ['1:d']", "['1', d]"),  # had no hint
        ('fo: "0"', "['0']"),
    ],
)
def test_an_fo_written_as_the_record_writes_it_gets_a_list_hint_that_is_valid(
    tmp_path: Path, line: str, fix: str
) -> None:
    output = refused(tmp_path, f"spf: none\ndmarc: {{policy: reject, {line}}}\n")
    assert f"`{fix}`" in hint_of(output) or f"`fo: {fix}`" in hint_of(output)
    code, fixed = run(tmp_path, f"spf: none\ndmarc: {{policy: reject, fo: {fix}}}\n", "compile")
    assert code == 0, fixed


@pytest.mark.parametrize(
    ("uri", "message", "fixed"),
    [
        ("mailto:dmarc@exämple.com", "is not ASCII", "mailto:dmarc@xn--exmple-cua.com"),
        ("https://exämple.com/r", "is not ASCII", "https://xn--exmple-cua.com/r"),
        ("mailto:dmärc@example.com", "the mailbox 'dmärc' is not ASCII", None),
        ("mailto:a,b@example.com", "',' cannot be part of an address", None),
    ],
)
@pytest.mark.parametrize("key", ["dmarc: {policy: reject, rua: [%s]}", "tls_rpt: {rua: [%s]}"])
def test_a_report_uri_a_receiver_cannot_use_is_told_one_it_can(
    tmp_path: Path, uri: str, message: str, fixed: str | None, key: str
) -> None:
    output = refused(tmp_path, "spf: none\n" + key % f'"{uri}"' + "\n")
    assert "example.com.yaml:2:" in output and message in output
    hint = hint_of(output)
    if fixed is not None:
        assert hint == fixed
    for candidate in re.findall(r"(?:mailto:|https://)[^\s,\]]+", hint):
        code, compiled = run(tmp_path, "spf: none\n" + key % candidate + "\n")
        assert code == 0, compiled


@pytest.mark.parametrize(
    ("text", "added"),
    [
        ("dmarc: {rua: [mailto:d@example.com]}", "policy: none"),
        ("dmarc: {}", "policy: none"),
        ("tls_rpt: {}", "rua: [mailto:tlsrpt@example.com]"),
    ],
)
def test_a_missing_required_key_is_told_a_value_for_it(
    tmp_path: Path, text: str, added: str
) -> None:
    # the error had no hint at all
    output = refused(tmp_path, f"spf: none\n{text}\n")
    assert "example.com.yaml:2:1:" in output and f"add `{added}`" in hint_of(output)
    key, _, body = text.partition(": ")
    inner = body.strip("{}")
    fixed = f"{key}: {{{added}{', ' + inner if inner else ''}}}"
    code, compiled = run(tmp_path, f"spf: none\n{fixed}\n")
    assert code == 0, compiled
