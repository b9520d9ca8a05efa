"""The benchmark's verdicts (bench/table.py, bench/plan_apply.py): what counts as met or missed.

Untimed: the rows are built from recorded figures, not measured.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import plan_apply  # noqa: E402
from table import MISSED, NOT_RUN, OK, Row, render  # noqa: E402


def figures(dnsspec_s: float, octodns_s: float, *, capped: bool = False) -> dict[str, object]:
    run = {"wall_s": dnsspec_s, "max_rss_mib": 60.0, "capped": capped}
    return {"dnsspec": run, "octodns": {"wall_s": octodns_s, "max_rss_mib": 50.0}}


def result(plan_new: dict[str, object], **checks: bool) -> dict[str, object]:
    same = figures(1.0, 1.0)
    return {"plan_new": plan_new, "apply": same, "plan_same": same, **checks}


def verdicts(rows: list[Row]) -> dict[str, str]:
    return {f"{r.what} {r.n}": r.verdict for r in rows}


def test_within_the_ratio_is_met_over_it_missed_and_a_capped_run_always_missed() -> None:
    for plan_new, expected in (
        (figures(1.1, 1.0), OK),
        (figures(1.3, 1.0), MISSED),
        (figures(1.0, 1.0, capped=True), MISSED),
    ):
        rows = plan_apply.rows([1000], {1000: result(plan_new)}, quick=True)
        assert verdicts(rows)["plan, all new 1,000"] == expected


def test_an_unfair_comparison_is_missed_whatever_the_times() -> None:
    rows = plan_apply.rows([1000], {1000: result(figures(1.0, 1.0), no_change_dnsspec=False)}, True)
    row = next(r for r in rows if r.what == "plan, no change")
    assert row.verdict == MISSED
    assert "dnsspec planned changes" in row.note


def test_growth_and_memory_rows_come_from_two_sizes() -> None:
    small = result(figures(1.0, 1.0))
    big = result(
        {
            "dnsspec": {"wall_s": 30.0, "max_rss_mib": 600.0, "capped": False},
            "octodns": {"wall_s": 10.0, "max_rss_mib": 80.0},
        }
    )
    rows = verdicts(plan_apply.rows([100, 1000], {100: small, 1000: big}, quick=False))
    assert rows["plan, all new: growth per 10× zones 100→1,000"] == MISSED  # 30× > 12×
    assert rows["plan, all new: peak RSS per 1,000 zones 100→1,000"] == MISSED  # 600 MiB/0.9
    assert rows["apply --yes from empty: growth per 10× zones 100→1,000"] == OK


def test_summary_names_every_missed_row() -> None:
    rows = [
        Row("s", "a", "1", verdict=OK),
        Row("s", "b", "2", verdict=MISSED),
        Row("s", "c", verdict=NOT_RUN),
    ]
    last = render(rows).splitlines()[-1]
    assert last == "1 targets met, 1 missed, 1 not run. Missed: b (2)"
