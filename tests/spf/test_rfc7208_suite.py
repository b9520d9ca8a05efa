"""The openspf RFC 7208 conformance suite (tests/data/rfc7208-tests.yml, 203 cases).

Each scenario's ``zonedata`` is served by the in-process fixture DNS server (one server
per scenario, started once per session), and every case runs through the public
``check_host(..., nameservers=[server])``. The result must be one of the accepted
ones, and the explanation must match when the case gives one (``DEFAULT`` is
:data:`dnsspec.spf.DEFAULT_EXPLANATION`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from dnsserver import FixtureDnsServer, rfc7208_zone

from dnsspec.spf import DEFAULT_EXPLANATION, check_host

SUITE = Path(__file__).parent.parent / "data" / "rfc7208-tests.yml"
SCENARIOS: list[dict[str, Any]] = list(yaml.safe_load_all(SUITE.read_text(encoding="utf-8")))
TIMEOUT = 1.0  # the TIMEOUT cases wait this long (per query) before temperror

# Cases the suite gets wrong, with the RFC text that says so.
XFAIL: dict[str, str] = {}

CASES = [
    pytest.param(
        index,
        name,
        case,
        id=name,
        marks=[pytest.mark.xfail(reason=XFAIL[name], strict=True)] if name in XFAIL else [],
    )
    for index, scenario in enumerate(SCENARIOS)
    for name, case in scenario["tests"].items()
]


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[int, FixtureDnsServer]]:
    started: dict[int, FixtureDnsServer] = {}
    yield started
    for server in started.values():
        server.stop()


def _server(servers: dict[int, FixtureDnsServer], index: int) -> FixtureDnsServer:
    if index not in servers:
        zone = rfc7208_zone(SCENARIOS[index]["zonedata"])
        servers[index] = FixtureDnsServer(zone, timeout_prefixes=("error.",)).start()
    return servers[index]


def test_suite_has_203_cases() -> None:
    assert len(SCENARIOS) == 16
    assert len(CASES) == 203


@pytest.mark.parametrize(("index", "name", "case"), CASES)
def test_rfc7208_case(
    servers: dict[int, FixtureDnsServer], index: int, name: str, case: dict[str, Any]
) -> None:
    server = _server(servers, index)
    evaluation = check_host(
        str(case["host"]),
        case.get("mailfrom") or "",
        case.get("helo"),
        nameservers=[server.address],
        timeout=TIMEOUT,
    )
    accepted = case["result"] if isinstance(case["result"], list) else [case["result"]]
    assert evaluation.result in accepted, (evaluation.result, evaluation.trace)
    if "explanation" in case:
        expected = case["explanation"]
        expected = DEFAULT_EXPLANATION if expected == "DEFAULT" else expected
        assert evaluation.explanation == expected, evaluation.trace
