"""``dnsspec lint``: check the specs with stable rule codes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dnsspec.cli.common import NameserverOption, PathsArg, TimeoutOption, settings
from dnsspec.cli.fast import run_lint
from dnsspec.lock import DEFAULT_LOCK


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
    # the body is typer-free: `dnsspec lint PATH...` runs it without typer (cli/fast.py)
    code = run_lint(
        paths or (),
        fmt=fmt,
        fail_on=fail_on,
        select=select,
        ignore=ignore,
        resolve=resolve,
        lock=lock,
        config=config,
        settings=settings(ctx, nameserver, timeout),
        echo=typer.echo,
    )
    raise typer.Exit(code)
