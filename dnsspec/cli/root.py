"""The typer application behind ``dnsspec``: the global options and the command table.

Commands register lazily: :data:`COMMANDS` names each command's module, and a
command's module is imported (and its typer parameters built) only when that
command runs, or when help or completion lists it. ``dnsspec lint`` in a
pre-commit hook pays for the lint command alone, not for asyncio, octoDNS or the
other commands' option tables.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup
from typer.main import get_command_from_info, get_group_from_info
from typer.models import CommandInfo, TyperInfo

from dnsspec import __version__
from dnsspec.cli.common import Settings

if TYPE_CHECKING:
    from typer._click import Command

# Commands, one line each, in the order help lists them: name -> "module:attribute"
# (a function becomes a command, a typer.Typer a command group).
COMMANDS: dict[str, str] = {
    "init": "dnsspec.cli.init:init",
    "compile": "dnsspec.cli.compile:compile_command",
    "lint": "dnsspec.cli.lint:lint",
    "import": "dnsspec.cli.importer:import_command",
    "lock": "dnsspec.cli.lock:lock",
    "test": "dnsspec.cli.test:test_command",
    "check": "dnsspec.cli.check:check",
    "rules": "dnsspec.cli.rules:rules",
    "schema": "dnsspec.cli.schema:schema",
    "plan": "dnsspec.cli.plan:plan",
    "apply": "dnsspec.cli.apply:apply",
    "spf": "dnsspec.cli.spf:spf_app",
    "dkim": "dnsspec.cli.dkim:dkim_app",
    "mta-sts": "dnsspec.cli.mta_sts:mta_sts_app",
    "tlsa": "dnsspec.cli.tlsa:tlsa",
    "probe": "dnsspec.cli.probe:probe_app",
}


class LazyCommands(MutableMapping[str, "Command"]):
    """The root group's commands: every name is known up front (help order, "did you
    mean", completion of names), a command is built on first access."""

    def __init__(self, group: TyperGroup, targets: dict[str, str]) -> None:
        self._group = group
        self._targets = dict(targets)
        self._built: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        built = self._built.get(name)
        if built is None:
            built = self._built[name] = self._build(name, self._targets[name])
        return built

    def __setitem__(self, name: str, command: Command) -> None:
        self._targets.setdefault(name, "")
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._targets[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)

    def __contains__(self, name: object) -> bool:
        return name in self._targets

    def _build(self, name: str, target: str) -> Command:
        module, _, attribute = target.partition(":")
        obj = getattr(importlib.import_module(module), attribute)
        # As typer builds registered commands (Typer.command / add_typer), with the root's settings.
        if isinstance(obj, typer.Typer):
            return get_group_from_info(
                TyperInfo(obj, name=name),
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=self._group.rich_markup_mode,
                suggest_commands=self._group.suggest_commands,
            )
        return get_command_from_info(
            CommandInfo(name=name, callback=obj),
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=self._group.rich_markup_mode,
        )


class DnsspecGroup(TyperGroup):
    """The root command group, with its commands registered lazily from COMMANDS."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(self, COMMANDS)


app = typer.Typer(
    name="dnsspec",
    cls=DnsspecGroup,
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
