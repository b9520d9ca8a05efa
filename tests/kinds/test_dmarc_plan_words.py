"""The plan's DMARC and TLS-RPT sections: each tag change in words (dnsspec.sync.deltas)."""

from __future__ import annotations

import unicodedata

import pytest
from dmarc_strategies import dmarc_records
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnsspec.dmarc.syntax import DmarcRecord, render
from dnsspec.sync.deltas import DeltaContext, ProviderChanges
from dnsspec.sync.deltas.dmarc import DmarcDelta, dmarc_tags
from dnsspec.sync.deltas.tags import shown
from dnsspec.sync.deltas.tls_rpt import TlsRptDelta
from dnsspec.sync.model import RecordChange

ZONE = "example.com."
FOREIGN = "google-site-verification=abc"


def _change(name: str, before: list[str], after: list[str]) -> RecordChange:
    action = "create" if not before else "delete" if not after else "update"
    fqdn = f"{name}.{ZONE}" if name else ZONE
    ttl = (None if not before else 3600), (None if not after else 3600)
    return RecordChange(action, name, fqdn, "TXT", *ttl, tuple(before), tuple(after))


def _describe(delta: DmarcDelta | TlsRptDelta, *changes: RecordChange) -> list[str]:
    provider = ProviderChanges("live", (ZONE,), (), (), {ZONE: tuple(changes)})
    items = delta.describe(provider, DeltaContext(lock="dnsspec.lock")).get(ZONE, ())
    return delta.text(items)[1:] if items else []


def dmarc(before: str | None, after: str | None, name: str = "_dmarc") -> list[str]:
    """The DMARC lines for one ``_dmarc`` value ``before`` → ``after`` (None: absent)."""
    old = [FOREIGN] + ([before] if before is not None else [])
    new = [FOREIGN] + ([after] if after is not None else [])
    return [
        line.removeprefix(f"    {name}.{ZONE} ")
        for line in _describe(DmarcDelta(), _change(name, old, new))
    ]


@pytest.mark.parametrize(
    ("before", "after", "words"),
    [
        ("p=none", "p=reject", ["p: none → reject"]),
        ("p=reject", "p=reject; sp=quarantine", ["sp + quarantine"]),
        ("p=reject; sp=quarantine", "p=reject", ["sp − quarantine"]),
        ("p=reject; sp=none", "p=reject; sp=reject", ["sp: none → reject"]),
        ("p=reject", "p=reject; np=reject", ["np + reject"]),
        ("p=reject; psd=n", "p=reject; psd=y", ["psd: n → y"]),
        ("p=reject", "p=reject; t=y", ["t + y"]),
        ("p=reject; adkim=r", "p=reject; adkim=s", ["adkim: r → s"]),
        ("p=reject; aspf=s", "p=reject", ["aspf − s"]),
        ("p=reject; fo=1", "p=reject; fo=1:d", ["fo: 1 → 1:d"]),
        ("p=none", "p=none; rua=mailto:agg@x.example", ["rua + mailto:agg@x.example"]),
        (
            "p=none; rua=mailto:a@x.example,mailto:b@x.example",
            "p=none; rua=mailto:b@x.example",
            ["rua − mailto:a@x.example"],
        ),
        (
            "p=none; rua=mailto:a@x.example!10m",
            "p=none; rua=mailto:a@x.example",
            ["rua + mailto:a@x.example", "rua − mailto:a@x.example!10m"],
        ),
        (
            "p=none; rua=mailto:a@x.example,mailto:b@x.example",
            "p=none; rua=mailto:b@x.example,mailto:a@x.example",
            [
                "rua: order mailto:a@x.example, mailto:b@x.example → "
                "mailto:b@x.example, mailto:a@x.example"
            ],
        ),
        ("p=none", "p=none; ruf=mailto:f@x.example", ["ruf + mailto:f@x.example"]),
        ("p=quarantine; pct=50", "p=quarantine; pct=100", ["pct: 50 → 100"]),
        ("p=reject; ri=3600", "p=reject", ["ri − 3600"]),
        (
            "p=none; rua=mailto:old@x.example",
            "p=reject; sp=quarantine; rua=mailto:new@x.example",
            [
                "p: none → reject",
                "sp + quarantine",
                "rua + mailto:new@x.example",
                "rua − mailto:old@x.example",
            ],
        ),
    ],
)
def test_each_tag_change_in_words(before: str, after: str, words: list[str]) -> None:
    assert dmarc(f"v=DMARC1; {before}", f"v=DMARC1; {after}") == words


def test_a_new_and_a_removed_record() -> None:
    record = "v=DMARC1; p=reject; rua=mailto:a@x.example,mailto:b@x.example"
    assert dmarc(None, record) == [
        "new record (p=reject; rua=mailto:a@x.example,mailto:b@x.example)"
    ]
    assert dmarc("v=DMARC1; p=none", None) == ["record removed (was p=none)"]


def test_the_same_tags_written_differently_say_so() -> None:
    assert dmarc("v=DMARC1;p=reject", "v=DMARC1; p=reject") == [
        "rewritten, same tags: v=DMARC1; p=reject"
    ]
    assert dmarc("v=DMARC1; P=Reject", "v=DMARC1; p=reject") == [
        "rewritten, same tags: v=DMARC1; p=reject"
    ]


def test_only_foreign_values_changing_is_no_dmarc_change() -> None:
    change = _change("_dmarc", [FOREIGN, "v=DMARC1; p=reject"], ["v=DMARC1; p=reject", "x=1"])
    assert _describe(DmarcDelta(), change) == []


