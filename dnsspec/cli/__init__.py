"""The ``dnsspec`` command line: one module per command, registered here.

Command modules keep their heavy imports (octoDNS, rich) inside the command
body so ``dnsspec --help`` and ``dnsspec lint`` start fast.
"""

from __future__ import annotations

import gc
from typing import Annotated

import dns._features
import typer

from dnsspec import __version__
from dnsspec.cli.apply import apply
from dnsspec.cli.common import Settings
from dnsspec.cli.compile import compile_command
from dnsspec.cli.lint import lint
from dnsspec.cli.lock import lock
from dnsspec.cli.plan import plan
from dnsspec.cli.rules import rules
from dnsspec.cli.spf import spf_app

# dnsspec speaks plain DNS (UDP/TCP on port 53) only. dnspython's dns.query imports the
# DNS-over-HTTPS stack (httpx2, httpcore2, h2, anyio: ~70 ms) whenever it is installed,
# e.g. beside checkdmarc; telling it DoH is absent keeps `lint --resolve` starting fast.
dns._features.force("doh", False)
# A command runs for a second or two and builds a lot of objects that live until it ends
# (a thousand specs, their source maps, the compiled records): with Python's default
# thresholds the cyclic GC keeps re-walking them (~6% of `lint --resolve` over 1,000
# specs). Collect 30 times less often; garbage cycles are still freed.
gc.set_threshold(20_000, 20, 20)

app = typer.Typer(
    name="dnsspec",
    help=(
        "Mail-authentication DNS as code.\n\n"
        "Describe SPF (and the rest of a zone's mail policy) in typed YAML under zones/, "
        "then:\n\n"
        "  dnsspec lint      check the specs (offline; stable rule codes)\n\n"
        "  dnsspec compile   print the exact DNS records the specs produce\n\n"
        "  dnsspec plan      show what would change at the providers in providers.yaml\n\n"
        "  dnsspec apply     push the change through octoDNS\n\n"
        "Exit codes: 0 ok, 1 findings or changes, 2 invalid input or failure."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dnsspec {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    nameserver: Annotated[
        list[str] | None,
        typer.Option(
            "--nameserver",
            help="DNS server to query, HOST or HOST:PORT (repeatable; env DNSSPEC_NAMESERVER, "
            "comma-separated). Default: the system resolver.",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for each DNS query.", min=0.01)
    ] = 2.0,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    settings = Settings.from_env()
    if nameserver:
        settings.nameservers = list(nameserver)
    settings.timeout = timeout
    ctx.obj = settings


# Commands register below, one line each: app.command("name")(function).
app.command("compile")(compile_command)
app.command("lint")(lint)
app.command("lock")(lock)
app.command("rules")(rules)
app.add_typer(spf_app, name="spf")
app.command("plan")(plan)
app.command("apply")(apply)


def main() -> None:
    app()
