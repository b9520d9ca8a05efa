"""``dnsspec init``: start a repository that plans and applies as it is."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dnsspec.cli.common import EXIT_FINDINGS, fail


def init(
    directory: Annotated[
        Path, typer.Argument(help="Where to start the repository (created if missing).")
    ] = Path("."),
    zone: Annotated[
        list[str] | None,
        typer.Option(
            "--zone",
            "-z",
            help="Write an example spec for this zone (repeatable). Default: example.com.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that exist.")] = False,
) -> None:
    """Start a repository that plans and applies with no edits.

    Writes zones/ (one commented example spec per --zone), providers.yaml (the embedded
    YamlProvider target; every zones/<zone>.yaml is a zone), .pre-commit-config.yaml (the
    dnsspec-lint hook), .gitignore and .github/workflows/dnsspec.yml.

    Nothing is written when any of these files exists (exit 1, naming them) unless
    --force. Then, with no edits: dnsspec plan, dnsspec apply --yes.

    Examples:

      dnsspec init

      dnsspec init dns --zone example.com --zone example.org
    """
    from dnsspec.importer.scaffold import InvalidZoneName, ScaffoldExists, write_scaffold

    try:
        written = write_scaffold(directory, zone or (), force=force)
    except ScaffoldExists as error:
        fail(error, hint="nothing was written; rerun with --force to overwrite", code=EXIT_FINDINGS)
    except InvalidZoneName as error:
        fail(error)
    for path in written:
        typer.echo(f"wrote {path}")
    where = "" if directory == Path(".") else f"cd {directory} && "
    typer.echo(f"Next: {where}dnsspec lint && dnsspec plan && dnsspec apply")
