"""Shared fixtures: the in-process authoritative DNS server (tests/dnsserver.py), and the
guard that keeps the suite off the system resolver."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))


from dnsserver import FixtureDnsServer, StartServer, ZoneData

from dnsspec.errors import ResolveError

# Property tests assert properties, not speed: on a loaded 2-core CI machine a slow example
# generation (too_slow) or a slow example (deadline) is not a failure. Speed is measured in
# bench/, never in tests. Explicit @settings on a test still apply on top of this profile.
settings.register_profile("dnsspec", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dnsspec")


class SystemResolverUsed(list[str]):
    """What asked for the system resolver during one test (it must stay empty)."""


@pytest.fixture(autouse=True)
def no_system_resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[SystemResolverUsed]:
    """Every test fails that reaches the system resolver (/etc/resolv.conf's servers).

    Tests talk to 127.0.0.1 only: a resolver built without ``--nameserver`` would ask the
    machine's resolver, so ``dnsspec.lookups.nameservers`` (the one place that reads it)
    refuses here, and the test fails at teardown even if the code under test swallowed
    the error. A test of that refusal clears the list it is given.
    """
    used = SystemResolverUsed()

    def refuse() -> tuple[tuple[str, int], ...]:
        used.append("system resolver asked")
        raise ResolveError("the test suite must not use the system resolver: pass --nameserver")

    monkeypatch.setattr("dnsspec.lookups.nameservers._read_resolv_conf", refuse)
    yield used
    if used:
        pytest.fail(
            "the test reached the system resolver (a DnsResolver/BlockingResolver/check_host "
            "without nameservers, or a command without --nameserver): give it the fixture "
            "server's address"
        )


@pytest.fixture(autouse=True)
def no_mta_sts_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """``dnsspec plan``/``apply`` fetch the served MTA-STS policy of a changed ``_mta-sts``
    id by default; in the suite they do not (no test reaches a server it did not start).
    A test with an HTTPS server on 127.0.0.1 passes ``--mta-sts-fetch`` and its options."""
    monkeypatch.setenv("DNSSPEC_MTA_STS_FETCH", "0")


@pytest.fixture
def dns_server() -> Iterator[StartServer]:
    """Start fixture DNS servers: ``server = dns_server({"a.example": [("A", "192.0.2.1")]})``.

    Each returned server listens on 127.0.0.1 (``server.address``) until the test ends.
    """
    started: list[FixtureDnsServer] = []

    def start(zone_data: ZoneData, **kwargs: object) -> FixtureDnsServer:
        server = FixtureDnsServer(zone_data, **kwargs).start()  # type: ignore[arg-type]
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
