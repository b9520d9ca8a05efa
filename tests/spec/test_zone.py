"""Zone-level keys: names, ``records:`` (validated by octoDNS), ``ignore``, ``manage``."""

from __future__ import annotations

from pathlib import Path

import pytest

from dnsspec.errors import SpecError
from dnsspec.spec.entries import RecordEntry
from dnsspec.spec.load import load_zone
from dnsspec.spec.names import relative_name_problem, zone_name
from dnsspec.spec.zone import ZoneSpec


def spec(tmp_path: Path, text: str) -> ZoneSpec:
    file = tmp_path / "example.com.yaml"
    file.write_text(text)
    return load_zone(file).spec


def problems(tmp_path: Path, text: str) -> list[str]:
    file = tmp_path / "example.com.yaml"
    file.write_text(text)
    with pytest.raises(SpecError) as info:
        load_zone(file)
    return [str(p).removeprefix(f"{file}:") for p in info.value.problems]


def only(tmp_path: Path, text: str) -> str:
    found = problems(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


def test_defaults(tmp_path: Path) -> None:
    zone = spec(tmp_path, "")
    assert (zone.ttl, zone.spf, zone.subdomains, zone.records) == (3600, None, {}, {})
    assert (zone.subdomain_default, zone.manage, zone.ignore) == ("unset", "owned", ())


def test_subdomain_names(tmp_path: Path) -> None:
    names = ["_spf", "mail.eu", "'*'", "123", "'*.x'"]
    text = "subdomains:\n" + "".join(f"  {n}: {{spf: none}}\n" for n in names)
    assert sorted(spec(tmp_path, text).subdomains) == ["*", "*.x", "123", "_spf", "mail.eu"]


def test_label_over_63_octets_points_at_the_key(tmp_path: Path) -> None:
    label = "a" * 64
    assert only(tmp_path, f"subdomains:\n  {label}: {{spf: none}}\n").startswith(
        f"2:3: subdomains.{label}: invalid subdomain name: label '{'a' * 20}…' is 64 octets long "
        "(at most 63)"
    )


def test_name_over_253_octets_with_the_zone(tmp_path: Path) -> None:
    name = ".".join(["a" * 61] * 4)  # 247 octets; + ".example.com" = 259
    assert len(name) == 247
    message = only(tmp_path, f"subdomains:\n  {name}: {{spf: none}}\n")
    assert message.startswith(f"2:3: subdomains.{name}: invalid subdomain name: ")
    assert "name is 259 octets long (at most 253)" in message


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("www.*", "'*' may only be the leftmost label, not in 'www.*'"),
        ("a b", "label 'a b' may contain only letters, digits, '-' and '_'"),
        ("www.", "must be relative to the zone"),
        ("''", "the zone apex is not a subdomain"),
    ],
)
def test_bad_subdomain_names(tmp_path: Path, name: str, reason: str) -> None:
    message = only(tmp_path, f"subdomains:\n  {name}: {{spf: none}}\n")
    assert message.startswith("2:3: ")
    assert reason in message


def test_records_single_mapping_or_list_keys_in_any_order(tmp_path: Path) -> None:
    text = (
        "records:\n  www: {value: 192.0.2.1, type: A}\n  '':\n"
        "    - {values: [1.2.3.4, 1.2.3.5], ttl: 60, type: A}\n"
    )
    assert spec(tmp_path, text).records == {
        "www": (RecordEntry("A", None, ("192.0.2.1",)),),
        "": (RecordEntry("A", 60, ("1.2.3.4", "1.2.3.5"), 0, "values"),),
    }


def test_octodns_reasons_are_located(tmp_path: Path) -> None:
    text = (
        "records:\n"
        "  www: {type: A, value: 192.0.2.300}\n"
        "  mail:\n"
        "    - {type: MX, value: {preference: 10}}\n"
        "  cname: {type: CNAME, value: target}\n"
        "  txt: {type: TXT, value: 'v=DMARC1; p=none'}\n"
    )
    assert problems(tmp_path, text) == [
        '2:25: records.www: invalid A record: invalid IPv4 address "192.0.2.300"',
        "4:25: records.mail: invalid MX record: missing exchange",
        '5:31: records.cname: invalid CNAME record: CNAME value "target" is not a '
        "valid FQDN (hint: absolute names end with a dot: 'mail.example.com.')",
        '6:27: records.txt: invalid TXT record: unescaped ; in "v=DMARC1; p=none" '
        "(hint: octoDNS's record format escapes ';' in TXT values as \\; (in single quotes "
        "write \\;, in double quotes \\\\;): `value: 'v=DMARC1\\; p=none'`)",
    ]


