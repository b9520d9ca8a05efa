"""`dnsspec lint` and `dnsspec rules` end to end: output formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lint_helpers import write_zones
from typer.testing import CliRunner

from dnsspec.cli import app

CLEAN = """
spf:
  mechanisms: [ip4:192.0.2.0/24]
  all: fail
"""
PASS_ALL = """
spf:
  mechanisms: [ip4:192.0.2.0/24]
  all: pass
"""
NEUTRAL = 'spf: "v=spf1 ip4:192.0.2.0/24 ?all"\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_clean_specs_exit_0(project: Path) -> None:
    write_zones(project, {"example.com": CLEAN})
    assert run("lint") == (0, "No problems found.\n")


def test_an_error_exits_1_with_a_located_finding(project: Path) -> None:
    write_zones(project, {"example.com": PASS_ALL})
    code, out = run("lint")
    assert code == 1
    assert out.splitlines()[0] == (
        "zones/example.com.yaml:3:8: SPF301 [error] SPF policy of example.com ends in `+all`: "
        "any host may send as it"
    )
    assert out.splitlines()[-1] == "Found 1 problem (1 error)."


def test_warnings_fail_only_with_fail_on_warning(project: Path) -> None:
    write_zones(project, {"example.com": NEUTRAL})
    assert run("lint")[0] == 0
    assert run("lint", "--fail-on", "warning")[0] == 1
    assert run("lint", "--fail-on", "warning", "--ignore", "SPF302")[0] == 0
    assert run("lint", "--fail-on", "bogus")[0] == 2


def test_invalid_input_exits_2_without_traceback(project: Path) -> None:
    write_zones(project, {"example.com": "spf:\n  mechanisms: [ip4:300.1.1.1]\n  all: fail\n"})
    code, out = run("lint")
    assert code == 2
    assert "zones/example.com.yaml:2:" in out and "Traceback" not in out


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_invalid_input_reaches_machine_formats_on_stdout(project: Path, fmt: str) -> None:
    write_zones(project, {"example.com": "spf:\n  mechanisms: [ip4:300.1.1.1]\n  all: fail\n"})
    result = CliRunner().invoke(app, ["lint", "--format", fmt])
    assert result.exit_code == 2
    out = result.stdout
    if fmt == "json":
        (finding,) = json.loads(out)["findings"]
        assert (finding["code"], finding["severity"], finding["line"]) == ("SPEC000", "error", 2)
        assert "invalid SPF mechanism 'ip4:300.1.1.1'" in finding["message"]
    elif fmt == "sarif":
        run_ = json.loads(out)["runs"][0]
        (found,) = run_["results"]
        rule = run_["tool"]["driver"]["rules"][found["ruleIndex"]]
        assert (found["ruleId"], rule["id"], found["level"]) == ("SPEC000", "SPEC000", "error")
        region = found["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == 2
    else:
        assert out.startswith(
            "::error file=zones/example.com.yaml,line=2,col=16,title=SPEC000 invalid-spec::"
        ), out
    assert "Traceback" not in result.output


def test_an_ignore_entry_matching_no_rule_is_located_invalid_input(project: Path) -> None:
    spec = CLEAN + "ignore: [SPF3, SPF999]\nsubdomains:\n  www: {spf: none, ignore: [DNS9]}\n"
    write_zones(project, {"example.com": spec})
    code, out = run("lint")
    assert code == 2
    # checked while the file loads, with the rest of it (issue 8, item 8)
    assert "zones/example.com.yaml:4:16: SPEC000 [error] ignore[1]: 'SPF999' matches no" in out
    assert "zones/example.com.yaml:6:29: SPEC000 [error] subdomains.www.ignore[0]: 'DNS9'" in out
    assert "'SPF3'" not in out


def test_unknown_select_code_exits_2(project: Path) -> None:
    write_zones(project, {"example.com": CLEAN})
    code, out = run("lint", "--select", "SPF9")
    assert code == 2 and "'SPF9' matches no lint rule" in out


def test_json_and_select(project: Path) -> None:
    write_zones(project, {"example.com": PASS_ALL})
    code, out = run("lint", "--format", "json", "--select", "SPF3,DNS4")
    assert code == 1
    data = json.loads(out)
    assert [(f["code"], f["line"], f["col"]) for f in data["findings"]] == [("SPF301", 3, 8)]


def test_github_annotations_inside_github_actions(project: Path) -> None:
    write_zones(project, {"example.com": PASS_ALL})
    code, out = run("lint", env={"GITHUB_ACTIONS": "true"})
    assert code == 1
    assert out.startswith(
        "::error file=zones/example.com.yaml,line=3,col=8,title=SPF301 spf-pass-all::"
    )
    assert run("lint", "--format", "sarif", env={"GITHUB_ACTIONS": "true"})[1].startswith("{")


def test_a_single_file_is_linted_with_its_sibling_zones(project: Path) -> None:
    write_zones(
        project,
        {
            "example.com": "spf:\n  mechanisms: [include:_spf.example.net]\n  all: fail\n",
            "example.net": "subdomains:\n  _spf: {spf: {mechanisms: [ip4:192.0.2.0/24]}}\n",
        },
    )
    # example.net's policy lacks `all` (SPF103), but only example.com's file was asked for;
    # the include of _spf.example.net is followed through example.net (no SPF304, no SPF204)
    assert run("lint", "zones/example.com.yaml", "--fail-on", "warning") == (
        0,
        "No problems found.\n",
    )
    code, out = run("lint", "--fail-on", "warning")
    assert code == 1 and "zones/example.net.yaml:2:" in out and "SPF103" in out


def test_lint_counts_through_the_lock(project: Path) -> None:
    write_zones(project, {"example.com": "spf: {mechanisms: [include:_spf.x.example], all: fail}"})
    _, out = run("lint", "--format", "json")
    assert [f["code"] for f in json.loads(out)["findings"]] == ["SPF204"]
    (project / "dnsspec.lock").write_text(
        "version: 1\nnames:\n  _spf.x.example:\n    resolved_at: '2026-01-01T00:00:00Z'\n"
        "    lookups: 0\n    voids: 0\n    answers:\n      TXT: ['v=spf1 ip4:192.0.2.1 -all']\n"
    )
    assert run("lint", "--fail-on", "warning") == (0, "No problems found.\n")
    (project / "dnsspec.lock").write_text("version: 99\nnames: {}\n")
    code, out = run("lint")
    assert code == 2 and "format version 99 is not supported" in out


def test_rules_table_and_docs_page(project: Path) -> None:
    code, out = run("rules")
    assert code == 0 and "SPF201" in out and "spf-too-many-lookups" in out
    code, out = run("rules", "spf-too-many-lookups")
    assert code == 0 and "SPF201 spf-too-many-lookups" in out and "Why is this bad?" in out
    # piped: the page's markdown whole, no line cut at the width of a terminal
    assert "include:sendgrid.net, include:mailgun.org, include:servers.mcsv.net]" in out
    assert run("rules", "SPF999")[0] == 2


def test_lint_reads_the_lock_given_with_lock_path(project: Path) -> None:
    write_zones(project, {"example.com": "spf: {mechanisms: [include:_spf.x.example], all: fail}"})
    (project / "locks").mkdir()
    (project / "locks" / "third.lock").write_text(
        "version: 1\nnames:\n  _spf.x.example:\n    resolved_at: '2026-01-01T00:00:00Z'\n"
        "    lookups: 0\n    voids: 0\n    answers:\n      TXT: ['v=spf1 ip4:192.0.2.1 -all']\n"
    )
    assert run("lint", "--fail-on", "warning")[0] == 1  # dnsspec.lock: none here (SPF204)
    assert run("lint", "--fail-on", "warning", "--lock", "locks/third.lock") == (
        0,
        "No problems found.\n",
    )


# --- issue 8 -------------------------------------------------------------------------


def test_invalid_input_in_one_file_hides_no_finding_of_another(project: Path) -> None:
    """Item 8: a bad IP in one zone hid `all: pass` in another; now both are reported
    in one run, and the exit status says invalid input (2)."""
    write_zones(
        project,
        {
            "example.com": PASS_ALL,
            "example.net": "spf:\n  mechanisms: [ip4:300.1.1.1]\n  all: fail\n",
            "example.org": CLEAN + "ignore: [SPF999]\n",
        },
    )
    code, out = run("lint")
    assert code == 2
    lines = out.splitlines()
    assert lines[0].startswith("zones/example.com.yaml:3:8: SPF301 [error] ")
    assert lines[2].startswith("zones/example.net.yaml:2:16: SPEC000 [error] ")
    assert lines[4].startswith("zones/example.org.yaml:4:10: SPEC000 [error] ignore[0]: 'SPF999'")
    assert lines[-1] == "Found 3 problems (3 errors), 2 of them invalid input."
    assert "nothing was changed" not in out  # a plan/apply phrase (item 12)
    code, out = run("lint", "--format", "json")
    assert code == 2
    found = [(f["code"], f["file"]) for f in json.loads(out)["findings"]]
    assert found == [
        ("SPF301", "zones/example.com.yaml"),
        ("SPEC000", "zones/example.net.yaml"),
        ("SPEC000", "zones/example.org.yaml"),
    ]


def test_an_empty_spec_file_is_a_warning(project: Path) -> None:
    """Item 3: an emptied spec would strip the zone's mail policy; lint says so."""
    write_zones(project, {"example.com": "# emptied by a bad merge\n", "example.net": CLEAN})
    code, out = run("lint", "--fail-on", "warning")
    assert code == 1
    assert out.splitlines()[0] == (
        "zones/example.com.yaml:1:1: SPEC101 [warning] example.com.yaml writes no policy, no "
        "subdomain and no record: applying it removes the mail policy of example.com"
    )
    assert run("lint")[0] == 0  # a warning: fails only with --fail-on warning


