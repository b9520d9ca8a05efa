"""``dnsspec plan``: what ``dnsspec apply`` would change at the providers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dnsspec.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    CaFileOption,
    MtaStsPortOption,
    NameserverOption,
    check_ca_file,
    fail,
    settings,
    stderr_console,
)
from dnsspec.errors import DnsspecError
from dnsspec.lock import DEFAULT_LOCK

if TYPE_CHECKING:
    from dnsspec.probe.policy import PolicyFetcher

ConfigOpt = Annotated[
    Path,
    typer.Option(
        "--config", "-c", help="The octoDNS configuration (providers.yaml, see docs/providers.md)."
    ),
]
ZoneOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--zone", "-z", help="Only this zone (repeatable). Default: every zone.", show_default=False
    ),
]
LockOpt = Annotated[
    Path,
    typer.Option(
        "--lock",
        help="The lock file of third-party answers (dnsspec lock writes it): the SPF "
        "section counts third-party includes from it.",
    ),
]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Print octoDNS's log on stderr afterwards.")
]
MtaStsFetchOpt = Annotated[
    bool,
    typer.Option(
        "--mta-sts-fetch/--no-mta-sts-fetch",
        envvar="DNSSPEC_MTA_STS_FETCH",
        help="When an _mta-sts id changes, fetch the policy mta-sts.DOMAIN serves now (one "
        "HTTPS GET, 5 s per step, 15 s in all) to say what the change does (mode testing → "
        "enforce). Env DNSSPEC_MTA_STS_FETCH=0 turns it off.",
    ),
]


def policy_fetcher(
    ctx: typer.Context,
    fetch: bool,
    nameserver: list[str] | None,
    ca_file: Path | None,
    port: int,
) -> PolicyFetcher | None:
    """The plan's MTA-STS policy fetcher from the options (None: --no-mta-sts-fetch)."""
    check_ca_file(ca_file)
    if not fetch:
        return None
    from dnsspec.probe.policy import PolicyFetcher

    config = settings(ctx, nameserver, None)
    return PolicyFetcher(tuple(config.nameservers), ca_file=ca_file, port=port)


def show_log(log: list[str]) -> None:
    console = stderr_console()
    for line in log:
        console.print(line, markup=False, highlight=False)


def plan(
    ctx: typer.Context,
    config: ConfigOpt = Path("providers.yaml"),
    zone: ZoneOpt = None,
    fmt: Annotated[
        str,
        typer.Option("--format", help="Output: text, markdown (a pull-request comment) or json."),
    ] = "text",
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code", help="Exit 1 when there are changes, 0 when none (like git diff)."
        ),
    ] = False,
    verbose: VerboseOpt = False,
    lock: LockOpt = Path(DEFAULT_LOCK),
    mta_sts_fetch: MtaStsFetchOpt = True,
    ca_file: CaFileOption = None,
    mta_sts_port: MtaStsPortOption = 443,
    nameserver: NameserverOption = None,
) -> None:
    """Show what would change at the providers, per zone and record, with an SPF section.

    Reads providers.yaml (a plain octoDNS configuration whose source is
    dnsspec.octodns.SpecSource), compiles the specs and asks each target what it
    has. Records and TXT values no spec manages are never deleted: they are
    merged into the plan as they are. The SPF section shows each policy's DNS
    lookups before → after and the terms that gain or lose authorization. When
    an _mta-sts id changes, the policy the domain serves now is fetched
    (--no-mta-sts-fetch: not) to say what changes, e.g. mode testing → enforce,
    and the plan says to serve the new policy file first (RFC 8461).

    Examples:

      dnsspec plan

      dnsspec plan --zone example.com --format markdown > plan.md

      dnsspec plan --exit-code || echo "changes pending"

    Exit status: 0 (with --exit-code: no changes), 1 changes (--exit-code only),
    2 invalid specs or providers.yaml, or a provider failure.
    """
    from dnsspec.sync import open_session
    from dnsspec.sync import plan as make_plan
    from dnsspec.sync.render import to_json, to_markdown, to_text

    renderers = {"text": to_text, "markdown": to_markdown, "json": to_json}
    if fmt not in renderers:
        fail(f"unknown --format {fmt!r}", hint="one of: text, markdown, json")
    fetcher = policy_fetcher(ctx, mta_sts_fetch, nameserver, ca_file, mta_sts_port)
    session = None
    try:
        session = open_session(config, keep_log=verbose)
        shown = make_plan(session, zone or (), lock=str(lock), fetch_policy=fetcher)
    except DnsspecError as error:
        if verbose and session is not None:
            show_log(session.log)
        fail(error)
    if verbose:
        show_log(session.log)
    typer.echo(renderers[fmt](shown))
    raise typer.Exit(EXIT_FINDINGS if exit_code and shown.has_changes else EXIT_OK)
