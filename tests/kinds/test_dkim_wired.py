"""dkim: through the whole pipeline: load, compile, lint (code, line, col), plan and apply."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.compile import compile_zone, to_zone_file
from dnsspec.dkim.keygen import generate
from dnsspec.dkim.syntax import render
from dnsspec.errors import SpecError
from dnsspec.lint import run_lint
from dnsspec.spec.load import load_zone

ED = generate("ed25519")
ED_P = base64.b64encode(ED.public_key).decode()
RSA = generate("rsa", 2048)
RSA_P = base64.b64encode(RSA.public_key).decode()


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "zones").mkdir(exist_ok=True)
    (tmp_path / "keys").mkdir(exist_ok=True)
    (tmp_path / "keys" / "s2026.pub").write_bytes(RSA.public_pem)
    file = tmp_path / "zones" / "example.com.yaml"
    file.write_text(text)
    return file


def test_every_selector_form_compiles_exactly(tmp_path: Path) -> None:
    raw = f"v=DKIM1;k=ed25519;  p={ED_P}"
    file = _write(
        tmp_path,
        f"""\
dkim:
  s2026: {{public_key_file: keys/s2026.pub, hashes: [sha256]}}
  ed2026: {{key_type: ed25519, public_key: {ED_P}}}
  sendgrid: {{cname: s1.domainkey.u1234.wl.sendgrid.net.}}
  s2024: {{revoked: true}}
  legacy: "{raw}"
subdomains:
  news:
    dkim:
      mg: {{cname: mg.mailgun.org}}
""",
    )
    records = compile_zone(load_zone(file))
    by_name = {(r.name, r.type): r.values for r in records}
    assert by_name == {
        ("s2026._domainkey", "TXT"): (f"v=DKIM1; k=rsa; h=sha256; p={RSA_P}",),
        ("ed2026._domainkey", "TXT"): (f"v=DKIM1; k=ed25519; p={ED_P}",),
        ("sendgrid._domainkey", "CNAME"): ("s1.domainkey.u1234.wl.sendgrid.net.",),
        ("s2024._domainkey", "TXT"): ("v=DKIM1; p=",),
        ("legacy._domainkey", "TXT"): (raw,),  # byte for byte
        ("mg._domainkey.news", "CNAME"): ("mg.mailgun.org.",),
    }
    assert all(r.origin == "dkim" for r in records)
    zone_file = to_zone_file(records)
    line = next(x for x in zone_file.splitlines() if x.startswith("s2026._domainkey"))
    strings = line.split(" IN TXT ", 1)[1].split('" "')
    assert len(strings) >= 2  # a 2048-bit key's record is over 255 bytes: split
    assert "".join(s.strip('"') for s in strings) == by_name[("s2026._domainkey", "TXT")][0]
    assert all(len(s.strip('"')) <= 255 for s in strings)


@pytest.mark.parametrize(
    ("body", "line", "col", "fragment"),
    [
        ("dkim:\n  s1: {public_key_file: keys/none.pub}\n", 2, 25, "no such file"),
        ("dkim:\n  s1: {revoked: true, public_key_file: keys/s2026.pub}\n", 2, 7, "exactly one"),
        ("dkim:\n  bad_sel!: {revoked: true}\n", 2, 3, "invalid DKIM selector"),
        ("dkim:\n  s1: {key_type: dsa, revoked: true}\n", 2, 18, "rsa"),
        ('dkim:\n  s1: "v=DKIM1; k=rsa"\n', 2, 8, "p="),
    ],
)
def test_bad_selectors_are_located(
    tmp_path: Path, body: str, line: int, col: int, fragment: str
) -> None:
    file = _write(tmp_path, body)
    with pytest.raises(SpecError) as caught:
        load_zone(file)
    found = [(p.location.line, p.location.col, p.message) for p in caught.value.problems]
    assert len(found) == 1, found
    assert found[0][:2] == (line, col), found
    assert fragment in found[0][2]


def test_a_private_key_file_is_refused_unechoed(tmp_path: Path) -> None:
    file = _write(tmp_path, "dkim:\n  s1: {public_key_file: keys/s1.key}\n")
    (tmp_path / "keys" / "s1.key").write_bytes(RSA.private_pem)
    with pytest.raises(SpecError) as caught:
        load_zone(file)
    text = " ".join(f"{p.message} {p.hint}" for p in caught.value.problems)
    assert "private key" in text
    assert RSA.private_pem.decode().splitlines()[1] not in text


def _findings(tmp_path: Path, text: str) -> list[tuple[str, int, int]]:
    file = _write(tmp_path, text)
    return [(f.code, f.location.line, f.location.col) for f in run_lint([load_zone(file)])]


def test_dkim_rules_report_code_line_and_col(tmp_path: Path) -> None:
    small = base64.b64encode(generate("rsa", 1024).public_key).decode()
    text = f"""\
