"""Issue 8's hostile-input bounds: measured and printed beside the bound they must keep.

* parsing a 1 MB raw SPF string: linear, so 1 MB takes at most 2.5× the time of
  0.5 MB (a quadratic parser takes 4×);
* SPF107 (redundant ranges) on a 4,000-term record (short ``ip4:`` terms, so it fits
  one TXT rrset): ranges checked by sorting, n log n, so at most 2.5× the 2,000-term
  time; the whole ``dnsspec lint --select SPF107`` command;
* loading a 5 MB spec of 130,000 records: the memory loading adds stays under 20×
  the file's size.

Each measurement runs in its own interpreter, stopped at :data:`CAP` seconds.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from measure import run_measured
from table import MISSED, Row, mib, seconds, times, verdict

HERE = Path(__file__).resolve().parent
DNSSPEC = str(Path(sys.executable).parent / "dnsspec")
CAP = 60.0
GROWTH_BOUND = 2.5  # per doubling of the input: linear is 2, n log n slightly more
MEMORY_BOUND = 20.0  # × the spec file's size
SECTION = "hostile-input bounds (issue 8)"


def _runner(work: Path, tag: str, *args: str) -> dict[str, Any]:
    m = run_measured(
        [sys.executable, str(HERE / "runners" / "hostile_input.py"), *args],
        out_prefix=work / tag,
        cwd=work,
        cap=CAP,
    )
    if m.capped:
        return {"capped": True, "seconds": m.wall_s, "max_rss_mib": m.max_rss_mib}
    if m.returncode != 0:
        return {"error": m.stderr.read_text(errors="replace").strip().splitlines()[-1:]}
    out: dict[str, Any] = json.loads(m.stdout.read_text())
    out["max_rss_mib"] = m.max_rss_mib
    return out


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median time (a failed or capped run stands for all)."""
    bad = [r for r in runs if "error" in r or r.get("capped")]
    if bad:
        return bad[0]
    return sorted(runs, key=lambda r: float(r["seconds"]))[len(runs) // 2]


def spf107_spec(terms: int) -> str:
    values = [f"ip4:10.{i >> 8 & 255}.{i & 255}.1" for i in range(terms - 10)]
    values += values[:10]  # ten exact repeats: SPF107 must find them
    return 'spf: "v=spf1 ' + " ".join(values) + ' -all"\n'


def _lint_107(work: Path, terms: int) -> dict[str, Any]:
    d = work / f"spf107-{terms}" / "zones"
    d.mkdir(parents=True)
    (d / "ranges.example.yaml").write_text(spf107_spec(terms))
    m = run_measured(
        [DNSSPEC, "lint", "--select", "SPF107", "--format", "json", str(d)],
        out_prefix=d.parent / "lint",
        cwd=d.parent,
        cap=CAP,
    )
    out: dict[str, Any] = {
        "seconds": m.wall_s,
        "capped": m.capped,
        "bytes": len(spf107_spec(terms)),
    }
    if not m.capped:
        try:
            report = json.loads(m.stdout.read_text())
            findings = report.get("findings", report) if isinstance(report, dict) else report
            out["findings"] = sum(1 for f in findings if f.get("code") == "SPF107")
        except (ValueError, AttributeError, TypeError):
            out["error"] = m.stderr.read_text(errors="replace").strip()[-300:]
    return out


def bench_hostile(work: Path, say: Callable[[str], None]) -> dict[str, Any]:
    work = work / "hostile"
    work.mkdir()
    say("hostile input: parse 0.5 MB and 1 MB raw SPF (3 interleaved runs each)")
    halves, fulls = [], []
    for i in range(3):
        halves.append(_runner(work, f"parse-half{i}", "parse", str(500_000)))
        fulls.append(_runner(work, f"parse-full{i}", "parse", str(1_000_000)))
    half, full = _median_run(halves), _median_run(fulls)
    say("hostile input: lint SPF107 on 2,000- and 4,000-term records")
    small, big = _lint_107(work, 2000), _lint_107(work, 4000)
    say("hostile input: load a 5 MB spec of 130,000 records")
    load = _runner(work, "load", "load", "130000", str(work))
    return {"parse": [half, full], "spf107": [small, big], "load": load}


def _growth_row(what: str, n: str, pair: list[dict[str, Any]], note: str) -> Row:
    a, b = pair
    row = Row(SECTION, what, n, target=f"≤ {GROWTH_BOUND}× per doubling", data={"runs": pair})
    if "error" in a or "error" in b:
        row.verdict, row.note = MISSED, f"failed: {a.get('error') or b.get('error')}"
        return row
    row.dnsspec = seconds(b["seconds"], over=b.get("capped", False))
    row.baseline = f"half size {seconds(a['seconds'], over=a.get('capped', False))}"
    if a.get("capped"):
        row.verdict, row.note = MISSED, f"even the half size ran past {CAP:g} s"
        return row
    growth = b["seconds"] / a["seconds"]
    row.ratio = times(growth, over=b.get("capped", False))
    row.verdict = verdict(growth <= GROWTH_BOUND and not b.get("capped"))
    row.note = note
    return row


def rows(data: dict[str, Any]) -> list[Row]:
    parse, spf107, load = data["parse"], data["spf107"], data["load"]
    big = spf107[1]
    out = [
        _growth_row(
            "parse a raw SPF string (linear)",
            "1 MB",
            parse,
            "dnsspec.spf.syntax.parse, in process; median of 3",
        ),
        _growth_row(
            "lint SPF107, one 4,000-term record (n log n)",
            "4,000",
            spf107,
            f"whole command; {big.get('findings', '?')} SPF107 findings (10 repeats planted)",
        ),
    ]
    row = Row(
        SECTION,
        "load a 5 MB / 130,000-record spec: memory added",
        "130,000",
        target=f"≤ {MEMORY_BOUND:g}× the file",
        data=load,
    )
    if "error" in load:
        row.verdict, row.note = MISSED, f"failed: {load['error']}"
    elif load.get("capped"):
        row.dnsspec = f"> {CAP:g} s"
        row.verdict, row.note = (
            MISSED,
            f"stopped after {CAP:g} s (peak RSS {mib(load['max_rss_mib'])} by then)",
        )
    else:
        added = load["rss_peak_mib"] - load["rss_before_mib"]
        size_mib = load["bytes"] / 2**20
        row.dnsspec = mib(added)
        row.baseline = f"file {size_mib:.1f} MiB"
        row.ratio = times(added / size_mib)
        row.verdict = verdict(added <= MEMORY_BOUND * size_mib)
        row.note = (
            f"{load['outcome']} in {seconds(load['seconds'])}; peak RSS {mib(load['rss_peak_mib'])}"
        )
    out.append(row)
    return out