def test_spec_ignore_entries_speak_the_select_vocabulary(project: Path) -> None:
    """Item 11: `ignore: [spf303]` and rule names, as `--select spf3` accepts them."""
    www = CLEAN + "records:\n  www: {type: A, value: 192.0.2.10}\n"
    write_zones(project, {"example.com": www + "subdomains:\n  www: {ignore: [spf303]}\n"})
    assert run("lint", "--fail-on", "warning", "--select", "spf3") == (0, "No problems found.\n")
    spec = www + "subdomains:\n  www: {ignore: [spf-missing-policy]}\n"
    write_zones(project, {"example.com": spec})
    assert run("lint", "--fail-on", "warning") == (0, "No problems found.\n")


@pytest.mark.parametrize(
    "term", ["ip4:0.0.0.0/0", "ip6:::/0", "ip4:0.0.0.0/1 ip4:128.0.0.0/1", "a:mail.example.com/0"]
)
def test_a_range_that_covers_every_address_is_pass_all(project: Path, term: str) -> None:
    """Item 15: `ip4:0.0.0.0/0` and `ip6:::/0` are `+all` by another name."""
    write_zones(project, {"example.com": f'spf: "v=spf1 {term} -all"\n'})
    code, out = run("lint", "--select", "SPF301")
    assert code == 1
    assert "SPF301 [error]" in out and "it is `+all` by another name" in out, out


