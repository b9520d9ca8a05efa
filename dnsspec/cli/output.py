"""The CLI's typer-free half: exit codes, consoles, settings, the error report.

:mod:`dnsspec.cli.common` re-exports all of it beside the typer option aliases;
the fast path of ``dnsspec lint`` (:mod:`dnsspec.cli.fast`) uses it without
importing typer (issue #16: a pre-commit hook pays the start-up on every commit).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dnsspec.errors import DnsspecError, SpecError

if TYPE_CHECKING:
    from rich.console import Console

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

# click's (typer's) echo drops ANSI colour and style codes when stdout is no terminal
_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")


def may_be_terminal() -> bool:
    """Whether rich could see a terminal on stdout (checked before importing rich:
    a pipe, as in CI and pre-commit, needs neither its import nor its console)."""
    forced = any(os.environ.get(v) for v in ("FORCE_COLOR", "TTY_INTERACTIVE", "TTY_COMPATIBLE"))
    return forced or sys.stdout.isatty()


def stdout_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def echo(message: str) -> None:
    """The line ``typer.echo(message)`` prints on stdout, without importing typer."""
    out = sys.stdout
    if not out.isatty():
        message = _ANSI.sub("", message)
    out.write(message + "\n")
    out.flush()


@dataclass
class Settings:
    """Global options given before the subcommand (``dnsspec --nameserver … lint``)."""

    nameservers: list[str] = field(default_factory=list)
    timeout: float = 2.0

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get("DNSSPEC_NAMESERVER", "")
        return cls(nameservers=[n.strip() for n in env.split(",") if n.strip()])


def report_error(error: DnsspecError | str, *, hint: str | None = None, outcome: str = "") -> None:
    """Render an error for a person on stderr (``fail`` then exits)."""
    console = stderr_console()
    if isinstance(error, SpecError):
        for problem in error.problems:
            console.print(f"[bold]{problem.location}[/]: [red]error[/]: {_escape(problem.message)}")
            if problem.hint:
                console.print(f"    [dim]hint:[/] {_escape(problem.hint)}")
        console.print(f"[red]{_escape(error.message)}[/]{'; ' + outcome if outcome else ''}.")
    else:
        message = error.message if isinstance(error, DnsspecError) else error
        console.print(f"[red]error[/]: {_escape(message)}")
        if hint:
            console.print(f"    [dim]hint:[/] {_escape(hint)}")


def _escape(text: str) -> str:
    """Markup-escaped, and unsafe characters (from DNS data in a message) escaped."""
    from rich.markup import escape

    from dnsspec.lookups.printable import printable

    return escape(printable(text))
