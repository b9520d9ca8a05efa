"""Whatever a user writes, loading ends in a model or a SpecError, never a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnsspec.compile import compile_zone
from dnsspec.errors import SpecError
from dnsspec.spec.load import load_zone

KEYS = [
    "ttl", "spf", "subdomains", "records", "subdomain_default", "manage", "ignore",
    "mechanisms", "all", "redirect", "exp", "modifiers", "type", "value", "values",
    "www", "", "*", "mail.eu", "_spf", "a..b", "x" * 64,
]  # fmt: skip
WORDS = [
    "none", "unset", "owned", "fail", "pass", "v=spf1 mx -all", "v=spf1 redirect=x.example -all",
    "mx", "-all", "ip4:192.0.2.0/24", "ip4:192.0.2.0/33", "include:%{z}", "A", "AAAA", "MX",
    "TXT", "NS", "CNAME", "192.0.2.1", "2001:db8::1", "mx.example.com.", "v=spf1 a; b", "SPF201",
]  # fmt: skip
scalars = st.one_of(
    st.sampled_from(WORDS), st.integers(-5, 2**32), st.booleans(), st.none(), st.text(max_size=8)
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=25,
)
specs = st.dictionaries(st.sampled_from(KEYS), values, max_size=6)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=specs)
def test_load_never_crashes(tmp_path: Path, data: dict[str, Any]) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text(yaml.safe_dump(data))
    try:
        zone = load_zone(file)
    except SpecError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.location.file == file
            assert problem.location.line >= 1 and problem.location.col >= 1
        return
    compile_zone(zone)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "records:\n  www: {type: TXT, value: 5}\n",
            "2:27: records.www: a TXT value must be a string, got 5 (hint: quote the value)",
        ),
        (
            "records:\n  www: {type: MX, value: x}\n",
            "2:26: records.www: invalid MX record: octoDNS cannot read this value",
        ),
        (
            "spf: {mechanisms: ['mx ip4:192.0.2.1']}\n",
            "1:20: spf.mechanisms[0]: invalid SPF mechanism 'mx ip4:192.0.2.1': unknown "
            "mechanism 'mx ip4' (hint: one term per list item",
        ),
    ],
)
def test_values_octodns_cannot_read(tmp_path: Path, text: str, expected: str) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text(text)
    with pytest.raises(SpecError) as info:
        load_zone(file)
    (problem,) = info.value.problems
    assert str(problem).removeprefix(f"{file}:").startswith(expected)
