"""``dnsspec check``: drift between the specs and what DNS serves."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dnsspec.cli.common import (
    EXIT_FINDINGS,
    NameserverOption,
    check_ca_file,
    fail,
    settings,
    stderr_console,
    stdout_console,
)
from dnsspec.errors import DnsspecError
from dnsspec.lock import DEFAULT_LOCK

if TYPE_CHECKING:
    from dnsspec.drift import Drift
    from dnsspec.lookups import Lookup
    from dnsspec.spec.load import LoadedZone

EXIT_UNREACHABLE = 3


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


def check(
    ctx: typer.Context,
    zone_names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="ZONE", help="Zones to check (default: every spec).", show_default=False
        ),
    ] = None,
    specs: Annotated[Path, typer.Option("--specs", help="The spec file or directory.")] = Path(
        "zones"
    ),
    authoritative: Annotated[
        bool,
        typer.Option(
            "--authoritative",
            help="With --nameserver: find the zone's NS through it and ask those servers "
            "(RD=0), as without --nameserver.",
        ),
    ] = False,
    authoritative_port: Annotated[
        int | None,
        typer.Option(
            "--authoritative-port",
            help="The port the zone's own servers (from the NS lookup) are asked on "
            "(default 53); for a test server on a high port. Not with --nameserver alone.",
            min=1,
            max=65535,
            show_default=False,
        ),
    ] = None,
    mta_sts_port: Annotated[
        int,
        typer.Option(
            "--mta-sts-port",
            help="The HTTPS port the MTA-STS policy is fetched from (a test server's).",
            min=1,
            max=65535,
        ),
    ] = 443,
    ca_file: Annotated[
        Path | None,
        typer.Option(
            "--ca-file",
            help="PEM file of the CA certificates the policy host's certificate is verified "
            "against, instead of the system store (private CAs, tests).",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    output: Annotated[CheckFormat, typer.Option("--format", help="text or json.")] = (
        CheckFormat.text
    ),
    lock_file: Annotated[
        Path, typer.Option("--lock", help="The lock whose third-party answers are compared.")
    ] = Path(DEFAULT_LOCK),
    nameserver: NameserverOption = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            help="Seconds to wait for each DNS query, and for each MTA-STS policy GET as a "
            "whole (default 2, or the global option).",
            min=0.01,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Compare every record the specs manage with what DNS serves.

    Per name and type: in-sync, missing, different (expected vs actual) or
    extra-own-kind (a second v=spf1 or v=DMARC1 value at a name); stale-lock for a
    third-party name whose live SPF record differs from dnsspec.lock. By default each
    zone's own authoritative servers are asked (found by NS lookup, queried with RD=0),
    so a fresh change is seen before caches expire; --nameserver asks that resolver.
    For each mta_sts: name, the policy served at
    https://mta-sts.<name>/.well-known/mta-sts.txt is compared byte for byte with the
    compiled one (an MTA-STS-POLICY row; error when it cannot be fetched).

    Examples:

      dnsspec check                                  # every zone, its authoritative servers

      dnsspec check example.com --nameserver 127.0.0.1:5353 --format json

    Exit status: 0 in sync; 1 drift; 2 invalid input; 3 a zone could not be queried
    or an MTA-STS policy could not be fetched (the other zones are still checked).
    """
    from dnsspec.compile import compile_zone, report_authorizations
    from dnsspec.compile.mta_sts import policy_files
    from dnsspec.drift import (
        ZoneFirst,
        ZoneUnreachable,
        authoritative_servers,
        check_zone,
        stale_lock,
    )
    from dnsspec.drift_mta_sts import policy_row
    from dnsspec.errors import ResolveError
    from dnsspec.lock import read_lock
    from dnsspec.lookups import DnsResolver, normalize_name
    from dnsspec.spec.load import load_zones

    s = settings(ctx, nameserver, timeout)
    if authoritative_port is not None and s.nameservers and not authoritative:
        fail(
            "--authoritative-port is the port of the servers found by NS lookup, and "
            "--nameserver alone asks that server directly",
            hint="dnsspec check --authoritative --nameserver HOST:PORT --authoritative-port PORT",
        )
    check_ca_file(ca_file)
    try:
        zones = load_zones([specs])
        lock = read_lock(lock_file)
    except DnsspecError as error:
        fail(error)
    wanted = {normalize_name(z) for z in zone_names or ()}
    known = {normalize_name(z.zone) for z in zones}
    for name in sorted(wanted - known):
        fail(f"no spec for zone {name!r} in {specs}", hint=f"one of: {', '.join(sorted(known))}")
    try:
        resolver = DnsResolver(s.nameservers, timeout=s.timeout)
    except ResolveError as error:
        fail(error)
    authorizations = report_authorizations(zones)  # records one zone's policies put in another
    rows: list[Drift] = []
    errors: list[str] = []
    # each SPF policy's lookup count as served, by name, and whether it is a lower bound
    costs: dict[str, tuple[int, bool]] = {}

    async def run() -> None:
        for z in zones:
            zone = normalize_name(z.zone)
            if wanted and zone not in wanted:
                continue
            walk: Lookup = resolver
            try:
                if s.nameservers and not authoritative:
                    lookup, server = resolver, ",".join(s.nameservers)
                else:
                    port = authoritative_port or 53
                    addresses = await authoritative_servers(zone, resolver, port)
                    own = DnsResolver(addresses, timeout=s.timeout)
                    own.recursion = False
                    lookup, server = own, ",".join(addresses)
                    walk = ZoneFirst(zone, own, resolver)
                zone_rows = await check_zone(
                    zone, compile_zone(z, authorizations.get(z.zone, ())), lookup, server
                )
            except ZoneUnreachable as error:
                errors.append(error.message)
                continue
            zone_costs = await _live_costs(z, walk)
            costs.update(zone_costs)
            rows.extend(
                replace(
                    r,
                    spf_lookups=zone_costs[r.name][0],
                    spf_lookups_at_least=zone_costs[r.name][1],
                )
                if r.type == "TXT" and r.name in zone_costs
                else r
                for r in zone_rows
            )
            served = {r.name: r.actual for r in zone_rows if r.type == "TXT"}
            for domain, policy in policy_files(z).items():
                row = await policy_row(
                    zone,
                    domain,
                    policy,
                    resolver,  # the policy host is often out of zone: a sender's resolver
                    served.get(f"_mta-sts.{domain}", ()),
                    port=mta_sts_port,
                    timeout=s.timeout,
                    ca_file=ca_file,
                )
                rows.append(row)
                if row.status == "error":
                    errors.append(f"{zone}: {row.detail}")
        if lock is not None:
            txt = {n: e.answers["TXT"] for n, e in lock.names.items() if "TXT" in e.answers}
            rows.extend(await stale_lock(txt, resolver, ",".join(s.nameservers) or "system"))

    asyncio.run(run())
    if output is CheckFormat.json:
        print(json.dumps([r.as_json() for r in rows], indent=2))
    else:
        _text(rows)
        if costs:
            counts = ", ".join(
                f"{name} {'≥' if at_least else ''}{n}" for name, (n, at_least) in costs.items()
            )
            stdout_console().print(f"live SPF lookups: {counts}", markup=False)
    console = stderr_console()
    for message in errors:
        console.print(f"error: {message}", markup=False)
    if errors:
        raise typer.Exit(EXIT_UNREACHABLE)
    if any(r.status != "in-sync" for r in rows):
        raise typer.Exit(EXIT_FINDINGS)


