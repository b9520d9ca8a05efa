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
from dnsspec.spec.source import YamlProblems, read_yaml

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


def _value_at(value: Any, path: tuple[str | int, ...]) -> Any:
    for segment in path:
        value = value[segment]
    return value


def _positions(value: Any, source_map: Any) -> dict[Any, tuple[Any, ...]]:
    """Every node's start (and key start); whole spans for scalars, whose ends lint reads.
    (libyaml ends a block collection at the next token, PyYAML after its last line.)"""
    out: dict[Any, tuple[Any, ...]] = {}
    for path, position in source_map.nodes.items():
        span, key = position.value, position.key
        scalar = not isinstance(_value_at(value, path), dict | list)
        end = (span.end_line, span.end_col) if scalar else ()
        out[path] = (span.line, span.col, *end, key and (key.line, key.col))
    return out


def _read(text: str, fast: bool) -> tuple[str, Any]:
    import dnsspec.spec.source as source

    saved = source.FastSpecLoader
    if not fast:
        source.FastSpecLoader = source.SpecLoader
    try:
        value, source_map = source.read_yaml(Path("f.yaml"), text)
        return "ok", (value, _positions(value, source_map))
    except source.YamlProblems as problems:
        return "error", [(str(p.location), p.message) for p in problems.problems]
    finally:
        source.FastSpecLoader = saved


@settings(max_examples=300, deadline=None)
@given(
    data=specs,
    style=st.sampled_from([None, False, True]),
    text=st.text(alphabet=st.sampled_from(list("ab:- \n\t#'\"[]{}&*!|>%@`,?0é")), max_size=40),
)
def test_libyaml_and_pure_python_parsers_agree(data: Any, style: bool | None, text: str) -> None:
    """read_yaml parses with libyaml when it can: the values, every position lint and
    errors use, and the problems must be exactly those of PyYAML's own parser.

    The one allowed difference: libyaml (the YAML reference parser) accepts a few
    odd documents PyYAML refuses, such as ``>#``; it then reads them as YAML says."""
    import dnsspec.spec.source as source

    if source.FastSpecLoader is source.SpecLoader:
        pytest.skip("PyYAML was built without libyaml")
    for document in (yaml.safe_dump(data, default_flow_style=style), text):
        fast, pure = _read(document, fast=True), _read(document, fast=False)
        if fast[0] == "ok" and pure[0] == "error":
            continue
        assert fast == pure


def test_an_alias_bomb_is_refused_not_expanded(tmp_path: Path) -> None:
    """9 levels of 9 aliases (~400 bytes) would be 43 million values."""
    lines = ["l0: &l0 [1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9)]
    text = "\n".join(lines) + "\nspf: *l8\n"
    with pytest.raises(YamlProblems) as info:
        read_yaml(tmp_path / "example.com.yaml", text)
    assert "aliases expand this document to more than" in info.value.problems[0].message


def _eager(text: str) -> tuple[Any, dict[Any, Any]]:
    """What the node path makes of ``text``: the values and every position."""
    import dnsspec.spec.source as source

    value, full = source._read(Path("f.yaml"), text, source.FastSpecLoader(text))
    return value, full.nodes


@settings(max_examples=300, deadline=None)
@given(data=specs, style=st.sampled_from([None, False, True]))
def test_event_fast_path_gives_the_node_paths_values_and_positions(
    data: Any, style: bool | None
) -> None:
    """read_yaml builds a plain document from libyaml's events and computes its positions
    only when asked: both must be exactly what the node path gives the same text."""
    import dnsspec.spec.source as source

    if source.FastSpecLoader is source.SpecLoader:
        pytest.skip("PyYAML was built without libyaml")
    text = yaml.safe_dump(data, default_flow_style=style)
    built = source._EventBuilder(text).build()
    try:
        eager = _eager(text)
    except (yaml.YAMLError, source._EmptyPlainScalar, YamlProblems):
        assert built is None  # what the node path refuses, the fast path leaves to it
        return
    if built is None:
        return  # a document the fast path leaves to the node path (e.g. an empty value)
    value, source_map = read_yaml(Path("f.yaml"), text)
    assert not source_map.computed
    assert built[0] == value == eager[0]
    assert source_map.nodes == eager[1]


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !!str 1\n",  # a tag
        "a: 1\na: 2\n",  # a duplicate key
        "? [a]\n: 1\n",  # a complex key
        "a:\n",  # an empty value
        "a: 1\n---\nb: 2\n",  # two documents
        "a: <<\n",  # the merge tag (no constructor): an error the node path places
        "a: " + "[" * 40 + "]" * 40 + "\n",  # deeper than MAX_DEPTH
    ],
)
def test_event_fast_path_leaves_what_is_not_plain_to_the_node_path(text: str) -> None:
    import dnsspec.spec.source as source

    if source.FastSpecLoader is source.SpecLoader:
        pytest.skip("PyYAML was built without libyaml")
    assert source._EventBuilder(text).build() is None


def test_a_file_without_findings_keeps_no_positions(tmp_path: Path) -> None:
    """Loading and compiling a clean spec computes no positions; the first location read
    computes them, and it is the one the node path gives."""
    from dnsspec.errors import Location

    file = tmp_path / "example.com.yaml"
    file.write_text(
        "spf: {mechanisms: [mx], all: fail}\nrecords:\n  www: {type: A, value: 192.0.2.1}\n"
    )
    loaded = load_zone(file)
    records = compile_zone(loaded)
    assert not loaded.source_map.computed
    www = next(r for r in records if r.name == "www")
    assert www.location == Location(file, 3, 8)
    assert loaded.source_map.computed
    assert str(www.location) == f"{file}:3:8"
