"""``dnsspec test``: evaluate the specs' ``expect:`` assertions (offline, or ``--live``)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dnsspec.cli.common import (
    EXIT_FINDINGS,
    NameserverOption,
    PathsArg,
    TimeoutOption,
    fail,
    settings,
    stdout_console,
)
from dnsspec.errors import DnsspecError
from dnsspec.lock import DEFAULT_LOCK

if TYPE_CHECKING:
    from dnsspec.assertions import Outcome


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    junit = "junit"


def test_command(
    ctx: typer.Context,
    paths: PathsArg = None,
    live: Annotated[
        bool, typer.Option("--live", help="Evaluate against real DNS instead of the specs + lock.")
    ] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text, json or junit (JUnit XML).")
    ] = OutputFormat.text,
    lock_file: Annotated[
        Path, typer.Option("--lock", help="The lock answering third-party names offline.")
    ] = Path(DEFAULT_LOCK),
    nameserver: NameserverOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Check every `expect:` assertion of the specs.

    SPF assertions ({ip, sender|helo, result}) run RFC 7208 check_host against the
    compiled records, third-party names answered from dnsspec.lock; a question the
    lock cannot answer makes the assertion unresolved (run `dnsspec lock`). DMARC
    assertions ({from, dmarc}) run RFC 9989 policy discovery over the compiled records.
    With --live (or --nameserver) everything is asked of DNS instead.

    Examples:

      dnsspec test                         # offline: zones/ and dnsspec.lock

      dnsspec test --format junit > spf-tests.xml

      dnsspec test --live

    Exit status: 0 every assertion holds; 1 one fails or is unresolved; 2 invalid input.
    """
    from dnsspec.assertions import collect, run_assertions
    from dnsspec.lock import Lock, LockedLookup, read_lock
    from dnsspec.spec.load import load_zones

    s = settings(ctx, nameserver, timeout)
    try:
        zones = load_zones(paths or ["zones"])
        assertions = collect(zones)
        if live or nameserver:
            from dnsspec.lookups import DnsResolver

            resolver = DnsResolver(s.nameservers, timeout=s.timeout)
            outcomes = run_assertions(zones, assertions, live=resolver)
        else:
            lock = read_lock(lock_file) or Lock()
            outcomes = run_assertions(zones, assertions, fallback=LockedLookup(lock))
    except DnsspecError as error:
        fail(error)
    if output is OutputFormat.json:
        print(json.dumps([_as_json(o) for o in outcomes], indent=2))
    elif output is OutputFormat.junit:
        print(junit(outcomes))
    else:
        _text(outcomes)
    if any(o.status != "pass" for o in outcomes):
        raise typer.Exit(EXIT_FINDINGS)


def _expected(o: Outcome) -> str:
    return " or ".join(o.assertion.wanted)


def _detail(o: Outcome) -> list[str]:
    """Why it failed: the actual result, the deciding term, the lookups, the trace."""
    if o.status == "unresolved":
        lines = [f"unresolved: {q} is not in the lock; run `dnsspec lock`" for q in o.missing]
        return lines or [f"unresolved: {o.reason}"]
    lines = [
        f"expected {_expected(o)}, got {o.actual}",
        f"deciding term: {o.term or 'none'}" + (f" ({o.reason})" if o.reason else ""),
        f"lookups: {o.lookups}",
    ]
    return lines + [f"  {t}" for t in o.trace]


def _text(outcomes: list[Outcome]) -> None:
    from dnsspec.lookups.printable import printable

    console = stdout_console()
    for o in outcomes:
        loc = o.assertion.location
        head = f"{loc}: {o.status.upper()} {o.assertion.title.split(' ', 1)[1]}"
        if o.status == "pass":
            console.print(f"{head}: {o.actual} ({o.term or 'no term'})", markup=False)
            continue
        console.print(head, markup=False)
        for line in _detail(o):
            console.print(f"    {printable(line)}", markup=False)
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("pass", "fail", "unresolved")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    console.print(f"{len(outcomes)} assertions: {summary}", markup=False)


def _as_json(o: Outcome) -> dict[str, object]:
    a = o.assertion
    return {
        "name": a.title,
        "file": str(a.location.file),
        "line": a.location.line,
        "col": a.location.col,
        "zone": a.zone,
        "kind": a.expect.kind,
        "status": o.status,
        "expected": list(a.wanted),
        "actual": o.actual,
        "term": o.term,
        "lookups": o.lookups,
        "missing": list(o.missing),
        "reason": o.reason,
        "trace": list(o.trace),
    }


def junit(outcomes: list[Outcome]) -> str:
    """JUnit XML: one testcase per assertion, named ``zone:line ip sender``."""
    from xml.etree import ElementTree as ET

    failures = sum(1 for o in outcomes if o.status == "fail")
    errors = sum(1 for o in outcomes if o.status == "unresolved")
    suite = ET.Element(
        "testsuite",
        name="dnsspec test",
        tests=str(len(outcomes)),
        failures=str(failures),
        errors=str(errors),
    )
    for o in outcomes:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=o.assertion.zone,
            name=o.assertion.title,
            file=str(o.assertion.location.file),
            line=str(o.assertion.location.line),
        )
        if o.status == "fail":
            node = ET.SubElement(
                case, "failure", message=f"expected {_expected(o)}, got {o.actual}"
            )
            node.text = "\n".join(_detail(o))
        elif o.status == "unresolved":
            node = ET.SubElement(case, "error", message="unresolved")
            node.text = "\n".join(_detail(o))
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)
