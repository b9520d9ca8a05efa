"""``dnsspec spf eval`` and ``dnsspec spf tree``: the RFC 7208 engine against live DNS."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dnsspec.cli.common import (
    NameserverOption,
    TimeoutOption,
    fail,
    settings,
    stdout_console,
)
from dnsspec.errors import DnsspecError
from dnsspec.lookups.printable import printable, printable_json

if TYPE_CHECKING:
    from rich.tree import Tree

    from dnsspec.lookups import DnsResolver
    from dnsspec.spf.cost import CostNode
    from dnsspec.spf.evaluate import Evaluation

spf_app = typer.Typer(
    name="spf",
    no_args_is_help=True,
    help="Evaluate SPF (RFC 7208 check_host) and draw include trees, against live DNS.",
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _resolver(ctx: typer.Context, nameserver: list[str] | None, timeout: float | None) -> Any:
    from dnsspec.lookups import DnsResolver

    config = settings(ctx, nameserver, timeout)
    try:
        return DnsResolver(config.nameservers, timeout=config.timeout)
    except DnsspecError as exc:
        fail(exc)


def eval_command(
    ctx: typer.Context,
    ip: Annotated[str | None, typer.Argument(help="Client IP address (IPv4 or IPv6).")] = None,
    sender: Annotated[
        str | None,
        typer.Argument(help="MAIL FROM address (user@domain); empty '' checks postmaster@HELO."),
    ] = None,
    helo: Annotated[
        str | None, typer.Option("--helo", help="HELO/EHLO name of the client.")
    ] = None,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch",
            help='JSON Lines file of {"ip", "sender", "helo"} objects ("-" = stdin); evaluated '
            "concurrently, one JSON result per line, in input order.",
            dir_okay=False,
            allow_dash=True,
        ),
    ] = None,
    as_json: JsonOption = False,
    trace: Annotated[bool, typer.Option("--trace", help="Show every evaluation step.")] = False,
    nameserver: NameserverOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Evaluate SPF for a client IP and sender (RFC 7208 check_host).

    Examples:

      dnsspec spf eval 192.0.2.1 user@example.com --helo mx.example.com

      dnsspec spf eval 2001:db8::25 '' --helo mail.example.com --json

      dnsspec --nameserver 127.0.0.1:5353 spf eval --batch checks.jsonl

    Without --nameserver (or DNSSPEC_NAMESERVER) the system resolver is asked.

    Exit codes: 0 whenever the evaluation ran, whatever the SPF result (read it from the output).

    2 for a malformed IP, sender or nameserver, or a bad batch line (the others still print).
    """
    resolver = _resolver(ctx, nameserver, timeout)
    if batch is not None:
        if ip is not None or sender is not None:
            fail("give either IP SENDER or --batch FILE, not both")
        raise typer.Exit(_eval_batch(batch, resolver))
    if ip is None or sender is None:
        fail("missing IP and SENDER", hint="dnsspec spf eval 192.0.2.1 user@example.com")
    evaluation = _eval_one(ip, sender, helo, resolver)
    if as_json:
        data = _evaluation_json(ip, sender, helo, evaluation, trace=True)
        typer.echo(printable_json(json.dumps(data, ensure_ascii=False)))
    else:
        _print_evaluation(evaluation, trace=trace)


def _eval_one(ip: str, sender: str, helo: str | None, resolver: DnsResolver) -> Evaluation:
    import asyncio

    from dnsspec.spf.evaluate import SpfInputError, evaluate

    try:
        return asyncio.run(evaluate(ip, sender, helo, lookup=resolver))
    except SpfInputError as exc:
        fail(exc)


