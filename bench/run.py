"""dnsspec benchmark: one command (``make bench`` or ``.venv/bin/python bench/run.py``).

1. Builds a portfolio of 1,000 customer domains sharing a dozen provider include
   trees, writes the customers' dnsspec specs to a temp dir and serves all the
   DNS data (providers and the customers' published records) from BIND 9 on
   127.0.0.1 at a free port.
2. Measures, each as a whole command in a subprocess (start-up, imports and
   loading the specs included), wall time and peak RSS of
   ``dnsspec --nameserver 127.0.0.1:PORT lint --resolve <dir>/zones`` versus
   checkdmarc's ``check_spf`` over the same domains (sequential: checkdmarc has
   no parallel mode).
3. Measures ``check_host`` throughput: dnsspec's sync ``check_host`` and async
   ``evaluate`` with a shared resolver versus pyspf's ``check2`` on the same
   (ip, sender, helo) cases, checking that the results agree.
4. Prints the figures and ratios and writes them to bench/out/results.json.

No traffic goes anywhere but 127.0.0.1; the server is stopped on exit, errors
and Ctrl-C included.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bindserver import BindServer  # noqa: E402
from measure import Measured, run_measured  # noqa: E402
from portfolio import Portfolio, build, eval_cases, write_specs, zone_file  # noqa: E402
from providers import ORIGIN  # noqa: E402
from report import print_report  # noqa: E402
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


def _measured_dict(m: Measured) -> dict[str, Any]:
    return {
        "command": " ".join(m.argv),
        "wall_s": round(m.wall_s, 3),
        "max_rss_mib": round(m.max_rss_mib, 1),
        "user_s": round(m.user_s, 3),
        "sys_s": round(m.sys_s, 3),
        "returncode": m.returncode,
    }


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


def bench_lint(work: Path, zones: Path, server: BindServer, domains_file: Path) -> dict[str, Any]:
    """Whole-command comparison: dnsspec lint --resolve vs checkdmarc check_spf."""
    out: dict[str, Any] = {}
    ok, text = _probe([DNSSPEC, "lint", "--help"], work)
    if not ok or "--resolve" not in text:
        out["dnsspec"] = {"unavailable": "dnsspec lint --resolve is not implemented yet"}
    else:
        argv = [DNSSPEC, "--nameserver", server.address, "lint", "--resolve", str(zones)]
        say("measuring: " + " ".join(argv))
        m = run_measured(argv, out_prefix=work / "lint", cwd=work)
        out["dnsspec"] = _measured_dict(m)
        if m.returncode not in (0, 1):
            out["dnsspec"]["error"] = _tail(m.stderr)
        # Unmeasured second run in JSON, only to summarise what lint found.
        ok, text = _probe([*argv, "--format", "json"], work)
        out["dnsspec"]["findings_by_code"] = _findings_by_code(text)
    say("measuring: checkdmarc check_spf over the same domains")
    m = run_measured(
        [PYTHON, str(RUNNERS / "checkdmarc_spf.py"), str(domains_file), str(server.port)],
        out_prefix=work / "checkdmarc",
        cwd=work,
    )
    out["checkdmarc"] = _measured_dict(m)
    if m.returncode == 0:
        summary = json.loads(m.stdout.read_text())
        summary.pop("lookups", None)
        out["checkdmarc"]["summary"] = summary
    else:
        out["checkdmarc"]["error"] = _tail(m.stderr)
    d, c = out["dnsspec"], out["checkdmarc"]
    if "wall_s" in d and d["returncode"] in (0, 1) and c["returncode"] == 0:
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


def bench_eval(work: Path, cases_file: Path, server: BindServer) -> dict[str, Any]:
    """check_host throughput: dnsspec vs pyspf on the same cases and server."""
    runs: dict[str, Any] = {}
    ok, text = _probe(
        [
            PYTHON,
            "-c",
            "from dnsspec.spf import check_host, evaluate; from dnsspec.dns import DnsResolver",
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
    for label, script, mode in plan:
        say(f"measuring: {label}")
        m = run_measured(
            [PYTHON, str(RUNNERS / script), str(cases_file), str(server.port), mode],
            out_prefix=work / f"eval-{script[:-3]}-{mode}",
            cwd=work,
        )
        entry = _measured_dict(m)
        if m.returncode == 0:
            data = json.loads(m.stdout.read_text())
            entry["evaluations"] = data["evaluations"]
            entry["loop_s"] = round(data["seconds"], 3)
            entry["per_s"] = round(data["evaluations"] / data["seconds"], 1)
            entry["result_counts"] = dict(Counter(data["results"]).most_common())
            results[label] = data["results"]
        else:
            entry["error"] = _tail(m.stderr)
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
                "first_differences": differ[:10],
            }
        out["agreement_with_pyspf"] = agreement
        base = runs[reference]["per_s"]
        out["ratios_vs_pyspf_fresh"] = {
            label: round(run["per_s"] / base, 2)
            for label, run in runs.items()
            if "per_s" in run and label != reference
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domains", type=int, default=1000, help="customer domains (1000)")
    parser.add_argument("--evals", type=int, default=2000, help="check_host evaluations (2000)")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "results.json")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (specs, logs)")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, _on_sigterm)
    work = Path(tempfile.mkdtemp(prefix="dnsspec-bench-"))
    started = time.perf_counter()
    try:
        portfolio = build(args.domains)
        zones = write_specs(portfolio, work)
        domains_file = work / "domains.txt"
        domains_file.write_text("".join(f"{c.domain}\n" for c in portfolio.customers))
        cases = eval_cases(portfolio, args.evals)
        cases_file = work / "cases.jsonl"
        cases_file.write_text(
            "".join(
                json.dumps({"ip": c.ip, "sender": c.sender, "helo": c.helo}) + "\n" for c in cases
            )
        )
        # Warm the bytecode caches so neither side pays for compiling .pyc files.
        _probe([PYTHON, "-c", "import checkdmarc.spf, spf, dnsspec.cli"], work)
        _probe([DNSSPEC, "--version"], work)
        with BindServer(ORIGIN, zone_file(portfolio), work / "bind") as server:
            say(f"BIND 9 serving {ORIGIN} on {server.address} (work dir {work})")
            checked = verify_server(server, portfolio)
            say(f"server verified with dnspython: {checked} rrsets match the portfolio")
            lint = bench_lint(work, zones, server, domains_file)
            evals = bench_eval(work, cases_file, server)
        results = {
            "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": _cpu_count(),
                "bind": _probe(["/usr/sbin/named", "-v"], work)[1].strip(),
            },
            "versions": {d: _version(d) for d in ("dnsspec", "checkdmarc", "pyspf", "dnspython")},
            "portfolio": portfolio_stats(portfolio),
            "lint": lint,
            "check_host": evals,
            "bench_seconds": round(time.perf_counter() - started, 1),
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")
        sys.stderr.flush()
        print_report(results)
        print(f"\nresults written to {args.out}")
        return 0
    except KeyboardInterrupt:
        say("interrupted; server stopped")
        return 130
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    sys.exit(main())
