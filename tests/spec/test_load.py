"""Bad input is reported as ``file:line:col: message`` (issue 2, "Bad input")."""

from __future__ import annotations

from pathlib import Path

import pytest

from dnsspec.errors import SpecError
from dnsspec.spec.load import load_zone, load_zones
from dnsspec.spec.sites import policy_sites
from dnsspec.spec.source import read_yaml


def problems(tmp_path: Path, text: str, name: str = "example.com.yaml") -> list[str]:
    """Every problem of one spec file as 'line:col: message (hint: …)'."""
    file = tmp_path / name
    file.write_text(text)
    with pytest.raises(SpecError) as info:
        load_zone(file)
    return [str(p).removeprefix(f"{file}:") for p in info.value.problems]


def only(tmp_path: Path, text: str, name: str = "example.com.yaml") -> str:
    found = problems(tmp_path, text, name)
    assert len(found) == 1, found
    return found[0]


def test_valid_spec_loads_with_zone_and_positions(tmp_path: Path) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text("ttl: 300\nspf:\n  mechanisms: [mx]\n  all: fail\n")
    loaded = load_zone(file)
    assert loaded.zone == "example.com."
    assert loaded.spec.ttl == 300
    assert str(loaded.source_map.locate(("spf", "mechanisms", 0))) == f"{file}:3:16"
    assert str(loaded.source_map.locate_key(("spf", "all"))) == f"{file}:4:3"
    assert str(loaded.source_map.locate(("spf", "all"))) == f"{file}:4:8"
    # nearest ancestor for a path that is not in the file
    assert str(loaded.source_map.locate(("spf", "redirect"))) == f"{file}:3:3"


def test_empty_file_is_an_empty_zone(tmp_path: Path) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text("# nothing yet\n")
    assert policy_sites(load_zone(file).spec) == ()


def test_duplicate_key_reports_both_positions(tmp_path: Path) -> None:
    text = "spf: none\nttl: 60\nspf: 'v=spf1 -all'\n"
    assert only(tmp_path, text).startswith(
        "3:1: duplicate key 'spf' (first defined at line 1, column 1)"
    )


def test_duplicate_keys_nested_are_all_reported(tmp_path: Path) -> None:
    text = "subdomains:\n  www:\n    spf: none\n    spf: none\n  www:\n    spf: none\n"
    found = problems(tmp_path, text)
    assert [f.split(":", 2)[:2] for f in found] == [["4", "5"], ["5", "3"]]
    assert "duplicate key 'www' (first defined at line 2, column 3)" in found[1]


def test_unknown_key_points_at_the_key_with_a_suggestion(tmp_path: Path) -> None:
    text = "spf:\n  mechanism: [mx]\n  all: fail\n"
    assert only(tmp_path, text) == (
        "2:3: unknown key 'mechanism' in spf (hint: did you mean 'mechanisms'?)"
    )


def test_unknown_top_level_key(tmp_path: Path) -> None:
    assert only(tmp_path, "spf: none\nsubdomain: {}\n") == (
        "2:1: unknown key 'subdomain' (hint: did you mean 'subdomains'?)"
    )


def test_unknown_key_in_subdomain(tmp_path: Path) -> None:
    text = "subdomains:\n  www:\n    sfp: none\n"
    assert only(tmp_path, text) == (
        "3:5: unknown key 'sfp' in subdomains.www (hint: did you mean 'spf'?)"
    )


def test_wrong_type_points_at_the_value(tmp_path: Path) -> None:
    assert only(tmp_path, "ttl: an hour\n") == (
        "1:6: ttl: expected an integer, got the string 'an hour'"
    )


def test_sexagesimal_ttl_is_not_sixty(tmp_path: Path) -> None:
    message = only(tmp_path, "ttl: 1:00\n")
    assert message.startswith("1:6: ttl: expected an integer, got the string '1:00'")
    assert "base-60" in message


def test_leading_zero_is_not_octal(tmp_path: Path) -> None:
    message = only(tmp_path, "ttl: 0644\n")
    assert message.startswith("1:6: ttl: expected an integer, got the string '0644'")
    assert "write 644" in message


def test_yes_is_a_string_not_a_boolean(tmp_path: Path) -> None:
    message = only(tmp_path, "subdomain_default: yes\n")
    assert message.startswith(
        "1:20: subdomain_default: expected 'none' or 'unset', got the string 'yes'"
    )


def test_true_is_a_boolean_and_rejected_for_a_literal(tmp_path: Path) -> None:
    message = only(tmp_path, "manage: true\n")
    assert message.startswith("1:9: manage: expected 'owned' or 'all', got the boolean true")


