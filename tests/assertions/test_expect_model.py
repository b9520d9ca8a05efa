"""The expect: entries: every valid one loads as written, every non-address is refused."""

from __future__ import annotations

from ipaddress import ip_address

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from dnsspec.spec.expect import Expectation

RESULTS = ["pass", "fail", "softfail", "neutral", "none", "permerror", "temperror"]
addresses = st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6)).map(str)
results = st.one_of(
    st.sampled_from(RESULTS), st.lists(st.sampled_from(RESULTS), min_size=1, max_size=7)
)


@given(ip=addresses, result=results, helo_only=st.booleans())
def test_every_valid_spf_entry_loads_as_written(ip: str, result: object, helo_only: bool) -> None:
    key = "helo" if helo_only else "sender"
    e = Expectation.model_validate({"ip": ip, key: "mx.example.com", "result": result})
    assert ip_address(e.ip or "") == ip_address(ip)
    assert e.result == ((result,) if isinstance(result, str) else tuple(result))  # type: ignore[arg-type]
    assert e.kind == "spf"


@given(text=st.text(max_size=40))
def test_a_non_address_is_refused(text: str) -> None:
    try:
        ip_address(text.strip())
    except ValueError:
        with pytest.raises(ValidationError, match="is not an IP address"):
            Expectation.model_validate({"ip": text, "sender": "example.com", "result": "pass"})


@given(policy=st.sampled_from(["none", "quarantine", "reject"]))
def test_dmarc_entries(policy: str) -> None:
    e = Expectation.model_validate({"from": "a@example.com", "dmarc": policy})
    assert (e.kind, e.from_, e.dmarc) == ("dmarc", "a@example.com", policy)
    with pytest.raises(ValidationError, match="either SPF or DMARC"):
        Expectation.model_validate({"from": "a@example.com", "dmarc": policy, "ip": "192.0.2.1"})
