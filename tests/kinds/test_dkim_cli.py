"""dnsspec dkim keygen / show, and a keygen'd key verified by dkimpy against the compiled record.

The record is compiled from the spec `keygen --write` edited, rendered as zone-file
character-strings, and served by the fixture DNS server on 127.0.0.1.
"""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import dkim
import pytest
from dnsserver import StartServer
from test_dkim_verify import MESSAGE, _dkimpy_private_key, _dnsfunc
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.compile import compile_zone
from dnsspec.dkim.keygen import KeyPair
from dnsspec.records import split_character_strings
from dnsspec.spec.load import load_zone

SPEC = "# the example's spec\nspf: none   # no mail\nrecords:\n  www: {type: A, value: 192.0.2.1}\n"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "example.com.yaml").write_text(SPEC)
    (tmp_path / "secret").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("key_type", "bits", "algorithm"),
    [
        ("ed25519", 256, b"ed25519-sha256"),
        ("rsa", 2048, b"rsa-sha256"),
        ("rsa", 4096, b"rsa-sha256"),
    ],
)
def test_keygen_write_compiles_to_a_record_dkimpy_verifies(
    project: Path, dns_server: StartServer, key_type: str, bits: int, algorithm: bytes
) -> None:
    code, out, err = _run(
        "dkim", "keygen", "example.com", "s2026", "--type", key_type, "--bits", str(bits),
        "--private-key", "secret/s2026.key", "--write",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    private = project / "secret" / "s2026.key"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert "s2026._domainkey.example.com. IN TXT" in out and "PRIVATE" not in out
    spec = (project / "zones" / "example.com.yaml").read_text()
    assert spec.startswith(SPEC)  # the rest of the file as it was, comments included
    records = compile_zone(load_zone(project / "zones" / "example.com.yaml"))
    (record,) = [r for r in records if r.name == "s2026._domainkey"]
    chunks = split_character_strings(record.values[0])
    assert all(len(c.encode()) <= 255 for c in chunks)
    assert len(chunks) >= {256: 1, 2048: 2, 4096: 3}[bits]  # the 4096-bit record: 3+ strings
    server = dns_server({"s2026._domainkey.example.com": [("TXT", chunks)]})
    pair = KeyPair(key_type, bits, private.read_bytes(), b"", b"")  # type: ignore[arg-type]
    signature = dkim.sign(
        MESSAGE, b"s2026", b"example.com", _dkimpy_private_key(pair),
        signature_algorithm=algorithm, include_headers=[b"from", b"to", b"subject"],
    )  # fmt: skip
    assert dkim.verify(signature + MESSAGE, dnsfunc=_dnsfunc(server))
    assert not dkim.verify(signature + MESSAGE.replace(b"Hello.", b"Hi."), dnsfunc=_dnsfunc(server))
    code, out, _ = _run("dkim", "show", "example.com", "s2026")
    assert code == 0
    assert out.startswith(f"s2026._domainkey.example.com. {key_type}")


def test_keygen_refuses_unsafe_private_key_paths(project: Path, tmp_path: Path) -> None:
    code, _, err = _run("dkim", "keygen", "example.com", "s1", "--private-key", "zones/s1.key")
    assert code == 2 and "inside zones" in err
    (project / "secret" / "old.key").write_text("old")
    code, _, err = _run("dkim", "keygen", "example.com", "s1", "--private-key", "secret/old.key")
    assert code == 2 and "never overwrites" in err
    assert (project / "secret" / "old.key").read_text() == "old"
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    code, _, err = _run("dkim", "keygen", "example.com", "s1", "--private-key", "secret/s1.key")
    assert code == 2 and "git would track" in err
    key = str(tmp_path / "x.key")
    code, _, err = _run("dkim", "keygen", "example.com", "bad_sel", "--private-key", key)
    assert code == 2 and "selector" in err and "'_'" in err
    assert not (tmp_path / "x.key").exists()
    assert not (project / "keys").exists()
    assert (project / "zones" / "example.com.yaml").read_text() == SPEC


def test_show_without_selectors_fails(project: Path) -> None:
    code, _, err = _run("dkim", "show", "example.com")
    assert code == 2 and "no DKIM selector" in err


def test_show_live_says_what_dns_serves_for_each_selector(
    project: Path, dns_server: StartServer
) -> None:
    """``dkim show --live``: whether the revocation (or a rotation) has reached DNS (#11)."""
    ours = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
    other = "cPo1a5NfkhhNIc4bTeJxtx4JoL+P6+zx/qmtwKoSdr8="
    (project / "zones" / "example.com.yaml").write_text(
        SPEC
        + "dkim:\n"
        + f"  same: {{key_type: ed25519, public_key: {ours}}}\n"
        + f"  rotated: {{key_type: ed25519, public_key: {ours}}}\n"
        + "  gone: {revoked: true}\n"
        + f"  stale: {{key_type: ed25519, public_key: {ours}}}\n"
        + f"  absent: {{key_type: ed25519, public_key: {ours}}}\n"
        + f"  junk: {{key_type: ed25519, public_key: {ours}}}\n"
    )
    server = dns_server(
        {
            "same._domainkey.example.com": [("TXT", [f"v=DKIM1; k=ed25519; p={ours}"])],
            "rotated._domainkey.example.com": [("TXT", [f"v=DKIM1; k=ed25519; p={other}"])],
            "gone._domainkey.example.com": [("TXT", ["v=DKIM1; p="])],
            "stale._domainkey.example.com": [("TXT", ["v=DKIM1; p="])],
            "junk._domainkey.example.com": [("TXT", ["v=DKIM1; k=ed25519; p=\x1b[2J"])],
        }
    )
    code, out, err = _run("dkim", "show", "example.com", "--live", "--nameserver", server.address)
    assert (code, err) == (0, ""), out
    lives: dict[str, str] = {}
    for line in out.splitlines():  # "<sel>._domainkey.example.com. …", "  TXT …", "  live: …"
        if "._domainkey.example.com. " in line and not line.startswith(" "):
            current = line.split("._domainkey")[0]
        elif line.startswith("  live: "):
            lives[current] = line.removeprefix("  live: ")
    assert lives["same"] == "this key (ed25519), not revoked"
    assert lives["rotated"].startswith("another key (ed25519 (key sha256 ")
    assert lives["gone"].startswith("revoked (p= is empty")
    assert lives["stale"].startswith("revoked")  # the spec still has a key: rotation went wrong
    assert lives["absent"] == "not published (no TXT record at this name)"
    assert lives["junk"].startswith("an unreadable DKIM record (") and "\x1b" not in out


def test_show_live_that_cannot_ask_dns_exits_3(project: Path, dns_server: StartServer) -> None:
    (project / "zones" / "example.com.yaml").write_text(SPEC + "dkim:\n  gone: {revoked: true}\n")
    server = dns_server({}, timeout_prefixes=["gone._domainkey"])
    code, out, _ = _run(
        "dkim", "show", "example.com", "--live", "--nameserver", server.address,
        "--timeout", "0.2",
    )  # fmt: skip
    assert code == 3
    assert "gone._domainkey.example.com. revoked\n" in out and "  live: unknown: " in out


def test_the_documented_live_show_is_what_it_prints(project: Path, dns_server: StartServer) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "spec-language.md").read_text()
    block = doc.split("$ dnsspec dkim show example.com s2024 --live\n", 1)[1].split("```", 1)[0]
    (project / "zones" / "example.com.yaml").write_text(SPEC + "dkim:\n  s2024: {revoked: true}\n")
    server = dns_server({"s2024._domainkey.example.com": [("TXT", ["v=DKIM1; p="])]})
    code, out, _ = _run(
        "dkim", "show", "example.com", "s2024", "--live", "--nameserver", server.address
    )
    assert (code, out) == (0, block)