def _eval_batch(path: Path, resolver: DnsResolver) -> int:
    import asyncio

    from dnsspec.spf.evaluate import Query, SpfInputError, evaluate_all

    try:
        text = typer.get_text_stream("stdin").read() if str(path) == "-" else path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {path}: {exc}")
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    queries: list[Query | str] = [_batch_query(n, line) for n, line in lines]
    valid = [q for q in queries if isinstance(q, Query)]
    results = iter(asyncio.run(evaluate_all(valid, lookup=resolver)))
    code = 0
    for (number, _), query in zip(lines, queries, strict=True):
        result = query if isinstance(query, str) else next(results)
        if isinstance(result, str | SpfInputError):
            code = 2
            message = result if isinstance(result, str) else f"line {number}: {result.message}"
            out: dict[str, Any] = {"line": number, "error": message}
        else:
            assert isinstance(query, Query)
            out = {"line": number, **_evaluation_json(query.ip, query.sender, query.helo, result)}
        typer.echo(printable_json(json.dumps(out, ensure_ascii=False)))
    return code


def _batch_query(number: int, line: str) -> Any:
    from dnsspec.spf.evaluate import Query

    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"line {number}: invalid JSON ({exc.msg})"
    if not isinstance(data, dict) or not isinstance(data.get("ip"), str):
        return f'line {number}: expected an object {{"ip": ..., "sender": ..., "helo": ...}}'
    unknown = sorted(set(data) - {"ip", "sender", "helo"})
    if unknown:
        return f"line {number}: unknown key {unknown[0]!r} (the keys are ip, sender and helo)"
    sender, helo = data.get("sender", ""), data.get("helo")
    if not isinstance(sender, str) or not (helo is None or isinstance(helo, str)):
        return f"line {number}: sender and helo must be strings"
    return Query(data["ip"], sender, helo)


def _evaluation_json(
    ip: str, sender: str, helo: str | None, evaluation: Evaluation, *, trace: bool = False
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ip": ip,
        "sender": sender,
        "helo": helo,
        "result": evaluation.result,
        "mechanism": evaluation.mechanism,
        "explanation": evaluation.explanation,
        "lookups": evaluation.lookups,
        "void_lookups": evaluation.void_lookups,
        "reason": evaluation.reason,
    }
    if trace:
        data["trace"] = list(evaluation.trace)
    return data


_COLOURS = {"pass": "green", "fail": "red", "softfail": "yellow", "permerror": "red"}


def _print_evaluation(evaluation: Evaluation, *, trace: bool) -> None:
    console = stdout_console()
    colour = _COLOURS.get(evaluation.result, "cyan")
    console.print(f"result       [bold {colour}]{evaluation.result}[/]")
    console.print(f"mechanism    {_safe(evaluation.mechanism or '-')}")
    if evaluation.explanation is not None:
        console.print(f"explanation  {_safe(evaluation.explanation)}")
    if evaluation.reason is not None:
        console.print(f"reason       {_safe(evaluation.reason)}")
    console.print(f"lookups      {evaluation.lookups}/10, void {evaluation.void_lookups}/2")
    if trace:
        console.print("trace")
        for step in evaluation.trace:
            console.print(f"  {_safe(step)}")


