"""``dnsspec import``: zone files, octoDNS YAML and live DNS into specs that compile back."""

from __future__ import annotations

import textwrap
from pathlib import Path

import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.zone
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.compile import compile_zone, to_zone_file
from dnsspec.importer.build import spf_mapping
from dnsspec.importer.live import read_zone_file
from dnsspec.importer.run import ImportOptions, canonical, compiled_records, import_domain
from dnsspec.spec.load import load_zone

ROOT = Path(__file__).resolve().parents[2]
HEADER = (
    "$TTL 3600\n@ IN SOA ns1 hostmaster 1 3600 600 604800 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n"
)

ZONE_FILE = textwrap.dedent(
    """\
    $ORIGIN example.com.
    $TTL 3600
    @ IN SOA ns1 hostmaster 1 3600 600 604800 300
    @ IN NS ns1
    ns1 IN A 192.0.2.53
    @ IN MX 10 mx1
    @ IN TXT "v=spf1 mx ip4:192.0.2.0/24 include:_spf.example.com -all"
    @ IN TXT "google-site-verification=abc"
    _spf IN TXT "v=spf1 ip4:198.51.100.0/24 -all"
    mx1 IN A 192.0.2.25
    old 300 IN TXT "v=spf1 +MX  -all"
    _dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@example.com"
    www IN CNAME example.net.
    d IN DNAME example.net.
    u IN URI 10 1 "https://example.com/"
    k IN OPENPGPKEY AQID
    _smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tls@example.com"
    _dmarc.lists IN TXT "v=DMARC1;p=none"
    _25._tcp.mx1 IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    """
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def live_canonical(
    path: Path, zone: str = "example.com."
) -> set[tuple[str, str, int, tuple[str, ...]]]:
    return canonical(read_zone_file(zone, path).records)


def test_bind_import_writes_a_spec_that_compiles_back(tmp_path: Path) -> None:
    source = tmp_path / "example.com.db"
    source.write_text(ZONE_FILE)
    code, out, err = run(
        "import",
        "example.com",
        "--from",
        "bind",
        "--source",
        str(source),
        "--out",
        str(tmp_path / "zones"),
    )
    assert (code, err) == (0, "")
    spec = tmp_path / "zones" / "example.com.yaml"
    text = spec.read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema/dnsspec.schema.json\n")
    # SPF as a mapping where it compiles to the same bytes, else as written with the reason
    mapping = "mechanisms:\n    - mx\n    - ip4:192.0.2.0/24\n    - include:_spf.example.com\n"
    assert f"spf:\n  {mapping}  all: fail\n" in text
    why = "dnsspec would publish it as 'v=spf1 +mx -all' (spacing, letter case)"
    assert f"    # SPF kept as written: {why}\n" in text
    assert '{type: TXT, ttl: 300, value: "v=spf1 +MX  -all"}' in text
    assert "SPF at @: an spf: mapping" in out
    assert "SPF at old: kept as written under records:" in out
    # DMARC and TLS-RPT become their typed keys: a mapping when it compiles byte for byte …
    assert "\ndmarc:\n  policy: reject\n  rua: [mailto:d@example.com]\n" in text
    assert "DMARC at @: a dmarc: mapping" in out
    # … else the raw string, published as written
    assert '  lists:\n    dmarc: "v=DMARC1;p=none"\n' in text
    assert "DMARC at lists: dmarc: as written" in out
    assert "\ntls_rpt:\n  rua: [mailto:tls@example.com]\n" in text
    # every record the import could not carry is named, in the output and in the file
    for line in (
        "u URI: not a type",
        "k OPENPGPKEY: not a type",
        "@ SOA: the provider's own",
        "@ NS: the apex NS set",
    ):
        assert f"not imported: {line}" in out
        assert f"# not imported: {line}" in text
    assert "DNAME" in text  # dnspython's parser carries it (octodns-bind's ZoneFileSource drops it)
    assert "manage:" not in text and "subdomain_default" not in text
    # the lint report of the imported state follows
    assert "Lint of the imported specs" in out and "SPF303" in out
    # the round trip, checked here independently of the importer's own check
    assert canonical(compiled_records("example.com.", text)) == live_canonical(source) - {
        r for r in live_canonical(source) if r[1] in ("SOA", "NS") and r[0] == ""
    }


def test_an_existing_spec_is_never_overwritten_without_force(tmp_path: Path) -> None:
    source = tmp_path / "example.com.db"
    source.write_text(ZONE_FILE)
    spec = tmp_path / "zones" / "example.com.yaml"
    spec.parent.mkdir()
    spec.write_text("spf: none\n")
    args = [
        "import",
        "example.com",
        "--from",
        "bind",
        "--source",
        str(source),
        "--out",
        str(spec.parent),
    ]
    code, _, err = run(*args)
    assert code == 1
    assert f"example.com.: error: {spec} exists: nothing written (--force overwrites it)" in err
    assert spec.read_text() == "spf: none\n"
    code, _out, err = run(*args, "--force")
    assert code == 0 and "v=spf1" in spec.read_text()


def test_one_bad_domain_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "example.com.db").write_text(ZONE_FILE)
    (tmp_path / "example.org.db").write_text(
        "$ORIGIN example.org.\n@ IN SOA ns1 h 1 2 3 4 5\n@ IN NS ns1\nns1 IN A 300.1.1.1\n"
    )
    code, out, err = run(
        "import",
        "example.org",
        "example.com",
        "example.net",
        "--from",
        "bind",
        "--source",
        str(tmp_path),
        "--out",
        str(tmp_path / "zones"),
    )
    assert code == 1
    assert (
        "example.org.: error: " in err
        and "example.org.db" in err
        and "not a valid zone file" in err
    )
    assert "example.net.: error: no zone file for example.net. in" in err
    assert "2 of 3 domain(s) failed." in err
    assert "example.com.: wrote" in out
    assert sorted(p.name for p in (tmp_path / "zones").iterdir()) == ["example.com.yaml"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["example.com", "--from", "ftp"], "--from 'ftp': one of dns, axfr, bind, octodns"),
        (["example.com", "--from", "axfr"], "--from axfr needs --nameserver HOST[:PORT]"),
        (["example.com", "--from", "bind"], "--from bind needs --source PATH"),
        (["example.com", "--from", "octodns"], "--from octodns needs --source PATH"),
        ([], "give at least one DOMAIN to import"),
        (["exa mple.com", "--from", "bind", "--source", "x"], "is not a domain name"),
        (
            ["example.com", "--from", "axfr", "--nameserver", "127.0.0.1", "--tsig-key", "k"],
            "--tsig-key",
        ),
        (
            ["example.com", "--from", "axfr", "--nameserver", "127.0.0.1", "--tsig-key", "k:!!"],
            "not base64",
        ),
    ],
)
def test_bad_arguments_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    code, _out, err = run("import", *args, "--out", str(tmp_path / "zones"))
    assert code == 2
    assert message in err
    assert "Traceback" not in err and not (tmp_path / "zones").exists()


