"""``dnsspec mta-sts policy``: the exact policy file an MTA-STS domain serves (RFC 8461 §3.2)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dnsspec.cli.common import fail
from dnsspec.errors import DnsspecError

mta_sts_app = typer.Typer(help="MTA-STS: the policy files the specs' _mta-sts records name.")


@mta_sts_app.command("policy")
def policy(
    name: Annotated[
        str | None,
        typer.Argument(help="The mail domain (example.com); every one with --out and no name."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write DIR/<name>/.well-known/mta-sts.txt for each MTA-STS domain of the specs.",
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Print the exact policy file (CRLF line endings) whose hash is the record's id.

    Serve it at https://mta-sts.<name>/.well-known/mta-sts.txt before applying a
    plan that changes the _mta-sts record: senders fetch it when the id changes.

    Examples:

      dnsspec mta-sts policy example.com

      dnsspec mta-sts policy --out build/mta-sts     # one file per MTA-STS domain
    """
    from dnsspec.compile.mta_sts import policy_files
    from dnsspec.mta_sts.policy import write_policy_file
    from dnsspec.spec.load import load_zones

    try:
        zones = load_zones(["zones"])
    except DnsspecError as error:
        fail(error)
    files: dict[str, bytes] = {}
    for zone in zones:
        files.update(policy_files(zone))
    wanted = name.rstrip(".").lower() if name else None
    if wanted is not None and wanted not in files:
        fail(
            f"no spec writes an MTA-STS policy for {wanted}",
            hint="add `mta_sts: {mode: testing}` at that name"
            + (f"; the specs have one for {', '.join(sorted(files))}" if files else ""),
        )
    if out is None:
        if wanted is None:
            fail("name a domain, or write every policy file with --out DIR")
        sys.stdout.buffer.write(files[wanted])
        sys.stdout.flush()
        return
    try:
        for domain in sorted(files):
            if wanted is None or domain == wanted:
                typer.echo(f"wrote {write_policy_file(out, domain, files[domain])}")
    except OSError as error:
        fail(f"cannot write {error.filename}: {error.strerror}")
