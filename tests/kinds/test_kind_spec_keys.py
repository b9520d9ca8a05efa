"""The dkim:, tlsa: and mta_sts: spec values: keys and certificates read once, errors located."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from kind_specs import problems, valid
from test_tlsa_digest import make_certificate

from dnsspec.dkim.keygen import generate
from dnsspec.dkim.syntax import parse as parse_dkim
from dnsspec.mta_sts.policy import parse as parse_policy
from dnsspec.mta_sts.policy import policy_id
from dnsspec.spec.kinds.dkim import site_value as dkim_value
from dnsspec.spec.kinds.mta_sts import site_value as mta_sts_value
from dnsspec.spec.kinds.tlsa import site_value as tlsa_value
from dnsspec.tlsa.digest import association_data
from dnsspec.tlsa.syntax import Tlsa

ED = ed25519.Ed25519PrivateKey.generate()
ED_RAW = base64.b64encode(
    ED.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
).decode()
ED_SPKI = base64.b64encode(
    ED.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
).decode()
DIGEST = "8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1"
RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
RSA_PRIVATE_PEM = RSA.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "keys").mkdir()
    pair = generate("rsa", 2048)
    (tmp_path / "keys" / "s2026.pub").write_bytes(pair.public_pem)
    (tmp_path / "keys" / "leaked.pem").write_bytes(RSA_PRIVATE_PEM)
    (tmp_path / "certs").mkdir()
    cert = make_certificate(ec.generate_private_key(ec.SECP256R1()))
    (tmp_path / "certs" / "mx1.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "certs" / "privkey.pem").write_bytes(RSA_PRIVATE_PEM)
    return tmp_path


def test_dkim_selectors_of_every_kind(root: Path) -> None:
    names = valid(
        f"""\
dkim:
  s2026: {{key_type: rsa, public_key_file: keys/s2026.pub, testing: true}}
  ed2026: {{key_type: ed25519, public_key: {ED_RAW}, hashes: [sha256], notes: "rotated; 2026"}}
  sendgrid: {{cname: s1.domainkey.u1234.wl.sendgrid.net.}}
  s2024: {{revoked: true}}
  legacy: "v=DKIM1;k=ed25519;p={ED_RAW}"
""",
        root,
    )
    assert names.dkim is not None
    value = dkim_value(names.dkim)
    by = {s.selector: s for s in value.selectors}
    assert [s.selector for s in value.selectors] == [
        "s2026",
        "ed2026",
        "sendgrid",
        "s2024",
        "legacy",
    ]
    assert by["s2026"].facts is not None and by["s2026"].facts.bits == 2048
    assert by["s2026"].text is not None and by["s2026"].text.startswith(
        "v=DKIM1; k=rsa; t=y; p=MII"
    )
    assert by["ed2026"].text == f"v=DKIM1; k=ed25519; h=sha256; n=rotated=3B 2026; p={ED_RAW}"
    assert (by["sendgrid"].form, by["sendgrid"].cname) == (
        "cname",
        "s1.domainkey.u1234.wl.sendgrid.net.",
    )
    assert (by["s2024"].form, by["s2024"].text) == ("revoked", "v=DKIM1; p=")
    assert by["legacy"].text == f"v=DKIM1;k=ed25519;p={ED_RAW}"  # byte for byte
    assert by["legacy"].record == parse_dkim(f"v=DKIM1; k=ed25519; p={ED_RAW}")


def _one(text: str, root: Path) -> tuple[int, int, str, str | None]:
    found = problems(text, root)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("dkim: {s1: {public_key_file: keys/missing.pub}}\n", 1, 30, "no such file"),
        ("dkim: {s1: {revoked: true, public_key_file: keys/s2026.pub}}\n", 1, 12, "exactly one of"),
        (
            "dkim: {s1: {cname: x.example.net., key_type: ed25519, public_key: " + ED_RAW + "}}\n",
            1,
            12,
            "exactly one of",
        ),
        ("dkim: {s1: {cname: x.example.net., testing: true}}\n", 1, 12, "do not apply"),
        ("dkim: {s1: {key_type: dsa, revoked: true}}\n", 1, 23, "expected 'rsa' or 'ed25519'"),
        ("dkim: {s_1!: {revoked: true}}\n", 1, 8, "invalid DKIM selector"),
        ('dkim: {s1: "v=DKIM1; k=rsa"}\n', 1, 13, "no p="),
        ("dkim: {s1: {key_type: ed25519, public_key: " + ED_SPKI + "}}\n", 1, 44, "RFC 8463"),
        ("dkim: {s1: {public_key: 'abc!'}}\n", 1, 25, "not base64"),
        ("dkim: {}\n", 1, 7, "no selectors given"),
        ("dkim:\n", 1, 6, "no value given"),
    ],
)
def test_dkim_bad_input_is_located(
    root: Path, text: str, line: int, col: int, message: str
) -> None:
    got_line, got_col, got_message, _ = _one(text, root)
    assert message in got_message, got_message
    assert (got_line, got_col) == (line, col), got_message


def test_dkim_ed25519_spki_hint_is_the_raw_key(root: Path) -> None:
    _, _, _, hint = _one("dkim: {s1: {key_type: ed25519, public_key: " + ED_SPKI + "}}\n", root)
    assert hint == f"write the raw key: p={ED_RAW}"


def _secret_pieces() -> list[str]:
    body = "".join(
        line for line in RSA_PRIVATE_PEM.decode().splitlines() if "PRIVATE KEY" not in line
    )
    return [body[i : i + 12] for i in range(0, len(body) - 12, 6)]


@pytest.mark.parametrize(
    "text",
    [
        "dkim: {s1: {public_key_file: keys/leaked.pem}}\n",
        "dkim: {s1: {public_key: "
        + base64.b64encode(
            RSA.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ).decode()
        + "}}\n",
        "tlsa: [{usage: 3, selector: 1, matching: 1, cert: certs/privkey.pem}]\n",
    ],
    ids=["dkim-file", "dkim-inline", "tlsa-cert"],
)
def test_private_keys_are_refused_and_never_echoed(root: Path, text: str) -> None:
    _, _, message, hint = _one(text, root)
    assert "private key" in message
    shown = f"{message} {hint}"
    assert not [piece for piece in _secret_pieces() if piece in shown]


def test_tlsa_from_data_and_cert(root: Path) -> None:
    digest = DIGEST
    names = valid(
        f"""\
