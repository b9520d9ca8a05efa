"""``dnsspec rules``: the lint rules, and each rule's docs page."""

from __future__ import annotations

from typing import Annotated

import typer

from dnsspec.cli.common import fail, stdout_console
from dnsspec.errors import DnsspecError


def rules(
    code: Annotated[
        str | None,
        typer.Argument(
            help="A rule code or name (SPF201, spf-too-many-lookups).", show_default=False
        ),
    ] = None,
    markdown: Annotated[
        bool,
        typer.Option(
            "--markdown",
            help="Print the full rules reference as markdown "
            "(this is how docs/rules.md is generated).",
        ),
    ] = False,
) -> None:
    """List the lint rules, or show one rule's documentation.

    Examples:

      dnsspec rules                 # code, name, severity, summary

      dnsspec rules SPF201          # what it checks, why, an example and the fix

      dnsspec rules --markdown > docs/rules.md
    """
    from rich.markdown import Markdown
    from rich.table import Table

    from dnsspec.lint.catalogue import all_rules, get
    from dnsspec.lint.report import render_rule_markdown, render_rules_markdown

    if markdown:
        typer.echo(render_rules_markdown(all_rules()), nl=False)
        return
    console = stdout_console()
    if code is not None:
        try:
            rule = get(code)
        except DnsspecError as error:
            fail(error)
        page = render_rule_markdown(rule, level=1)
        if console.is_terminal:
            console.print(Markdown(page))
        else:  # piped (a pager, a file, another tool): the markdown itself, nothing cut
            typer.echo(page, nl=False)
        return
    table = Table("Code", "Name", "Severity", "Summary", box=None, pad_edge=False)
    for r in all_rules():
        table.add_row(r.code, r.name, str(r.severity), r.summary)
    console.print(table)