def test_octodns_yaml_import(tmp_path: Path) -> None:
    # the octoDNS YAML dnsspec compile writes for the bundled zone, read back by YamlProvider
    code, out, _ = run("compile", str(ROOT / "zones" / "example.com.yaml"), "--format", "octodns")
    assert code == 0
    config = tmp_path / "config"
    config.mkdir()
    (config / "example.com.yaml").write_text(out)
    code, out, err = run(
        "import",
        "example.com",
        "--from",
        "octodns",
        "--source",
        str(config),
        "--out",
        str(tmp_path / "zones"),
    )
    assert (code, err) == (0, ""), out
    imported = canonical(
        compiled_records("example.com.", (tmp_path / "zones" / "example.com.yaml").read_text())
    )
    original = canonical(
        compiled_records("example.com.", (ROOT / "zones" / "example.com.yaml").read_text())
    )
    assert imported == original
    assert "SPF at lists: an spf: mapping" in out


def test_dns_import_asks_the_mail_names(dns_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server = dns_server(
        {
            "example.com": [
                ("MX", (10, "mx1.example.com")),
                ("TXT", "v=spf1 mx include:_spf.example.com ~all"),
                ("TXT", "MS=ms123"),
            ],
            "_spf.example.com": [("TXT", "v=spf1 ip4:192.0.2.0/24 -all")],
            "mx1.example.com": [("A", "192.0.2.25")],
            "_dmarc.example.com": [("TXT", "v=DMARC1; p=none")],
            "s1._domainkey.example.com": [("TXT", "v=DKIM1; k=rsa; p=MIGf")],
            "brand._domainkey.example.com": [("CNAME", "brand.dkim.example.net")],
            "_25._tcp.mx1.example.com": [("TLSA", "3 1 1 " + "ab" * 32)],
            "unasked.example.com": [("A", "192.0.2.99")],
        }
    )
    out_dir = tmp_path / "zones"
    code, out, err = run(
        "import",
        "example.com",
        "--nameserver",
        server.address,
        "--dkim-selector",
        "brand",
        "--out",
        str(out_dir),
    )
    assert (code, err) == (0, ""), out
    text = (out_dir / "example.com.yaml").read_text()
    assert (
        "spf:\n  mechanisms:\n    - mx\n    - include:_spf.example.com\n  all: softfail\n" in text
    )
    assert "_spf:\n    spf:" in text  # followed through the include
    assert 'mx1:\n    - {type: A, value: "192.0.2.25"}' in text
    # the TLSA rrset becomes mx1's tlsa: entries
    assert '"_25._tcp.mx1":' not in text
    assert "    tlsa:\n      - {usage: 3, selector: 1, matching: 1, data: " in text
    # p=MIGf is no base64 key: kept as written, with the reason
    assert '"s1._domainkey":\n    # dkim kept as written: it does not parse' in text
    assert "brand._domainkey" in text
    assert "unasked" not in text
    assert "a DNS import sees only the names it asks for" in out
    assert "manage: all" not in text


def test_dns_import_of_a_domain_that_does_not_exist(dns_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server = dns_server({"example.com": [("TXT", "v=spf1 -all")]})
    code, _out, err = run(
        "import",
        "nowhere.example",
        "example.com",
        "--nameserver",
        server.address,
        "--out",
        str(tmp_path),
    )
    assert code == 1
    assert "nowhere.example.: error: nowhere.example. does not exist (NXDOMAIN)" in err
    assert (tmp_path / "example.com.yaml").is_file()


def test_dns_import_timeout_is_per_domain(dns_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server = dns_server({"example.com": [("TXT", "v=spf1 -all")]}, timeout_prefixes=["slow"])
    code, _out, err = run(
        "import",
        "slow.example",
        "example.com",
        "--nameserver",
        server.address,
        "--timeout",
        "0.2",
        "--out",
        str(tmp_path),
    )
    assert code == 1
    assert "slow.example.: error: " in err and "timed out" in err
    assert (tmp_path / "example.com.yaml").is_file()


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("v=spf1 mx -all", None),
        ("v=spf1 +mx -all", None),  # render keeps an explicit +
        ("v=spf1 ip4:192.0.2.0/24 redirect=_spf.example.com", None),
        (
            "v=spf1 include:_spf.example.com exp=explain.example.com ra=postmaster ?all",
            "modifier order",
        ),
        ("v=spf1 MX -all", "letter case"),
        ("v=spf1  mx -all", "spacing"),
        ("v=spf1 -all mx", "terms after `all`"),
        ("v=spf1 mx -all redirect=_spf.example.com", "`redirect=` beside `all`"),
        ("v=spf1 +all", "`+all` written with its `+`"),
        ("v=spf1 ?all", None),
    ],
)
def test_spf_becomes_a_mapping_only_when_it_compiles_byte_for_byte(
    text: str, kept: str | None
) -> None:
    mapping, why = spf_mapping(text)
    if kept is None:
        assert mapping is not None, why
    elif kept == "modifier order":
        assert mapping is not None or why.startswith("dnsspec would publish it as")
    else:
        assert mapping is None and kept in why


# -- the round trip: every fixture zone, and generated ones -------------------------------


def fixture_specs() -> list[Path]:
    return [
        *sorted((ROOT / "zones").glob("*.yaml")),
        *sorted((ROOT / "tests/data/specs/good").glob("*.yaml")),
    ]


@pytest.mark.parametrize("spec", fixture_specs(), ids=lambda p: p.name)
def test_every_fixture_zone_round_trips_through_a_zone_file(spec: Path, tmp_path: Path) -> None:
    zone = spec.name.removesuffix("yaml")
    records = compile_zone(load_zone(spec))
    source = tmp_path / f"{zone}db"
    source.write_text(to_zone_file(records).replace("\n", "\n" + HEADER, 1))
    result = import_domain(zone, ImportOptions(source="bind", path=source, out=tmp_path / "zones"))
    assert result.error is None
    imported = canonical(compiled_records(zone, (tmp_path / "zones" / f"{zone}yaml").read_text()))
    assert imported == canonical(compiled_records(zone, spec.read_text())) | {
        ("ns1", "A", 3600, ("192.0.2.53",))
    }


LABELS = st.sampled_from(
    ["", "www", "mail", "lists", "_spf", "a.b", "*", "mx1", "_dmarc", "_dmarc.lists", "_smtp._tls"]
)
TTLS = st.sampled_from([300, 3600, 86400])
TXT = st.one_of(
    st.sampled_from(
        [
            "v=spf1 -all",
            "v=spf1 mx ip4:192.0.2.0/24 ~all",
            "v=spf1 +MX  -all",
            "v=spf1 include:_spf.example.com redirect=x.example.net",
            "v=spf1 -all a",
            'quoted "text"; with semicolons',
            "v=DMARC1; p=reject",
            "v=DMARC1;p=quarantine; rua=mailto:d@example.com",
            "v=DMARC1; p=none; pct=50",
            "v=TLSRPTv1; rua=mailto:tls@example.com",
        ]
    ),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=300),
)
RDATA = st.one_of(
    st.tuples(st.just("A"), st.sampled_from(["192.0.2.1", "192.0.2.2", "198.51.100.7"])),
    st.tuples(st.just("AAAA"), st.sampled_from(["2001:db8::1", "2001:db8::2"])),
    st.tuples(st.just("MX"), st.sampled_from(["10 mx1.example.com.", "20 mx.example.net.", "0 ."])),
    st.tuples(st.just("TXT"), TXT),
    st.tuples(
        st.just("CAA"),
        st.sampled_from(['0 issue "letsencrypt.org"', '128 iodef "mailto:x@example.com"']),
    ),
    st.tuples(
        st.just("SRV"), st.sampled_from(["10 5 443 sip.example.com.", "0 0 25 mx1.example.com."])
    ),
)