def test_an_unreadable_value_is_shown_escaped_with_the_parsers_reason() -> None:
    assert dmarc("v=DMARC1; p=bogus", "v=DMARC1; p=reject") == [
        "was unreadable v=DMARC1; p=bogus (p=bogus: unknown policy (expected none, "
        "quarantine, reject))",
        "now (p=reject)",
    ]
    words = dmarc("v=DMARC1; p=none\x1b[31m", "v=DMARC1; p=reject")
    assert words[0].startswith('was unreadable "v=DMARC1; p=none\\u001b[31m" (invalid')
    assert dmarc(None, "v=DMARC1; rua=ftp://x") == [
        "new record: unreadable v=DMARC1; rua=ftp://x (rua=: report URI 'ftp://x' is not a "
        "mailto: or https: URI)"
    ]
    assert dmarc("v=DMARC1; p=reject; p=none", None) == [
        "record removed: unreadable v=DMARC1; p=reject; p=none (duplicate tag 'p': a tag may "
        "appear only once)"
    ]


def test_two_records_becoming_one_is_said() -> None:
    change = _change(
        "_dmarc", ["v=DMARC1; p=none", "v=DMARC1; p=quarantine"], ["v=DMARC1; p=reject"]
    )
    lines = _describe(DmarcDelta(), change)
    assert [line.split(" ", 5)[-1] for line in lines] == [
        "2 records → 1",
        "was (p=none)",
        "was (p=quarantine)",
        "now (p=reject)",
    ]


def test_a_report_authorization_published_and_withdrawn() -> None:
    name = "example.org._report._dmarc"
    published = _describe(DmarcDelta(), _change(name, [], ["v=DMARC1"]))
    assert published == [
        f"    {name}.{ZONE} report authorization published: example.com accepts "
        "example.org's DMARC reports"
    ]
    withdrawn = _describe(DmarcDelta(), _change(name, ["v=DMARC1"], []))
    assert "report authorization withdrawn: receivers stop sending example.org's" in withdrawn[0]


def test_a_value_at_another_name_is_not_dmarc() -> None:
    assert _describe(DmarcDelta(), _change("www", [], ["v=DMARC1; p=reject"])) == []


def tls_rpt(before: str | None, after: str | None) -> list[str]:
    old = [before] if before is not None else []
    new = [after] if after is not None else []
    lines = _describe(TlsRptDelta(), _change("_smtp._tls", old, new))
    return [line.removeprefix(f"    _smtp._tls.{ZONE} ") for line in lines]


def test_tls_rpt_changes_in_words() -> None:
    a, b = "mailto:t@example.com", "https://r.example.com/tlsrpt"
    assert tls_rpt(None, f"v=TLSRPTv1; rua={a}") == [f"new record (rua={a})"]
    assert tls_rpt(f"v=TLSRPTv1; rua={a}", f"v=TLSRPTv1; rua={a},{b}") == [f"rua + {b}"]
    assert tls_rpt(f"v=TLSRPTv1; rua={a},{b}", f"v=TLSRPTv1; rua={b}") == [f"rua − {a}"]
    assert tls_rpt(f"v=TLSRPTv1; rua={a}", f"v=TLSRPTv1; rua={a}; x=1") == ["x + 1"]
    assert tls_rpt(f"v=TLSRPTv1; rua={a}", None) == [f"record removed (was rua={a})"]
    words = tls_rpt("v=TLSRPTv1; rua=", f"v=TLSRPTv1; rua={a}")
    assert words[0].startswith("was unreadable v=TLSRPTv1; rua= (rua= has no value")
    assert words[1] == f"now (rua={a})"


def test_markdown_cells_escape_a_pipe_and_backticks() -> None:
    change = _change("_dmarc", ["v=DMARC1; p=none; x=a|b`c"], ["v=DMARC1; p=reject"])
    provider = ProviderChanges("live", (ZONE,), (), (), {ZONE: (change,)})
    items = DmarcDelta().describe(provider, DeltaContext(lock="dnsspec.lock"))[ZONE]
    row = DmarcDelta().markdown(items)[-1]
    assert row.count(" | ") == 1 and "a\\|b" in row and "<code>" in row


def test_shown_escapes_control_and_format_characters_only() -> None:
    assert shown("mailto:a@x.example") == "mailto:a@x.example"
    assert shown("v=DMARC1; p=reject") == "v=DMARC1; p=reject"
    assert shown("bü§") == "bü§"
    assert shown("a\u202eb") == '"a\\u202eb"'
    assert shown(' x"\\') == '" x\\"\\\\"'
    assert shown("") == '""'


def _printable(line: str) -> bool:
    return all(c == " " or unicodedata.category(c)[0] not in "CZ" for c in line)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60), st.text(max_size=60))
def test_any_values_give_printable_words_and_never_crash(before: str, after: str) -> None:
    for old, new in ((f"v=DMARC1; {before}", f"v=DMARC1; {after}"), (before, after)):
        lines = _describe(DmarcDelta(), _change("_dmarc", [old], [new]))
        lines += _describe(TlsRptDelta(), _change("_smtp._tls", [old], [new]))
        assert all(_printable(line) for line in lines)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dmarc_records(), dmarc_records())
def test_words_say_nothing_exactly_when_the_tags_are_equal(a: DmarcRecord, b: DmarcRecord) -> None:
    before, after = render(a), render(b)
    words = dmarc(before, after)
    if before == after:
        assert words == []
    elif dmarc_tags(before) == dmarc_tags(after):
        assert words == [f"rewritten, same tags: {after}"]
    else:
        assert words and all(
            w.split(" ")[0].rstrip(":") in dmarc_tags(before) | dmarc_tags(after) for w in words
        )