spf: none
dkim:
  s2026: {{public_key_file: keys/s2026.pub, testing: true}}
  copy: {{public_key_file: keys/s2026.pub}}
  old: "v=DKIM1; k=rsa; h=sha1; p={small}"
  ok: {{key_type: ed25519, public_key: {ED_P}}}
records:
  ok._domainkey: {{type: TXT, value: 'v=DKIM1\\; k=ed25519\\; p={ED_P}'}}
"""
    found = [f for f in _findings(tmp_path, text) if f[0].startswith("DKIM")]
    assert sorted(found) == [
        ("DKIM102", 5, 8),
        ("DKIM103", 3, 10),
        ("DKIM104", 5, 8),
        ("DKIM105", 4, 9),
        ("DKIM106", 8, 37),
    ]


def test_a_key_under_1024_bits_is_an_error(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    # cryptography makes no key under 1024 bits; a 768-bit modulus is enough for lint
    key = rsa.RSAPublicNumbers(65537, (1 << 767) | 0x1F).public_key()
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    p = base64.b64encode(der).decode()
    found = _findings(tmp_path, f'spf: none\ndkim:\n  weak: "v=DKIM1; p={p}"\n')
    assert ("DKIM101", 3, 9) in found
    assert not any(code == "DKIM102" for code, _, _ in found)


CONFIG = """\
providers:
  spec:
    class: dnsspec.octodns.SpecSource
    directory: ./zones
  live:
    class: octodns.provider.yaml.YamlProvider
    directory: ./.dnsspec-live
    default_ttl: 3600
    enforce_order: false
    escaped_semicolons: false
    root_ns_warnings: false
zones:
  example.com.:
    sources: [spec]
    targets: [live]
"""


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_plan_names_selectors_in_words_and_keeps_foreign_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(
        tmp_path,
        f"spf: none\ndkim:\n  s2026: {{public_key_file: keys/s2026.pub}}\n"
        f"  ed2026: {{key_type: ed25519, public_key: {ED_P}}}\n  s2024: {{revoked: true}}\n",
    )
    (tmp_path / "providers.yaml").write_text(CONFIG)
    (tmp_path / ".dnsspec-live").mkdir()
    old = render(generate("rsa", 1024).record())
    live = {
        "s2024._domainkey": {"type": "TXT", "value": old},
        "google._domainkey": {"type": "TXT", "value": f"v=DKIM1; k=rsa; p={RSA_P}"},
    }
    (tmp_path / ".dnsspec-live" / "example.com.yaml").write_text(yaml.safe_dump(live))
    code, out, err = _run("plan")
    assert (code, err) == (0, "")
    assert "s2026._domainkey.example.com. added (rsa 2048)" in out
    assert "ed2026._domainkey.example.com. added (ed25519 256)" in out
    assert "s2024._domainkey.example.com. revoked (was rsa 1024)" in out
    assert RSA_P not in out.split("DKIM:", 1)[1]  # the section never shows a key
    code, out, _ = _run("plan", "--format", "json")
    assert code == 0 and '"what": "revoked"' in out
    assert _run("apply", "--yes")[0] == 0
    state = yaml.safe_load((tmp_path / ".dnsspec-live" / "example.com.yaml").read_text())
    assert "google._domainkey" in state  # a selector no spec writes stays
    assert _run("plan", "--exit-code")[0] == 0