def _txt_rdata(text: str) -> str:
    chunks = [text[i : i + 200] for i in range(0, len(text), 200)]
    return " ".join('"' + c.replace("\\", "\\\\").replace('"', '\\"') + '"' for c in chunks)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(LABELS, TTLS, RDATA), min_size=1, max_size=12))
def test_generated_zones_round_trip(
    tmp_path: Path, rrs: list[tuple[str, int, tuple[str, str]]]
) -> None:
    origin = dns.name.from_text("example.com.")
    zone = dns.zone.Zone(origin)
    ttls: dict[tuple[str, str], int] = {}
    for label, ttl, (rtype, text) in rrs:
        rdata_text = _txt_rdata(text) if rtype == "TXT" else text
        rdata = dns.rdata.from_text(dns.rdataclass.IN, rtype, rdata_text, origin=origin)
        name = dns.name.from_text(label, origin) if label else origin
        rdataset = zone.find_rdataset(name, rtype, create=True)
        ttls.setdefault((label, rtype), ttl)  # one TTL per rrset
        rdataset.add(rdata, ttls[(label, rtype)])
    soa = "ns1.example.com. hostmaster.example.com. 1 3600 600 604800 300"
    zone.find_rdataset(origin, "SOA", create=True).add(dns.rdata.from_text("IN", "SOA", soa), 3600)
    ns = dns.rdata.from_text("IN", "NS", "ns1.example.net.")
    zone.find_rdataset(origin, "NS", create=True).add(ns, 3600)
    source = tmp_path / "example.com.db"
    source.write_text(zone.to_text(relativize=False))
    out = tmp_path / "zones"
    result = import_domain(
        "example.com", ImportOptions(source="bind", path=source, out=out, force=True)
    )
    live = read_zone_file("example.com.", source)
    left_out = {s for s in result.spf if s.form == "left out"}
    assert result.error is None, result.error
    imported = canonical(compiled_records("example.com.", (out / "example.com.yaml").read_text()))
    if not left_out:
        assert imported == canonical(live.records)
    # nothing dropped silently: every rrset read is in the spec or reported
    reported = {(s.name, s.type) for s in live.skipped}
    assert {(n, t) for n, t, _, _ in canonical(live.records)} <= {
        (n, t) for n, t, _, _ in imported
    } | reported | {(s.name, "TXT") for s in left_out}


