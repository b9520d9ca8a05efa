"""Provider failures against a real BIND 9: one clear error, exit 2, no success claim."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from bind import BindServer, StartBind
from test_bind_apply import LIVE_ZONE, SECRET_VAR, ZONE, project, run

from dnsspec.errors import ProviderError
from dnsspec.sync import apply, open_session, plan

pytestmark = pytest.mark.integration


@pytest.fixture
def live(bind_server: StartBind, monkeypatch: pytest.MonkeyPatch) -> BindServer:
    server = bind_server({ZONE: LIVE_ZONE})
    monkeypatch.setenv(SECRET_VAR, server.key_secret)
    return server


def test_stopped_server_is_a_clear_error_and_a_rerun_converges(
    live: BindServer, tmp_path: Path
) -> None:
    config = project(tmp_path, live)
    live.stop()
    code, out, err = run("apply", "--config", str(config), "--yes")
    assert code == 2
    assert out == ""
    assert err == (
        f"error: provider bind at 127.0.0.1:{live.port} failed while reading zone {ZONE}: "
        "connection refused (is the server running and listening there?)\n"
    )
    live.start()
    assert run("apply", "--config", str(config), "--yes")[0] == 0
    assert run("plan", "--config", str(config), "--exit-code")[0] == 0


def test_server_stopping_between_plan_and_apply(live: BindServer, tmp_path: Path) -> None:
    session = open_session(project(tmp_path, live))
    shown = plan(session)
    assert shown.has_changes
    live.stop()
    with pytest.raises(ProviderError) as caught:
        apply(session, shown)
    assert (caught.value.provider, caught.value.zone) == ("bind", ZONE)
    assert "connection refused" in caught.value.message
    live.start()
    result = apply(session, plan(session))
    assert result.total == 6  # LIVE_ZONE of test_bind_apply
    assert not plan(session).has_changes
    assert b"google-site-verification=abc123" in live.txt(ZONE)


def test_wrong_tsig_key(live: BindServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = project(tmp_path, live)
    monkeypatch.setenv(SECRET_VAR, "d3JvbmcgIGtleSB3cm9uZyBrZXkgd3Jvbmcga2V5ICE=")
    code, out, err = run("apply", "--config", str(config), "--yes")
    assert (code, out) == (2, "")
    assert err == (
        f"error: provider bind at 127.0.0.1:{live.port} failed while reading zone {ZONE}: the "
        "server refused the TSIG key (check key_name, key_secret and key_algorithm): Unable to "
        "Perform Zone Transfer: The peer didn't like the signature we sent\n"
    )
    assert "Traceback" not in err


def test_missing_credential_names_the_variable(
    live: BindServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = project(tmp_path, live)
    monkeypatch.delenv(SECRET_VAR)
    code, out, err = run("plan", "--config", str(config))
    assert (code, out) == (2, "")
    assert err.startswith(
        f"error: {config}: environment variable {SECRET_VAR} is not set; providers.yaml reads "
        f"it with env/{SECRET_VAR} ("
    )


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A TCP port that accepts connections and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield int(sock.getsockname()[1])


def test_timeout(live: BindServer, tmp_path: Path, silent_port: int) -> None:
    config = project(tmp_path, live, port=silent_port, timeout=1)
    code, out, err = run("plan", "--config", str(config))
    assert (code, out) == (2, "")
    assert err == (
        f"error: provider bind at 127.0.0.1:{silent_port} failed while reading zone {ZONE}: "
        "no answer within 1s (timed out)\n"
    )
