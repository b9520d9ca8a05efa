"""``dnsspec compile``: print the exact DNS records the specs produce."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from dnsspec.cli.common import PathsArg, fail
from dnsspec.errors import DnsspecError


class OutputFormat(enum.StrEnum):
    json = "json"
    octodns = "octodns"
    zone = "zone"


def compile_command(
    paths: PathsArg = None,
    fmt: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="json: a list of {zone, name, fqdn, type, ttl, values} (TXT values are lists of "
            "character-strings); octodns: YamlProvider zone files; zone: RFC 1035 zone-file lines.",
        ),
    ] = OutputFormat.json,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write one file per zone into this directory (<zone>.yaml for octodns, "
            "<zone>.json, <zone>.zone) instead of printing to stdout.",
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Compile zone specs into DNS records.

    Examples:

      dnsspec compile                              # zones/ as JSON on stdout

      dnsspec compile zones/example.com.yaml --format zone

      dnsspec compile --format octodns --out build/zones   # files an octoDNS YamlProvider reads

    Invalid specs print every problem as file:line:col and exit 2.
    """
    from dnsspec.compile import compile_zones, render_outputs
    from dnsspec.spec.load import load_zones

    try:
        records = compile_zones(load_zones(paths or ["zones"]))
        outputs = render_outputs(records, fmt.value, per_zone=out is not None)
        if out is None:
            typer.echo(outputs[""], nl=False)
            return
        out.mkdir(parents=True, exist_ok=True)
        for name, text in outputs.items():
            (out / name).write_text(text, encoding="utf-8")
    except DnsspecError as error:
        fail(error)
    except OSError as error:
        fail(f"cannot write {error.filename}: {error.strerror}")
