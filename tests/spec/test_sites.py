"""policy_sites: the one derived view of a spec (kind, name, path, value, ignore)."""

from __future__ import annotations

from pathlib import Path

from dnsspec.spec.load import load_zone
from dnsspec.spec.sites import Site, policy_sites
from dnsspec.spf.syntax import parse

SPEC = """\
spf: {mechanisms: [mx], all: fail}
ignore: [SPF302]
subdomains:
  www: {spf: none}
  legacy: {spf: "v=spf1 a -all", ignore: [SPF104]}
  quiet: {ignore: [SPF201]}
records:
  old:
    - {type: A, value: 192.0.2.1}
    - {type: TXT, values: [token=1, 'v=spf1 ip4:192.0.2.1 -all']}
  two: {type: TXT, values: ['v=spf1 -all', 'v=spf1 ~all']}
"""


def test_sites_in_order_with_paths_values_and_ignores(tmp_path: Path) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text(SPEC)
    sites = policy_sites(load_zone(file).spec)
    assert [(s.kind, s.name, s.path, s.ignore) for s in sites] == [
        ("spf", "", ("spf",), ("SPF302",)),
        ("spf", "legacy", ("subdomains", "legacy", "spf"), ("SPF104",)),
        ("spf", "www", ("subdomains", "www", "spf"), ()),
        # a records: v=spf1 value is a site too (linted, passed through by compile);
        # two at one name are no site (DNS402 says why)
        ("spf", "old", ("records", "old", 1, "values", 1), ()),
    ]
    assert [s.value.form for s in sites] == ["mapping", "raw", "none", "records"]
    assert sites[0].value.policy == parse("v=spf1 mx -all")
    assert sites[0].value.text == "v=spf1 mx -all"
    assert [s.in_records for s in sites] == [False, False, False, True]


def test_sites_are_computed_once_per_loaded_zone(tmp_path: Path) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text(SPEC)
    zone = load_zone(file)
    assert zone.sites is zone.sites
    assert zone.sites == policy_sites(zone.spec)
    assert all(isinstance(s, Site) for s in zone.sites)


def test_spf_unset_is_no_site_compiles_to_nothing_and_is_listed(tmp_path: Path) -> None:
    from dnsspec.compile import compile_zone
    from dnsspec.spec.sites import unset_sites

    file = tmp_path / "example.com.yaml"
    file.write_text(
        "spf: unset\nsubdomain_default: none\nsubdomains:\n  old: {spf: unset}\n"
        "records:\n  old: {type: A, value: 192.0.2.1}\n  www: {type: A, value: 192.0.2.2}\n"
    )
    zone = load_zone(file)
    assert zone.sites == ()
    assert [(s.kind, s.name, s.path, s.value) for s in zone.unset_sites] == [
        ("spf", "", ("spf",), None),
        ("spf", "old", ("subdomains", "old", "spf"), None),
    ]
    assert unset_sites(zone.spec) == zone.unset_sites
    # subdomain_default gives www its -all, never the name that says `unset`
    assert [(r.name, r.type, r.values) for r in compile_zone(zone)] == [
        ("old", "A", ("192.0.2.1",)),
        ("www", "A", ("192.0.2.2",)),
        ("www", "TXT", ("v=spf1 -all",)),
    ]
