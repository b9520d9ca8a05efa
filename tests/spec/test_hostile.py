"""Hostile spec input (issue 8, items 13-15): each class, with more than one example.

Whatever the file, ``dnsspec compile`` and ``dnsspec lint`` end in exit 2 with
located problems (``file:line:col``), a hint, and no traceback; none runs past
a documented bound (docs/spec-language.md, "Limits").
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.spec.source import MAX_DEPTH

runner = CliRunner()


def cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def refused(target: Path) -> str:
    """Both commands refuse the input the same way; the compile output is returned."""
    code, output = cli("compile", str(target))
    assert code == 2, output
    lint_code, lint_output = cli("lint", str(target))
    assert lint_code == 2, lint_output
    return output


def zones(tmp_path: Path, **files: str) -> Path:
    directory = tmp_path / "zones"
    directory.mkdir()
    for name, text in files.items():
        (directory / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return directory


# --- nesting: a located error at the first level past MAX_DEPTH, never RecursionError ---


def _flow(depth: int) -> str:
    return "spf:\n  modifiers: " + "[" * depth + "]" * depth + "\n"


def _block(depth: int) -> str:
    lines = ["records:", "  x:"]
    lines += ["  " * (i + 2) + f"k{i}:" for i in range(depth)]
    return "\n".join(lines) + "\n" + "  " * (depth + 2) + "leaf\n"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (_flow(MAX_DEPTH + 5), 2),
        (_flow(400), 2),  # the 800-byte file of the issue
        (_flow(50_000), 2),  # past the interpreter's recursion limit
        ("# a\ttab sends the file to PyYAML's own parser\n" + _flow(5_000), 3),
        (_block(300), MAX_DEPTH + 2),
        ("a: &x " + "{k: " * 200 + "1" + "}" * 200 + "\nb: *x\n", 1),
    ],
    ids=["flow-just-past", "flow-400", "flow-50000", "pure-python-parser", "block", "alias"],
)
def test_deep_nesting_is_a_located_error(tmp_path: Path, text: str, line: int) -> None:
    output = refused(zones(tmp_path, example_com_yaml=text))
    assert f"example.com.yaml:{line}:" in output
    assert f"invalid YAML: nested more than {MAX_DEPTH} levels deep" in output


def test_nesting_within_the_bound_is_an_ordinary_problem(tmp_path: Path) -> None:
    output = refused(zones(tmp_path, example_com_yaml=_flow(MAX_DEPTH - 3)))
    assert "nested more than" not in output
    assert "spf.modifiers: expected a mapping" in output


# --- symlinks: every broken one is reported, with the file's name ----------------------


def test_broken_symlinks_in_zones_are_located_errors(tmp_path: Path) -> None:
    directory = zones(tmp_path, example_com_yaml="spf: none\n")
    os.symlink("self.example.yaml", directory / "self.example.yaml")
    os.symlink("b.example.yaml", directory / "a.example.yaml")
    os.symlink("a.example.yaml", directory / "b.example.yaml")
    os.symlink("nowhere.yaml", directory / "dangling.example.yaml")
    os.symlink(tmp_path / "missing" / "x.yaml", directory / "absolute.example.yaml")
    output = refused(directory)
    hint = "hint: point the symlink at a spec file, or remove it"
    for line in (
        "absolute.example.yaml:1:1: error: cannot read: a symlink to",
        "a.example.yaml:1:1: error: cannot read: a symlink loop (-> b.example.yaml)",
        "b.example.yaml:1:1: error: cannot read: a symlink loop (-> a.example.yaml)",
        "dangling.example.yaml:1:1: error: cannot read: a symlink to nowhere.yaml, which does "
        "not exist",
        "self.example.yaml:1:1: error: cannot read: a symlink to itself (-> self.example.yaml)",
    ):
        assert line in output
    assert output.count(hint) == 5


def test_a_broken_symlink_given_as_the_path(tmp_path: Path) -> None:
    os.symlink("itself.example.yaml", tmp_path / "itself.example.yaml")
    output = refused(tmp_path / "itself.example.yaml")
    assert "itself.example.yaml:1:1: error: cannot read: a symlink to itself" in output


def test_a_good_symlink_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text("spf: none\n")
    directory = zones(tmp_path)
    os.symlink(tmp_path / "real.yaml", directory / "example.com.yaml")
    code, output = cli("compile", str(directory), "--format", "zone")
    assert code == 0, output
    assert '@ 3600 IN TXT "v=spf1 -all"' in output


# --- size: a documented bound per file, and what DNS can carry ----------------------------


def test_a_spec_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    from dnsspec.spec.load import MAX_SPEC_BYTES

    line = "# " + "x" * 1000 + "\n"
    text = line * (MAX_SPEC_BYTES // len(line) + 1)
    output = refused(zones(tmp_path, example_com_yaml=text))
    assert (
        f"example.com.yaml:1:1: error: the spec is larger than {MAX_SPEC_BYTES:,} bytes" in output
    )


def test_a_pipe_or_device_is_not_read(tmp_path: Path) -> None:
    directory = zones(tmp_path)
    os.mkfifo(directory / "pipe.example.yaml")
    output = refused(directory)
    assert "pipe.example.yaml:1:1: error: cannot read: not a regular file" in output
    assert "not a regular file" in refused(Path("/dev/zero"))


@pytest.mark.parametrize(
    "text",
    [
        # one rrset of many values
        "records:\n  big: {type: TXT, values: ["
        + ", ".join(f"'v{i:03d}{'x' * 250}'" for i in range(260))
        + "]}\n",
        # one value too large for any message
        f"records:\n  big: {{type: TXT, value: '{'x' * 70_000}'}}\n",
        # an SPF policy larger than DNS can carry
        "spf: 'v=spf1 "
        + " ".join(f"ip4:10.{i // 256 % 256}.{i % 256}.0/24" for i in range(4_200))
        + " -all'\n",
        # an SPF policy and a records: TXT merged into one rrset at the apex
        "spf: 'v=spf1 "
        + " ".join(f"ip4:10.{i // 256 % 256}.{i % 256}.0/24" for i in range(1_800))
        + " -all'\n"
        + f"records:\n  '': {{type: TXT, value: '{'y' * 40_000}'}}\n",
    ],
    ids=["many-values", "one-value", "spf", "merged"],
)
def test_a_txt_rrset_larger_than_a_dns_message_is_invalid_input(tmp_path: Path, text: str) -> None:
    output = refused(zones(tmp_path, example_com_yaml=text))
    assert "-octet DNS answer; a DNS message carries at most 65,535 octets" in output


def test_txt_answer_size_is_the_wire_size() -> None:
    import dns.message
    import dns.rdataclass
    import dns.rdatatype
    import dns.rdtypes.ANY.TXT
    import dns.rrset

    from dnsspec.records import split_character_strings, txt_answer_size

    for values in (["a"], ["", "x" * 255], ["x" * 256, "y" * 1000, "v=spf1 -all"]):
        query = dns.message.make_query("lists.example.com.", "TXT", use_edns=False)
        response = dns.message.make_response(query)
        rrset = dns.rrset.RRset(
            dns.name.from_text("lists.example.com."), dns.rdataclass.IN, dns.rdatatype.TXT
        )
        for value in values:
            strings = [s.encode() for s in split_character_strings(value, at_spaces=False)]
            rrset.add(dns.rdtypes.ANY.TXT.TXT(dns.rdataclass.IN, dns.rdatatype.TXT, strings))
        response.answer.append(rrset)
        assert txt_answer_size("lists.example.com.", values) == len(response.to_wire())


# --- every hint that holds a YAML fragment loads back as YAML ------------------------------

BAD_SPECS = [
    "spf:\n  mechanisms: include:_spf.google.com mx\n",
    "spf:\n  mechanisms: [include:_spf.google.com mx, 'exists:%{i}.x.example a']\n",
    "spf:\n  mechanisms:\n    - include:_spf.google.com\n     - a\n",
    "spf: {mechanisms: [mx], all: -all}\n",
    "spf: {mechanisms: [mx], all: reject}\n",
    "records:\n  _dmarc: {type: TXT, value: 'v=DMARC1; p=reject'}\n",
    "records:\n  status: {type: CNAME, value: status.example.net}\n",
    "records:\n  '': {type: MX, value: {preference: 10, exchange: mx.example.net}}\n",
    "records:\n  '': {type: NS, values: [ns1.example.net, ns2.example.net]}\n",
    "records:\n  www: {type: CNAME, value: bücher.de.}\n",
    "subdomains:\n  lists.example.com: {spf: none}\n",
    "spf: {mechanisms: [include:bücher.de], all: fail}\n",
    "records:\n  www: {type: A, value: 192.0.2.1, tpye: A}\n",
    "records:\n  www: {type: A}\n",
    "ttl: -5\n",
    "ignore: SPF201\n",
    "spf:\n",
    "subdomains:\n  mx1: {dnssec: true, ttl: 60, manage: all, subdomain_default: none}\n",
    "subdomains:\n  mx1: {records: {}, subdomains: {}}\n",
    "dnssec: yes\n",
]


def test_every_yaml_fragment_in_a_hint_is_valid_yaml(tmp_path: Path) -> None:
    import re

    from dnsspec.errors import SpecError
    from dnsspec.spec.load import load_zone
    from dnsspec.spec.source import YamlProblems, read_yaml

    fragments = []
    for i, text in enumerate(BAD_SPECS):
        (tmp_path / str(i)).mkdir()
        file = tmp_path / str(i) / "example.com.yaml"
        file.write_text(text, encoding="utf-8")
        with pytest.raises(SpecError) as info:
            load_zone(file)
        for problem in info.value.problems:
            fragments += re.findall(r"`([^`]+)`", problem.hint or "")
    assert len(fragments) >= 12
    for fragment in fragments:
        try:
            read_yaml(Path("hint.yaml"), fragment + "\n")
        except YamlProblems as error:  # pragma: no cover - the assertion says which
            raise AssertionError(f"hint {fragment!r} is not YAML: {error.problems}") from None
    assert ["include:_spf.google.com", "mx"] in [read_yaml(Path("h.yaml"), f)[0] for f in fragments]
