"""``dnsspec apply``: push the plan through octoDNS."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dnsspec.cli.common import (
    EXIT_FINDINGS,
    CaFileOption,
    MtaStsPortOption,
    NameserverOption,
    fail,
    stderr_console,
)
from dnsspec.cli.plan import (
    ConfigOpt,
    LockOpt,
    MtaStsFetchOpt,
    VerboseOpt,
    ZoneOpt,
    policy_fetcher,
    show_log,
)
from dnsspec.errors import DnsspecError
from dnsspec.lock import DEFAULT_LOCK


def apply(
    ctx: typer.Context,
    config: ConfigOpt = Path("providers.yaml"),
    zone: ZoneOpt = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply without asking.")] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Apply even over octoDNS's update/delete safety thresholds."),
    ] = False,
    allow_policy_removal: Annotated[
        bool,
        typer.Option(
            "--allow-policy-removal",
            help="Apply even when the plan removes mail policies (SPF …) the specs do not "
            "unset, or leaves a name with A/AAAA/MX records and no SPF.",
        ),
    ] = False,
    verbose: VerboseOpt = False,
    lock: LockOpt = Path(DEFAULT_LOCK),
    mta_sts_fetch: MtaStsFetchOpt = True,
    ca_file: CaFileOption = None,
    mta_sts_port: MtaStsPortOption = 443,
    nameserver: NameserverOption = None,
) -> None:
    """Lint, show the plan, ask, then push exactly that plan through octoDNS.

    Refuses when the specs have lint errors. Honours octoDNS's safety thresholds
    (by default more than 30% of a zone's records updated or deleted, in zones
    of 10 records or more; set update_pcent_threshold / delete_pcent_threshold on
    the provider or zone); --force overrides them. What is pushed is the plan
    shown: octoDNS re-plans and compares its checksum, and refuses if the live
    zone changed in between. Records no spec manages are never deleted. A plan
    that removes a name's last mail-policy record (SPF …) is refused unless the
    spec says so (spf: unset) or --allow-policy-removal is given; a name that
    keeps A/AAAA/MX records and loses its SPF needs the flag even then.

    Examples:

      dnsspec apply

      dnsspec apply --zone example.com --yes

    Exit status: 0 applied (or nothing to do), 1 declined at the prompt,
    2 lint errors, invalid input, a refused plan or a provider failure.
    """
    from dnsspec.sync import apply as push
    from dnsspec.sync import open_session, plan
    from dnsspec.sync.planning import check_lint
    from dnsspec.sync.render import applied_text, pending_text, to_text
    from dnsspec.sync.session import LintFailed

    err = stderr_console()
    fetcher = policy_fetcher(ctx, mta_sts_fetch, nameserver, ca_file, mta_sts_port)
    session = None
    try:
        session = open_session(config, keep_log=verbose)
        session.keep_plans = True  # the plan shown is applied from this session
        selected = session.select(zone or ())
        session.check_zones_match_specs()
        check_lint(session, selected, str(lock))
        shown = plan(session, selected, lock=str(lock), fetch_policy=fetcher)
        typer.echo(to_text(shown))
        if not shown.has_changes:
            raise typer.Exit(0)
        if shown.unsafe and not force:
            from dnsspec.sync import UnsafePlanError

            raise UnsafePlanError(
                "the plan is over octoDNS's safety threshold; nothing was applied. Review it, "
                "then rerun with --force"
            )
        if shown.refused_removals and not allow_policy_removal:
            from dnsspec.sync.planning import PolicyRemovalRefused

            raise PolicyRemovalRefused(shown)
        if not yes:
            if not sys.stdin.isatty():
                fail("nothing was applied: not asking without a terminal", hint="pass --yes")
            if not typer.confirm("Apply these changes?", default=False):
                err.print("Nothing was applied.")
                raise typer.Exit(EXIT_FINDINGS)
        try:
            result = push(session, shown, force=force, allow_policy_removal=allow_policy_removal)
        except KeyboardInterrupt:
            err.print(
                "[red]interrupted[/] while applying: some changes may have been pushed; "
                "run dnsspec plan to see what is left"
            )
            raise typer.Exit(130) from None
    except LintFailed as error:
        from dnsspec.lint.report import render_findings

        err.print(render_findings(error.findings), highlight=False)  # as `dnsspec lint` does
        fail(error)
    except DnsspecError as error:
        if verbose and session is not None:
            show_log(session.log)
        fail(error, outcome="nothing was pushed")
    if verbose:
        show_log(session.log)
    typer.echo(applied_text(result))
    if result.pending:
        fail(pending_text(result))
