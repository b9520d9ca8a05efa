"""`profile: parked` (issue #10): the expansion, its exact records, its errors, its plan."""

from __future__ import annotations

import string
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_project import live_state, project, run

from dnsspec.compile import compile_zone, to_zone_file
from dnsspec.errors import SpecError
from dnsspec.spec.load import load_zone
from dnsspec.spec.profile import PARKED_APEX, PROFILE_PATH, parked_names

PARKED = """\
profile: parked
subdomains:
  lists: {tls_rpt: {rua: [mailto:tls@example.org]}}
records:
  "": {type: A, value: 192.0.2.80}
  www: {type: CNAME, value: example.org.}
  shop: {type: A, value: 192.0.2.81}
  _acme-challenge: {type: TXT, value: token}
  dev: {type: NS, values: [ns1.example.net., ns2.example.net.]}
  a.dev: {type: A, value: 192.0.2.82}
"""


def _zone(tmp_path: Path, text: str, name: str = "example.org") -> str:
    file = tmp_path / f"{name}.yaml"
    file.write_text(textwrap.dedent(text))
    return to_zone_file(compile_zone(load_zone(file)))


def test_parked_zone_compiles_to_exactly_these_records(tmp_path: Path) -> None:
    # no SPF at a CNAME (RFC 1034 §3.6.2), at or below a delegation, or at a _service name
    assert _zone(tmp_path, PARKED) == (
        "$ORIGIN example.org.\n"
        "@ 3600 IN A 192.0.2.80\n"
        "@ 3600 IN MX 0 .\n"
        '@ 3600 IN TXT "v=spf1 -all"\n'
        '* 3600 IN TXT "v=spf1 -all"\n'
        '_acme-challenge 3600 IN TXT "token"\n'
        '_dmarc 3600 IN TXT "v=DMARC1; p=reject; sp=reject; np=reject"\n'
        '*._domainkey 3600 IN TXT "v=DKIM1; p="\n'
        "dev 3600 IN NS ns1.example.net.\n"
        "dev 3600 IN NS ns2.example.net.\n"
        "a.dev 3600 IN A 192.0.2.82\n"
        'lists 3600 IN TXT "v=spf1 -all"\n'
        '_smtp._tls.lists 3600 IN TXT "v=TLSRPTv1; rua=mailto:tls@example.org"\n'
        "shop 3600 IN A 192.0.2.81\n"
        'shop 3600 IN TXT "v=spf1 -all"\n'
        "www 3600 IN CNAME example.org.\n"
    )


def test_the_specs_own_keys_win_and_dkim_gets_the_wildcard(tmp_path: Path) -> None:
    text = """\
    profile: parked
    dmarc: {policy: reject, rua: [mailto:dmarc@example.org]}
    dkim: {s2024: {revoked: true}}
    records:
      shop: {type: TXT, value: "v=spf1 -all"}
    """
    assert _zone(tmp_path, text) == (
        "$ORIGIN example.org.\n"
        "@ 3600 IN MX 0 .\n"
        '@ 3600 IN TXT "v=spf1 -all"\n'
        '* 3600 IN TXT "v=spf1 -all"\n'
        '_dmarc 3600 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.org"\n'
        '*._domainkey 3600 IN TXT "v=DKIM1; p="\n'
        's2024._domainkey 3600 IN TXT "v=DKIM1; p="\n'
        'shop 3600 IN TXT "v=spf1 -all"\n'
    )


def test_added_sites_point_at_the_profile_key(tmp_path: Path) -> None:
    file = tmp_path / "example.org.yaml"
    file.write_text("ttl: 300\nprofile: parked\n")
    zone = load_zone(file)
    added = {(s.kind, s.name) for s in zone.sites if s.path == PROFILE_PATH}
    assert added == {("spf", ""), ("spf", "*"), ("null_mx", ""), ("dmarc", ""), ("dkim", "")}
    for record in compile_zone(zone):
        assert record.location is not None
        assert (record.location.line, record.location.col) == (2, 10)


def _hand_written(parked: str, names: list[str]) -> str:
    """The spec a user would write instead of `profile: parked` (same records: section)."""
    import yaml

    data = yaml.safe_load(parked)
    data.pop("profile")
    for key, value in PARKED_APEX.items():
        data.setdefault(key, value)
    subdomains = data.setdefault("subdomains", {})
    for name in names:
        subdomains.setdefault(name, {}).setdefault("spf", "none")
    return yaml.safe_dump(data, sort_keys=False)


def _sites(tmp_path: Path, text: str, name: str) -> set[tuple[str, str, object]]:
    file = tmp_path / f"{name}.yaml"
    file.write_text(text)
    return {(s.kind, s.name, s.value) for s in load_zone(file).sites}


@pytest.mark.parametrize(
    ("parked", "names"),
    [
        (PARKED, ["*", "lists", "shop"]),
        ("profile: parked\n", ["*"]),
        ("profile: parked\nrecords:\n  '*': {type: CNAME, value: example.org.}\n", []),
        ("profile: parked\nsubdomains:\n  eu.shop: {spf: none}\n", ["*", "eu.shop"]),
    ],
)
def test_expansion_equals_the_hand_written_spec(
    tmp_path: Path, parked: str, names: list[str]
) -> None:
    file = tmp_path / "example.org.yaml"
    file.write_text(parked)
    assert parked_names(load_zone(file).spec) == names
    hand = _hand_written(parked, names)
    assert _zone(tmp_path, hand, "example.net") == _zone(tmp_path, parked, "example.net")
    # the same typed sites, not merely the same text: compile, lint and plan read these
    assert _sites(tmp_path, hand, "a.example") == _sites(tmp_path, parked, "b.example")
    # idempotent: the profile over its own expansion adds nothing
    again = "profile: parked\n" + hand
    assert _sites(tmp_path, again, "c.example") == _sites(tmp_path, hand, "d.example")


