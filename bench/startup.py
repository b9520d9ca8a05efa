"""Start-up: what a developer pays per commit in the pre-commit hook.

``dnsspec --version`` and ``dnsspec lint zones/example.com.yaml`` (the repository's
own example zones, copied: lint loads the file's whole directory, as the hook does),
each run many times, interleaved with a bare ``python -c pass`` that shows the
interpreter's own floor under the machine's current load. Each run is a blocking
``wait4`` on the child (no polling), wall time from fork to exit.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from table import INFO, Row, seconds, verdict

DNSSPEC = str(Path(sys.executable).parent / "dnsspec")
REPO = Path(__file__).resolve().parents[1]
VERSION_TARGET, LINT_TARGET = 0.060, 0.120
SECTION = "start-up (median of interleaved runs; whole process)"
# as a user's machine runs it: with bytecode caches (an environment that sets
# PYTHONDONTWRITEBYTECODE would compile every module from source on every run, ~60-100 ms)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _once(argv: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    _, status, _ = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, os.waitstatus_to_exitcode(status)


def bench_startup(work: Path, runs: int, say: Callable[[str], None]) -> dict[str, Any]:
    d = work / "startup"
    shutil.copytree(REPO / "zones", d / "zones")
    commands = {
        "python": [sys.executable, "-c", "pass"],
        "version": [DNSSPEC, "--version"],
        "lint": [DNSSPEC, "lint", "zones/example.com.yaml"],
    }
    for argv in commands.values():  # warm the bytecode caches and the page cache
        _once(argv, d)
    names = ", ".join(" ".join(a[-2:]) for a in commands.values())
    say(f"start-up: {runs} interleaved runs of {names}")
    samples: dict[str, list[float]] = {k: [] for k in commands}
    codes: dict[str, set[int]] = {k: set() for k in commands}
    for _ in range(runs):
        for key, argv in commands.items():
            wall, code = _once(argv, d)
            samples[key].append(wall)
            codes[key].add(code)
    return {
        key: {
            "median_s": statistics.median(values),
            "min_s": min(values),
            "samples_s": [round(v, 4) for v in values],
            "exit_codes": sorted(codes[key]),
        }
        for key, values in samples.items()
    }


def rows(data: dict[str, Any]) -> list[Row]:
    floor = data["python"]
    version, lint = data["version"], data["lint"]
    out = [
        Row(
            SECTION,
            "dnsspec --version",
            "1",
            dnsspec=seconds(version["median_s"]),
            baseline=f"python -c pass {seconds(floor['median_s'])}",
            target=f"< {VERSION_TARGET * 1000:.0f} ms",
            verdict=verdict(version["median_s"] < VERSION_TARGET and version["exit_codes"] == [0]),
            note=f"min {seconds(version['min_s'])}; interpreter floor: min "
            f"{seconds(floor['min_s'])}",
            data=version,
        ),
        Row(
            SECTION,
            "dnsspec lint of one zone (pre-commit)",
            "1",
            dnsspec=seconds(lint["median_s"]),
            baseline=f"python -c pass {seconds(floor['median_s'])}",
            target=f"< {LINT_TARGET * 1000:.0f} ms",
            verdict=verdict(lint["median_s"] < LINT_TARGET and set(lint["exit_codes"]) <= {0, 1}),
            note=f"min {seconds(lint['min_s'])}; zones/example.com.yaml of the repository "
            f"(its directory: 2 zones)",
            data=lint,
        ),
    ]
    if floor["exit_codes"] != [0]:
        out.append(Row(SECTION, "python -c pass failed", verdict=INFO))
    return out
