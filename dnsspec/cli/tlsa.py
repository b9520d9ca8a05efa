"""``dnsspec tlsa CERT.pem``: the TLSA spec entry and record for a certificate or public key."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dnsspec.cli.common import fail
from dnsspec.errors import DnsspecError


def tlsa(
    cert: Annotated[Path, typer.Argument(help="A certificate or public-key file (PEM or DER).")],
    usage: Annotated[int, typer.Option("--usage", help="3 DANE-EE, 2 DANE-TA.")] = 3,
    selector: Annotated[int, typer.Option("--selector", help="1 SPKI, 0 whole cert.")] = 1,
    matching: Annotated[int, typer.Option("--matching", help="1 SHA-256, 2 SHA-512.")] = 1,
) -> None:
    """Print the `tlsa:` spec entry and the TLSA record for CERT.

    Selector 1 hashes the SubjectPublicKeyInfo (it survives a renewal that keeps the
    key), selector 0 the whole certificate. On the mail server:

      dnsspec tlsa /usr/local/etc/letsencrypt/live/mx1.example.com/cert.pem

      dnsspec tlsa next-key.pub.pem        # the record of the key the next renewal uses
    """
    from dnsspec.tlsa.suggest import suggest_for_file

    try:
        found = suggest_for_file(cert, usage, selector, matching)
    except DnsspecError as error:
        fail(error, hint=getattr(error, "hint", None))
    host = found.hosts[0] if found.hosts else None
    where = f"subdomains.<{host}'s label>" if host else "the MX host's name"
    typer.echo(f"# spec entry, under tlsa: at {where}")
    typer.echo(found.spec_entry())
    typer.echo("# the record")
    typer.echo(found.zone_line())
