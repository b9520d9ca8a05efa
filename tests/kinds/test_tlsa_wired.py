"""tlsa: through load, compile, `dnsspec tlsa` (against openssl) and plan."""

from __future__ import annotations

import datetime
import hashlib
import subprocess
from pathlib import Path

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.compile import compile_zone, to_zone_file
from dnsspec.errors import SpecError
from dnsspec.spec.load import load_zone

A = "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _certificate(tmp: Path) -> tuple[Path, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mx1.example.com")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("mx1.example.com")]), False)
        .sign(key, hashes.SHA256())
    )
    path = tmp / "certs" / "mx1.pem"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp / "mx1.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return path, spki


def _spec(tmp: Path, body: str) -> Path:
    (tmp / "zones").mkdir(exist_ok=True)
    file = tmp / "zones" / "example.com.yaml"
    file.write_text(
        'spf: none\nrecords:\n  "": {type: MX, value: {preference: 10, exchange: mx1.example.com.}}'
        + "\n"
        + body
    )
    return file


def test_cert_and_data_entries_compile_to_one_tlsa_rrset(tmp_path: Path) -> None:
    _, spki = _certificate(tmp_path)
    digest = hashlib.sha256(spki).hexdigest()
    file = _spec(
        tmp_path,
        "subdomains:\n  mx1:\n    tlsa:\n"
        f"      - {{usage: 3, selector: 1, matching: 1, data: {A.upper()}}}\n"
        "      - {usage: 3, selector: 1, matching: 1, cert: certs/mx1.pem}\n"
        "      - {usage: 3, selector: 1, matching: 2, cert: certs/mx1.pem, port: 465}\n",
    )
    zone = to_zone_file(compile_zone(load_zone(file)))
    assert f"_25._tcp.mx1 3600 IN TLSA 3 1 1 {A}\n" in zone
    assert f"_25._tcp.mx1 3600 IN TLSA 3 1 1 {digest}\n" in zone
    assert f"_465._tcp.mx1 3600 IN TLSA 3 1 2 {hashlib.sha512(spki).hexdigest()}\n" in zone


@pytest.mark.parametrize(
    ("entry", "col", "fragment"),
    [
        ("{usage: 4, selector: 1, matching: 1, data: " + A + "}", 16, "usage"),
        ("{usage: 3, selector: 1, matching: 0, data: " + A + "}", 44, "AXFR"),
        ("{usage: 3, selector: 1, matching: 1, data: abc}", 50, "hex"),
        ("{usage: 3, selector: 1, matching: 1, cert: certs/none.pem}", 50, "no such file"),
        ("{usage: 3, selector: 1, matching: 1, cert: mx1.key}", 50, "private key"),
    ],
)
def test_bad_entries_are_located(tmp_path: Path, entry: str, col: int, fragment: str) -> None:
    _certificate(tmp_path)
    file = _spec(tmp_path, f"subdomains:\n  mx1:\n    tlsa:\n      - {entry}\n")
    with pytest.raises(SpecError) as caught:
        load_zone(file)
    found = [(p.location.line, p.location.col, p.message) for p in caught.value.problems]
    assert len(found) == 1 and found[0][0] == 7, found
    assert fragment in found[0][2] + str(caught.value.problems[0].hint), found
    assert "PRIVATE" not in found[0][2]


def test_dnsspec_tlsa_gives_the_digest_openssl_gives(tmp_path: Path) -> None:
    cert, _ = _certificate(tmp_path)
    pubkey = subprocess.run(
        ["openssl", "x509", "-in", str(cert), "-pubkey", "-noout"], capture_output=True, check=True
    ).stdout
    der = subprocess.run(
        ["openssl", "pkey", "-pubin", "-outform", "DER"],
        input=pubkey,
        capture_output=True,
        check=True,
    ).stdout
    expected = hashlib.sha256(der).hexdigest()
    code, out, err = _run("tlsa", str(cert))
    assert (code, err) == (0, "")
    assert f"- {{usage: 3, selector: 1, matching: 1, data: {expected}}}\n" in out
    assert f"_25._tcp.mx1.example.com. IN TLSA 3 1 1 {expected}\n" in out
    code, _, err = _run("tlsa", str(tmp_path / "mx1.key"))
    assert code == 2 and "private key" in err and "BEGIN" not in err


CONFIG = """\
providers:
  spec: {class: dnsspec.octodns.SpecSource, directory: ./zones}
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


def test_plan_lists_tlsa_records_in_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _certificate(tmp_path)
    _spec(
        tmp_path,
        "subdomains:\n  mx1:\n    tlsa:\n"
        f"      - {{usage: 3, selector: 1, matching: 1, data: {A}}}\n"
        "      - {usage: 3, selector: 1, matching: 1, cert: certs/mx1.pem}\n",
    )
    (tmp_path / "providers.yaml").write_text(CONFIG)
    (tmp_path / ".dnsspec-live").mkdir()
    foreign = {"_443._tcp.www": {"type": "TLSA", "value": {
        "certificate_usage": 3, "selector": 1, "matching_type": 1,
        "certificate_association_data": A}}}  # fmt: skip
    (tmp_path / ".dnsspec-live" / "example.com.yaml").write_text(yaml.safe_dump(foreign))
    code, out, err = _run("plan")
    assert (code, err) == (0, "")
    assert f"_25._tcp.mx1.example.com.: + 3 1 1 {A[:16]}…" in out
    assert _run("apply", "--yes")[0] == 0
    state = yaml.safe_load((tmp_path / ".dnsspec-live" / "example.com.yaml").read_text())
    assert "_443._tcp.www" in state  # foreign TLSA at another name stays
    assert _run("plan", "--exit-code")[0] == 0
