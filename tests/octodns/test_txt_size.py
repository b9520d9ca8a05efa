"""The plan's TXT answer size (RFC 7208 §3.4 warning) equals the size of the real message."""

from __future__ import annotations

import dns.message
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.TXT
import dns.rrset
from hypothesis import given
from hypothesis import strategies as st

from dnsspec.records import split_character_strings
from dnsspec.sync.planning import txt_response_size

LABEL = st.from_regex(r"[a-z0-9_]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
VALUE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x2FF), min_size=1, max_size=700)


def built(fqdn: str, values: list[str]) -> int:
    query = dns.message.make_query(fqdn, "TXT", use_edns=False)
    response = dns.message.make_response(query)
    rrset = dns.rrset.RRset(dns.name.from_text(fqdn), dns.rdataclass.IN, dns.rdatatype.TXT)
    for value in values:
        strings = [s.encode("utf-8") for s in split_character_strings(value, at_spaces=False)]
        rrset.add(dns.rdtypes.ANY.TXT.TXT(dns.rdataclass.IN, dns.rdatatype.TXT, strings))
    response.answer.append(rrset)
    return len(response.to_wire(max_size=65535))


@given(st.lists(LABEL, min_size=1, max_size=4), st.lists(VALUE, min_size=1, max_size=6))
def test_counted_size_is_the_wire_size(labels: list[str], values: list[str]) -> None:
    fqdn = ".".join(labels) + ".example.com."
    assert txt_response_size(fqdn, tuple(values)) == built(fqdn, values)


def test_duplicate_values_count_once() -> None:
    one = txt_response_size("example.com.", ("v=spf1 -all",))
    assert txt_response_size("example.com.", ("v=spf1 -all", "v=spf1 -all")) == one
