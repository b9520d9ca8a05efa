"""``dnsspec import``: turn live zones into specs, then show what lint thinks of them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dnsspec.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    NameserverOption,
    TimeoutOption,
    fail,
    settings,
)

if TYPE_CHECKING:
    from dnsspec.importer.build import Decision


def import_command(
    ctx: typer.Context,
    domains: Annotated[
        list[str] | None,
        typer.Argument(help="The domains (zones) to import.", show_default=False),
    ] = None,
    source_kind: Annotated[
        str,
        typer.Option(
            "--from",
            help="Where the current state is: dns (live DNS, the mail names only), axfr (a "
            "zone transfer from --nameserver), bind (a zone file) or octodns (YamlProvider "
            "YAML).",
        ),
    ] = "dns",
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            help="--from bind: a zone file, or a directory with <zone>.db files; "
            "--from octodns: the YamlProvider directory.",
            show_default=False,
        ),
    ] = None,
    tsig_key: Annotated[
        str | None,
        typer.Option(
            "--tsig-key",
            help="--from axfr: sign the transfer, [ALGORITHM:]NAME:SECRET (hmac-sha256).",
            show_default=False,
        ),
    ] = None,
    dkim_selector: Annotated[
        list[str] | None,
        typer.Option(
            "--dkim-selector",
            help="--from dns: also ask for this DKIM selector (repeatable).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Where to write the specs.")] = Path("zones"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing specs.")] = False,
    nameserver: NameserverOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Write one spec per domain from its current state, then lint what was written.

    Compiling an imported spec reproduces the imported records exactly, so the
    first `dnsspec plan` against the same provider shows no changes. SPF becomes
    an `spf:` mapping when that mapping compiles to the same record byte for
    byte; otherwise it is kept under records: as written, with a comment saying
    why. DMARC and TLS-RPT become dmarc: and tls_rpt: (the mapping, or the raw
    string published as written). Every record that could not be carried is listed, never dropped
    silently. An existing spec is never overwritten without --force.

    Examples:

      dnsspec import example.com --nameserver ns1.example.com

      dnsspec import example.com example.org --from axfr --nameserver 192.0.2.53
      --tsig-key transfer.:c2VjcmV0

      dnsspec import example.com --from bind --source /etc/bind/zones

      dnsspec import example.com --from octodns --source config/zones

    Exit status: 0 every domain imported, 1 any domain failed, 2 bad arguments.
    """
    from dnsspec.importer.live import ImportSourceError, TsigKey
    from dnsspec.importer.run import ImportOptions, check_options, import_domain

    s = settings(ctx, nameserver, timeout)
    try:
        options = ImportOptions(
            source=source_kind,
            nameservers=tuple(s.nameservers),
            path=source,
            tsig=TsigKey.parse(tsig_key) if tsig_key else None,
            selectors=tuple(dkim_selector or ()),
            out=out,
            force=force,
            timeout=s.timeout,
        )
        check_options(domains or [], options)
    except ImportSourceError as error:
        fail(error)
    failed = 0
    written = []
    for domain in domains or []:
        result = import_domain(domain, options)
        if result.error is not None:
            failed += 1
            typer.echo(f"{result.zone}: error: {result.error}", err=True)
            continue
        written.append(result.file)
        typer.echo(f"{result.zone}: wrote {result.file} ({result.records} records)")
        for decision in result.spf:
            typer.echo(f"  {describe_decision(decision)}")
        for skipped in result.skipped:
            typer.echo(f"  not imported: {skipped}")
        for note in result.notes:
            typer.echo(f"  note: {note}")
    if written:
        _lint_report([p for p in written if p is not None])
    if failed:
        typer.echo(f"{failed} of {len(domains or [])} domain(s) failed.", err=True)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


def _lint_report(files: list[Path]) -> None:
    """The lint report of what was written: what is wrong with the zones today."""
    from dnsspec.errors import DnsspecError
    from dnsspec.lint import load_for_lint, only_files, run_lint
    from dnsspec.lint.report import render_text

    typer.echo("")
    typer.echo("Lint of the imported specs (what is wrong today):")
    config = Path("providers.yaml")
    try:
        zones, report, problems = load_for_lint([str(f) for f in files])
        found = run_lint(zones, config=config if config.is_file() else None)
        findings = only_files(found, report)
    except DnsspecError as error:
        typer.echo(f"  lint could not run: {error.message}")
        return
    for problem in problems:  # another spec beside the imported ones is invalid
        typer.echo(f"{problem.location}: error: {problem.message}")
    typer.echo(render_text(findings, markup=False))


_KIND_NAMES = {"spf": "SPF", "dmarc": "DMARC", "tls_rpt": "TLS-RPT", "dkim": "DKIM"}


def describe_decision(decision: Decision) -> str:
    """One line on what became of a mail-policy record."""
    what = f"{_KIND_NAMES.get(decision.kind, decision.kind)} at {decision.name or '@'}"
    if decision.form == "mapping":
        article = "an" if decision.kind == "spf" else "a"
        return f"{what}: {article} {decision.kind}: mapping"
    if decision.form == "raw":
        return f"{what}: {decision.kind}: as written ({decision.why})"
    if decision.form == "left out":
        return (
            f"{what}: NOT imported, {decision.why}: {decision.text!r} "
            "(write the policy you mean in the spec)"
        )
    return f"{what}: kept as written under records: ({decision.why})"
