"""``dnsspec lint``: check the specs with stable rule codes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from dnsspec.cli.common import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    NameserverOption,
    PathsArg,
    TimeoutOption,
    fail,
    may_be_terminal,
    settings,
    stderr_console,
    stdout_console,
)
from dnsspec.errors import DnsspecError, SpecError
from dnsspec.lock import DEFAULT_LOCK


def codes(values: list[str] | None) -> list[str]:
    """``--select SPF2,DNS4 --select SPF101`` → ``["SPF2", "DNS4", "SPF101"]``."""
    return [c.strip() for v in values or () for c in v.split(",") if c.strip()]


def lint(
    ctx: typer.Context,
    paths: PathsArg = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Output: text, json, sarif (GitHub code scanning) or github (annotations). "
            "Default: github when GITHUB_ACTIONS=true, else text.",
            show_default=False,
        ),
    ] = None,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on", help="Exit 1 when a finding is at least this severe: error or warning."
        ),
    ] = "error",
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Only these rule codes or prefixes (SPF2, DNS401), comma-separated or repeated.",
            show_default=False,
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Skip these rule codes or prefixes.", show_default=False),
    ] = None,
    resolve: Annotated[
        bool,
        typer.Option(
            "--resolve",
            help="Count third-party includes through live DNS instead of dnsspec.lock, and "
            "look up the DMARC report authorizations other domains must publish "
            "(without --nameserver: the system resolver).",
        ),
    ] = False,
    lock: Annotated[
        Path, typer.Option("--lock", help="The lock file of third-party answers.")
    ] = Path(DEFAULT_LOCK),
    config: Annotated[
        Path,
        typer.Option(
            "--config",
            "-c",
            help="The octoDNS configuration whose zone list the specs must match (CFG rules); "
            "read when it exists.",
        ),
    ] = Path("providers.yaml"),
    nameserver: NameserverOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Check the zone specs: SPF syntax, lookup limits, coverage, record conflicts.

    Offline by default: third-party includes are counted from dnsspec.lock
    (`dnsspec lock` writes it); one missing from the lock counts as "at least 1"
    lookup and gets a warning. The whole directory of each given file is loaded,
    because includes cross zones; findings are reported for the given files.

    Examples:

      dnsspec lint                          # zones/

      dnsspec lint --select SPF2 --format json

      dnsspec lint zones/example.com.yaml --fail-on warning

      dnsspec --nameserver 127.0.0.1:5353 lint --resolve

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 invalid input.
    Rules and their docs: `dnsspec rules`, `dnsspec rules SPF201`.
    """
    from dnsspec.lint import all_rules, lint_lookup, load_for_lint, only_files, run_lint
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
        fail(f"unknown --format {chosen!r}", hint=f"one of: {', '.join(FORMATS)}")
    try:
        threshold = Severity.parse(fail_on)
        zones, report_files, problems = load_for_lint(paths or ())
        s = settings(ctx, nameserver, timeout)
        lookup = lint_lookup(
            resolve=resolve, lock=lock, nameservers=s.nameservers, timeout=s.timeout
        )
        findings = only_files(
            run_lint(
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
            typer.echo(render(invalid_spec_findings(error), chosen, all_rules()))
        _invalid_input(error)
    except DnsspecError as error:
        fail(error)
    # invalid input and the findings of the zones that loaded, in one report
    shown = sorted([*invalid_spec_findings(problems), *findings])
    console = stdout_console() if chosen == "text" and may_be_terminal() else None
    if console is not None and console.is_terminal:
        console.print(render_text(shown))
    elif chosen == "text":
        typer.echo(render_text(shown, markup=False))
    else:
        output = render(shown, chosen, all_rules())
        if output:
            typer.echo(output)
    if problems:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FINDINGS if any(f.severity >= threshold for f in findings) else EXIT_OK)


def _invalid_input(error: SpecError) -> NoReturn:
    """Every problem, located, on stderr, and exit 2 (nothing was linted)."""
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
    raise typer.Exit(EXIT_ERROR)