def test_spf107_on_a_record_of_thousands_of_ranges(project: Path) -> None:
    """Item 14: redundant ranges are found by sorting (the pairwise check took minutes on
    4,000 terms); the findings are those of the pairwise definition (see test_rules)."""
    # 3,600 terms: the most that fit one DNS message (a larger record is invalid input)
    terms = [f"ip4:10.{i // 250}.{i % 250}.0/24" for i in range(1800)] * 2
    write_zones(project, {"example.com": f'spf: "v=spf1 {" ".join(terms)} -all"\n'})
    code, out = run("lint", "--select", "SPF107", "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 0 and len(findings) == 1800
    assert findings[0]["message"] == (
        "`ip4:10.0.0.0/24` at example.com repeats `ip4:10.0.0.0/24` which comes first, "
        "so it is never reached"
    )
    assert findings[0]["col"] == len('spf: "v=spf1 ') + len(" ".join(terms[:1800])) + 2


ESC_LOCK = (
    "version: 1\nnames:\n  _spf.x.example:\n    resolved_at: '2026-01-01T00:00:00Z'\n"
    "    lookups: 0\n    voids: 0\n    answers:\n"
    '      TXT: ["v=spf1 include:\\e[2J.example -all"]\n'
)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_dns_data_is_escaped_in_every_format(project: Path, fmt: str) -> None:
    """Item 16: a record with an ESC byte never reaches the terminal raw."""
    write_zones(project, {"example.com": "spf: {mechanisms: [include:_spf.x.example], all: fail}"})
    (project / "dnsspec.lock").write_text(ESC_LOCK)
    code, out = run("lint", "--format", fmt)
    assert code == 1 and "SPF207" in out
    assert "\x1b" not in out and "\\x1b" in out


def test_ignore_entries_are_checked_with_the_rest_of_the_file(project: Path) -> None:
    """Item 8: a bad `ignore:` entry and a bad mechanism of one file, in one run."""
    spec = "spf:\n  mechanisms: [ip4:300.1.1.1]\n  all: fail\nignore: [SPF999]\n"
    write_zones(project, {"example.com": spec})
    code, out = run("lint")
    assert code == 2
    assert [line.split(" [error] ")[0] for line in out.splitlines() if "[error]" in line] == [
        "zones/example.com.yaml:2:16: SPEC000",
        "zones/example.com.yaml:4:10: SPEC000",
    ]
