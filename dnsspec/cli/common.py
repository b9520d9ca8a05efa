"""What every command shares: consoles, option aliases, the one error path.

Only the CLI prints or picks an exit code. Exit codes, everywhere:
0 success / clean, 1 findings or changes (where a command says so), 2 invalid
input or a failure (spec errors, DNS or provider failures).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from dnsspec.cli.output import EXIT_ERROR as EXIT_ERROR
from dnsspec.cli.output import EXIT_FINDINGS as EXIT_FINDINGS
from dnsspec.cli.output import EXIT_OK as EXIT_OK
from dnsspec.cli.output import Settings as Settings
from dnsspec.cli.output import may_be_terminal as may_be_terminal
from dnsspec.cli.output import report_error
from dnsspec.cli.output import stderr_console as stderr_console
from dnsspec.cli.output import stdout_console as stdout_console
from dnsspec.errors import DnsspecError


def settings(
    ctx: typer.Context | None,
    nameserver: list[str] | None = None,
    timeout: float | None = None,
) -> Settings:
    """The settings of this run: the global options (or defaults outside a CLI run),
    overridden by the same options given after the subcommand."""
    root = ctx.find_root() if ctx is not None else None
    obj = root.obj if root is not None else None
    found = obj if isinstance(obj, Settings) else Settings.from_env()
    return Settings(
        nameservers=list(nameserver) if nameserver else list(found.nameservers),
        timeout=timeout if timeout is not None else found.timeout,
    )


# Accepted after the subcommand too, by every command that queries DNS:
# `dnsspec --nameserver 127.0.0.1:5353 lint --resolve` = `dnsspec lint --resolve --nameserver …`
NameserverOption = Annotated[
    list[str] | None,
    typer.Option(
        "--nameserver",
        help="DNS server, HOST or HOST:PORT ([IPV6]:PORT); repeatable. Overrides the global "
        "option and DNSSPEC_NAMESERVER. Default: the system resolver.",
        show_default=False,
    ),
]
CaFileOption = Annotated[
    Path | None,
    typer.Option(
        "--ca-file",
        help="PEM file of the CA certificates to trust instead of the system store "
        "(private CAs, tests).",
        exists=True,
        dir_okay=False,
        show_default=False,
    ),
]
MtaStsPortOption = Annotated[
    int,
    typer.Option(
        "--mta-sts-port",
        help="HTTPS port of mta-sts.DOMAIN (443; another only for tests and private deployments).",
        min=1,
        max=65535,
    ),
]


TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        help="Seconds to wait for each DNS query (default 2, or the global option).",
        min=0.01,
        show_default=False,
    ),
]


def fail(
    error: DnsspecError | str,
    *,
    hint: str | None = None,
    code: int = EXIT_ERROR,
    outcome: str = "",
) -> NoReturn:
    """Render an error for a person on stderr and exit; never a traceback.

    ``outcome`` ends the summary of spec problems with what the refused run did not do:
    apply passes "nothing was pushed"; lint, compile and plan change nothing anyway, so
    they say nothing more (issue #8 item 12)."""
    report_error(error, hint=hint, outcome=outcome)
    raise typer.Exit(code)


def check_ca_file(ca_file: Path | None) -> None:
    """Exit 2 unless ``ca_file`` (``--ca-file``) is a PEM file of CA certificates."""
    import ssl

    if ca_file is None:
        return
    try:
        ssl.create_default_context(cafile=str(ca_file))
    except (ssl.SSLError, OSError, ValueError) as exc:
        fail(
            f"--ca-file {ca_file}: not a PEM file of CA certificates ({exc})",
            hint="--ca-file /etc/ssl/certs/ca-certificates.crt",
        )


PathsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Spec files or directories (default: zones/). A file is named after its zone: "
        "zones/example.com.yaml.",
        show_default=False,
    ),
]
