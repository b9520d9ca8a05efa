"""The compiler: exact records, merging, subdomain_default, outputs, determinism."""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dnsspec.compile import compile_zone, compile_zones, render_outputs, to_json, to_zone_file
from dnsspec.errors import SpecError
from dnsspec.records import Record
from dnsspec.spec.load import LoadedZone, load_zone, load_zones
from dnsspec.spec.sites import policy_sites
from dnsspec.spf.syntax import parse

ROOT = Path(__file__).resolve().parent.parent


def loaded(tmp_path: Path, text: str, zone: str = "example.com") -> LoadedZone:
    file = tmp_path / f"{zone}.yaml"
    file.write_text(text)
    return load_zone(file)


def rows(records: list[Record]) -> list[tuple[str, str, int, tuple[Any, ...], str]]:
    return [(r.name, r.type, r.ttl, r.values, r.origin) for r in records]


ISSUE_EXAMPLE = """\
ttl: 3600
spf:
  mechanisms:
    - mx
    - ip4:192.0.2.0/24
    - ip6:2001:db8::/32
    - include:_spf.google.com
    - "~include:partner.example"
  all: fail
subdomains:
  lists:
    spf:
      mechanisms: [a, include:_spf.google.com]
      all: softfail
  www:
    spf: none
  legacy:
    spf: "v=spf1 a -all"
records:
  www: {type: A, value: 192.0.2.10}
  lists:
    - {type: A, value: 192.0.2.20}
    - {type: MX, value: {preference: 10, exchange: mx.example.com.}}
"""


def test_issue_example(tmp_path: Path) -> None:
    zone = loaded(tmp_path, ISSUE_EXAMPLE)
    records = compile_zone(zone)
    assert rows(records) == [
        (
            "",
            "TXT",
            3600,
            (
                "v=spf1 mx ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.google.com "
                "~include:partner.example -all",
            ),
            "spf",
        ),
        ("legacy", "TXT", 3600, ("v=spf1 a -all",), "spf"),
        ("lists", "A", 3600, ("192.0.2.20",), "records"),
        (
            "lists",
            "MX",
            3600,
            ({"exchange": "mx.example.com.", "preference": 10},),
            "records",
        ),
        ("lists", "TXT", 3600, ("v=spf1 a include:_spf.google.com ~all",), "spf"),
        ("www", "A", 3600, ("192.0.2.10",), "records"),
        ("www", "TXT", 3600, ("v=spf1 -all",), "spf"),
    ]
    assert {r.zone for r in records} == {"example.com."}
    # the SPF record is located at its spf: node, a passed-through record at its entry
    assert (records[0].location.line, records[0].location.col) == (3, 3)  # type: ignore[union-attr]
    assert (records[4].location.line, records[4].location.col) == (13, 7)  # type: ignore[union-attr]
    assert (records[3].location.line, records[3].location.col) == (23, 7)  # type: ignore[union-attr]


SUBDOMAIN_DEFAULT = """\
subdomain_default: none
spf: {mechanisms: [mx], all: fail}
subdomains:
  lists: {spf: {mechanisms: [a], all: fail}}
records:
  '': {type: A, value: 192.0.2.1}
  lists: {type: A, value: 192.0.2.2}
  www: {type: AAAA, value: '2001:db8::1'}
  mx1: {type: MX, value: {preference: 10, exchange: mx.example.net.}}
  '*': {type: A, value: 192.0.2.3}
  txtonly: {type: TXT, value: hello}
  alias: {type: CNAME, value: www.example.com.}
  own: [{type: A, value: 192.0.2.4}, {type: TXT, value: 'v=spf1 a -all'}]
  merged: [{type: A, value: 192.0.2.5}, {type: TXT, values: [token=1], ttl: 60}]
  dev: {type: NS, value: ns1.example.net.}
  host.dev: {type: A, value: 192.0.2.6}
  devx: {type: A, value: 192.0.2.7}
"""


def test_subdomain_default_none(tmp_path: Path) -> None:
    records = compile_zone(loaded(tmp_path, SUBDOMAIN_DEFAULT))
    defaults = [(r.name, r.ttl, r.values) for r in records if r.origin == "subdomain_default"]
    assert defaults == [
        ("*", 3600, ("v=spf1 -all",)),
        ("devx", 3600, ("v=spf1 -all",)),
        ("merged", 60, ("v=spf1 -all", "token=1")),
        ("mx1", 3600, ("v=spf1 -all",)),
        ("www", 3600, ("v=spf1 -all",)),
    ]
    # untouched: names with a policy, a CNAME, TXT only, their own SPF TXT, delegated names
    txt_at = {r.name: r.values for r in records if r.type == "TXT"}
    assert txt_at["own"] == ("v=spf1 a -all",)
    assert txt_at["txtonly"] == ("hello",)
    assert "host.dev" not in txt_at and "alias" not in txt_at and "dev" not in txt_at
    location = next(r.location for r in records if r.origin == "subdomain_default")
    assert location is not None and (location.line, location.col) == (1, 20)