async def _live_costs(zone: LoadedZone, resolver: Lookup) -> dict[str, tuple[int, bool]]:
    """The RFC 7208 lookup count of each SPF policy of the zone (by name, no dot), walked
    as DNS serves it by the one cost walk (``dnsspec.spf.cost``, as ``lint --resolve``),
    and whether it is only a lower bound (part of the walk got no answer)."""
    from dnsspec.errors import ResolveError
    from dnsspec.lookups import normalize_name
    from dnsspec.spf.cost import lookup_cost

    found: dict[str, tuple[int, bool]] = {}
    for site in zone.sites:
        if site.kind != "spf":
            continue
        name = f"{site.name}.{zone.zone}" if site.name else zone.zone
        try:
            cost = await lookup_cost(name.rstrip("."), resolver)
        except ResolveError:
            continue
        if cost.tree.record is None:
            continue  # no SPF record served there (or no answer): no count, not 0
        found[normalize_name(name)] = (cost.lookups, cost.at_least)
    return found


def _text(rows: Sequence[Drift]) -> None:
    from dnsspec.lookups.printable import printable

    console = stdout_console()
    drift = 0
    for row in rows:
        console.print(printable(f"{row.status:<15} {row.name} {row.type}"), markup=False)
        if row.status != "in-sync":
            drift += 1
            console.print(printable(f"    expected: {_shown(row, row.expected)}"), markup=False)
            console.print(
                printable(f"    actual:   {_shown(row, row.actual)}  ({row.server})"), markup=False
            )
        if row.detail:
            console.print(printable(f"    {row.detail}"), markup=False)
    console.print(f"{len(rows)} rrsets checked: {drift} drifted", markup=False)


def _shown(row: Drift, values: Sequence[str]) -> str:
    """An rrset's values as a list; a policy file as its one escaped line."""
    from dnsspec.drift_mta_sts import POLICY_TYPE

    if row.type == POLICY_TYPE:
        return " ".join(values) or "(nothing)"
    return str(list(values))