def test_the_importer_checks_the_round_trip_before_writing(tmp_path: Path) -> None:
    from dnsspec.importer.build import build_spec
    from dnsspec.importer.run import round_trip_problems

    source = tmp_path / "example.com.db"
    source.write_text(ZONE_FILE)
    live = read_zone_file("example.com.", source)
    built = build_spec(live, source="test")
    assert round_trip_problems(live, built) == []
    built.text = built.text.replace("192.0.2.25", "192.0.2.26")
    assert round_trip_problems(live, built) == ["missing mx1 A", "extra mx1 A"]
    built.text += "bogus: key\n"
    problems = round_trip_problems(live, built)
    assert len(problems) == 1 and "bogus" in problems[0]


def _ed25519_p() -> str:
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    # a fixed key: the spec text asserted below depends on how its base64 is written
    # (a random one, e.g. starting with digits, is sometimes quoted or kept raw)
    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32))).public_key()
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def test_null_mx_dkim_and_tlsa_become_typed_keys(tmp_path: Path) -> None:
    from dnsspec.importer.build import build_spec
    from dnsspec.importer.run import round_trip_problems

    p = _ed25519_p()
    digest = "0123456789abcdef" * 4
    source = tmp_path / "example.com.db"
    source.write_text(
        HEADER
        + "@ IN MX 0 .\n"
        + f's1._domainkey IN TXT "v=DKIM1; k=ed25519; p={p}"\n'
        + f's2._domainkey.lists IN TXT "v=DKIM1; k=ed25519; t=y; p={p}"\n'
        + f"_25._tcp.mx1 IN TLSA 3 1 1 {digest}\n"
        + f"_25._tcp.mx1 IN TLSA 3 1 1 {digest[::-1]}\n"
        + f"_443._tcp.mx1 IN TLSA 3 1 1 {digest}\n"
        + "mx1 IN A 192.0.2.25\n"
    )
    live = read_zone_file("example.com.", source)
    built = build_spec(live, source="test")
    text = built.text
    assert '\nmx: "none"\n' in text
    assert f"\ndkim:\n  s1: {{key_type: ed25519, public_key: {p}}}\n" in text
    assert (
        f"  lists:\n    dkim:\n      s2: {{key_type: ed25519, public_key: {p}, testing: true}}\n"
    ) in text
    tlsa = "{usage: 3, selector: 1, matching: 1, data: "
    assert f'  mx1:\n    tlsa:\n      - {tlsa}"{digest}"}}\n' in text
    assert f'      - {tlsa}"{digest}", port: 443}}\n' in text
    assert "MX" not in text.split("records:")[1] and "TLSA" not in text and "DKIM" not in text
    assert [(d.name, d.form, d.kind) for d in built.spf] == [
        ("s1._domainkey", "mapping", "dkim"),
        ("s2._domainkey.lists", "mapping", "dkim"),
    ]
    # compiling the spec gives back exactly the zone's records: the first plan is empty
    assert round_trip_problems(live, built) == []


