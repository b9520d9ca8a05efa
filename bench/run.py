"""dnsspec benchmark: ``make bench`` (or ``.venv/bin/python bench/run.py``).

One table, every target of issue 16 beside what it is compared with, measured in
the same run (bench/README.md says how to read it); exit status 1 when a target is
missed. Sections:

1. start-up: ``dnsspec --version`` and ``dnsspec lint`` of one zone (``startup.py``);
2. plan and apply against plain octoDNS over the same compiled zones at 100, 1,000
   and 10,000 generated zones, with the growth per 10× zones, and offline lint of
   1,000 and 10,000 zones (``plan_apply.py``, ``zones.py``);
3. ``lint --resolve`` over a 1,000-domain portfolio served by BIND 9 (the tests'
   server, tests/integration/bind.py) against checkdmarc, and ``check_host`` per
   call against pyspf (``portfolio.py``, ``runners/``);
4. issue 8's hostile-input bounds (``hostile.py``).

``--quick`` (or ``DNSSPEC_BENCH_QUICK=1``) runs plan/apply at the 1,000-zone point
only, as CI does. No traffic goes anywhere but 127.0.0.1; the server is stopped on
exit, errors and Ctrl-C included.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

sys.path.insert(0, str(HERE.parent / "tests" / "integration"))

import hostile  # noqa: E402
import plan_apply  # noqa: E402
import startup  # noqa: E402
from bind import BindServer  # noqa: E402
from measure import Measured, run_measured  # noqa: E402
from portfolio import Portfolio, build, eval_cases, write_specs, zone_file  # noqa: E402
from providers import ORIGIN  # noqa: E402
from table import INFO, MISSED, Row, mib, render, seconds, times, verdict  # noqa: E402
from verify import verify_server  # noqa: E402

PYTHON = sys.executable
DNSSPEC = str(Path(sys.executable).parent / "dnsspec")
RUNNERS = HERE / "runners"


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _probe(argv: list[str], cwd: Path) -> tuple[bool, str]:
    """Run a quick probe command; (succeeded, combined output)."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=cwd)
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, str(error)
    return done.returncode == 0, done.stdout + done.stderr


