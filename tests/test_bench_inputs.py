"""The benchmark's generated inputs are valid specs (bench/zones.py, runners/hostile_input.py).

`make bench` measures; this only checks, at a small size and untimed, that what it
generates is what it claims to be, so a change of the spec language breaks here first.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH / "runners"))

import hostile_input as hostile  # noqa: E402

import zones  # noqa: E402
from dnsspec.compile import compile_zones  # noqa: E402
from dnsspec.lint import run_lint  # noqa: E402
from dnsspec.spec.load import load_zones  # noqa: E402
from dnsspec.spf.syntax import parse  # noqa: E402


def test_portfolio_mix_loads_compiles_and_lints_without_errors(tmp_path: Path) -> None:
    kinds = zones.write_portfolio(tmp_path, 200)
    assert kinds["provider"] == zones.PROVIDERS
    assert sum(kinds.values()) == 200
    others = 200 - zones.PROVIDERS
    assert kinds["parked"] / others == pytest.approx(0.6, abs=0.1)
    assert kinds["single"] / others == pytest.approx(0.3, abs=0.1)
    assert kinds["multi"] / others == pytest.approx(0.1, abs=0.06)
    loaded = load_zones([tmp_path / "zones"])
    assert len(loaded) == 200
    assert compile_zones(loaded)
    findings = run_lint(loaded)
    # realistic warnings (an unresolved third-party include without a lock, hosts without
    # a policy), no errors: plan and apply, which refuse lint errors, run on them
    assert "SPF204" in {f.code for f in findings}
    assert [f for f in findings if f.severity.name == "ERROR"] == []


def test_zone_addresses_stay_valid_beyond_ten_thousand_zones() -> None:
    assert zones._net(65_535) != zones._net(65_534)
    assert all(int(part) <= 255 for part in zones._host(65_535).split("."))


def test_hostile_spf_string_parses_at_the_requested_size() -> None:
    text = hostile.raw_spf(20_000)
    assert abs(len(text) - 20_000) < 100
    assert len(parse(text).terms) > 500


def test_hostile_spec_is_about_38_bytes_per_record() -> None:
    text = hostile.spec_with_records(1000)
    assert 36_000 < len(text) < 40_000