def test_bool_ttl_is_not_an_integer(tmp_path: Path) -> None:
    assert only(tmp_path, "ttl: true\n").startswith(
        "1:6: ttl: expected an integer, got the boolean true"
    )


def test_ttl_range(tmp_path: Path) -> None:
    # issue 8 item 11: no raw pydantic message, and a hint
    assert only(tmp_path, "ttl: -5\n") == (
        "1:6: ttl: ttl must be an integer from 0 to 2147483647, got -5 "
        "(hint: write the number of seconds, e.g. 3600)"
    )


def test_broken_yaml_is_located(tmp_path: Path) -> None:
    message = only(tmp_path, "spf:\n  mechanisms: [mx\n  all: fail\n")
    assert message.startswith("3:6: invalid YAML: ")


def test_broken_yaml_colon_in_value(tmp_path: Path) -> None:
    message = only(tmp_path, "spf: v=spf1 a: -all\n")
    assert message.startswith("1:14: invalid YAML: mapping values are not allowed here")


def test_tabs_are_located(tmp_path: Path) -> None:
    message = only(tmp_path, "spf:\n\tall: fail\n")
    assert message.startswith("2:1: invalid YAML: found character '\\t'")
    assert message.endswith("(hint: YAML allows no tabs here: indent and separate with spaces)")


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    assert only(tmp_path, "- spf\n").startswith("1:1: a zone spec must be a mapping")


def test_not_utf8(tmp_path: Path) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_bytes(b"spf: none\n# caf\xe9\n")
    with pytest.raises(SpecError) as info:
        load_zone(file)
    assert [str(p) for p in info.value.problems] == [
        f"{file}:2:6: the file is not UTF-8 (byte 0xe9) (hint: save the file as UTF-8)"
    ]


@pytest.mark.parametrize(
    "name", ["notes.yaml", "example.com.yml", "exa mple.com.yaml", "a..b.yaml"]
)
def test_file_name_must_be_a_zone(tmp_path: Path, name: str) -> None:
    message = only(tmp_path, "spf: none\n", name=name)
    assert message.startswith(f"1:1: the file name '{name}' is not '<zone>.yaml'")


def test_several_problems_of_several_files_in_one_error(tmp_path: Path) -> None:
    (tmp_path / "example.com.yaml").write_text("ttl: x\nspf: nonee\n")
    (tmp_path / "example.org.yaml").write_text("spf: none\nspf: none\n")
    (tmp_path / "example.net.yaml").write_text("spf: none\n")
    with pytest.raises(SpecError) as info:
        load_zones([tmp_path])
    assert [
        (p.location.file.name, p.location.line, p.location.col) for p in info.value.problems
    ] == [
        ("example.com.yaml", 1, 6),
        ("example.com.yaml", 2, 6),
        ("example.org.yaml", 2, 1),
    ]


def test_load_zones_sorted_and_deduplicated(tmp_path: Path) -> None:
    for zone in ("b.example", "a.example"):
        (tmp_path / f"{zone}.yaml").write_text("spf: none\n")
    (tmp_path / "README.md").write_text("not a spec\n")
    zones = load_zones([tmp_path, tmp_path / "a.example.yaml"])
    assert [z.zone for z in zones] == ["a.example.", "b.example."]


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(SpecError) as info:
        load_zones([tmp_path / "nope", tmp_path / "empty"])
    assert [p.message for p in info.value.problems] == [
        "no zone specs (*.yaml) in this directory",
        "no such file or directory",
    ]


def test_specs_a_directory_load_would_skip_are_errors(tmp_path: Path) -> None:
    (tmp_path / "a.example.yaml").write_text("spf: none\n")
    (tmp_path / "b.example.yml").write_text("spf: none\n")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "c.example.yaml").write_text("spf: none\n")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("fine: no YAML in here\n")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x.yaml").write_text("hidden: ignored\n")
    with pytest.raises(SpecError) as info:
        load_zones([tmp_path])
    assert [(p.location.file.name, p.message, p.hint) for p in info.value.problems] == [
        (
            "b.example.yml",
            "spec files end in .yaml; this .yml file would not be read",
            "rename it to b.example.yaml",
        ),
        (
            "old",
            f"subdirectories of {tmp_path} are not read, and this one holds YAML files",
            f"move the zone specs up into {tmp_path}/, or the directory out of it",
        ),
    ]


def test_a_zone_in_two_files_differing_in_case_is_an_error(tmp_path: Path) -> None:
    # issue 8 item 4: a file name in another case is not a second spelling of the zone
    (tmp_path / "a.example.yaml").write_text("spf: none\n")
    (tmp_path / "A.Example.yaml").write_text("spf: none\n")
    with pytest.raises(SpecError) as info:
        load_zones([tmp_path])
    (problem,) = info.value.problems
    assert problem.message == (
        "the file name 'A.Example.yaml' is not '<zone>.yaml' for a DNS zone: "
        "the zone name is not lower case"
    )
    assert problem.hint == f"rename it to {tmp_path / 'a.example.yaml'}"


