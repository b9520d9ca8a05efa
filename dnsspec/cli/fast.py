"""``dnsspec lint`` without typer: the command's body, and the pre-commit fast path.

``dnsspec lint [FILE_OR_DIR ...]`` with no option at all (what the pre-commit hook
runs) is answered here before typer is imported: typer's import, the root group
and the lint command's parameters cost as much as the lint itself (issue #16).
Every other command line, options included, goes through typer, whose ``lint``
command calls the same :func:`run_lint` with its parsed options: one body, one
output, the same exit codes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from dnsspec.cli.output import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    Settings,
    echo,
    may_be_terminal,
    report_error,
    stderr_console,
    stdout_console,
)
from dnsspec.errors import DnsspecError, SpecError


def codes(values: list[str] | None) -> list[str]:
    """``--select SPF2,DNS4 --select SPF101`` → ``["SPF2", "DNS4", "SPF101"]``."""
    return [c.strip() for v in values or () for c in v.split(",") if c.strip()]


def run_lint(
    paths: Sequence[str],
    *,
    fmt: str | None,
    fail_on: str,
    select: list[str] | None,
    ignore: list[str] | None,
    resolve: bool,
    lock: Path,
    config: Path,
    settings: Settings,
    echo: Callable[[str], None] = echo,
) -> int:
    """Lint, print the report, and return the exit code (``dnsspec lint --help``)."""
    from dnsspec.lint import all_rules, lint_lookup, load_for_lint, only_files
    from dnsspec.lint import run_lint as lint_zones
    from dnsspec.lint.model import Severity
    from dnsspec.lint.report import (
        FORMATS,
        default_format,
        invalid_spec_findings,
        render,
        render_text,
    )

    chosen = fmt or default_format()
    if chosen not in FORMATS:
        report_error(f"unknown --format {chosen!r}", hint=f"one of: {', '.join(FORMATS)}")
        return EXIT_ERROR
    try:
        threshold = Severity.parse(fail_on)
        zones, report_files, problems = load_for_lint(paths)
        lookup = lint_lookup(
            resolve=resolve, lock=lock, nameservers=settings.nameservers, timeout=settings.timeout
        )
        findings = only_files(
            lint_zones(
                zones,
                select=codes(select),
                ignore=codes(ignore),
                lookup=lookup,
                config=config if config.is_file() else None,
            ),
            report_files,
        )
    except SpecError as error:  # nothing to lint at all (no zones/ directory, say)
        if chosen != "text":  # the machine report carries invalid input too (and exits 2)
            echo(render(invalid_spec_findings(error), chosen, all_rules()))
        _invalid_input(error)
        return EXIT_ERROR
    except DnsspecError as error:
        report_error(error)
        return EXIT_ERROR
    # invalid input and the findings of the zones that loaded, in one report
    shown = sorted([*invalid_spec_findings(problems), *findings])
    console = stdout_console() if chosen == "text" and may_be_terminal() else None
    if console is not None and console.is_terminal:
        console.print(render_text(shown))
    elif chosen == "text":
        echo(render_text(shown, markup=False))
    else:
        output = render(shown, chosen, all_rules())
        if output:
            echo(output)
    if problems:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(f.severity >= threshold for f in findings) else EXIT_OK


def _invalid_input(error: SpecError) -> None:
    """Every problem, located, on stderr (the caller exits 2: nothing was linted)."""
    from rich.markup import escape

    from dnsspec.lookups.printable import printable

    console = stderr_console()
    for problem in error.problems:
        console.print(
            f"[bold]{problem.location}[/]: [red]error[/]: {escape(printable(problem.message))}"
        )
        if problem.hint:
            console.print(f"    [dim]hint:[/] {escape(printable(problem.hint))}")
    console.print(f"[red]{escape(error.message)}[/]; nothing was linted.")


def fast_lint(args: list[str]) -> int | None:
    """The exit code of ``dnsspec ARGS`` when ARGS is ``lint`` and plain paths only,
    run without typer; None for any other command line (typer parses it)."""
    if not args or args[0] != "lint" or any(a.startswith("-") for a in args[1:]):
        return None
    if any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return None  # a shell-completion request: typer answers it
    from dnsspec.lock import DEFAULT_LOCK

    try:
        return run_lint(
            args[1:],
            fmt=None,
            fail_on="error",
            select=None,
            ignore=None,
            resolve=False,
            lock=Path(DEFAULT_LOCK),
            config=Path("providers.yaml"),
            settings=Settings.from_env(),
        )
    except KeyboardInterrupt:
        return 130  # as typer's main: exit 130, nothing printed
    except BrokenPipeError:
        # as typer's main: exit 1 quietly when the reader of stdout went away
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
