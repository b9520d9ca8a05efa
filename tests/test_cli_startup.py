"""The command line's start-up: what each command imports, and that lazy registration
changes nothing a user sees (help, "did you mean", completion, --version).

Timings live in bench/ (`make bench`); these tests check the causes: which modules a
run imported, in a fresh interpreter each.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dnsspec import __version__
from dnsspec.cli import app
from dnsspec.cli.root import COMMANDS

GOOD = "spf:\n  mechanisms: [ip4:192.0.2.0/24]\n  all: fail\n"

# Runs `dnsspec ARGS` through main() in this interpreter and prints what it imported.
PROBE = """
import gc, json, sys
before = gc.get_threshold()
sys.argv = ["dnsspec", *json.loads(sys.argv[1])]
code = 0
try:
    from dnsspec.cli import main
    main()
except SystemExit as exit:
    code = exit.code or 0
print(json.dumps({"modules": sorted(sys.modules), "code": code,
                  "gc": [before, gc.get_threshold()]}), file=sys.stderr)
"""


def probe(*args: str, cwd: Path | None = None) -> tuple[set[str], int, str, list[list[int]]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args))],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return set(report["modules"]), report["code"], done.stdout, report["gc"]


def test_version_is_answered_without_typer() -> None:
    modules, code, out, _ = probe("--version")
    assert (code, out) == (0, f"dnsspec {__version__}\n")
    assert "typer" not in modules
    assert "pydantic" not in modules


def test_version_through_typer_prints_the_same_line() -> None:
    # --version among other arguments goes through typer's eager option
    result = CliRunner().invoke(app, ["--version", "lint"])
    assert (result.exit_code, result.output) == (0, f"dnsspec {__version__}\n")


def test_importing_the_cli_changes_no_process_state() -> None:
    code = (
        "import gc; before = gc.get_threshold(); import dnsspec.cli, sys; "
        "print(gc.get_threshold() == before, 'typer' in sys.modules, 'dns' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "False"]


def test_main_tunes_the_gc() -> None:
    _, _, _, (before, after) = probe("--help")
    assert before != after
    assert after == [20_000, 20, 20]


def test_lint_imports_only_the_lint_command(tmp_path: Path) -> None:
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "example.com.yaml").write_text(GOOD)
    modules, code, out, _ = probe("lint", "zones/example.com.yaml", cwd=tmp_path)
    assert (code, out) == (0, "No problems found.\n")
    others = {m.rpartition(":")[0] for n, m in COMMANDS.items() if n != "lint"}
    assert others.isdisjoint(modules), others & modules
    # nothing of the live side: no octoDNS manager, source or processor, no resolver or DNS
    # transport, no rich
    live = {
        "octodns.manager",
        "dnsspec.octodns.source",
        "dnsspec.octodns.ownership",
        "dnsspec.lookups.asynchronous",
        "dnsspec.lookups.blocking",
        "dns.query",
        "dns.resolver",
        "rich",
        "httpx",
        "httpx2",
    }
    assert live.isdisjoint(modules), live & modules


def test_help_builds_every_command_in_table_order() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    listed = [
        line.split()[1]
        for line in result.output.split("Commands")[1].splitlines()
        if line.startswith("│ ") and len(line.split()) > 1
    ]
    # typer lists plain commands first, then the command groups (spf); the table keeps that order
    assert listed == list(COMMANDS)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_has_its_help(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert f"Usage: dnsspec {name} " in result.output


def test_unknown_command_suggests_the_close_one() -> None:
    result = CliRunner().invoke(app, ["lnt"])
    assert result.exit_code == 2
    assert "No such command 'lnt'. Did you mean 'lint'?" in result.output


def test_completion_lists_every_command() -> None:
    result = CliRunner().invoke(
        app,
        [],
        prog_name="dnsspec",
        env={"_DNSSPEC_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "dnsspec "},
    )
    names = [line.split('"')[1] for line in result.output.splitlines() if '":"' in line]
    assert names == list(COMMANDS)


def test_lint_without_cert_files_imports_no_x509(tmp_path: Path) -> None:
    # cryptography.x509 (~25 ms) is needed only to read a tlsa: entry's cert: file (#16)
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "example.com.yaml").write_text(
        GOOD + "subdomains:\n  mx1:\n    tlsa:\n      - {usage: 3, selector: 1, matching: 1, "
        "data: 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1}\n"
    )
    modules, code, out, _ = probe("lint", "zones/example.com.yaml", cwd=tmp_path)
    assert code in (0, 1), out
    assert "dnsspec.spec.kinds.tlsa" in modules
    assert "cryptography.x509" not in modules


BROKEN = "spf:\n  mechanisms: [ip4:192.0.2.0/24\n  all: fail\n"
PASS_ALL = "spf:\n  mechanisms: [ip4:192.0.2.0/24]\n  all: pass\n"


@pytest.mark.parametrize("spec", [GOOD, PASS_ALL, BROKEN])
def test_lint_of_plain_paths_runs_without_typer_and_prints_what_typer_prints(
    tmp_path: Path, spec: str
) -> None:
    # the pre-commit command line skips typer (#16); an option sends the same run through
    # typer's lint command: the same stdout and exit code
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "example.com.yaml").write_text(spec)
    modules, code, out, _ = probe("lint", "zones/example.com.yaml", cwd=tmp_path)
    assert "typer" not in modules
    typed_modules, typed_code, typed_out, _ = probe(
        "lint", "zones/example.com.yaml", "--fail-on", "error", cwd=tmp_path
    )
    assert "typer" in typed_modules
    assert (code, out) == (typed_code, typed_out)
    assert out


def test_lint_without_zones_reports_on_stderr_without_typer(tmp_path: Path) -> None:
    done = [
        subprocess.run(
            [sys.executable, "-c", "from dnsspec.cli import main; main()", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )
        for args in (["lint"], ["lint", "--fail-on", "error"])
    ]
    fast, typed = ((d.returncode, d.stdout, d.stderr) for d in done)
    assert fast == typed
    assert fast[0] == 2
    assert "nothing was linted" in fast[2]


def test_lint_of_a_spec_without_records_imports_no_octodns_record_types(tmp_path: Path) -> None:
    # octodns.record (every record type) validates records: entries only (#16)
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "example.com.yaml").write_text(GOOD)
    modules, code, out, _ = probe("lint", "zones/example.com.yaml", cwd=tmp_path)
    assert (code, out) == (0, "No problems found.\n")
    assert "octodns.record" not in modules
    (tmp_path / "zones" / "example.com.yaml").write_text(
        GOOD + 'records:\n  "": {type: A, value: 192.0.2.80}\n'
    )
    modules, code, out, _ = probe("lint", "zones/example.com.yaml", cwd=tmp_path)
    assert (code, out) == (0, "No problems found.\n")
    assert "octodns.record" in modules