def tree_command(
    ctx: typer.Context,
    domain: Annotated[str, typer.Argument(help="Domain whose SPF include tree to draw.")],
    as_json: JsonOption = False,
    nameserver: NameserverOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Draw a domain's SPF include/redirect tree with its DNS lookup cost.

    Each node: its record, own lookups and voids, and the running total (counted in
    evaluation order when the node's evaluation ends) against the limits 10 and 2.

    Loops, missing records and other problems are marked in red.

    Examples:

      dnsspec spf tree example.com

      dnsspec spf tree example.com --json --nameserver 127.0.0.1:5353

    Without --nameserver (or DNSSPEC_NAMESERVER) the system resolver is asked.

    Exit codes: 0 when the tree was drawn (even over the limits), 2 for an invalid domain
    or when DNS fails for the domain's own record.
    """
    import asyncio

    from dnsspec.spf.cost import lookup_cost
    from dnsspec.spf.evaluate import _valid_domain

    name = domain.strip().rstrip(".")
    if not _valid_domain(name):
        fail(
            f"{domain!r} is not a valid domain name",
            hint="a domain such as example.com: letters, digits, '-' and '_', two labels or more",
        )
    resolver = _resolver(ctx, nameserver, timeout)
    try:
        cost = asyncio.run(lookup_cost(name, resolver))
    except DnsspecError as exc:
        fail(exc)
    totals = cost.running_totals
    if as_json:
        document = {
            "domain": domain,
            "lookups": cost.lookups,
            "voids": cost.voids,
            "at_least": cost.at_least,
            "limits": {"lookups": 10, "voids": 2},
            "over_limit_path": list(cost.over_limit_path) if cost.over_limit_path else None,
            "tree": _node_json(cost.tree, totals),
        }
        typer.echo(printable_json(json.dumps(document, indent=2, ensure_ascii=False)))
        _exit_on_dns_failure(cost.tree)
        return
    console = stdout_console()
    console.print(_node_tree(cost.tree, totals, None), soft_wrap=False)
    problems = _problems(cost.tree)
    if cost.lookups > 10 or cost.voids > 2:
        verdict = "[red]over the limit[/]"
    elif problems:
        verdict = f"[red]{len(problems)} problem{'s' if len(problems) > 1 else ''}[/]"
    else:
        verdict = "[green]ok[/]"
    at_least = "at least " if cost.at_least else ""
    console.print(f"total: {at_least}{cost.lookups}/10 lookups, {cost.voids}/2 voids: {verdict}")
    if cost.over_limit_path:
        console.print("limit broken at: " + _safe(" → ".join(cost.over_limit_path)))
    if cost.void_family:
        console.print(f"voids counted for {cost.void_family} clients (the family meeting more)")
    _exit_on_dns_failure(cost.tree)


def _exit_on_dns_failure(root: CostNode) -> None:
    """Exit 2 when DNS failed for the domain's own record (the tree could not be drawn)."""
    if root.unknown and root.problem and "temperror" in root.problem:
        fail(printable(f"{root.domain}: {root.problem}"))


def _problems(node: CostNode) -> list[str]:
    own = [f"{node.domain}: {node.problem}"] if node.problem else []
    return own + [p for child in node.children for p in _problems(child)]


def _node_json(node: CostNode, totals: Mapping[int, tuple[int, int]]) -> dict[str, Any]:
    lookups, voids = totals.get(id(node), (node.lookups, node.voids))
    data: dict[str, Any] = {
        "domain": node.domain,
        "via": node.via,
        "record": node.record,
        "own_lookups": node.own_lookups,
        "own_voids": node.own_voids,
        "total_lookups": lookups,  # counted when this node's evaluation ends
        "total_voids": voids,
        "problem": node.problem,
        "unknown": node.unknown,
    }
    data["children"] = [_node_json(child, totals) for child in node.children]
    return data


def _node_tree(node: CostNode, totals: Mapping[int, tuple[int, int]], parent: Tree | None) -> Tree:
    from rich.tree import Tree

    lookups, voids = totals.get(id(node), (node.lookups, node.voids))
    over = lookups > 10 or voids > 2
    via = "" if node.via == "root" else "redirect=" if node.via == "redirect" else "include:"
    label = (
        f"[bold]{_safe(via + node.domain)}[/]  own {node.own_lookups}, void {node.own_voids}  "
        f"[{'red' if over else 'dim'}]total {lookups}/10, void {voids}/2[/]"
    )
    if node.problem:
        label += f"  [red]{_safe(node.problem)}[/]"
    elif node.unknown:
        label += "  [yellow]unknown[/]"
    if node.record:
        label += f"\n[dim]{_safe(node.record)}[/]"
    branch = Tree(label) if parent is None else parent.add(label)
    for child in node.children:
        _node_tree(child, totals, branch)
    return branch


def _safe(text: str) -> str:
    """DNS data for rich markup: unsafe characters escaped, then markup escaped."""
    from rich.markup import escape

    return escape(printable(text))


spf_app.command("eval")(eval_command)
spf_app.command("tree")(tree_command)