def _measured_dict(samples: Measured | list[Measured]) -> dict[str, Any]:
    """One measurement, or the median of repeated ones (every sample's wall time kept)."""
    runs = samples if isinstance(samples, list) else [samples]
    m = sorted(runs, key=lambda r: r.wall_s)[len(runs) // 2]
    out: dict[str, Any] = {
        "command": " ".join(m.argv),
        "wall_s": round(m.wall_s, 3),
        "max_rss_mib": round(m.max_rss_mib, 1),
        "user_s": round(m.user_s, 3),
        "sys_s": round(m.sys_s, 3),
        "returncode": m.returncode,
    }
    if len(runs) > 1:
        out["samples_wall_s"] = [round(r.wall_s, 3) for r in runs]
        out["statistic"] = f"median of {len(runs)}"
    return out


def _tail(path: Path, lines: int = 12) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def portfolio_stats(portfolio: Portfolio) -> dict[str, Any]:
    customers = portfolio.customers
    usage = Counter(key for c in customers for key in c.providers)
    return {
        "customers": len(customers),
        "providers": len(portfolio.providers),
        "provider_usage": dict(usage.most_common()),
        "over_lookup_limit": sum(c.cost > 10 for c in customers),
        "with_void_lookups": sum(c.voids > 0 for c in customers),
        "over_void_limit": sum(c.voids > 2 for c in customers),
        "zone_records": sum(1 for _ in portfolio.records()),
    }


def compile_check(work: Path, zones: Path, portfolio: Portfolio) -> dict[str, Any]:
    """The portfolio's specs compile to exactly the SPF records BIND serves (so both
    tools check the same policies)."""
    m = run_measured(
        [DNSSPEC, "compile", str(zones), "--format", "json"], out_prefix=work / "compile", cwd=work
    )
    if m.returncode != 0:
        return {"error": _tail(m.stderr)}
    published = {f"{c.domain}.": c.spf_text for c in portfolio.customers}
    compiled: dict[str, str] = {}
    for record in json.loads(m.stdout.read_text()):
        if record["type"] == "TXT" and record["fqdn"] in published:
            for value in record["values"]:
                text = value if isinstance(value, str) else "".join(value)
                if text.startswith("v=spf1"):
                    compiled[record["fqdn"]] = text
    equal = sum(compiled.get(fqdn) == text for fqdn, text in published.items())
    return {"equal": equal, "differ": len(published) - equal}


def bench_lint(
    work: Path, zones: Path, server: BindServer, domains_file: Path, repeat: int
) -> dict[str, Any]:
    """Whole-command comparison: dnsspec lint --resolve vs checkdmarc check_spf.

    With ``repeat`` > 1 the two commands alternate and each one's median is kept,
    so load from other processes on the machine hits both alike."""
    out: dict[str, Any] = {}
    ok, text = _probe([DNSSPEC, "lint", "--help"], work)
    lint_argv: list[str] | None = None
    if not ok or "--resolve" not in text:
        out["dnsspec"] = {"unavailable": "dnsspec lint --resolve is not implemented yet"}
    else:
        lint_argv = [DNSSPEC, "--nameserver", server.address, "lint", "--resolve", str(zones)]
    cd_argv = [PYTHON, str(RUNNERS / "checkdmarc_spf.py"), str(domains_file), str(server.port)]
    lint_runs: list[Measured] = []
    cd_runs: list[Measured] = []
    for i in range(repeat):
        if lint_argv is not None:
            say(f"measuring ({i + 1}/{repeat}): " + " ".join(lint_argv))
            lint_runs.append(run_measured(lint_argv, out_prefix=work / f"lint{i}", cwd=work))
        say(f"measuring ({i + 1}/{repeat}): checkdmarc check_spf over the same domains")
        cd_runs.append(run_measured(cd_argv, out_prefix=work / f"checkdmarc{i}", cwd=work))
    if lint_argv is not None:
        out["dnsspec"] = _measured_dict(lint_runs)
        if any(m.returncode not in (0, 1) for m in lint_runs):
            out["dnsspec"]["error"] = _tail(lint_runs[-1].stderr)
        # Unmeasured extra run in JSON, only to summarise what lint found.
        ok, text = _probe([*lint_argv, "--format", "json"], work)
        out["dnsspec"]["findings_by_code"] = _findings_by_code(text)
    out["checkdmarc"] = _measured_dict(cd_runs)
    last = cd_runs[-1]
    if all(m.returncode == 0 for m in cd_runs):
        summary = json.loads(last.stdout.read_text())
        summary.pop("lookups", None)
        out["checkdmarc"]["summary"] = summary
    else:
        out["checkdmarc"]["error"] = _tail(last.stderr)
    d, c = out["dnsspec"], out["checkdmarc"]
    if "error" not in d and "wall_s" in d and "error" not in c:
        out["speedup"] = round(c["wall_s"] / d["wall_s"], 2)
        out["rss_ratio"] = round(c["max_rss_mib"] / d["max_rss_mib"], 2)
    return out


def _findings_by_code(text: str) -> dict[str, int] | str:
    try:
        data = json.loads(text)
    except ValueError:
        return "unparsed (lint --format json output was not JSON)"
    items = data.get("findings", data) if isinstance(data, dict) else data
    if not isinstance(items, list):
        return "unparsed"
    codes = Counter(str(item.get("code")) for item in items if isinstance(item, dict))
    return dict(sorted(codes.items()))


def bench_eval(work: Path, cases_file: Path, server: BindServer, repeat: int = 3) -> dict[str, Any]:
    """check_host throughput: dnsspec vs pyspf on the same cases and server.

    Each runner runs ``repeat`` times, the runners interleaved round by round (a
    shared VM's speed drifts by ±10% over a minute), and the median loop time counts.
    """
    runs: dict[str, Any] = {}
    ok, text = _probe(
        [
            PYTHON,
            "-c",
            "from dnsspec.spf import check_host, evaluate; from dnsspec.lookups import DnsResolver",
        ],
        work,
    )
    plan = [
        ("pyspf check2 (fresh cache per evaluation)", "pyspf_eval.py", "fresh"),
        ("pyspf check2 (shared dnspython cache)", "pyspf_eval.py", "cached"),
    ]
    if ok:
        plan += [
            ("dnsspec check_host (sync, per call)", "dnsspec_eval.py", "check_host"),
            ("dnsspec evaluate (async, shared DnsResolver)", "dnsspec_eval.py", "evaluate"),
        ]
    else:
        last = text.strip().splitlines()[-1] if text.strip() else "?"
        runs["dnsspec"] = {"unavailable": f"dnsspec.spf.check_host/evaluate not importable: {last}"}
    results: dict[str, list[str]] = {}
    cases = [json.loads(line) for line in cases_file.read_text().splitlines()]
    loops: dict[str, list[float]] = {label: [] for label, _, _ in plan}
    for round_ in range(max(1, repeat)):
        for label, script, mode in plan:
            if label in runs and "error" in runs[label]:
                continue
            say(f"measuring ({round_ + 1}/{repeat}): {label}")
            m = run_measured(
                [PYTHON, str(RUNNERS / script), str(cases_file), str(server.port), mode],
                out_prefix=work / f"eval-{script[:-3]}-{mode}",
                cwd=work,
            )
            entry = _measured_dict(m)
            if m.returncode != 0:
                entry["error"] = _tail(m.stderr)
                runs[label] = entry
                continue
            data = json.loads(m.stdout.read_text())
            loops[label].append(data["seconds"])
            median = statistics.median(loops[label])
            entry["evaluations"] = data["evaluations"]
            entry["loop_s"] = round(median, 3)
            entry["samples_loop_s"] = [round(x, 3) for x in loops[label]]
            entry["statistic"] = f"median of {len(loops[label])}"
            entry["per_s"] = round(data["evaluations"] / median, 1)
            entry["result_counts"] = dict(Counter(data["results"]).most_common())
            results[label] = data["results"]
            runs[label] = entry
    out: dict[str, Any] = {"runs": runs}
    reference = "pyspf check2 (fresh cache per evaluation)"
    if reference in results:
        agreement = {}
        for label, got in results.items():
            if label == reference:
                continue
            differ = [
                i for i, (a, b) in enumerate(zip(results[reference], got, strict=True)) if a != b
            ]
            agreement[label] = {
                "agree": len(got) - len(differ),
                "differ": len(differ),
                "differences": [
                    {**cases[i], "pyspf": results[reference][i], "this": got[i]}
                    for i in differ[:100]
                ],
            }
        out["agreement_with_pyspf"] = agreement
        base = runs[reference]["per_s"]
        out["ratios_vs_pyspf_fresh"] = {
            label: round(run["per_s"] / base, 2)
            for label, run in runs.items()
            if "per_s" in run and label != reference
        }
    return out


RESOLVE_TARGET, CHECK_HOST_TARGET = 20.0, 1.2
RESOLVE_SECTION = "lint --resolve over the BIND-served portfolio, check_host per call"


def resolve_rows(
    portfolio: dict[str, Any], lint: dict[str, Any], evals: dict[str, Any]
) -> list[Row]:
    d, c = lint.get("dnsspec", {}), lint.get("checkdmarc", {})
    row = Row(
        RESOLVE_SECTION,
        "lint --resolve vs checkdmarc check_spf",
        f"{portfolio['customers']:,}",
        target=f"≥ {RESOLVE_TARGET:g}× checkdmarc",
        data=lint,
    )
    over = portfolio["over_lookup_limit"]
    codes = d.get("findings_by_code")
    flagged = codes.get("SPF201", 0) if isinstance(codes, dict) else None
    if "speedup" in lint:
        row.dnsspec = f"{seconds(d['wall_s'])}, {mib(d['max_rss_mib'])}"
        row.baseline = f"checkdmarc {seconds(c['wall_s'])}"
        row.ratio = times(lint["speedup"])
        row.verdict = verdict(lint["speedup"] >= RESOLVE_TARGET and flagged == over)
        row.note = (
            f"flags {flagged} of the {over} domains over the 10-lookup limit (SPF201); "
            f"{d.get('statistic', 'one run')}"
        )
        compiled = lint.get("compile_check", {})
        if compiled.get("differ"):
            row.verdict = MISSED
            row.note += f"; {compiled['differ']} specs do not compile to the served SPF record"
    else:
        row.verdict = MISSED
        why = d.get("error") or d.get("unavailable") or c.get("error") or "?"
        row.note = f"not measured: {why.strip().splitlines()[-1]}"
    out = [row]
    runs = evals.get("runs", {})
    ref = runs.get("pyspf check2 (fresh cache per evaluation)", {})
    mine = runs.get("dnsspec check_host (sync, per call)", {})
    row = Row(
        RESOLVE_SECTION,
        "check_host per call vs pyspf check2",
        f"{mine.get('evaluations', 0):,}",
        target=f"≥ {CHECK_HOST_TARGET:g}× pyspf",
        data=evals,
    )
    if "per_s" in ref and "per_s" in mine:
        ratio = mine["per_s"] / ref["per_s"]
        row.dnsspec = f"{mine['per_s']:.0f}/s"
        row.baseline = f"pyspf {ref['per_s']:.0f}/s"
        row.ratio = times(ratio)
        row.verdict = verdict(ratio >= CHECK_HOST_TARGET)
        agree = evals.get("agreement_with_pyspf", {}).get("dnsspec check_host (sync, per call)", {})
        row.note = (
            f"{agree.get('agree', '?')}/{mine['evaluations']} results equal pyspf's "
            f"(the rest: pyspf counts an MX host's empty AAAA answer as a void lookup, "
            f"RFC 7208 §4.6.4 counts terms); {mine.get('statistic', 'one run')}"
        )
    else:
        row.verdict = MISSED
        row.note = (
            f"not measured: {mine.get('error') or mine.get('unavailable') or ref.get('error')}"
        )
    out.append(row)
    shared = runs.get("dnsspec evaluate (async, shared DnsResolver)", {})
    cached = runs.get("pyspf check2 (shared dnspython cache)", {})
    if "per_s" in shared and "per_s" in cached:
        out.append(
            Row(
                RESOLVE_SECTION,
                "evaluate, shared resolver vs pyspf shared cache",
                f"{shared['evaluations']:,}",
                dnsspec=f"{shared['per_s']:.0f}/s",
                baseline=f"pyspf {cached['per_s']:.0f}/s",
                ratio=times(shared["per_s"] / cached["per_s"]),
                verdict=INFO,
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        default=os.environ.get("DNSSPEC_BENCH_QUICK", "") not in ("", "0"),
        help="plan/apply at 1,000 zones only (also DNSSPEC_BENCH_QUICK=1)",
    )
    parser.add_argument(
        "--sizes",
        type=lambda v: [int(x) for x in v.split(",")],
        help="plan/apply sizes, comma-separated (default 100,1000,10000; --quick: 1000)",
    )
    parser.add_argument("--domains", type=int, default=1000, help="lint --resolve portfolio (1000)")
    parser.add_argument("--evals", type=int, default=2000, help="check_host evaluations (2000)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="interleaved runs of each comparison (3); the median is reported; "
        "10,000-zone plan/apply runs once",
    )
    parser.add_argument("--startup-runs", type=int, default=21, help="start-up runs (21)")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "results.json")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (specs, logs)")
    parser.add_argument(
        "--only",
        type=lambda v: v.split(","),
        help="run only these sections, comma-separated: startup, scale, lint, resolve, hostile "
        "(default: all); the verdicts cover only what ran",
    )
    args = parser.parse_args(argv)

    # Ctrl-C raises KeyboardInterrupt even where SIGINT was inherited as ignored;
    # SIGTERM and SIGHUP exit through the same finally blocks (the server stops).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _on_sigterm)
    signal.signal(signal.SIGHUP, _on_sigterm)
    work = Path(tempfile.mkdtemp(prefix="dnsspec-bench-"))
    started = time.perf_counter()
    sizes = args.sizes or ([1000] if args.quick else [100, 1000, 10_000])
    try:
        # Warm the bytecode caches so no side pays for compiling .pyc files.
        _probe(
            [PYTHON, "-c", "import checkdmarc.spf, spf, dnsspec.cli.root, octodns.manager"], work
        )
        table: list[Row] = []
        data: dict[str, Any] = {}

        def section(name: str, run: Callable[[], list[Row]]) -> None:
            """One section's rows; a crash becomes a missed row, the others still run."""
            try:
                table.extend(run())
            except Exception as error:  # a broken bench is a finding too (CommandTimeout too)
                say(f"{name} failed: {type(error).__name__}: {error}")
                table.append(
                    Row(
                        name,
                        f"{name}: the benchmark failed",
                        verdict=MISSED,
                        note=f"{type(error).__name__}: {error}"[:300],
                    )
                )

        def run_startup() -> list[Row]:
            data["startup"] = startup.bench_startup(work, args.startup_runs, say)
            return startup.rows(data["startup"])

        def run_scale() -> list[Row]:
            data["scale"] = {}
            for n in sizes:
                rounds = 1 if n >= 10_000 else args.repeat
                data["scale"][n] = plan_apply.bench_size(n, work, rounds, say)
            return plan_apply.rows(sizes, data["scale"], args.quick)

        def run_lint() -> list[Row]:
            data["lint_offline"] = {n: plan_apply.bench_lint(n, work, say) for n in (1000, 10_000)}
            return plan_apply.lint_rows(data["lint_offline"])

        def run_resolve() -> list[Row]:
            portfolio = build(args.domains)
            zones = write_specs(portfolio, work)
            domains_file = work / "domains.txt"
            domains_file.write_text("".join(f"{c.domain}\n" for c in portfolio.customers))
            cases = eval_cases(portfolio, args.evals)
            cases_file = work / "cases.jsonl"
            cases_file.write_text(
                "".join(
                    json.dumps({"ip": c.ip, "sender": c.sender, "helo": c.helo}) + "\n"
                    for c in cases
                )
            )
            with BindServer(work / "bind", {f"{ORIGIN}.": zone_file(portfolio)}) as server:
                say(f"BIND 9 serving {ORIGIN} on {server.address} (work dir {work})")
                checked = verify_server(server, portfolio)
                say(f"server verified with dnspython: {checked} rrsets match the portfolio")
                lint = bench_lint(work, zones, server, domains_file, args.repeat)
                lint["compile_check"] = compile_check(work, zones, portfolio)
                evals = bench_eval(work, cases_file, server, args.repeat)
            data["portfolio"] = portfolio_stats(portfolio)
            data["lint_resolve"], data["check_host"] = lint, evals
            return resolve_rows(data["portfolio"], lint, evals)

        def run_hostile() -> list[Row]:
            data["hostile"] = hostile.bench_hostile(work, say)
            return hostile.rows(data["hostile"])

        runs = {
            "startup": (startup.SECTION, run_startup),
            "scale": (plan_apply.SECTION, run_scale),
            "lint": (plan_apply.LINT_SECTION, run_lint),
            "resolve": (RESOLVE_SECTION, run_resolve),
            "hostile": (hostile.SECTION, run_hostile),
        }
        unknown = sorted(set(args.only or ()) - set(runs))
        if unknown:
            parser.error(f"--only: no section {', '.join(unknown)}; choose from {', '.join(runs)}")
        for key, (name, run) in runs.items():
            if args.only is None or key in args.only:
                section(name, run)

        results = {
            "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "quick": args.quick,
            "machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": _cpu_count(),
                "load_average": os.getloadavg(),
                "bind": _probe(["/usr/sbin/named", "-v"], work)[1].strip(),
            },
            "versions": {
                d: _version(d) for d in ("dnsspec", "octodns", "checkdmarc", "pyspf", "dnspython")
            },
            "table": [r.as_dict() for r in table],
            **data,
            "bench_seconds": round(time.perf_counter() - started, 1),
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
        sys.stderr.flush()
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"\ndnsspec benchmark{' (--quick)' if args.quick else ''}, {results['date_utc']}, "
            f"{results['machine']['cpus']} CPUs (load average {load}), Python "
            f"{results['machine']['python']}, octoDNS {results['versions']['octodns']}; "
            f"took {results['bench_seconds']:.0f} s\n"
        )
        print(render(table))
        print(f"\nfull results: {args.out}; how to read this table: bench/README.md")
        return 1 if any(r.verdict == MISSED for r in table) else 0
    except KeyboardInterrupt:
        say("interrupted; server stopped")
        return 130
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    sys.exit(main())
