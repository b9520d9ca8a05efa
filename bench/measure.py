"""Run one whole command in a subprocess and measure it: wall time and peak RSS.

Peak RSS comes from the child's own rusage (``os.wait4``), so each command is
measured alone, interpreter start-up and imports included.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    argv: tuple[str, ...]
    wall_s: float
    max_rss_mib: float
    user_s: float
    sys_s: float
    returncode: int
    stdout: Path
    stderr: Path
    capped: bool = False  # stopped at its time cap: wall_s is a lower bound


class CommandTimeout(RuntimeError):
    pass


def run_measured(
    argv: Sequence[str],
    *,
    out_prefix: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 300.0,
    cap: float | None = None,
) -> Measured:
    """Run ``argv`` to completion; stdout/stderr go to ``<out_prefix>.out/.err``.

    With ``cap``, a command still running after ``cap`` seconds is killed and returned
    with ``capped=True`` (its wall time is then a lower bound); past ``timeout`` it
    raises :class:`CommandTimeout`."""
    stdout, stderr = out_prefix.with_suffix(".out"), out_prefix.with_suffix(".err")
    with stdout.open("wb") as out, stderr.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd
        )
        capped = False
        try:
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if cap is not None and time.perf_counter() - start > cap:
                    capped = True
                    proc.kill()
                    pid, status, usage = os.wait4(proc.pid, 0)
                    break
                if time.perf_counter() - start > timeout:
                    raise CommandTimeout(f"{argv[0]} ran longer than {timeout:.0f}s")
                time.sleep(0.002)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        argv=tuple(argv),
        wall_s=wall,
        max_rss_mib=usage.ru_maxrss / 1024,  # Linux: KiB
        user_s=usage.ru_utime,
        sys_s=usage.ru_stime,
        returncode=proc.returncode,
        stdout=stdout,
        stderr=stderr,
        capped=capped,
    )