def test_dkim_that_does_not_render_back_stays_raw_or_under_records(tmp_path: Path) -> None:
    p = _ed25519_p()
    source = tmp_path / "example.com.db"
    source.write_text(
        HEADER
        + f's1._domainkey IN TXT "v=DKIM1;k=ed25519;p={p}"\n'  # spacing: the raw form
        + 's2._domainkey IN TXT "v=DKIM1; k=bogus; p=zz"\n'  # no parse: under records:
        + '_mta-sts IN TXT "v=STSv1; id=20240101"\n'
        + "@ 300 IN MX 0 .\n"  # not the zone's TTL
    )
    code, out, err = run(
        "import", "example.com", "--from", "bind", "--source", str(source),
        "--out", str(tmp_path / "zones"),
    )  # fmt: skip
    assert (code, err) == (0, ""), out
    text = (tmp_path / "zones" / "example.com.yaml").read_text()
    assert f'\ndkim:\n  s1: "v=DKIM1;k=ed25519;p={p}"\n' in text
    assert "DKIM at s1._domainkey: dkim: as written (the raw form: the mapping would publish" in out
    assert (
        '  "s2._domainkey":\n    # dkim kept as written: it does not parse (k=bogus is not'
    ) in text
    assert "DKIM at s2._domainkey: kept as written under records:" in out
    assert "# mta_sts kept as written: its id= comes from the policy file, which a DNS" in text
    assert '{type: TXT, value: "v=STSv1\\\\; id=20240101"}' in text
    assert "# null MX kept as written: its TTL 300 is not the zone's 3600" in text
    assert "mx:" not in text
    assert canonical(compiled_records("example.com.", text)) == live_canonical(source) - {
        r for r in live_canonical(source) if r[1] in ("SOA", "NS") and r[0] == ""
    }


