"""spf/senders.py agrees with the evaluator: a policy "authorizes senders" exactly when some
client address gets `pass` from it (ip4 terms, evaluated offline), except that a `+` term
shadowed by an earlier term for the same range still counts (never the other way round)."""

from __future__ import annotations

import asyncio
from ipaddress import IPv4Network

from hypothesis import given, settings
from hypothesis import strategies as st

from dnsspec.records import Record
from dnsspec.spf.evaluate import evaluate
from dnsspec.spf.records_lookup import RecordsLookup
from dnsspec.spf.senders import authorizes_senders, refuses_everything
from dnsspec.spf.syntax import parse

QUALIFIERS = st.sampled_from(["", "+", "-", "~", "?"])
NETWORKS = st.sampled_from(["192.0.2.0/24", "198.51.100.0/25", "203.0.113.7/32"])
TERM = st.one_of(
    st.tuples(QUALIFIERS, NETWORKS).map(lambda t: f"{t[0]}ip4:{t[1]}"),
    QUALIFIERS.map(lambda q: f"{q}all"),
)


def _passes(text: str, address: str) -> bool:
    record = Record("example.com.", "", "TXT", 300, (text,))
    lookup = RecordsLookup([record], ["example.com."])
    found = asyncio.run(evaluate(address, "user@example.com", lookup=lookup))
    return str(found.result) == "pass"


@settings(max_examples=60, deadline=None)
@given(st.lists(TERM, max_size=5))
def test_authorizes_senders_exactly_when_some_address_passes(terms: list[str]) -> None:
    text = " ".join(["v=spf1", *terms])
    policy = parse(text)
    candidates = ["10.9.9.9"] + [
        str(IPv4Network(t.split("ip4:", 1)[1])[0]) for t in terms if "ip4:" in t
    ]
    passes = any(_passes(text, ip) for ip in candidates)
    nets = [t.split("ip4:", 1)[1] for t in terms if "ip4:" in t]
    if len(set(nets)) == len(nets):  # no `-ip4:N … ip4:N`, where an earlier term shadows
        assert authorizes_senders(policy) == passes, text
    else:  # shadowing is not looked for: "authorizes" may say yes where none passes
        assert passes <= authorizes_senders(policy), text
    if refuses_everything(policy):
        assert not any(_passes(text, ip) for ip in candidates)


def test_a_redirect_without_all_may_authorize_and_spf_none_refuses() -> None:
    assert authorizes_senders(parse("v=spf1 -ip4:192.0.2.1 redirect=_spf.example.net"))
    assert not authorizes_senders(parse("v=spf1 -all redirect=_spf.example.net"))
    assert refuses_everything(parse("v=spf1 -all"))
    assert not refuses_everything(parse("v=spf1 ~all"))
