"""dnsspec.lock: `dnsspec lock`, `lock --check`, and lint through the lock or live DNS.

Third-party names are served by the fixture DNS server on 127.0.0.1 (tests/dnsserver.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent / "lint"))

from lint_helpers import write_zones

from dnsspec.cli import app
from dnsspec.lock import NODATA, NXDOMAIN, Lock, LockedName, dump_lock, parse_lock, read_lock

PROVIDER = {
    "_spf.provider.example": [
        ("TXT", "v=spf1 include:_nb.provider.example a:relay.provider.example -all"),
        ("TXT", "provider-verification=abc"),
    ],
    "_nb.provider.example": [("TXT", "v=spf1 ip4:198.51.100.0/24 ~all")],
    "relay.provider.example": [("A", "198.51.100.7"), ("AAAA", "2001:db8:5::7")],
}
SPEC = """
spf:
  mechanisms:
    - include:_spf.example.com
    - include:_spf.provider.example
  all: fail
subdomains:
  _spf: {spf: {mechanisms: [ip4:192.0.2.0/24], all: fail}}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("DNSSPEC_NAMESERVER", raising=False)
    write_zones(tmp_path, {"example.com": SPEC})
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_lock_records_every_third_party_answer_the_count_needs(project: Path, dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server(PROVIDER)
    assert run("--nameserver", server.address, "lock") == (0, "wrote dnsspec.lock (3 names)\n")
    lock = read_lock("dnsspec.lock")
    assert lock is not None
    assert sorted(lock.names) == [
        "_nb.provider.example",
        "_spf.provider.example",
        "relay.provider.example",
    ]
    spf = lock.names["_spf.provider.example"]
    # the SPF record verbatim (other TXT values are not copied), its own cost
    assert dict(spf.answers) == {
        "TXT": ("v=spf1 include:_nb.provider.example a:relay.provider.example -all",)
    }
    assert (spf.lookups, spf.voids) == (2, 0)
    # what the a: term asked: A (for IPv4 clients) and AAAA (for IPv6 ones)
    assert dict(lock.names["relay.provider.example"].answers) == {
        "A": ("198.51.100.7",),
        "AAAA": ("2001:db8:5::7",),
    }
    assert lock.names["relay.provider.example"].lookups is None
    text = Path("dnsspec.lock").read_text()
    assert text.startswith("# dnsspec.lock: ") and "\nversion: 2\nnames:\n" in text
    # re-locking an unchanged world changes nothing, byte for byte
    assert run("--nameserver", server.address, "lock")[0] == 0
    assert Path("dnsspec.lock").read_text() == text


def test_lint_offline_through_the_lock_equals_lint_resolve(project: Path, dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server(PROVIDER)
    many = "".join(f"    - a:h{n}.example.com\n" for n in range(7))
    hosts = "".join(
        f"  h{n}: [{{type: A, value: 192.0.2.{n + 1}}}, {{type: AAAA, value: '2001:db8::{n}'}}]\n"
        for n in range(7)
    )
    spec = SPEC.replace("  all: fail\nsub", many + "  all: fail\nsub", 1)
    # the hosts never send on their own: an explicit -all each, so only cost findings remain
    write_zones(project, {"example.com": "subdomain_default: none\n" + spec + "records:\n" + hosts})
    code, before = run("lint", "--format", "json")
    assert code == 0  # 2 includes + 7 a = at least 9: a warning, never an error
    assert [f["code"] for f in json.loads(before)["findings"]] == ["SPF202", "SPF204"]
    assert "at least 9" in json.loads(before)["findings"][0]["message"]
    assert run("--nameserver", server.address, "lock")[0] == 0
    code, offline = run("lint")
    assert code == 1
    expected = (
        "zones/example.com.yaml:13:7: SPF201 [error] SPF policy of example.com needs 11 DNS "
        "lookups (limit 10): example.com → a:h6.example.com"
    )  # include 1, provider include 1 + 2 inside, then a:h0…a:h6: the 11th is a:h6
    assert offline.splitlines()[0] == expected
    code, online = run("--nameserver", server.address, "lint", "--resolve")
    assert (code, online) == (1, offline)


def test_lock_check_offline_missing_and_extra(project: Path, dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server({**PROVIDER, "other.example": [("TXT", "v=spf1 -all")]})
    assert run("lock", "--check") == (
        1,
        "error: dnsspec.lock does not exist\n    hint: run `dnsspec lock` and commit the file\n",
    )
    assert run("--nameserver", server.address, "lock")[0] == 0
    assert run("lock", "--check") == (0, "dnsspec.lock is up to date (3 names)\n")
    write_zones(project, {"example.com": SPEC.replace("_spf.provider.example", "other.example")})
    code, out = run("lock", "--check")
    assert code == 1
    assert out.splitlines() == [
        "dnsspec.lock: missing from dnsspec.lock: other.example",
        "dnsspec.lock: no longer needed: _nb.provider.example",
        "dnsspec.lock: no longer needed: _spf.provider.example",
        "dnsspec.lock: no longer needed: relay.provider.example",
        "the lock is stale: run `dnsspec lock`",
    ]
    # a name missing from the lock is a warning for lint, never an error
    code, out = run("lint", "--format", "json")
    assert code == 0
    assert [f["code"] for f in json.loads(out)["findings"]] == ["SPF204"]


def test_lock_check_resolve_reports_a_changed_record(project: Path, dns_server) -> None:  # type: ignore[no-untyped-def]
    old = dns_server(PROVIDER)
    assert run("--nameserver", old.address, "lock")[0] == 0
    changed = {**PROVIDER, "_nb.provider.example": [("TXT", "v=spf1 ip4:203.0.113.0/24 ~all")]}
    new = dns_server(changed)
    assert run("--nameserver", old.address, "lock", "--check", "--resolve")[0] == 0
    code, out = run("--nameserver", new.address, "lock", "--check", "--resolve")
    assert code == 1
    assert "dnsspec.lock: answer changed: _nb.provider.example" in out.splitlines()


def test_a_dns_failure_writes_no_lock(project: Path, dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server({**PROVIDER, "_nb.provider.example": ["SERVFAIL"]})
    code, out = run("--nameserver", server.address, "--timeout", "1", "lock")
    assert code == 2
    assert "cannot lock: _nb.provider.example TXT" in out
    assert out.count("_nb.provider.example TXT") == 1, out  # said once
    assert not Path("dnsspec.lock").exists()


names = st.from_regex(r"[a-z][a-z0-9]{0,8}(\.[a-z][a-z0-9]{0,8}){1,3}", fullmatch=True)
VALUES = {
    "TXT": st.text(min_size=0, max_size=30),
    "A": st.ip_addresses(v=4).map(str),
    "AAAA": st.ip_addresses(v=6).map(str),
    "MX": st.tuples(st.integers(0, 65535), names).map(lambda p: f"{p[0]} {p[1]}"),
}


def answers(rdtype: str) -> st.SearchStrategy[object]:
    return st.one_of(
        st.sampled_from([NXDOMAIN, NODATA]),
        st.lists(VALUES[rdtype], max_size=3).map(tuple),
    )


entries = st.builds(
    LockedName,
    resolved_at=st.just("2026-11-25T12:00:00Z"),
    answers=st.fixed_dictionaries(
        {}, optional={rdtype: answers(rdtype) for rdtype in ("TXT", "A", "AAAA", "MX")}
    ),
    lookups=st.one_of(st.none(), st.integers(0, 50)),
    voids=st.none(),
)


@settings(deadline=None)
@given(st.dictionaries(names, entries, max_size=5))
def test_parse_lock_is_the_inverse_of_dump_lock(lock_names: dict[str, LockedName]) -> None:
    lock = Lock(names=lock_names)
    parsed = parse_lock(dump_lock(lock))
    assert {n: (dict(e.answers), e.lookups, e.resolved_at) for n, e in parsed.names.items()} == {
        n: (dict(e.answers), e.lookups, e.resolved_at) for n, e in lock.names.items()
    }
    assert dump_lock(parsed) == dump_lock(lock)


def test_dns_options_after_the_subcommand_equal_the_global_ones(project: Path, dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server(PROVIDER)
    before = run("--nameserver", server.address, "--timeout", "1", "lint", "--resolve")
    after = run("lint", "--resolve", "--nameserver", server.address, "--timeout", "1")
    assert before == after
    assert "include:_spf.provider.example" not in before[1]  # resolved: no SPF204
    assert run("lock", "--nameserver", server.address) == (0, "wrote dnsspec.lock (3 names)\n")
    # the option after the subcommand wins over the global one
    code, out = run("--nameserver", "127.0.0.1:1", "lock", "--check", "--resolve",
                    "--nameserver", server.address)  # fmt: skip
    assert code == 0, out


def test_lock_follows_a_v_spf1_txt_written_under_records(project: Path, dns_server) -> None:  # type: ignore[no-untyped-def]
    spec = 'records:\n  news: {type: TXT, value: "v=spf1 include:_spf.other.example -all"}\n'
    write_zones(project, {"example.net": spec})
    server = dns_server(
        {**PROVIDER, "_spf.other.example": [("TXT", "v=spf1 ip4:203.0.113.0/24 -all")]}
    )
    assert run("--nameserver", server.address, "lock")[0] == 0
    lock = read_lock("dnsspec.lock")
    assert lock is not None and "_spf.other.example" in lock.names
    assert run("lint", "--select", "SPF204") == (0, "No problems found.\n")


@pytest.mark.parametrize(
    ("answers", "says"),
    [
        ("{A: [192.0.2.1.5]}", "entry 'relay.provider.example' is malformed"),
        ("{MX: ['10']}", "an MX answer is 'PREFERENCE HOST'"),
        ("{SRV: ['x']}", "unexpected record type 'SRV'"),
    ],
)
def test_a_damaged_lock_is_a_clear_error(project: Path, answers: str, says: str) -> None:
    Path("dnsspec.lock").write_text(
        "version: 1\nnames:\n  relay.provider.example:\n"
        f"    resolved_at: '2026-01-01T00:00:00Z'\n    answers: {answers}\n"
    )
    code, out = run("lint")
    assert code == 2 and says in out and "Traceback" not in out, out


def test_an_unreadable_lock_is_a_clear_error(project: Path) -> None:
    Path("dnsspec.lock").write_bytes(b"version: 1\nnames: {\xff}\n")
    code, out = run("lint")
    assert code == 2 and "dnsspec.lock: not UTF-8 text" in out, out
    code, out = run("lint", "--lock", ".")
    assert code == 2 and "cannot read it" in out, out


def test_locked_lookup_query_answers_the_locked_types_in_presentation_format() -> None:
    import asyncio

    from dnsspec.lock import LockedLookup
    from dnsspec.lookups import NxDomain, UnknownName

    lock = Lock(
        names={
            "relay.example": LockedName(
                "2026-01-01T00:00:00Z",
                {"A": ("192.0.2.7",), "MX": ("10 mx.example",), "TXT": ("v=spf1 -all",)},
            ),
            "gone.example": LockedName("2026-01-01T00:00:00Z", {"A": NXDOMAIN}),
        }
    )
    locked = LockedLookup(lock)

    async def go() -> None:
        assert await locked.query("Relay.Example.", "A") == ["192.0.2.7"]
        assert await locked.query("relay.example", "mx") == ["10 mx.example."]
        assert await locked.query("relay.example", "TXT") == ['"v=spf1 -all"']
        with pytest.raises(NxDomain):
            await locked.query("gone.example", "A")
        with pytest.raises(UnknownName, match=r"not in dnsspec\.lock"):
            await locked.query("relay.example", "TLSA")

    asyncio.run(go())


def test_lock_reports_every_target_that_does_not_exist_or_has_no_spf(
    project: Path, dns_server
) -> None:  # type: ignore[no-untyped-def]
    """#8 item 6: `lock` wrote a typo like _sfp.… without a word, and lint then said "no SPF
    record". Now every such target is listed, the lock is still written and lock exits 1;
    offline lint's SPF207 says which of the two it is."""
    server = dns_server(
        {
            **PROVIDER,
            "nospf.provider.example": [("TXT", "provider-verification=abc")],
            "chain.provider.example": [("TXT", "v=spf1 include:gone.provider.example ~all")],
        }
    )
    write_zones(
        project,
        {
            "example.com": """
spf:
  mechanisms:
    - include:_sfp.provider.example
    - include:nospf.provider.example
    - include:chain.provider.example
    - include:_spf.provider.example
  all: fail
"""
        },
    )
    code, out = run("--nameserver", server.address, "lock")
    assert code == 1, out
    assert out.splitlines() == [
        "wrote dnsspec.lock (7 names)",
        "dnsspec.lock: _sfp.provider.example does not exist (NXDOMAIN): "
        "include:_sfp.provider.example in the policy of example.com is a permerror for receivers",
        "dnsspec.lock: gone.provider.example does not exist (NXDOMAIN): "
        "include:gone.provider.example in the policy of example.com is a permerror for receivers",
        "dnsspec.lock: nospf.provider.example has no SPF record: "
        "include:nospf.provider.example in the policy of example.com is a permerror for receivers",
        "3 include or redirect targets without an SPF record: fix the name in the spec, or tell "
        "the provider (the lock is written, so `dnsspec lint` reports the same offline)",
    ]
    lock = read_lock("dnsspec.lock")
    assert lock is not None and lock.names["_sfp.provider.example"].answers == {"TXT": NXDOMAIN}
    code, out = run("lint")  # offline, through the lock just written
    assert code == 1
    spf207 = sorted(line.split(": ", 1)[1] for line in out.splitlines() if "SPF207" in line)
    assert spf207 == [
        "SPF207 [error] `include:_sfp.provider.example` (from example.com): "
        "does not exist (NXDOMAIN, permerror)",
        "SPF207 [error] `include:gone.provider.example` (from example.com): "
        "does not exist (NXDOMAIN, permerror)",
        "SPF207 [error] `include:nospf.provider.example` (from example.com): "
        "no SPF record (permerror)",
    ]