def test_a_refused_txt_rrset_says_which_policy_it_takes_with_it(tmp_path: Path) -> None:
    """octoDNS refuses a TXT rrset whole when one value is not ASCII; the apex SPF beside it
    was dropped with a note that did not say so (#8, found by the red-team pass)."""
    source = tmp_path / "example.com.db"
    source.write_text(
        HEADER
        + '@ IN TXT "v=spf1 ip4:192.0.2.0/24 -all"\n'
        + '@ IN TXT "caf\\195\\169 verification"\n'
        + '_dmarc IN TXT "v=DMARC1; p=reject" "\\255"\n'
    )
    code, out, err = run(
        "import", "example.com", "--from", "bind", "--source", str(source),
        "--out", str(tmp_path / "zones"),
    )  # fmt: skip
    assert (code, err) == (0, ""), out
    assert (
        'not imported: @ TXT: octoDNS refuses it: non ASCII character in "café verification"'
    ) in out
    assert "; the rrset holds SPF 'v=spf1 ip4:192.0.2.0/24 -all', not imported with it" in out
    assert "_dmarc TXT: octoDNS refuses it" in out and "the rrset holds DMARC 'v=DMARC1" in out
    text = (tmp_path / "zones" / "example.com.yaml").read_text()
    assert "the rrset holds SPF 'v=spf1 ip4:192.0.2.0/24 -all'" in text  # in the spec too
    assert "\nspf:" not in text
