"""``dnsspec schema``: the spec language's JSON Schema, for editors."""

from __future__ import annotations

import typer


def schema() -> None:
    """Print the JSON Schema of zones/<zone>.yaml (generated from the spec models).

    Editors validate and complete specs with it: save it (dnsspec init writes
    schema/dnsspec.schema.json) and start each spec with
    `# yaml-language-server: $schema=../schema/dnsspec.schema.json` (VS Code's YAML
    extension, and every editor using yaml-language-server, read that line).

    Examples:

      dnsspec schema > schema/dnsspec.schema.json
    """
    from dnsspec.schema import schema_json

    typer.echo(schema_json(), nl=False)
