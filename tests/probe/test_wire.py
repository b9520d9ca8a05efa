"""The SMTP reply reader over a real socket pair: replies parse back to what was sent,
garbage and oversize input are errors, silence is a timeout within its bound."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnsspec.probe.model import Reply
from dnsspec.probe.wire import (
    MAX_LINE,
    MAX_LINES,
    Clock,
    ConnectionClosed,
    ProbeTimeout,
    ProtocolError,
    SmtpWire,
)


@pytest.fixture
def pair() -> Iterator[tuple[SmtpWire, socket.socket]]:
    client, server = socket.socketpair()
    wire = SmtpWire(client, Clock.start(0.3, 5))
    yield wire, server
    wire.close()
    server.close()


text_line = st.text(
    st.characters(codec="utf-8", exclude_characters="\r\n", exclude_categories=("Cs",)),
    max_size=60,
)


@given(code=st.integers(200, 599), lines=st.lists(text_line, min_size=1, max_size=5))
def test_a_reply_reads_back_as_it_was_sent(code: int, lines: list[str]) -> None:
    sent = Reply(code, tuple(lines))
    client, server = socket.socketpair()
    try:
        server.sendall(sent.text.encode() + b"\r\n")
        got = SmtpWire(client, Clock.start(1, 5)).read_reply()
    finally:
        client.close()
        server.close()
    assert got.code == code
    assert [line.rstrip() for line in got.lines] == [line.rstrip() for line in lines]


def test_a_multiline_reply_with_bare_lf(pair: tuple[SmtpWire, socket.socket]) -> None:
    wire, server = pair
    server.sendall(b"250-mx.test\n250-PIPELINING\n250 STARTTLS\n")
    assert wire.read_reply() == Reply(250, ("mx.test", "PIPELINING", "STARTTLS"))


@pytest.mark.parametrize(
    "data",
    [b"hello\r\n", b"250-a\r\n251 b\r\n", b"2500 x\r\n", b"600 no\r\n", b"\x00\xff\r\n"],
)
def test_garbage_is_a_protocol_error(data: bytes, pair: tuple[SmtpWire, socket.socket]) -> None:
    wire, server = pair
    server.sendall(data)
    with pytest.raises(ProtocolError, match="not an SMTP reply"):
        wire.read_reply()


def test_an_endless_line_is_refused(pair: tuple[SmtpWire, socket.socket]) -> None:
    wire, server = pair
    server.sendall(b"220 " + b"x" * (MAX_LINE + 10))
    with pytest.raises(ProtocolError, match=f"longer than {MAX_LINE} bytes"):
        wire.read_reply()


def test_an_endless_reply_is_refused(pair: tuple[SmtpWire, socket.socket]) -> None:
    wire, server = pair
    server.sendall(b"250-x\r\n" * (MAX_LINES + 1))
    with pytest.raises(ProtocolError, match=f"more than {MAX_LINES} lines"):
        wire.read_reply()


def test_silence_times_out_within_the_step_timeout(pair: tuple[SmtpWire, socket.socket]) -> None:
    wire, _ = pair
    start = time.monotonic()
    with pytest.raises(ProbeTimeout, match=r"no answer within 0\.3s"):
        wire.read_reply()
    assert time.monotonic() - start < 1


def test_a_trickling_server_is_bounded_by_the_step_not_each_read(
    pair: tuple[SmtpWire, socket.socket],
) -> None:
    wire, server = pair
    stop = threading.Event()

    def trickle() -> None:  # a byte every 50 ms: each read returns, the reply never ends
        while not stop.is_set():
            server.send(b"2")
            time.sleep(0.05)

    thread = threading.Thread(target=trickle)
    thread.start()
    start = time.monotonic()
    try:
        with pytest.raises(ProbeTimeout, match=r"no answer within 0\.3s"):
            wire.read_reply()
    finally:
        stop.set()
        thread.join()
    assert time.monotonic() - start < 1


def test_a_closed_connection(pair: tuple[SmtpWire, socket.socket]) -> None:
    wire, server = pair
    server.close()
    with pytest.raises(ConnectionClosed, match="closed the connection"):
        wire.read_reply()
