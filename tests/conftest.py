"""Shared fixtures: the in-process authoritative DNS server (tests/dnsserver.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from dnsserver import FixtureDnsServer, StartServer, ZoneData


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