tlsa:
  - {{usage: 3, selector: 1, matching: 1, data: {digest.upper()}}}
  - {{usage: 3, selector: 1, matching: 1, cert: certs/mx1.pem}}
  - {{usage: 3, selector: 1, matching: 2, cert: certs/mx1.pem, port: 465}}
""",
        root,
    )
    assert names.tlsa is not None
    value = tlsa_value(names.tlsa)
    from dnsspec.tlsa.digest import load_certificate_or_public_key

    cert = load_certificate_or_public_key(root / "certs" / "mx1.pem")
    smtp, submissions = value.services
    assert smtp.owner("mx1") == "_25._tcp.mx1"
    assert smtp.records == (
        Tlsa(3, 1, 1, digest),
        Tlsa(3, 1, 1, association_data(cert, 1, 1).hex()),
    )
    assert submissions.owner("mx1") == "_465._tcp.mx1"
    assert submissions.records == (Tlsa(3, 1, 2, association_data(cert, 1, 2).hex()),)


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        (f"tlsa: [{{usage: 4, selector: 1, matching: 1, data: {DIGEST}}}]\n", 1, 16, "usage 4 is"),
        ("tlsa: [{usage: 3, selector: 1, matching: 0, data: ab}]\n", 1, 42, "matching type 0"),
        ("tlsa: [{usage: 3, selector: 1, matching: 1, data: ab}]\n", 1, 51, "needs exactly 64"),
        ("tlsa: [{usage: 3, selector: 1, matching: 1, data: zz}]\n", 1, 51, "hexadecimal"),
        ("tlsa: [{usage: 3, selector: 1, matching: 1}]\n", 1, 8, "exactly one of data"),
        ("tlsa: [{usage: 3, selector: 1, matching: 1, cert: certs/none.pem}]\n", 1, 51, "no such"),
        (f"tlsa: [{{usage: '3', selector: 1, matching: 1, data: {DIGEST}}}]\n", 1, 16, "integer"),
        (
            f"tlsa: [{{usage: 3, selector: 1, matching: 1, data: {DIGEST}}},"
            f" {{usage: 3, selector: 1, matching: 1, data: {DIGEST}}}]\n",
            1,
            7,
            "entries 0 and 1 are the same TLSA record",
        ),
        ("tlsa: []\n", 1, 7, "at least 1"),
    ],
)
def test_tlsa_bad_input_is_located(
    root: Path, text: str, line: int, col: int, message: str
) -> None:
    got_line, got_col, got_message, hint = _one(text, root)
    assert message in got_message, got_message
    assert (got_line, got_col) == (line, col), got_message
    if "matching type 0" in message:
        assert hint is not None and "AXFR" in hint


def test_tlsa_selector_0_needs_a_certificate(root: Path) -> None:
    public = RSA.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (root / "certs" / "key.pub").write_bytes(public)
    _, _, message, _ = _one(
        "tlsa: [{usage: 3, selector: 0, matching: 1, cert: certs/key.pub}]\n", root
    )
    assert "selector 0 hashes a whole certificate" in message


def test_mta_sts_value_policy_and_record() -> None:
    names = valid("mta_sts: {mode: enforce, mx: [mx1.example.com, '*.mx.example.net']}\n")
    assert names.mta_sts is not None
    value = mta_sts_value(names.mta_sts)
    data = value.policy_file()
    assert parse_policy(data).mx == ("mx1.example.com", "*.mx.example.net")
    assert value.record_text() == f"v=STSv1; id={policy_id(data)}"
    default = mta_sts_value(valid("mta_sts: {mode: testing}\n").mta_sts)  # type: ignore[arg-type]
    assert default.policy(["mx1.example.com."]).mx == ("mx1.example.com",)
    assert default.record_text(["mx1.example.com."]) != default.record_text(["mx2.example.com."])


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("mta_sts: {mode: strict}\n", 1, 17, "expected 'enforce', 'testing' or 'none'"),
        ("mta_sts: {mode: enforce, max_age: 1w}\n", 1, 35, "expected an integer"),
        ("mta_sts: {mode: enforce, max_age: 31557601}\n", 1, 35, "out of range"),
        ("mta_sts: {mode: enforce, mx: [mail.*.example.com]}\n", 1, 31, "leftmost label"),
        ("mta_sts: {mode: enforce, id: abc}\n", 1, 26, "unknown key 'id'"),
    ],
)
def test_mta_sts_bad_input_is_located(line: int, col: int, text: str, message: str) -> None:
    found = problems(text)
    assert len(found) == 1, found
    got_line, got_col, got_message, _ = found[0]
    assert message in got_message, got_message
    assert (got_line, got_col) == (line, col), got_message
