"""Plan and apply against plain octoDNS over the same compiled zones, and offline lint.

For each size N (generated zones, ``zones.py``): ``dnsspec compile --format octodns``
writes the compiled zones that plain octoDNS syncs (``octodns-sync``, its own
YamlProvider target); dnsspec syncs the specs (``dnsspec plan`` / ``apply --yes``,
the SpecSource, the same kind of target). Per round, each pair runs back to back
(the order alternating between rounds, so load from elsewhere hits both alike):

* plan, all new: both targets empty;
* apply from empty: both targets emptied, then written (the two results must be the
  same records, checked after the first round);
* plan, no change: both targets hold the applied zones (plain octoDNS's result,
  copied, so both compare against identical live data).

A dnsspec command still running after ``cap(octoDNS's time)`` is stopped: its time is
then a lower bound ("> 20 s") and it is not repeated. Whole commands are measured
(start-up, imports and loading included), as a CI job pays them.
"""

from __future__ import annotations

import functools
import itertools
import shutil
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from measure import Measured, run_measured
from table import MISSED, NOT_RUN, OK, Row, mib, seconds, times, verdict

from zones import write_portfolio

DNSSPEC = str(Path(sys.executable).parent / "dnsspec")
OCTODNS_SYNC = str(Path(sys.executable).parent / "octodns-sync")

RATIO_TARGET = 1.2  # dnsspec / plain octoDNS
GROWTH_TARGET = 12.0  # time per 10x zones; linear is 10 (start-up makes small N cheaper)
MIB_PER_1000 = 25.0
LINT_SECONDS, LINT_MIB = 10.0, 300.0  # lint offline of 10,000 zones

CAP_FLOOR, CAP_FACTOR, CAP_MAX = 20.0, 3.0, 90.0

OPS = (
    ("plan_new", "plan, all new"),
    ("apply", "apply --yes from empty"),
    ("plan_same", "plan, no change"),
)
SECTION = "plan and apply vs plain octoDNS over the same compiled zones"
LINT_SECTION = "lint offline (generated zones, no lock: third-party includes counted as 1)"


def cap_for(octodns_s: float) -> float:
    return min(max(CAP_FLOOR, CAP_FACTOR * octodns_s), CAP_MAX)


def _reset(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)


def _tail(path: Path, lines: int = 6) -> str:
    return " | ".join(path.read_text(errors="replace").strip().splitlines()[-lines:])


def _prepare(directory: Path, files: dict[str, str] | None) -> None:
    _reset(directory)
    for name, text in (files or {}).items():
        (directory / name).write_text(text)


def _prepare_tool(d: Path, files: dict[str, str] | None, tool: str) -> None:
    _prepare(d / f"live-{tool}", files)


def _live(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(directory.glob("*.yaml"))}


def _run_pair(
    d: Path,
    tag: str,
    argv: dict[str, list[str]],
    *,
    dnsspec_first: bool,
    previous_octodns_s: float | None,
    skip_dnsspec: bool,
    before: Callable[[str], None],
) -> tuple[Measured, Measured | None]:
    """Both commands of one operation; ``before(tool)`` prepares that tool's target.

    dnsspec's cap is taken from octoDNS's time in this round, or in the previous one
    when dnsspec runs first."""
    results: dict[str, Measured] = {}
    first = dnsspec_first and previous_octodns_s is not None and not skip_dnsspec
    order = ["dnsspec", "octodns"] if first else ["octodns", "dnsspec"]
    if skip_dnsspec:
        order.remove("dnsspec")
    for tool in order:
        before(tool)
        if tool == "octodns":
            results[tool] = run_measured(
                argv[tool], out_prefix=d / f"{tag}-octodns", cwd=d, timeout=1200
            )
            continue
        octo = results["octodns"].wall_s if "octodns" in results else previous_octodns_s
        assert octo is not None
        results[tool] = run_measured(
            argv[tool], out_prefix=d / f"{tag}-dnsspec", cwd=d, cap=cap_for(octo)
        )
    return results["octodns"], results.get("dnsspec")


