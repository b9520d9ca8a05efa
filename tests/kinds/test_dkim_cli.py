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
