"""``dnsspec lock``: resolve third-party includes into dnsspec.lock for offline lint."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dnsspec.cli.common import (
    EXIT_FINDINGS,
    NameserverOption,
    PathsArg,
    TimeoutOption,
    fail,
    settings,
    stderr_console,
)
from dnsspec.errors import DnsspecError
from dnsspec.lock import DEFAULT_LOCK


def lock(
    ctx: typer.Context,
    paths: PathsArg = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Do not write; exit 1 when the lock is stale "
            "(a needed name missing, or a name no longer needed).",
        ),
    ] = False,
    resolve: Annotated[
        bool,
        typer.Option(
            "--resolve",
            help="With --check: also query DNS and report names whose published record changed.",
        ),
    ] = False,
    lock_file: Annotated[
        Path, typer.Option("--lock", help="The lock file to write or check.")
    ] = Path(DEFAULT_LOCK),
    nameserver: NameserverOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Resolve every third-party include and redirect of the specs into dnsspec.lock.

    The lock records each third-party name's published SPF record (verbatim), the
    other answers the lookup count needs, its own lookup/void cost and when it was
    resolved. `dnsspec lint` then counts lookups through it with no network, so
    pre-commit and CI agree. Review and commit the lock; re-run when a provider
    changes its record.

    Examples:

      dnsspec lock                                   # write dnsspec.lock (needs DNS)

      dnsspec lock --check                           # offline: is it complete?

      dnsspec --nameserver 127.0.0.1:5353 lock --check --resolve

    Without --nameserver (or DNSSPEC_NAMESERVER) the system resolver is asked.

    Exit status: 0 written / up to date; 1 stale (--check), or written but an include or
    redirect target does not exist or has no SPF record (each is listed); 2 invalid specs
    or DNS failure.
    """
    from dnsspec.lock import (
        build_lock,
        check_lock,
        compare_locks,
        dead_targets,
        read_lock,
        write_lock,
    )
    from dnsspec.lookups import DnsResolver
    from dnsspec.lookups.printable import printable
    from dnsspec.spec.load import load_zones

    console = stderr_console()
    s = settings(ctx, nameserver, timeout)
    try:
        zones = load_zones(paths or ["zones"])
        current = read_lock(lock_file)
        if check and current is None:
            fail(
                f"{lock_file} does not exist",
                hint="run `dnsspec lock` and commit the file",
                code=EXIT_FINDINGS,
            )
        if check and current is not None:
            status = check_lock(zones, current)
            if resolve and not status.stale:
                fresh = build_lock(
                    zones, DnsResolver(s.nameservers, timeout=s.timeout), previous=current
                )
                status = compare_locks(current, fresh)
            for line in status.describe():
                console.print(f"{lock_file}: {line}", markup=False)
            if status.stale:
                console.print("the lock is stale: run `dnsspec lock`", markup=False)
                raise typer.Exit(EXIT_FINDINGS)
            console.print(f"{lock_file} is up to date ({len(current.names)} names)", markup=False)
            return
        new = build_lock(zones, DnsResolver(s.nameservers, timeout=s.timeout), previous=current)
    except DnsspecError as error:
        fail(error)
    write_lock(new, lock_file)
    console.print(f"wrote {lock_file} ({len(new.names)} names)", markup=False)
    dead = dead_targets(zones, new)
    for target in dead:  # names come from DNS records: printed escaped
        console.print(f"{lock_file}: {printable(target.describe())}", markup=False)
    if dead:
        count = len(dead)
        console.print(
            f"{count} include or redirect target{'s' if count > 1 else ''} without an SPF "
            "record: fix the name in the spec, or tell the provider (the lock is written, "
            "so `dnsspec lint` reports the same offline)",
            markup=False,
        )
        raise typer.Exit(EXIT_FINDINGS)