def bench_size(n: int, work: Path, rounds: int, say: Callable[[str], None]) -> dict[str, Any]:
    d = work / f"scale-{n}"
    kinds = write_portfolio(d, n)
    say(f"scale {n:,}: {kinds}; compiling for plain octoDNS")
    compiled = run_measured(
        [DNSSPEC, "compile", "zones", "--format", "octodns", "--out", "compiled"],
        out_prefix=d / "compile",
        cwd=d,
        timeout=1800,
    )
    out: dict[str, Any] = {"zones": n, "kinds": kinds, "compile_s": compiled.wall_s}
    if compiled.returncode != 0:
        out["error"] = f"dnsspec compile failed: {_tail(compiled.stderr)}"
        return out
    live_o, live_d = d / "live-octodns", d / "live-dnsspec"
    runs: dict[str, dict[str, list[Measured]]] = {k: {"octodns": [], "dnsspec": []} for k, _ in OPS}
    capped: set[str] = set()
    applied: dict[str, str] | None = None
    for r in range(rounds):
        first = r % 2 == 1
        for key, label in OPS:
            say(f"scale {n:,} round {r + 1}/{rounds}: {label}")
            octo_argv = [OCTODNS_SYNC, "--config-file", "octodns.yaml"]
            dnsspec_argv = [DNSSPEC, "plan"]
            if key == "apply":
                octo_argv.append("--doit")
                dnsspec_argv = [DNSSPEC, "apply", "--yes"]
            elif key == "plan_same":
                dnsspec_argv.append("--exit-code")  # 0: no changes, as both must find
            # each tool's own target: empty, or (no change) holding the applied zones
            state = applied if key == "plan_same" else {}
            if key == "plan_same" and applied is None:
                continue
            previous = runs[key]["octodns"]
            octo, dnsspec = _run_pair(
                d,
                f"{key}{r}",
                {"octodns": octo_argv, "dnsspec": dnsspec_argv},
                dnsspec_first=first,
                previous_octodns_s=statistics.median(m.wall_s for m in previous)
                if previous
                else None,
                skip_dnsspec=key in capped,
                before=functools.partial(_prepare_tool, d, state),
            )
            runs[key]["octodns"].append(octo)
            if dnsspec is not None:
                runs[key]["dnsspec"].append(dnsspec)
                if dnsspec.capped:
                    capped.add(key)
            if key == "apply":
                if octo.returncode == 0:
                    applied = _live(live_o)
                if r == 0 and dnsspec is not None and not dnsspec.capped:
                    out["apply_same_records"] = dnsspec.returncode == 0 and _live(live_d) == applied
            if key == "plan_same" and r == 0:
                quiet = octo.stderr.read_text(errors="replace").count("plan:   No changes")
                out["no_change_octodns"] = octo.returncode == 0 and quiet == n
                if dnsspec is not None and not dnsspec.capped:
                    out["no_change_dnsspec"] = dnsspec.returncode == 0
    for key, _ in OPS:
        entry: dict[str, Any] = {}
        for tool in ("octodns", "dnsspec"):
            samples = runs[key][tool]
            if not samples:
                continue
            ok = [m for m in samples if m.returncode == 0 or m.capped]
            entry[tool] = {
                "wall_s": statistics.median(m.wall_s for m in samples),
                "samples_wall_s": [round(m.wall_s, 3) for m in samples],
                "max_rss_mib": max(m.max_rss_mib for m in samples),
                "capped": any(m.capped for m in samples),
                "returncodes": [m.returncode for m in samples],
            }
            if len(ok) < len(samples):
                failed = next(m for m in samples if not (m.returncode == 0 or m.capped))
                entry[tool]["error"] = _tail(failed.stderr) or _tail(failed.stdout)
        out[key] = entry
    return out


def bench_lint(n: int, work: Path, say: Callable[[str], None]) -> dict[str, Any]:
    d = work / f"scale-{n}"
    if not (d / "zones").is_dir():
        write_portfolio(d, n)
    say(f"lint offline of {n:,} zones")
    m = run_measured([DNSSPEC, "lint", "zones"], out_prefix=d / "lint", cwd=d, timeout=600)
    out: dict[str, Any] = {"wall_s": m.wall_s, "max_rss_mib": m.max_rss_mib}
    if m.returncode not in (0, 1):
        out["error"] = _tail(m.stderr)
    return out


def _checks(key: str, result: dict[str, Any]) -> str:
    """What makes the comparison invalid, if anything (the row is then missed)."""
    if key == "apply" and result.get("apply_same_records") is False:
        return "dnsspec's applied zones differ from plain octoDNS's"
    if key == "plan_same":
        if result.get("no_change_octodns") is False:
            return "plain octoDNS planned changes against its own applied zones"
        if result.get("no_change_dnsspec") is False:
            return "dnsspec planned changes against the applied zones (plan --exit-code != 0)"
    return ""


def _ratio_row(label: str, n: int, entry: dict[str, Any]) -> Row:
    o, d = entry.get("octodns"), entry.get("dnsspec")
    row = Row(SECTION, label, f"{n:,}", target=f"≤ {RATIO_TARGET}× octoDNS")
    if o is None or d is None:
        row.verdict, row.note = NOT_RUN, "not measured (an earlier step failed)"
        return row
    row.baseline = f"octoDNS {seconds(o['wall_s'])}"
    row.dnsspec = seconds(d["wall_s"], over=d["capped"])
    ratio = d["wall_s"] / o["wall_s"]
    row.ratio = times(ratio, over=d["capped"])
    row.data = {"dnsspec": d, "octodns": o, "ratio": ratio}
    if "error" in d or "error" in o:
        row.verdict = MISSED
        row.note = f"failed: {d.get('error') or o.get('error')}"[:300]
    else:
        row.verdict = verdict(ratio <= RATIO_TARGET and not d["capped"])
        if d["capped"]:
            row.note = (
                f"dnsspec stopped at its cap ({CAP_FACTOR:g}× octoDNS's time, "
                f"{CAP_FLOOR:g} s to {CAP_MAX:g} s)"
            )
    return row