_LABEL = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=6)
_NAME = st.one_of(
    _LABEL, st.builds("{}.{}".format, _LABEL, _LABEL), _LABEL.map("_{}".format), st.just("*")
)
_TYPE = st.sampled_from(["A", "CNAME", "NS", "TXT", "MX"])


def _entry(rtype: str) -> dict[str, object]:
    return {
        "A": {"type": "A", "value": "192.0.2.1"},
        "CNAME": {"type": "CNAME", "value": "example.net."},
        "NS": {"type": "NS", "value": "ns1.example.net."},
        "TXT": {"type": "TXT", "value": "hello"},
        "MX": {"type": "MX", "value": {"preference": 0, "exchange": "."}},
    }[rtype]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(_NAME, _TYPE, max_size=6))
def test_any_parked_spec_equals_its_hand_written_expansion(
    tmp_path: Path, records: dict[str, str]
) -> None:
    import yaml

    parked = yaml.safe_dump(
        {"profile": "parked", "records": {n: _entry(t) for n, t in records.items()}}
    )
    file = tmp_path / "example.org.yaml"
    file.write_text(parked)
    names = parked_names(load_zone(file).spec)
    cut = [n for n, t in records.items() if t == "NS"]
    for name in names:  # never where a TXT cannot be, or is not the zone's to publish
        assert records.get(name) != "CNAME" and not name.startswith("_")
        assert not any(name == c or name.endswith("." + c) for c in cut)
    hand = _hand_written(parked, names)
    assert _zone(tmp_path, hand, "example.net") == _zone(tmp_path, parked, "example.net")


@pytest.mark.parametrize(
    ("text", "line", "col", "message", "hint"),
    [
        (
            "subdomains:\n  shop:\n    profile: parked\n",
            3,
            5,
            "unknown key 'profile' in subdomains.shop: `profile:` is a zone-level key",
            "move it to the top level of the file (no indentation): `profile: parked`",
        ),
        (
            "profile: parkd\n",
            1,
            10,
            "profile: unknown profile 'parkd' (profiles: parked)",
            "did you mean 'parked'?",
        ),
        ("profile:\n", 1, 9, "profile: no value given", "write `profile: parked`"),
        ("profile: mail\n", 1, 10, "unknown profile 'mail'", "write `profile: parked` for a"),
    ],
)
def test_bad_profiles_are_located_errors(
    tmp_path: Path, text: str, line: int, col: int, message: str, hint: str
) -> None:
    file = tmp_path / "example.org.yaml"
    file.write_text(text)
    with pytest.raises(SpecError) as caught:
        load_zone(file)
    (problem,) = caught.value.problems
    assert (problem.location.line, problem.location.col) == (line, col)
    assert message in problem.message
    assert problem.hint is not None and problem.hint.startswith(hint)


def test_subdomain_profile_is_exit_2_with_the_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "example.org.yaml").write_text(
        "subdomains:\n  shop:\n    profile: parked\n"
    )
    code, out, err = run("compile", "zones")
    assert code == 2
    assert "zones/example.org.yaml:3:5: error: unknown key 'profile' in subdomains.shop" in err
    assert "Traceback" not in out + err


def test_a_wildcard_dkim_selector_can_only_be_revoked(tmp_path: Path) -> None:
    file = tmp_path / "example.org.yaml"
    file.write_text(
        'dkim:\n  "*": {key_type: ed25519, '
        "public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=}\n"
    )
    with pytest.raises(SpecError) as caught:
        load_zone(file)
    (problem,) = caught.value.problems
    assert "the wildcard selector '*' can only be revoked" in problem.message
    file.write_text('dkim:\n  "*": {revoked: true}\n  "old": "v=DKIM1; p="\n')
    assert to_zone_file(compile_zone(load_zone(file))).endswith(
        '*._domainkey 3600 IN TXT "v=DKIM1; p="\nold._domainkey 3600 IN TXT "v=DKIM1; p="\n'
    )


def test_published_then_in_sync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    live = {"": {"type": "TXT", "value": "google-site-verification=abc"}}
    project(tmp_path, monkeypatch, "profile: parked\n", live)
    assert run("apply", "--yes")[0] == 0
    assert live_state(tmp_path) == {
        "": [
            {"type": "MX", "value": {"exchange": ".", "preference": 0}},
            {"type": "TXT", "values": ["google-site-verification=abc", "v=spf1 -all"]},
        ],
        "*": {"type": "TXT", "value": "v=spf1 -all"},
        "*._domainkey": {"type": "TXT", "value": "v=DKIM1; p="},
        "_dmarc": {"type": "TXT", "value": "v=DMARC1; p=reject; sp=reject; np=reject"},
        # the ownership marker of the DKIM selectors dnsspec publishes (issue #11)
        "_dnsspec._domainkey": {"type": "TXT", "value": "v=dnsspec1 selectors=*"},
    }
    assert run("plan", "--exit-code")[0] == 0