def test_yaml_12_scalars() -> None:
    data, _ = read_yaml(
        Path("x.yaml"),
        "a: yes\nb: off\nc: 1:00\nd: 0644\ne: 2024-01-01\nf: True\ng: 12\nh: 1.5\n"
        "i: ~\nj: 0\nk: 1_000\n123: x\n",
    )
    assert data == {
        "a": "yes",
        "b": "off",
        "c": "1:00",
        "d": "0644",
        "e": "2024-01-01",
        "f": True,
        "g": 12,
        "h": 1.5,
        "i": None,
        "j": 0,
        "k": "1_000",
        "123": "x",
    }


def test_a_v_spf1_txt_under_records_must_parse(tmp_path: Path) -> None:
    found = only(
        tmp_path,
        "records:\n  lists:\n    - type: TXT\n"
        "      values: [token=1, 'v=spf1 ip4:192.0.2.1/33 -all']\n",
    )
    assert found.startswith(
        "4:33: records.lists: invalid SPF record at column 8 of the record: "
        "invalid ip4 prefix length /33"
    ), found
    assert "hint: columns count from the 'v' of 'v=spf1'" in found


def test_a_misspelt_key_in_a_record_value_gets_a_suggestion(tmp_path: Path) -> None:
    found = only(
        tmp_path, 'records:\n  "": {type: MX, value: {preference: 10, exchnage: mx.example.com.}}\n'
    )
    assert found == (
        "2:25: records.'': invalid MX record: missing exchange "
        "(hint: did you mean 'exchange' for 'exchnage'?)"
    )


def test_dnssec_is_a_zone_level_boolean(tmp_path: Path) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text("dnssec: true\n")
    assert load_zone(file).spec.dnssec is True
    file.write_text("spf: none\n")
    assert load_zone(file).spec.dnssec is False
    assert only(tmp_path, "dnssec: yes\n") == (
        "1:9: dnssec: expected true or false, got the string 'yes' "
        "(hint: dnsspec reads 'yes' as a word (YAML 1.2): write true or false)"
    )
    assert only(tmp_path, "dnssec: 'true'\n") == (
        "1:9: dnssec: expected true or false, got the string 'true' (hint: remove the quotes)"
    )
    assert only(tmp_path, "dnssec: 1\n").startswith("1:9: dnssec: expected true or false, got")


TLSA_ENTRY = (
    "{usage: 3, selector: 1, matching: 1, "
    "data: 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1"
)


@pytest.mark.parametrize(
    ("text", "where", "fixed"),
    [
        (
            "subdomains:\n  mx1:\n    dnssec: true\n",
            "3:5: unknown key 'dnssec' in subdomains.mx1",
            "subdomains:\n  mx1:\n    spf: none\n",
        ),
        (
            f"subdomains:\n  mx1:\n    tlsa:\n      - {TLSA_ENTRY}, dnssec: true}}\n",
            "4:118: unknown key 'dnssec' in subdomains.mx1.tlsa[0]",
            f"subdomains:\n  mx1:\n    tlsa:\n      - {TLSA_ENTRY}}}\n",
        ),
    ],
)
def test_dnssec_below_the_top_level_is_a_located_zone_level_error(
    tmp_path: Path, text: str, where: str, fixed: str
) -> None:
    assert only(tmp_path, text) == (
        f"{where}: `dnssec:` is a zone-level key (hint: move it to the top level of the "
        "file (no indentation): `dnssec: true`)"
    )
    # the hint is itself valid: done as it says, the spec loads
    file = tmp_path / "example.com.yaml"
    file.write_text("dnssec: true\n" + fixed)
    assert load_zone(file).spec.dnssec is True


def test_other_zone_keys_below_the_top_level_say_where_they_go(tmp_path: Path) -> None:
    assert only(tmp_path, "subdomains:\n  www:\n    ttl: 60\n") == (
        "3:5: unknown key 'ttl' in subdomains.www: `ttl:` is a zone-level key "
        "(hint: move it to the top level of the file (no indentation): `ttl: 3600`)"
    )
    assert "does not nest" in only(tmp_path, "subdomains:\n  www:\n    subdomains: {}\n")
    # a key no mapping takes still gets its "did you mean"
    assert only(tmp_path, "subdomains:\n  www:\n    dnsec: true\n").endswith(
        "(hint: expected one of: spf, dmarc, tls_rpt, dkim, mx, mta_sts, tlsa, ignore, expect)"
    )
