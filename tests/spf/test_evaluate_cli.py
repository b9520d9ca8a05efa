"""``dnsspec spf eval`` / ``dnsspec spf tree`` against the fixture DNS server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dnsserver import StartServer
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.spf import DEFAULT_EXPLANATION

ZONE = {
    "example.com": [("TXT", "v=spf1 ip4:192.0.2.0/24 include:_spf.example.com -all")],
    "_spf.example.com": [("TXT", "v=spf1 a:out.example.com include:_n.example.com ~all")],
    "_n.example.com": [("TXT", "v=spf1 a:gone.example.com ?all")],
    "out.example.com": [("A", "198.51.100.7"), ("AAAA", "2001:db8:7::7")],
    "wide.example.com": [
        ("TXT", "v=spf1 " + " ".join(f"include:w{i}.example.com" for i in range(3)) + " -all")
    ],
    **{
        f"w{i}.example.com": [("TXT", "v=spf1 a:out.example.com mx:out.example.com ~all")]
        for i in range(3)
    },
    "loop.example.com": [("TXT", "v=spf1 include:loop.example.com -all")],
    "exp.example.com": [("TXT", "v=spf1 -all exp=why.exp.example.com")],
    "why.exp.example.com": [("TXT", "%{i} may not send for %{d}")],
    "slow.example.com": ["TIMEOUT"],
}

runner = CliRunner()


@pytest.fixture
def ns(dns_server: StartServer) -> str:
    return dns_server(ZONE).address


def test_eval_text(ns: str) -> None:
    result = runner.invoke(
        app, ["spf", "eval", "203.0.113.1", "u@exp.example.com", "--nameserver", ns]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "result       fail",
        "mechanism    -all",
        "explanation  203.0.113.1 may not send for exp.example.com",
        "lookups      0/10, void 0/2",
    ]


def test_eval_json_with_global_options(ns: str) -> None:
    args = ["--nameserver", ns, "--timeout", "0.5", "spf", "eval", "198.51.100.7", "u@example.com"]
    result = runner.invoke(app, [*args, "--json", "--helo", "mx.example.com"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["result"] == "pass"
    assert data["mechanism"] == "include:_spf.example.com"
    assert (data["lookups"], data["void_lookups"], data["explanation"]) == (2, 0, None)
    assert data["helo"] == "mx.example.com"
    assert data["trace"][-1] == "result: pass (include:_spf.example.com)"


def test_eval_nameserver_from_environment(ns: str) -> None:
    result = runner.invoke(
        app,
        ["spf", "eval", "203.0.113.1", "u@example.com", "--json"],
        env={"DNSSPEC_NAMESERVER": ns},
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["result"], data["explanation"]) == ("fail", DEFAULT_EXPLANATION)


def test_eval_errors_still_exit_0(ns: str) -> None:
    result = runner.invoke(
        app, ["spf", "eval", "192.0.2.99", "u@loop.example.com", "--nameserver", ns]
    )
    assert result.exit_code == 0
    assert "result       permerror" in result.output
    assert "reason       more than 10 DNS lookups at 'include:loop.example.com'" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["300.1.1.1", "u@example.com"], "invalid client IP address '300.1.1.1'"),
        (["fe80::1%eth0", "u@example.com"], "a scoped address (%zone)"),
        (["192.0.2.1", "<u@example.com>"], "without the angle brackets"),
        (["192.0.2.1", ""], "no identity to check"),
        (["192.0.2.1"], "missing IP and SENDER"),
    ],
)
def test_eval_bad_input_exits_2(ns: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["spf", "eval", *args, "--nameserver", ns])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_eval_bad_nameserver_exits_2() -> None:
    result = runner.invoke(app, ["spf", "eval", "192.0.2.1", "u@example.com", "--nameserver", "x"])
    assert result.exit_code == 2
    assert "invalid nameserver 'x'" in result.output


def test_eval_batch_in_input_order(ns: str, tmp_path: Path) -> None:
    lines = [
        {"ip": "198.51.100.7", "sender": "a@example.com"},
        {"ip": "192.0.2.5", "sender": "b@example.com", "helo": "h.example.com"},
        {"ip": "203.0.113.1", "sender": "", "helo": "exp.example.com"},
    ]
    batch = tmp_path / "checks.jsonl"
    batch.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n")
    result = runner.invoke(app, ["--nameserver", ns, "spf", "eval", "--batch", str(batch)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [(o["sender"], o["result"], o["mechanism"]) for o in out] == [
        ("a@example.com", "pass", "include:_spf.example.com"),
        ("b@example.com", "pass", "ip4:192.0.2.0/24"),
        ("", "fail", "-all"),
    ]
    assert out[2]["explanation"] == "203.0.113.1 may not send for exp.example.com"


def test_eval_batch_bad_lines_exit_2_others_printed(ns: str, tmp_path: Path) -> None:
    batch = tmp_path / "checks.jsonl"
    batch.write_text(
        '{"ip": "198.51.100.7", "sender": "a@example.com"}\nnope\n\n{"ip": "x"}\n'
        '{"ip": "fe80::1%eth0", "sender": "a@example.com"}\n'
        '{"ip": "192.0.2.1", "mailfrom": "a@example.com"}\n'
        '{"ip": "192.0.2.1", "sender": "\\ud800@example.com"}\n'
    )
    result = runner.invoke(app, ["spf", "eval", "--batch", str(batch), "--nameserver", ns])
    assert result.exit_code == 2
    out = [json.loads(line) for line in result.output.splitlines()]
    assert (out[0]["line"], out[0]["result"]) == (1, "pass")
    assert out[1] == {"line": 2, "error": "line 2: invalid JSON (Expecting value)"}
    assert out[2] == {"line": 4, "error": "line 4: invalid client IP address 'x'"}
    assert out[3]["line"] == 5 and "scoped address" in out[3]["error"]
    assert out[4] == {
        "line": 6,
        "error": "line 6: unknown key 'mailfrom' (the keys are ip, sender and helo)",
    }
    assert out[5]["line"] == 7 and "not valid UTF-8" in out[5]["error"]


def test_tree_json_running_totals(ns: str) -> None:
    result = runner.invoke(app, ["spf", "tree", "example.com", "--json", "--nameserver", ns])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["lookups"], data["voids"], data["over_limit_path"]) == (4, 1, None)
    # totals are counted when each node's evaluation ends: the include of _n is _spf's
    # last term, so all three end at lookup 4
    root = data["tree"]
    assert (root["domain"], root["own_lookups"], root["total_lookups"]) == ("example.com", 1, 4)
    child = root["children"][0]
    assert (child["domain"], child["via"], child["total_lookups"]) == (
        "_spf.example.com",
        "include",
        4,
    )
    grandchild = child["children"][0]
    assert (grandchild["domain"], grandchild["total_lookups"], grandchild["total_voids"]) == (
        "_n.example.com",
        4,
        1,
    )


def test_tree_totals_follow_evaluation_order(ns: str) -> None:
    result = runner.invoke(app, ["spf", "tree", "wide.example.com", "--json", "--nameserver", ns])
    data = json.loads(result.output)
    # include:w0 is lookup 1, its a and mx 2 and 3; w1 ends at 6, w2 at 9; mx:out has no MX
    assert [c["total_lookups"] for c in data["tree"]["children"]] == [3, 6, 9]
    assert [c["total_voids"] for c in data["tree"]["children"]] == [1, 2, 3]
    assert data["lookups"] == 9 and data["voids"] == 3


def test_tree_exits_2_when_dns_fails_for_the_domain(ns: str) -> None:
    args = ["spf", "tree", "slow.example.com", "--nameserver", ns, "--timeout", "0.3"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "temperror" in result.output


@pytest.mark.parametrize("domain", ["", "bad domain", "single"])
def test_tree_of_an_invalid_domain_exits_2(ns: str, domain: str) -> None:
    result = runner.invoke(app, ["spf", "tree", domain, "--nameserver", ns])
    assert result.exit_code == 2 and "is not a valid domain name" in result.output


def test_tree_text_marks_loops(ns: str) -> None:
    result = runner.invoke(app, ["spf", "tree", "loop.example.com", "--nameserver", ns])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("loop.example.com  own 1, void 0  total 1/10")
    assert "loop" in result.output.splitlines()[2]
    assert result.output.splitlines()[-1] == "total: 1/10 lookups, 0/2 voids: 1 problem"


# Records as a hostile publisher writes them: terminal escapes (ESC, CSI as C1 0x9b),
# cursor and line controls (BEL, BS, CR), bidi overrides (U+202E, U+2066) and a line
# separator, in the record, in an include target's name and in an explanation.
HOSTILE = {
    "evil.example.com": [
        ("TXT", "v=spf1 ip4:192.0.2.1 include:_s.evil.example.com -all exp=why.evil.example.com")
    ],
    "_s.evil.example.com": [("TXT", "v=spf1 ~all")],
    "why.evil.example.com": [("TXT", "no \x1b[2J\x1b[31mway\x9b1A \u2066%{d}\u2069\r\x08 \u2028")],
    "odd.example.com": [("TXT", "v=spf1 a:x\u202e.example.com ~all\x1b]0;pwned\x07")],
    "bad.example.com": [("TXT", "v=spf1 include:\x1b[8m.example.com -all")],
}
UNSAFE = ("\x1b", "\x07", "\x08", "\r", "\x9b", "\u202e", "\u2066", "\u2069", "\u2028")


@pytest.mark.parametrize(
    "args",
    [
        ("spf", "eval", "192.0.2.9", "a@evil.example.com", "--trace"),
        ("spf", "eval", "192.0.2.9", "a@evil.example.com", "--json"),
        ("spf", "eval", "192.0.2.9", "a@bad.example.com", "--trace"),
        ("spf", "eval", "192.0.2.9", "a@odd.example.com", "--json"),
        ("spf", "tree", "odd.example.com"),
        ("spf", "tree", "odd.example.com", "--json"),
        ("spf", "tree", "bad.example.com"),
        ("spf", "tree", "bad.example.com", "--json"),
    ],
    ids=lambda a: " ".join(a[1:2] + a[-1:]),
)
def test_dns_data_is_escaped_before_it_is_printed(
    dns_server: StartServer, args: tuple[str, ...]
) -> None:
    """#8 item 16: a record with an ESC byte reached the terminal (terminal injection)."""
    server = dns_server(HOSTILE)
    result = runner.invoke(app, ["--nameserver", server.address, *args])
    out = result.output
    assert result.exit_code == 0, out
    assert not [c for c in UNSAFE if c in out], out
    assert "\\x1b" in out or "\\u001b" in out, out
    if "--json" in args:
        document = json.loads(out)  # still JSON, and the values are the records' own
        if "tree" in args:
            assert document["tree"]["record"] in [v for _, v in HOSTILE[args[2]]]
    if "a@evil.example.com" in args:  # an explanation with controls is not used (§6.2)
        assert "explanation text unusable (invalid character" in out, out


def test_batch_output_escapes_dns_data(dns_server: StartServer, tmp_path: Path) -> None:
    server = dns_server(HOSTILE)
    batch = tmp_path / "checks.jsonl"
    batch.write_text(
        '{"ip": "192.0.2.9", "sender": "a@odd.example.com"}\n'
        '{"ip": "192.0.2.9", "sender": "a@bad.example.com"}\n'
    )
    result = runner.invoke(
        app, ["--nameserver", server.address, "spf", "eval", "--batch", str(batch)]
    )
    assert result.exit_code == 0, result.output
    assert not [c for c in UNSAFE if c in result.output], result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["result"] for line in lines] == ["permerror", "permerror"]
    assert "x1b" in lines[1]["reason"] and "u202e" in lines[0]["reason"], lines