def rows(sizes: list[int], results: dict[int, dict[str, Any]], quick: bool) -> list[Row]:
    out: list[Row] = []
    measured = [n for n in sizes if n in results and "error" not in results[n]]
    for n in sizes:
        if n in results and "error" in results[n]:
            out.append(
                Row(SECTION, "plan/apply", f"{n:,}", verdict=MISSED, note=results[n]["error"])
            )
    for key, label in OPS:
        for n in (100, 1000, 10_000):
            if n in measured:
                row = _ratio_row(label, n, results[n].get(key, {}))
                problem = _checks(key, results[n])
                if problem:
                    row.verdict = MISSED
                    row.note = f"{problem}; {row.note}" if row.note else problem
                out.append(row)
        for small, big in itertools.pairwise(measured):
            if big != small * 10:
                continue
            s, b = results[small].get(key, {}), results[big].get(key, {})
            if "dnsspec" not in s or "dnsspec" not in b or "octodns" not in s or "octodns" not in b:
                continue
            growth = b["dnsspec"]["wall_s"] / s["dnsspec"]["wall_s"]
            octo_growth = b["octodns"]["wall_s"] / s["octodns"]["wall_s"]
            over = b["dnsspec"]["capped"]
            out.append(
                Row(
                    SECTION,
                    f"{label}: growth per 10× zones",
                    f"{small:,}→{big:,}",
                    dnsspec=times(growth, over=over),
                    baseline=f"octoDNS {times(octo_growth)}",
                    target=f"≤ {GROWTH_TARGET:g}× (linear)",
                    verdict=verdict(growth <= GROWTH_TARGET and not over),
                    note="a lower bound: the larger run was stopped at its cap" if over else "",
                )
            )
    # plan's memory per 1,000 zones: the slope between the two largest measured points
    plan_points = [
        (n, results[n]["plan_new"]["dnsspec"])
        for n in measured
        if "dnsspec" in results[n].get("plan_new", {})
    ]
    if len(plan_points) >= 2:
        (n1, a), (n2, b) = plan_points[-2], plan_points[-1]
        slope = (b["max_rss_mib"] - a["max_rss_mib"]) / ((n2 - n1) / 1000)
        over = b["capped"]
        out.append(
            Row(
                SECTION,
                "plan, all new: peak RSS per 1,000 zones",
                f"{n1:,}→{n2:,}",
                dnsspec=f"{slope:.1f} MiB",
                baseline=f"{mib(a['max_rss_mib'])} → {mib(b['max_rss_mib'])}",
                target=f"≤ {MIB_PER_1000:g} MiB",
                verdict=verdict(slope <= MIB_PER_1000 and not over),
                note="the larger run was stopped at its cap: its peak is a lower bound"
                if over
                else "",
            )
        )
    skipped = [n for n in (100, 1000, 10_000) if n not in sizes]
    if quick and skipped:
        out.append(
            Row(
                SECTION,
                "plan/apply at the other sizes, growth, peak RSS per 1,000 zones",
                ", ".join(f"{n:,}" for n in skipped),
                target=f"≤ {RATIO_TARGET}×, ≤ {GROWTH_TARGET:g}×, ≤ {MIB_PER_1000:g} MiB",
                verdict=NOT_RUN,
                note="--quick runs the 1,000-zone point only (make bench runs them all)",
            )
        )
    return out


def lint_rows(lint: dict[int, dict[str, Any]]) -> list[Row]:
    out: list[Row] = []
    for n, m in sorted(lint.items()):
        row = Row(
            LINT_SECTION,
            "lint offline: wall time",
            f"{n:,}",
            dnsspec=seconds(m["wall_s"]),
            baseline=f"peak RSS {mib(m['max_rss_mib'])}",
            data=m,
        )
        if "error" in m:
            row.verdict, row.note = MISSED, f"failed: {m['error']}"[:300]
        elif n == 10_000:
            row.target = f"< {LINT_SECONDS:g} s"
            row.verdict = verdict(m["wall_s"] < LINT_SECONDS)
        out.append(row)
        if n == 10_000:
            out.append(
                Row(
                    LINT_SECTION,
                    "lint offline: peak RSS",
                    f"{n:,}",
                    dnsspec=mib(m["max_rss_mib"]),
                    target=f"< {LINT_MIB:g} MiB",
                    verdict=verdict(m["max_rss_mib"] < LINT_MIB and "error" not in m),
                )
            )
    sizes = sorted(lint)
    if len(sizes) >= 2:
        n1, n2 = sizes[-2], sizes[-1]
        slope = (lint[n2]["max_rss_mib"] - lint[n1]["max_rss_mib"]) / ((n2 - n1) / 1000)
        out.append(
            Row(
                LINT_SECTION,
                "lint offline: peak RSS per 1,000 zones",
                f"{n1:,}→{n2:,}",
                dnsspec=f"{slope:.1f} MiB",
                target=f"≤ {MIB_PER_1000:g} MiB",
                verdict=verdict(slope <= MIB_PER_1000),
            )
        )
    return out


__all__ = ["OK", "bench_lint", "bench_size", "lint_rows", "rows"]
