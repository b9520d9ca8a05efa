"""``dnsspec check`` finds a zone's own servers by NS lookup and asks them with RD=0.

Two in-process DNS servers on 127.0.0.1: a "resolver" that answers the zone's NS (and
the NS host's address) but still serves an old SPF record (a stale cache), and the
zone's authoritative server on another port. check must compare with what the
authoritative one serves, ask it with RD clear, and walk third-party includes through
the resolver for the live SPF lookup count.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import dns.flags
import dns.message
import pytest
from dnsserver import Fault, FixtureDnsServer
from typer.testing import CliRunner

from dnsspec.cli import app

SPF = "v=spf1 ip4:192.0.2.0/24 include:_spf.provider.example -all"
SPEC = "spf:\n  mechanisms: [ip4:192.0.2.0/24, include:_spf.provider.example]\n  all: fail\n"
SPEC += "dmarc: {policy: reject}\n"


class RecordRd(Fault):
    """Answers every question correctly and records (name, RD set) of each."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, bool]] = []

    def _record(self, query: bytes) -> None:
        message = dns.message.from_wire(query)
        name = message.question[0].name.to_text(omit_final_dot=True)
        self.seen.append((name, bool(message.flags & dns.flags.RD)))

    def udp(self, server, query: bytes) -> bytes | None:  # type: ignore[no-untyped-def]
        self._record(query)
        return super().udp(server, query)

    def tcp(self, server, query: bytes, conn: socket.socket) -> bool:  # type: ignore[no-untyped-def]
        self._record(query)
        return super().tcp(server, query, conn)


@pytest.fixture
def servers(dns_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    own_rd, resolver_rd = RecordRd(), RecordRd()
    own = dns_server(
        {
            "example.com": [("TXT", SPF), ("TXT", "verification=abc")],
            "_dmarc.example.com": [("TXT", "v=DMARC1; p=reject")],
        },
        fault=own_rd,
    )
    resolver = dns_server(
        {
            "example.com": [("NS", "ns1.example.net"), ("TXT", "v=spf1 -all")],  # stale
            "ns1.example.net": [("A", "127.0.0.1")],
            "_dmarc.example.com": [("TXT", "v=DMARC1; p=none")],  # stale
            # the third-party include: 1 (include) + 1 (include) + 1 (a) lookups
            "_spf.provider.example": [
                ("TXT", "v=spf1 ip4:203.0.113.0/24 include:_i2.provider.example -all")
            ],
            "_i2.provider.example": [("TXT", "v=spf1 a -all"), ("A", "203.0.113.5")],
        },
        fault=resolver_rd,
    )
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "example.com.yaml").write_text(SPEC)
    return own, own_rd, resolver, resolver_rd


def run(resolver: FixtureDnsServer, own: FixtureDnsServer, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        app,
        ["check", "--authoritative", "--nameserver", resolver.address,
         "--authoritative-port", str(own.port), "--timeout", "2", *args],
    )  # fmt: skip


def test_the_zones_own_server_is_asked_with_rd_clear(servers) -> None:  # type: ignore[no-untyped-def]
    own, own_rd, resolver, resolver_rd = servers
    result = run(resolver, own, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["name"], r["status"], r["server"]) for r in rows] == [
        ("example.com", "in-sync", own.address),
        ("_dmarc.example.com", "in-sync", own.address),
    ]
    # the live SPF lookup count, its include chain walked through the resolver
    assert [r["spf_lookups"] for r in rows] == [3, None]
    assert [r["spf_lookups_at_least"] for r in rows] == [False, None]  # every answer came
    assert own_rd.seen and not any(rd for _, rd in own_rd.seen)
    assert {name for name, _ in own_rd.seen} == {"example.com", "_dmarc.example.com"}
    # the resolver: the NS, the NS host's address, the third-party includes (RD=1)
    asked = {name for name, _ in resolver_rd.seen}
    assert {"example.com", "ns1.example.net", "_spf.provider.example"} <= asked
    assert all(rd for _, rd in resolver_rd.seen)


def test_text_output_names_the_live_lookup_count(servers) -> None:  # type: ignore[no-untyped-def]
    own, _, resolver, _ = servers
    result = run(resolver, own)
    assert result.exit_code == 0, result.output
    assert "in-sync         example.com TXT" in result.stdout
    assert "live SPF lookups: example.com 3" in result.stdout


def test_the_resolver_alone_sees_the_stale_answers(servers) -> None:  # type: ignore[no-untyped-def]
    # --nameserver without --authoritative asks that server directly: here, drift
    resolver = servers[2]
    args = ["check", "--nameserver", resolver.address, "--format", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert {r["status"] for r in json.loads(result.stdout)} == {"different"}


def test_a_zone_without_ns_exits_3_and_the_others_are_checked(servers) -> None:  # type: ignore[no-untyped-def]
    own, _, resolver, _ = servers
    Path("zones/example.org.yaml").write_text("spf: none\n")  # the resolver has no NS for it
    result = run(resolver, own, "--format", "json")
    assert result.exit_code == 3, result.output
    rows = json.loads(result.stdout)
    assert [(r["name"], r["status"]) for r in rows] == [
        ("example.com", "in-sync"),
        ("_dmarc.example.com", "in-sync"),
    ]
    assert "error: example.org: no NS records to ask" in result.stderr


def test_a_silent_authoritative_server_exits_3(servers) -> None:  # type: ignore[no-untyped-def]
    _, _, resolver, _ = servers
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as quiet:  # bound, never answers
        quiet.bind(("127.0.0.1", 0))
        port = quiet.getsockname()[1]
        result = CliRunner().invoke(
            app,
            ["check", "--authoritative", "--nameserver", resolver.address,
             "--authoritative-port", str(port), "--timeout", "0.3"],
        )  # fmt: skip
    assert result.exit_code == 3, result.output
    assert "error: example.com" in result.stderr


def test_authoritative_port_without_ns_discovery_is_exit_2(servers) -> None:  # type: ignore[no-untyped-def]
    own, _, resolver, _ = servers
    result = CliRunner().invoke(
        app, ["check", "--nameserver", resolver.address, "--authoritative-port", str(own.port)]
    )
    assert result.exit_code == 2
    assert "--authoritative-port" in result.stderr
    assert "Traceback" not in result.output


def test_a_count_whose_walk_got_no_answer_is_a_lower_bound(  # type: ignore[no-untyped-def]
    dns_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A third-party include that times out leaves its subtree uncounted: the count is
    "at least" (as plan's ≥4), in the JSON and in the text, never a plain 1."""
    server = dns_server({"example.com": [("TXT", SPF)]}, timeout_prefixes=["_spf.provider.example"])
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "example.com.yaml").write_text(
        SPEC.replace("dmarc: {policy: reject}\n", "")
    )
    args = ["check", "--nameserver", server.address, "--timeout", "0.3"]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    rows = json.loads(result.stdout)
    assert [(r["spf_lookups"], r["spf_lookups_at_least"]) for r in rows] == [(1, True)]
    result = CliRunner().invoke(app, args)
    assert "live SPF lookups: example.com ≥1" in result.stdout
