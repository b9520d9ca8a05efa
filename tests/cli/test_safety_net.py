"""Issue 8, the spec side: input that used to become wrong DNS is located invalid input.

Each test runs the CLI as a user does (``dnsspec compile`` and ``dnsspec lint``):
exit 2, ``file:line:col``, the fix in the hint, no traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dnsspec.cli import app

runner = CliRunner()


def run(tmp_path: Path, files: dict[str, str], command: str = "compile") -> tuple[int, str]:
    zones = tmp_path / "zones"
    zones.mkdir(exist_ok=True)
    for name, text in files.items():
        (zones / name).write_text(text, encoding="utf-8")
    result = runner.invoke(app, [command, str(zones)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def refused(tmp_path: Path, files: dict[str, str]) -> str:
    """The output of compile, checked to be exit 2 for lint too."""
    code, output = run(tmp_path, files)
    assert code == 2, output
    lint_code, lint_output = run(tmp_path, {}, "lint")
    assert lint_code == 2, lint_output
    return output


# --- item 1: a full domain name as a name key --------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "fix"),
    [
        ("subdomains:\n  lists.brightkettle.com: {spf: none}\n", ":2:3:", "write `lists`"),
        (
            "records:\n  lists.brightkettle.com: {type: A, value: 192.0.2.1}\n",
            ":2:3:",
            "write `lists`",
        ),
        (
            "records:\n  a.b.BrightKettle.COM: {type: A, value: 192.0.2.1}\n",
            ":2:3:",
            "write `a.b`",
        ),
        ("records:\n  brightkettle.com: {type: A, value: 192.0.2.1}\n", ":2:3:", "write ''"),
        ("subdomains:\n  brightkettle.com: {spf: none}\n", ":2:3:", "top-level `spf:`"),
    ],
)
def test_a_name_ending_in_the_zone_is_refused_with_the_fix(
    tmp_path: Path, text: str, where: str, fix: str
) -> None:
    output = refused(tmp_path, {"brightkettle.com.yaml": text})
    assert f"brightkettle.com.yaml{where} error:" in output
    assert "ends in the zone's own name" in output
    assert fix in output
    assert "brightkettle.com.brightkettle.com." in output.lower()


def test_literal_names_is_the_explicit_opt_out(tmp_path: Path) -> None:
    text = (
        "literal_names: [lists.brightkettle.com]\n"
        "records:\n  lists.brightkettle.com: {type: A, value: 192.0.2.1}\n"
    )
    code, output = run(tmp_path, {"brightkettle.com.yaml": text})
    assert code == 0, output
    assert '"fqdn": "lists.brightkettle.com.brightkettle.com."' in output


def test_a_literal_name_that_needs_no_opt_out_is_refused(tmp_path: Path) -> None:
    output = refused(tmp_path, {"brightkettle.com.yaml": "literal_names: [lists]\n"})
    assert ":1:17: error: literal_names[0]: 'lists' does not end in the zone's own name" in output


# --- item 2: unqualified targets ----------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "at", "what", "fix"),
    [
        (
            "{type: CNAME, value: brightkettle.statuspage.example}",
            "brightkettle.statuspage.example",
            "the CNAME target 'brightkettle.statuspage.example'",
            "`value: brightkettle.statuspage.example.`",
        ),
        (
            "{type: MX, value: {preference: 10, exchange: mx.example.net}}",
            "mx.example.net",
            "the MX exchange 'mx.example.net'",
            "`exchange: mx.example.net.`",
        ),
        (
            "{type: NS, values: [ns1.example.net., ns2.example.net]}",
            "ns2.example.net",
            "the NS target 'ns2.example.net'",
            "`ns2.example.net.`",
        ),
        (
            "{type: SRV, value: {priority: 1, weight: 1, port: 5060, target: sip.example.net}}",
            "sip.example.net",
            "the SRV target 'sip.example.net'",
            "`target: sip.example.net.`",
        ),
        (
            "{type: PTR, value: host.example.net}",
            "host",
            "the PTR target",
            "`value: host.example.net.`",
        ),
        (
            "{type: DNAME, value: example.net}",
            "example",
            "the DNAME target",
            "`value: example.net.`",
        ),
        (
            "{type: ALIAS, value: lb.example.net}",
            "lb",
            "the ALIAS target",
            "`value: lb.example.net.`",
        ),
        (
            "{type: HTTPS, value: {svcpriority: 1, targetname: svc.example.net, svcparams: {}}}",
            "svc.example.net",
            "the HTTPS targetname 'svc.example.net'",
            "`targetname: svc.example.net.`",
        ),
        (
            "{type: NAPTR, value: {order: 1, preference: 1, flags: S, service: SIP+D2U,"
            " regexp: '', replacement: _sip._udp.example.net}}",
            "_sip._udp",
            "the NAPTR replacement",
            "`replacement: _sip._udp.example.net.`",
        ),
    ],
)
def test_an_unqualified_target_is_invalid_input(
    tmp_path: Path, entry: str, at: str, what: str, fix: str
) -> None:
    # octoDNS allows ALIAS at the apex only, SRV at _service._proto names only
    name = "''" if "ALIAS" in entry else "_sip._tcp" if "SRV" in entry else "status"
    line = f"  {name}: {entry}"
    col = line.rindex(at) + 1
    output = refused(tmp_path, {"brightkettle.com.yaml": f"records:\n{line}\n"})
    assert f"brightkettle.com.yaml:2:{col}: error: records.{name}: {what}" in output
    assert "has no trailing dot, so DNS reads it relative to the zone" in output
    assert f"add the trailing dot: {fix}" in output


def test_root_targets_and_qualified_ones_are_fine(tmp_path: Path) -> None:
    text = (
        "records:\n"
        "  '': {type: MX, value: {preference: 0, exchange: .}}\n"
        "  _x._tcp: {type: SRV, value: {priority: 0, weight: 0, port: 0, target: .}}\n"
        "  status: {type: CNAME, value: brightkettle.statuspage.example.}\n"
    )
    code, output = run(tmp_path, {"brightkettle.com.yaml": text})
    assert code == 0, output


# --- item 4: zone file names --------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "what", "right"),
    [
        ("brightkettle.com..yaml", "the zone name has an empty label", "brightkettle.com.yaml"),
        ("BrightKettle.com.yaml", "the zone name is not lower case", "brightkettle.com.yaml"),
        (".brightkettle.com.yaml", "the zone name has an empty label", "brightkettle.com.yaml"),
        ("brightkettle..com.yaml", "the zone name has an empty label", "brightkettle.com.yaml"),
        ("bücher.de.yaml", "the zone name is not ASCII", "xn--bcher-kva.de.yaml"),
    ],
)
def test_zone_file_names_are_names(tmp_path: Path, file: str, what: str, right: str) -> None:
    output = refused(tmp_path, {file: "spf: none\n"})
    assert f"{file}:1:1: error: the file name '{file}' is not '<zone>.yaml'" in output
    assert what in output
    assert f"rename it to {tmp_path / 'zones' / right}" in output.replace("\n    ", " ")


# --- item 5: internationalized names, one rule everywhere ---------------------------


@pytest.mark.parametrize(
    ("file", "text", "hint"),
    [
        ("example.com.yaml", "subdomains:\n  bücher: {spf: none}\n", "'xn--bcher-kva'"),
        (
            "example.com.yaml",
            "records:\n  bücher.eu: {type: A, value: 192.0.2.1}\n",
            "'xn--bcher-kva.eu'",
        ),
        (
            "example.com.yaml",
            "spf: {mechanisms: [include:bücher.de], all: fail}\n",
            "'include:xn--bcher-kva.de'",
        ),
        (
            "example.com.yaml",
            "spf: 'v=spf1 a:mail.bücher.de -all'\n",
            "'v=spf1 a:mail.xn--bcher-kva.de -all'",
        ),
        ("example.com.yaml", "spf: {redirect: bücher.de}\n", "'xn--bcher-kva.de'"),
        (
            "example.com.yaml",
            "records:\n  www: {type: CNAME, value: bücher.de.}\n",
            "`value: xn--bcher-kva.de.`",
        ),
        (
            "example.com.yaml",
            "records:\n  '': {type: MX, value: {preference: 10, exchange: mx.bücher.de.}}\n",
            "`exchange: mx.xn--bcher-kva.de.`",
        ),
        ("bücher.de.yaml", "spf: none\n", "xn--bcher-kva.de.yaml"),
    ],
)
def test_a_unicode_name_is_refused_with_its_a_label(
    tmp_path: Path, file: str, text: str, hint: str
) -> None:
    output = refused(tmp_path, {file: text})
    assert "hint:" in output
    assert hint in output.replace("\n    ", " ")


# --- items 9-11: messages and hints -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        (
            "spf:\n  mechanisms: include:_spf.google.com mx\n  all: fail\n",
            "expected a list, got the string 'include:_spf.google.com mx'",
            "write it as a list: `['include:_spf.google.com', mx]`",
        ),
        (
            "spf:\n  mechanisms: [include:_spf.google.com mx]\n  all: fail\n",
            "a space inside a term",
            "one term per list item: `['include:_spf.google.com', mx]`",
        ),
        (
            "spf:\n  mechanisms:\n    - include:_spf.google.com\n     - a\n  all: fail\n",
            "invalid character ' ': a space inside a term",
            "mis-indented list item",
        ),
        (
            "records:\n  _dmarc: {type: TXT, value: 'v=DMARC1; p=reject'}\n",
            "unescaped ;",
            "`value: 'v=DMARC1\\; p=reject'`",
        ),
        (
            'records:\n  _dmarc: {type: TXT, value: "v=DMARC1\\; p=reject"}\n',
            "found unknown escape character ';'",
            "in double quotes a backslash starts an escape",
        ),
        ("ttl: -5\n", "ttl must be an integer from 0 to 2147483647, got -5", "e.g. 3600"),
        (
            "records:\n  x: {type: A, value: 192.0.2.1, ttl: -5}\n",
            "ttl must be an integer from 0 to 2147483647, got -5",
            "e.g. 3600",
        ),
        ("spf: {mechanisms: [mx], all: -all}\n", "got the string '-all'", "`all: fail`"),
        ("spf: {mechanisms: [mx], all: reject}\n", "got the string 'reject'", "'fail'?"),
        ("spf: {mechanisms: [mx], all: '~all'}\n", "got the string '~all'", "`all: softfail`"),
        ("spf: {mechanisms: [mx], all: hardfail}\n", "got the string 'hardfail'", "'fail'?"),
    ],
)
def test_messages_say_what_is_wrong_and_hints_are_right(
    tmp_path: Path, text: str, message: str, hint: str
) -> None:
    output = refused(tmp_path, {"example.com.yaml": text}).replace("\n    ", " ")
    assert message in output
    assert hint in output
    assert "only printable ASCII" not in output