def test_subdomain_default_unset_adds_nothing(tmp_path: Path) -> None:
    text = SUBDOMAIN_DEFAULT.replace("subdomain_default: none", "subdomain_default: unset")
    records = compile_zone(loaded(tmp_path, text))
    assert [r.origin for r in records if r.origin not in ("spf", "records")] == []


def test_txt_at_a_policy_name_is_merged_spf_first(tmp_path: Path) -> None:
    text = (
        "spf: {mechanisms: [mx], all: fail}\nrecords:\n"
        "  '': {type: TXT, ttl: 300, values: [google-site-verification=abc, 'MS=ms1\\; x']}\n"
    )
    (record,) = compile_zone(loaded(tmp_path, text))
    assert (record.ttl, record.values, record.origin) == (
        300,
        ("v=spf1 mx -all", "google-site-verification=abc", "MS=ms1; x"),
        "spf",
    )
    assert record.octodns_data()["values"][2] == "MS=ms1\\; x"


def test_a_conflicting_spf_txt_never_reaches_compile(tmp_path: Path) -> None:
    # validated once, at load: compile does not validate again
    with pytest.raises(SpecError) as error:
        loaded(tmp_path, "spf: none\nrecords:\n  '': {type: TXT, value: 'v=spf1 -all'}\n")
    assert "conflicts with the spf policy" in error.value.problems[0].message


def test_json_output(tmp_path: Path) -> None:
    text = (
        "spf: {mechanisms: [mx], all: fail}\n"
        "records:\n  mail: {type: MX, value: {preference: 10, exchange: mx.example.com.}}\n"
    )
    assert json.loads(to_json(compile_zone(loaded(tmp_path, text)))) == [
        {
            "zone": "example.com.",
            "name": "",
            "fqdn": "example.com.",
            "type": "TXT",
            "ttl": 3600,
            "values": [["v=spf1 mx -all"]],
        },
        {
            "zone": "example.com.",
            "name": "mail",
            "fqdn": "mail.example.com.",
            "type": "MX",
            "ttl": 3600,
            "values": [{"exchange": "mx.example.com.", "preference": 10}],
        },
    ]


LONG = "spf:\n  mechanisms:\n" + "".join(f"    - ip4:192.0.2.{i}\n" for i in range(30))


def test_long_txt_is_split_at_term_boundaries(tmp_path: Path) -> None:
    records = compile_zone(loaded(tmp_path, LONG))
    text = records[0].values[0]
    assert len(text) > 255
    (value,) = json.loads(to_json(records))[0]["values"]
    assert "".join(value) == text
    assert [len(s.encode()) <= 255 for s in value] == [True, True]
    assert value[1].startswith(" ip4:")  # the split is before a space: every term is whole
    zone_line = to_zone_file(records).splitlines()[1]
    assert zone_line == '@ 3600 IN TXT "' + value[0] + '" "' + value[1] + '"'


def test_zone_file_escapes_quotes_and_backslashes(tmp_path: Path) -> None:
    text = (
        "records:\n  x: {type: TXT, value: 'say \"hi\" \\ there'}\n"
        "  y: {type: A, value: 192.0.2.1}\n"
    )
    assert to_zone_file(compile_zone(loaded(tmp_path, text))) == (
        '$ORIGIN example.com.\nx 3600 IN TXT "say \\"hi\\" \\\\ there"\ny 3600 IN A 192.0.2.1\n'
    )


def test_octodns_output_is_read_by_yaml_provider(tmp_path: Path) -> None:
    from octodns.provider.yaml import YamlProvider
    from octodns.zone import Zone

    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "example.com.yaml").write_text(
        ISSUE_EXAMPLE
        + "  '':\n    - {type: TXT, values: ['v=DMARC-ish\\; token=1', hello]}\n"
        + "    - {type: MX, values: [{preference: 20, exchange: b.example.com.},"
        + " {exchange: a.example.com., preference: 10}]}\n"
    )
    (specs / "example.net.yaml").write_text(LONG)
    records = compile_zones(load_zones([specs]))
    out = tmp_path / "out"
    out.mkdir()
    for name, text in render_outputs(records, "octodns", per_zone=True).items():
        (out / name).write_text(text)
    assert sorted(p.name for p in out.iterdir()) == ["example.com.yaml", "example.net.yaml"]
    provider = YamlProvider("out", str(out), escaped_semicolons=True)
    for zone_name in ("example.com.", "example.net."):
        zone = Zone(zone_name, [])
        provider.populate(zone)
        got = {
            (r.name, r._type): sorted(str(v).replace("\\;", ";") for v in r.values)
            if hasattr(r, "values")
            else [str(r.value)]
            for r in zone.records
        }
        expected = {
            (r.name, r.type): sorted(str(v) for v in r.values)
            for r in records
            if r.zone == zone_name and not isinstance(r.values[0], dict)
        }
        assert {k: v for k, v in got.items() if k in expected} == expected
        assert len(got) == len([r for r in records if r.zone == zone_name])


