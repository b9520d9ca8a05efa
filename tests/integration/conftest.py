"""Fixtures starting real servers on 127.0.0.1: BIND 9 (``named``).

In CI (``CI=true``) a missing ``named`` fails the run: `make test` installs it
(scripts/ensure-system-deps), so the end-to-end tests never silently skip there.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from bind import BindServer, StartBind, named_available


@pytest.fixture
def bind_server(tmp_path: Path) -> Iterator[StartBind]:
    """``server = bind_server({"example.com.": zone_file_text})``: a running named."""
    if not named_available():
        message = "BIND 9 (named) is not installed: apt-get install bind9 (make test does)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    started: list[BindServer] = []

    def start(zones: dict[str, str]) -> BindServer:
        server = BindServer(tmp_path / f"bind{len(started)}", zones)
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.stop()