def test_record_keys_and_types(tmp_path: Path) -> None:
    text = (
        "records:\n"
        "  www:\n"
        "    - {type: AA, value: x}\n"
        "    - {typ: A, value: 192.0.2.1}\n"
        "    - {type: A, value: 192.0.2.1, vaule: 1}\n"
        "    - {type: A, ttl: 1:00, value: 192.0.2.1}\n"
        "    - {type: A, value: 192.0.2.1, values: [192.0.2.2]}\n"
    )
    assert problems(tmp_path, text) == [
        "3:14: records.www: unknown record type 'AA' (hint: did you mean 'CAA'?)",
        "4:7: records.www: missing required key 'type' (hint: e.g. `{type: A, value: 192.0.2.10}`)",
        "4:8: unknown key 'typ' in records.www (hint: did you mean 'type'?)",
        "5:35: unknown key 'vaule' in records.www (hint: did you mean 'value'?)",
        "6:22: records.www: ttl must be an integer from 0 to 2147483647, got '1:00' "
        "(hint: write the number of seconds, e.g. 3600)",
        "7:35: records.www: both `value` and `values` (hint: use `value` for one value and "
        "`values` for a list)",
    ]


def test_second_rrset_of_a_type(tmp_path: Path) -> None:
    text = (
        "records:\n  www:\n    - {type: A, value: 192.0.2.1}\n    - {type: A, value: 192.0.2.2}\n"
    )
    assert only(tmp_path, text).startswith("4:7: second A record at 'www' (the first is at line 3)")


def test_record_name_problems(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "records:\n  '@': {type: A, value: 192.0.2.1}\n  a..b: {type: A, value: 192.0.2.1}\n",
    )
    assert [f.split(": ", 1)[0] for f in found] == ["2:3", "3:3"]
    assert "write '' (quoted) for the zone apex" in found[0]


def test_records_shape_errors(tmp_path: Path) -> None:
    assert only(tmp_path, "records:\n  www: 192.0.2.1\n").startswith(
        "2:8: records.www: expected a list, got the string '192.0.2.1'"
    )
    assert only(tmp_path, "records:\n  www: [192.0.2.1]\n").startswith(
        "2:9: records.www[0]: expected a mapping, got the string '192.0.2.1'"
    )


def test_spf_txt_in_records_conflicts_with_a_policy(tmp_path: Path) -> None:
    text = (
        "spf: none\nrecords:\n  '':\n    - {type: A, value: 192.0.2.1}\n"
        "    - {type: TXT, values: [token=1, 'v=spf1 mx -all']}\n"
    )
    assert only(tmp_path, text).startswith(
        "5:7: records.'': a 'v=spf1' TXT value conflicts with the spf policy at line 1"
    )


def test_spf_txt_in_records_without_policy_is_passed_through(tmp_path: Path) -> None:
    text = "records:\n  old: {type: TXT, value: 'v=spf1 a -all'}\n"
    assert spec(tmp_path, text).records["old"] == (RecordEntry("TXT", None, ("v=spf1 a -all",)),)


def test_ignore_codes(tmp_path: Path) -> None:
    zone = spec(
        tmp_path, "ignore: [SPF201]\nsubdomains:\n  www: {spf: none, ignore: [SPF303, DNS4]}\n"
    )
    assert zone.ignore == ("SPF201",)
    assert zone.subdomains["www"].ignore == ("SPF303", "DNS4")
    # the lint catalogue's vocabulary: codes in any case and rule names (issue 8, item 11)
    assert spec(tmp_path, "ignore: [spf201, spf-pass-all]\n").ignore == ("spf201", "spf-pass-all")
    assert only(tmp_path, "ignore: [SPF999]\n").startswith(
        "1:10: ignore[0]: 'SPF999' matches no lint rule"
    )


def test_manage(tmp_path: Path) -> None:
    assert spec(tmp_path, "manage: all\n").manage == "all"


def test_models_are_frozen(tmp_path: Path) -> None:
    zone = spec(tmp_path, "spf: none\n")
    with pytest.raises(ValueError, match="frozen"):
        zone.ttl = 5  # type: ignore[misc]


def test_name_helpers() -> None:
    assert zone_name("Example.COM") == "example.com."
    assert zone_name("localhost") is None
    assert zone_name("a_b.example") == "a_b.example."
    assert relative_name_problem("x", "a" * 250 + ".com.") == (
        f"'x.{'a' * 250}.com': name is 256 octets long (at most 253)"
    )


def test_names_differing_only_in_case(tmp_path: Path) -> None:
    text = "subdomains:\n  www: {spf: none}\n  WWW: {spf: none}\n"
    assert only(tmp_path, text).startswith(
        "3:3: subdomains.WWW: the same DNS name as 'www' at line 2 (DNS names are case-insensitive)"
    )


@pytest.mark.parametrize(
    ("text", "where"),
    [("spf:\n", "1:5: spf"), ("subdomains:\n  www:\n    spf: ~\n", "3:10: subdomains.www.spf")],
)
def test_an_spf_key_left_empty_is_invalid_not_no_policy(
    tmp_path: Path, text: str, where: str
) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text(text)
    with pytest.raises(SpecError) as info:
        load_zone(file)
    (problem,) = info.value.problems
    assert str(problem).removeprefix(f"{file}:").startswith(f"{where}: no value given")
    assert problem.hint is not None and "remove the key" in problem.hint


def test_spf_txt_in_records_contradicts_spf_unset(tmp_path: Path) -> None:
    text = "subdomains:\n  old: {spf: unset}\nrecords:\n  old: {type: TXT, value: 'v=spf1 -all'}\n"
    assert only(tmp_path, text).startswith(
        "4:8: records.old: a 'v=spf1' TXT value contradicts `spf: unset` at line 2"
    )