def test_stdout_octodns_has_one_document_per_zone(tmp_path: Path) -> None:
    (tmp_path / "example.com.yaml").write_text("spf: none\n")
    (tmp_path / "example.net.yaml").write_text("spf: none\n")
    (text,) = render_outputs(
        compile_zones(load_zones([tmp_path])), "octodns", per_zone=False
    ).values()
    documents = list(yaml.safe_load_all(text))
    assert documents == [
        {"": {"ttl": 3600, "type": "TXT", "value": "v=spf1 -all"}},
        {"": {"ttl": 3600, "type": "TXT", "value": "v=spf1 -all"}},
    ]


def test_bundled_examples_compile_identically_twice() -> None:
    first = render_outputs(compile_zones(load_zones([ROOT / "zones"])), "zone", per_zone=False)
    second = render_outputs(compile_zones(load_zones([ROOT / "zones"])), "zone", per_zone=False)
    assert first == second
    text = first[""]
    assert text.startswith("$ORIGIN example.com.\n")
    assert "\n$ORIGIN example.net.\n" in text
    assert '@ 3600 IN TXT "google-site-verification=' in text


def test_key_order_does_not_change_output(tmp_path: Path) -> None:
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "example.com.yaml").write_text(ISSUE_EXAMPLE)
    data = yaml.safe_load(ISSUE_EXAMPLE)
    reordered = {k: data[k] for k in reversed(list(data))}
    reordered["records"] = {k: data["records"][k] for k in reversed(list(data["records"]))}
    (b / "example.com.yaml").write_text(yaml.safe_dump(reordered, sort_keys=False))
    outputs = [
        render_outputs(compile_zones(load_zones([d])), fmt, per_zone=False)
        for d in (a, b)
        for fmt in ("json", "octodns", "zone")
    ]
    assert outputs[:3] == outputs[3:]


# --- property: any spec the models accept compiles, and its SPF parses back --------

_label = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12)
_domain = st.lists(_label, min_size=1, max_size=3).map(lambda ls: ".".join([*ls, "example"]))
_qualifier = st.sampled_from(["", "+", "-", "~", "?"])
_ip4 = st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: ".".join(map(str, t)))
_mechanism = st.one_of(
    st.tuples(_qualifier, _domain).map(lambda t: f"{t[0]}include:{t[1]}"),
    st.tuples(_qualifier, _ip4, st.integers(0, 32)).map(lambda t: f"{t[0]}ip4:{t[1]}/{t[2]}"),
    st.tuples(_qualifier, st.integers(0, 0xFFFF), st.integers(0, 128)).map(
        lambda t: f"{t[0]}ip6:2001:db8:{t[1]:x}::/{t[2]}"
    ),
    st.tuples(
        _qualifier, st.sampled_from(["a", "mx"]), st.integers(0, 32), st.integers(0, 128)
    ).map(lambda t: f"{t[0]}{t[1]}/{t[2]}//{t[3]}"),
    st.tuples(_qualifier, st.sampled_from(["a", "mx", "ptr"])).map("".join),
    st.tuples(_qualifier, _domain).map(lambda t: f"{t[0]}exists:%{{ir}}.%{{l1r-}}.{t[1]}"),
)
_mapping = st.fixed_dictionaries(
    {"mechanisms": st.lists(_mechanism, max_size=8)},
    optional={
        "all": st.sampled_from(["fail", "softfail", "neutral", "pass"]),
        "exp": _domain,
        "modifiers": st.dictionaries(
            st.from_regex(r"x[a-z0-9]{0,6}", fullmatch=True), _domain, max_size=2
        ),
    },
)
_spf = st.one_of(
    st.just("none"),
    _mapping,
    st.lists(_mechanism, max_size=6).map(lambda ms: " ".join(["v=spf1", *ms, "-all"])),
)
_spec = st.fixed_dictionaries(
    {
        "ttl": st.integers(0, 2**31 - 1),
        "spf": _spf,
        "subdomains": st.dictionaries(_label, st.fixed_dictionaries({"spf": _spf}), max_size=3),
        "subdomain_default": st.sampled_from(["none", "unset"]),
        "records": st.dictionaries(
            _label, st.fixed_dictionaries({"type": st.just("A"), "value": _ip4}), max_size=3
        ),
    }
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_spec)
def test_accepted_specs_compile_and_spf_parses_back(tmp_path: Path, data: dict[str, Any]) -> None:
    zone = loaded(tmp_path, yaml.safe_dump(data, sort_keys=False))
    records = compile_zone(zone)
    assert records == compile_zone(zone)  # deterministic
    assert to_json(records) == to_json(compile_zone(zone))
    txt = {r.name: r for r in records if r.type == "TXT"}
    for site in policy_sites(zone.spec):
        assert parse(txt[site.name].values[0]) == site.value.policy
        assert txt[site.name].values[0] == site.value.text
