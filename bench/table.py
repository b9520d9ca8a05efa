"""The one results table of ``make bench``: every target, its measurement and its verdict.

A :class:`Row` carries what was measured for dnsspec, the baseline measured beside
it in the same run (plain octoDNS, checkdmarc, pyspf, or a bound), the ratio and
the target. ``verdict`` is ``ok``, ``MISSED`` (the run exits 1), ``info`` (printed
for context, no target) or ``not run`` (skipped by ``--quick``, or not measurable
because an earlier step failed: the note says why).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

OK, MISSED, INFO, NOT_RUN = "ok", "MISSED", "info", "not run"


@dataclass
class Row:
    section: str
    what: str
    n: str = ""
    dnsspec: str = ""
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    verdict: str = INFO
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def seconds(value: float | None, *, over: bool = False) -> str:
    """``1.23 s`` / ``45 ms``; ``> 60 s`` for a run stopped at its time cap."""
    if value is None:
        return "-"
    prefix = "> " if over else ""
    if value < 1:
        return f"{prefix}{value * 1000:.0f} ms"
    return f"{prefix}{value:.2f} s" if value < 100 else f"{prefix}{value:.0f} s"


def mib(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} MiB"


def times(value: float | None, *, over: bool = False) -> str:
    if value is None:
        return "-"
    return f"{'> ' if over else ''}{value:.2f}×" if value < 100 else f"{value:.0f}×"


def verdict(ok: bool | None) -> str:
    return NOT_RUN if ok is None else OK if ok else MISSED


COLUMNS = ("what", "n", "dnsspec", "baseline", "ratio", "target", "verdict")
NOTE_WIDTH = 160


def render(rows: Sequence[Row]) -> str:
    """The table as plain text: columns as wide as their cells, each note on its own
    indented line under its row, sections as ``[title]`` lines, a summary last."""
    widths = {c: max(len(c), *(len(str(getattr(r, c))) for r in rows)) for c in COLUMNS}
    header = "  ".join(f"{c:<{widths[c]}}" for c in COLUMNS).rstrip()
    lines = [header, "-" * len(header)]
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            lines.append(f"[{section}]")
        cells = "  ".join(f"{getattr(row, c)!s:<{widths[c]}}" for c in COLUMNS)
        lines.append(cells.rstrip())
        if row.note:
            note = " | ".join(part.strip() for part in row.note.splitlines() if part.strip())
            lines.append(f"{'':4}{note[:NOTE_WIDTH]}")
    missed = [r for r in rows if r.verdict == MISSED]
    met = [r for r in rows if r.verdict == OK]
    skipped = [r for r in rows if r.verdict == NOT_RUN]
    lines.append("-" * len(header))
    summary = f"{len(met)} targets met, {len(missed)} missed, {len(skipped)} not run"
    if missed:
        summary += ". Missed: " + "; ".join(f"{r.what} ({r.n})" if r.n else r.what for r in missed)
    lines.append(summary)
    return "\n".join(lines)
