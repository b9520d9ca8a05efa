"""``dnsspec test``: expect: assertions against the compiled records, the lock, or DNS."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.lock import read_lock

SPEC = """\
spf:
  mechanisms: [ip4:192.0.2.0/25, "ip6:2001:db8:10::/48", include:_spf.provider.example]
  all: fail
dmarc: {policy: reject, subdomain_policy: quarantine, nonexistent_policy: reject}
subdomains:
  soft: {spf: {mechanisms: [ip4:192.0.2.128/25], all: softfail}}
  neutral: {spf: {mechanisms: [], all: neutral}}
  broken: {spf: "v=spf1 include:gone.example.com -all"}
  mx1: {spf: {mechanisms: [a], all: fail}}
  nospf: {}
  trial:
    dmarc: {policy: reject, testing: true}
records:
  mx1: {type: A, value: 192.0.2.25}
  nospf: {type: A, value: 192.0.2.99}
  lists: {type: A, value: 192.0.2.98}
"""
PROVIDER = {
    "_spf.provider.example": [("TXT", "v=spf1 mx:mail.provider.example ~all")],
    "mail.provider.example": [("MX", (10, "out.provider.example"))],
    "out.provider.example": [("A", "198.51.100.7"), ("AAAA", "2001:db8:5::7")],
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DNSSPEC_NAMESERVER", raising=False)
    (tmp_path / "zones").mkdir()
    return tmp_path


def write(expect: str, spec: str = SPEC) -> None:
    Path("zones/example.com.yaml").write_text(spec + "expect:\n" + expect)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["test", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def outcomes(*args: str) -> list[dict[str, object]]:
    code, out = run("--format", "json", *args)
    data: list[dict[str, object]] = json.loads(out)
    assert code == (0 if all(d["status"] == "pass" for d in data) else 1)
    return data


def test_every_rfc7208_result_offline(project: Path) -> None:
    write(
        "  - {ip: 192.0.2.25, sender: billing@example.com, result: pass}\n"
        "  - {ip: 203.0.113.1, sender: a@soft.example.com, result: softfail}\n"
        "  - {ip: 192.0.2.200, sender: a@neutral.example.com, result: neutral}\n"
        "  - {ip: 192.0.2.200, sender: a@nospf.example.com, result: none}\n"
        "  - {ip: 192.0.2.200, sender: a@broken.example.com, result: permerror}\n"
        "  - {ip: 192.0.2.200, sender: a@mx1.example.com, result: fail}\n"
    )
    got = outcomes()
    assert [(d["actual"], d["status"]) for d in got] == [
        ("pass", "pass"),
        ("softfail", "pass"),
        ("neutral", "pass"),
        ("none", "pass"),
        ("permerror", "pass"),
        ("fail", "pass"),
    ]
    assert got[0]["term"] == "ip4:192.0.2.0/25"
    assert got[5]["term"] == "-all"
    assert got[0]["name"] == "example.com:18 192.0.2.25 billing@example.com"


def test_temperror_live_and_a_servfail(project: Path, dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server({"example.com": ["SERVFAIL"]})
    write("  - {ip: 192.0.2.1, sender: example.com, result: temperror}\n")
    (got,) = outcomes("--live", "--nameserver", server.address)
    assert (got["actual"], got["status"]) == ("temperror", "pass")


def test_live_asks_dns_not_the_specs(project: Path, dns_server) -> None:  # type: ignore[no-untyped-def]
    # DNS still serves the old policy: the live run sees what receivers see
    server = dns_server({"example.com": [("TXT", "v=spf1 ip4:198.51.100.0/24 -all")]})
    write("  - {ip: 192.0.2.25, sender: example.com, result: pass}\n")
    (got,) = outcomes("--nameserver", server.address)
    assert (got["actual"], got["term"], got["status"]) == ("fail", "-all", "fail")


def test_ipv6_and_helo_only(project: Path) -> None:
    write(
        "  - {ip: '2001:db8:10::25', sender: example.com, result: pass}\n"
        "  - {ip: 2001:db8:99::1, helo: mx1.example.com, result: fail}\n"
        "  - {ip: 192.0.2.25, helo: mx1.example.com, result: pass}\n"
    )
    got = outcomes()
    assert [(d["actual"], d["term"]) for d in got] == [
        ("pass", "ip6:2001:db8:10::/48"),
        ("fail", "-all"),
        ("pass", "a"),
    ]
    assert got[1]["name"] == "example.com:19 2001:db8:99::1 helo mx1.example.com"


def test_third_party_include_unresolved_without_the_lock(project: Path) -> None:
    write("  - {ip: 198.51.100.7, sender: example.com, result: softfail}\n")
    code, out = run()
    assert code == 1
    assert "UNRESOLVED 198.51.100.7 example.com" in out
    assert "_spf.provider.example TXT is not in the lock; run `dnsspec lock`" in out
    (got,) = outcomes()
    assert (got["status"], got["actual"], got["missing"]) == (
        "unresolved",
        None,
        ["_spf.provider.example TXT"],
    )


def test_third_party_include_with_mx_answered_from_the_lock(project: Path, dns_server) -> None:  # type: ignore[no-untyped-def]
    write(
        "  - {ip: 198.51.100.7, sender: example.com, result: pass}\n"
        "  - {ip: '2001:db8:5::7', sender: example.com, result: pass}\n"
        "  - {ip: 203.0.113.1, sender: example.com, result: fail}\n"
    )
    server = dns_server(PROVIDER)
    lock_code = CliRunner().invoke(app, ["--nameserver", server.address, "lock"]).exit_code
    assert lock_code == 0
    lock = read_lock("dnsspec.lock")
    assert lock is not None and lock.version == 2
    # version 2: the third-party MX host's addresses, which check_host's mx term needs
    assert dict(lock.names["out.provider.example"].answers) == {
        "A": ("198.51.100.7",),
        "AAAA": ("2001:db8:5::7",),
    }
    server.stop()  # offline from here on
    got = outcomes()
    assert [(d["actual"], d["term"], d["status"]) for d in got] == [
        ("pass", "include:_spf.provider.example", "pass"),
        ("pass", "include:_spf.provider.example", "pass"),
        ("fail", "-all", "pass"),  # the include's ~all is no match (§5.2)
    ]
    assert CliRunner().invoke(app, ["lock", "--check"]).exit_code == 0


def test_a_version_1_lock_is_read_and_what_it_lacks_is_unresolved(project: Path) -> None:
    Path("dnsspec.lock").write_text(
        "version: 1\nnames:\n"
        "  _spf.provider.example:\n    resolved_at: '2026-01-01T00:00:00Z'\n"
        "    lookups: 2\n    voids: 0\n"
        "    answers:\n      TXT: ['v=spf1 mx:mail.provider.example ~all']\n"
        "  mail.provider.example:\n    resolved_at: '2026-01-01T00:00:00Z'\n"
        "    answers:\n      MX: ['10 out.provider.example']\n"
    )
    write("  - {ip: 198.51.100.7, sender: example.com, result: pass}\n")
    (got,) = outcomes()
    assert (got["status"], got["missing"]) == ("unresolved", ["out.provider.example A"])
    check = CliRunner().invoke(app, ["lock", "--check"])
    assert check.exit_code == 1
    assert "missing from dnsspec.lock: out.provider.example" in check.output


def test_a_change_that_breaks_a_sender_exits_1_with_the_deciding_term(project: Path) -> None:
    write("  - {ip: 192.0.2.25, sender: billing@example.com, result: pass}\n")
    assert run()[0] == 0
    broken = SPEC.replace("ip4:192.0.2.0/25", "ip4:192.0.2.128/25")
    write("  - {ip: 192.0.2.25, sender: billing@example.com, result: [pass, neutral]}\n", broken)
    Path("dnsspec.lock").write_text(
        "version: 2\nnames:\n"
        "  _spf.provider.example:\n    resolved_at: '2026-01-01T00:00:00Z'\n"
        "    answers:\n      TXT: ['v=spf1 ~all']\n"
    )
    code, out = run()
    assert code == 1
    assert "FAIL 192.0.2.25 billing@example.com" in out
    assert "expected pass or neutral, got fail" in out
    assert "deciding term: -all" in out
    assert "lookups: 1" in out
    assert "include:_spf.provider.example" in out  # the trace shows the include it tried


@pytest.mark.parametrize(
    ("sender", "policy", "source"),
    [
        ("ceo@example.com", "reject", "p= of _dmarc.example.com"),  # the domain's own record
        ("x@lists.example.com", "quarantine", "sp= of _dmarc.example.com"),  # existing sub
        ("x@nowhere.example.com", "reject", "np= of _dmarc.example.com"),  # nonexistent sub
        (
            "x@trial.example.com",
            "quarantine",
            "p= of _dmarc.trial.example.com (t=y: one level lower)",
        ),
        ("x@example.org", "none", "no DMARC record applies"),  # no record anywhere
    ],
)
def test_dmarc_per_discovery_path(project: Path, sender: str, policy: str, source: str) -> None:
    write(f"  - {{from: {sender}, dmarc: {policy}}}\n")
    (got,) = outcomes()
    assert (got["status"], got["actual"], got["term"]) == ("pass", policy, source)


def test_dmarc_mismatch_fails(project: Path) -> None:
    write("  - {from: x@lists.example.com, dmarc: reject}\n")
    code, out = run()
    assert code == 1
    assert "expected reject, got quarantine" in out
    assert "deciding term: sp= of _dmarc.example.com" in out


def test_junit_one_testcase_per_assertion(project: Path) -> None:
    write(
        "  - {ip: 192.0.2.25, sender: billing@example.com, result: pass}\n"
        "  - {ip: 192.0.2.200, sender: mx1.example.com, result: pass}\n"
        "  - {ip: 198.51.100.7, sender: example.com, result: pass}\n"
    )
    code, out = run("--format", "junit")
    assert code == 1
    suite = ET.fromstring(out.split("?>", 1)[1])
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "example.com:18 192.0.2.25 billing@example.com",
        "example.com:19 192.0.2.200 mx1.example.com",
        "example.com:20 198.51.100.7 example.com",
    ]
    assert cases[0].find("failure") is None and cases[0].find("error") is None
    assert "expected pass, got fail" in (cases[1].find("failure").get("message") or "")  # type: ignore[union-attr]
    assert cases[2].find("error") is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")


@pytest.mark.parametrize(
    ("entry", "where", "message"),
    [
        ("{ip: 192.0.2.1, sender: example.com, result: passs}", "18:50", "got the string 'passs'"),
        ("{ip: 192.0.2.300, sender: example.com, result: pass}", "18:10", "is not an IP address"),
        ("{ip: 192.0.2.1, sender: example.com, result: pass, to: x}", "18:56", "unknown key 'to'"),
        ("{ip: 192.0.2.1, result: pass}", "18:5", "needs `ip`, `result` and `sender` or `helo`"),
    ],
)
def test_bad_assertions_are_located_exit_2(
    project: Path, entry: str, where: str, message: str
) -> None:
    write(f"  - {entry}\n")
    code, out = run()
    assert code == 2
    assert f"zones/example.com.yaml:{where}: error: " in out
    assert message in out
    assert "Traceback" not in out


def test_subdomain_assertions(project: Path) -> None:
    spec = SPEC.replace(
        "  nospf: {}\n",
        "  nospf:\n    expect: [{ip: 192.0.2.1, sender: nospf.example.com, result: none}]\n",
    )
    write("  - {ip: 192.0.2.25, sender: example.com, result: pass}\n", spec)
    got = outcomes()
    assert [d["name"] for d in got] == [
        "example.com:19 192.0.2.25 example.com",
        "example.com:11 192.0.2.1 nospf.example.com",
    ]
