"""``dnsspec import``: each domain's current state into ``zones/<zone>.yaml``.

:func:`import_domain` reads one zone (:mod:`dnsspec.importer.live`), builds its
spec (:mod:`dnsspec.importer.build`), proves the spec compiles back to exactly
the records read (:func:`round_trip_problems`; a spec that does not is never
written), and writes it unless the file exists and ``force`` is not given.
Errors are per domain: one failing domain never stops the others.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dnsspec.errors import DnsspecError
from dnsspec.importer.build import BuiltSpec, Decision, build_spec
from dnsspec.importer.live import (
    ImportSourceError,
    LiveZone,
    Skipped,
    TsigKey,
    host_port,
    read_axfr,
    read_octodns,
    read_zone_file,
    zone_file_for,
)

SOURCES = ("dns", "axfr", "bind", "octodns")


class SpecExists(DnsspecError):
    """The spec exists; ``--force`` overwrites it."""


class RoundTripError(DnsspecError):
    """The imported spec would not reproduce the zone's records; it was not written."""


@dataclass(frozen=True)
class ImportOptions:
    source: str = "dns"  # one of SOURCES
    nameservers: tuple[str, ...] = ()
    path: Path | None = None  # --source FILE|DIR
    tsig: TsigKey | None = None
    selectors: tuple[str, ...] = ()
    out: Path = Path("zones")
    force: bool = False
    timeout: float = 2.0


@dataclass
class ImportResult:
    zone: str
    file: Path | None = None
    records: int = 0
    spf: list[Decision] = field(default_factory=list)
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None


def read_live(zone: str, options: ImportOptions) -> LiveZone:
    """The zone's current state from the source ``options`` name."""
    if options.source == "dns":
        from dnsspec.importer.from_dns import read_dns

        return read_dns(
            zone, options.nameservers, selectors=options.selectors, timeout=options.timeout
        )
    if options.source == "axfr":
        host, port = host_port(options.nameservers[0])
        return read_axfr(zone, host, port, tsig=options.tsig, timeout=options.timeout)
    assert options.path is not None
    if options.source == "bind":
        return read_zone_file(zone, zone_file_for(zone, options.path))
    return read_octodns(zone, options.path)


def import_domain(domain: str, options: ImportOptions) -> ImportResult:
    """Import one domain; never raises for a problem of that domain (see ``error``)."""
    zone = domain.strip().lower().rstrip(".") + "."
    result = ImportResult(zone)
    try:
        target = options.out / f"{zone}yaml"
        if target.exists() and not options.force:
            raise SpecExists(f"{target} exists: nothing written (--force overwrites it)")
        from dnsspec.sync.session import capture_logs

        log: list[str] = []
        with capture_logs(log):  # octoDNS logs while it parses records
            live = read_live(zone, options)
            built = build_spec(live, source=describe_source(options))
            problems = round_trip_problems(live, built)
        if problems:
            raise RoundTripError(
                f"{zone}: the imported spec would not reproduce the zone ({'; '.join(problems)}); "
                "nothing written: please report this"
            )
        options.out.mkdir(parents=True, exist_ok=True)
        target.write_text(built.text, encoding="utf-8")
    except DnsspecError as error:
        result.error = error.message
        return result
    except Exception as error:  # a reader's unforeseen failure stays this domain's
        result.error = f"{type(error).__name__}: {error}"
        return result
    result.file = target
    result.records = len(live.records)
    result.spf = built.spf
    result.skipped = live.skipped
    result.notes = live.notes
    return result


def describe_source(options: ImportOptions) -> str:
    if options.source == "dns":
        servers = ", ".join(options.nameservers) or "the system resolver"
        return f"DNS ({servers})"
    if options.source == "axfr":
        return f"AXFR from {options.nameservers[0]}"
    return f"{'the zone file' if options.source == 'bind' else 'octoDNS YAML'} {options.path}"


def canonical(records: Iterable[Any]) -> set[tuple[str, str, int, tuple[str, ...]]]:
    """octoDNS records as (name, type, ttl, sorted values as text): what the plan compares."""
    from dnsspec.octodns import compat
    from dnsspec.octodns.convert import record_values

    return {
        (r.name, compat.record_type(r), int(r.ttl), tuple(sorted(record_values(r))))
        for r in records
    }


def compiled_records(zone: str, text: str) -> list[Any]:
    """Load ``text`` as ``<zone>yaml``, compile it, and build the octoDNS records."""
    from octodns.zone import Zone

    from dnsspec.compile import compile_zone
    from dnsspec.octodns.convert import to_octodns
    from dnsspec.spec.load import load_zone

    with tempfile.TemporaryDirectory(prefix="dnsspec-import-") as directory:
        file = Path(directory) / f"{zone}yaml"
        file.write_text(text, encoding="utf-8")
        loaded = load_zone(file)
    octo_zone = Zone(zone, [])
    return [
        to_octodns(r, octo_zone, source=None, context=zone, lenient=False)
        for r in compile_zone(loaded)
    ]


def round_trip_problems(live: LiveZone, built: BuiltSpec) -> list[str]:
    """How compiling ``built`` differs from ``live`` ([] when it reproduces it exactly)."""
    from dnsspec.errors import SpecError

    try:
        compiled = canonical(compiled_records(live.zone, built.text))
    except SpecError as error:
        return [f"{p.location}: {p.message}" for p in error.problems]
    expected = canonical(live.records)
    for name, value in built.left_out:  # reported to the user, not in the spec
        from dnsspec.octodns.convert import txt_text

        text = txt_text(value)
        expected = {
            (n, t, ttl, tuple(v for v in values if v != text))
            if n == name and t == "TXT"
            else (n, t, ttl, values)
            for n, t, ttl, values in expected
        }
        expected = {e for e in expected if e[3]}
    problems = [f"missing {n or '@'} {t}" for n, t, _, _ in sorted(expected - compiled)]
    problems += [f"extra {n or '@'} {t}" for n, t, _, _ in sorted(compiled - expected)]
    return problems


def check_options(domains: Sequence[str], options: ImportOptions) -> None:
    """Bad arguments (the CLI exits 2): raises ImportSourceError."""
    if options.source not in SOURCES:
        raise ImportSourceError(f"--from {options.source!r}: one of {', '.join(SOURCES)}")
    if not domains:
        raise ImportSourceError("give at least one DOMAIN to import")
    if options.source == "axfr" and not options.nameservers:
        raise ImportSourceError("--from axfr needs --nameserver HOST[:PORT] (the primary)")
    if options.source in ("bind", "octodns") and options.path is None:
        what = "a zone file or a directory of them" if options.source == "bind" else "a directory"
        raise ImportSourceError(f"--from {options.source} needs --source PATH ({what})")
    if options.source == "bind" and options.path and len(domains) > 1 and options.path.is_file():
        raise ImportSourceError("one zone file holds one zone: give --source a directory")
    from dnsspec.spec.names import domain_problem

    for domain in domains:
        problem = domain_problem(domain.strip().rstrip("."))
        if problem or "." not in domain.strip().rstrip("."):
            raise ImportSourceError(
                f"{domain!r} is not a domain name ({problem or 'needs two labels'})"
            )
    try:
        for server in options.nameservers:
            host_port(server)
    except ValueError:
        raise ImportSourceError(
            f"--nameserver {options.nameservers}: write HOST, HOST:PORT or [V6]:PORT"
        ) from None


__all__ = ["ImportOptions", "ImportResult", "ImportSourceError", "TsigKey", "import_domain"]
