"""DKIM selectors published to a real BIND 9: a 2048-bit key as several strings (issue 11)."""

from __future__ import annotations

from pathlib import Path

import dkim
import dns.message
import dns.query
import dns.rdatatype
import pytest
from bind import BindServer, StartBind, soa_zone_file
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.dkim.keygen import generate, write_public_key
from dnsspec.dkim.syntax import render

pytestmark = pytest.mark.integration

ZONE = "example.com."
SECRET_VAR = "DNSSPEC_TEST_TSIG_SECRET"
MESSAGE = b"From: a@example.com\r\nTo: b@example.net\r\nSubject: s\r\n\r\nbody\r\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _strings(server: BindServer, name: str) -> list[list[bytes]]:
    response = dns.query.tcp(dns.message.make_query(name, "TXT"), "127.0.0.1", port=server.port)
    return [list(r.strings) for rrset in response.answer for r in rrset]


def test_a_2048_bit_selector_is_served_as_several_strings_and_verifies(
    bind_server: StartBind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    foreign = render(generate("ed25519").record())
    server = bind_server({ZONE: soa_zone_file(ZONE, f'other._domainkey IN TXT "{foreign}"\n')})
    monkeypatch.setenv(SECRET_VAR, server.key_secret)
    monkeypatch.chdir(tmp_path)
    pair = generate("rsa", 2048)
    (tmp_path / "keys").mkdir()
    write_public_key(tmp_path / "keys" / "s2026.pub", pair.public_pem)
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / f"{ZONE}yaml").write_text(
        "ttl: 300\nspf: none\ndkim:\n  s2026: {public_key_file: keys/s2026.pub}\n"
        "  esp: {cname: s1.esp.example.net.}\n"
    )
    (tmp_path / "providers.yaml").write_text(
        "providers:\n"
        "  spec: {class: dnsspec.octodns.SpecSource, directory: ./zones}\n"
        "  bind:\n"
        "    class: octodns_bind.Rfc2136Provider\n"
        f"    host: 127.0.0.1\n    port: {server.port}\n    timeout: 5\n"
        f"    key_name: {server.key_name}\n    key_secret: env/{SECRET_VAR}\n"
        f"    key_algorithm: {server.key_algorithm}\n"
        f"zones:\n  {ZONE}:\n    sources: [spec]\n    targets: [bind]\n"
    )
    code, out, err = run("plan")
    assert (code, err) == (0, ""), err
    assert "s2026._domainkey.example.com. added (rsa 2048)" in out
    assert run("apply", "--yes")[0] == 0

    (strings,) = _strings(server, f"s2026._domainkey.{ZONE}")
    assert len(strings) >= 2 and all(len(s) <= 255 for s in strings)
    assert b"".join(strings).decode() == render(pair.record())
    assert server.query(f"esp._domainkey.{ZONE}", "CNAME") == ["s1.esp.example.net."]
    assert server.txt(f"other._domainkey.{ZONE}") == [foreign.encode()]  # foreign stays

    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(pair.private_pem, password=None)
    pkcs1 = key.private_bytes(  # type: ignore[union-attr]
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    signature = dkim.sign(MESSAGE, b"s2026", b"example.com", pkcs1)

    def dnsfunc(name: bytes, timeout: float = 5) -> bytes | None:
        found = _strings(server, name.decode())
        return b"".join(found[0]) if found else None

    assert dkim.verify(signature + MESSAGE, dnsfunc=dnsfunc)
    assert run("plan", "--exit-code")[0] == 0  # read back: no change


def test_a_selector_taken_out_of_the_spec_goes_but_a_foreign_one_stays(
    bind_server: StartBind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Publish s1 and s2; a foreign selector is added by RFC 2136 behind dnsspec's back;
    s2 leaves the spec (`s2: unset`): apply deletes s2 (its marker lists it), not the other."""
    import dns.query
    import dns.tsigkeyring
    import dns.update

    server = bind_server({ZONE: soa_zone_file(ZONE, "")})
    monkeypatch.setenv(SECRET_VAR, server.key_secret)
    monkeypatch.chdir(tmp_path)
    one, two = (render(generate("ed25519").record()) for _ in range(2))
    (tmp_path / "zones").mkdir()
    spec = tmp_path / "zones" / f"{ZONE}yaml"
    spec.write_text(f'ttl: 300\nspf: none\ndkim:\n  s1: "{one}"\n  s2: "{two}"\n')
    (tmp_path / "providers.yaml").write_text(
        "providers:\n"
        "  spec: {class: dnsspec.octodns.SpecSource, directory: ./zones}\n"
        "  bind:\n"
        "    class: octodns_bind.Rfc2136Provider\n"
        f"    host: 127.0.0.1\n    port: {server.port}\n    timeout: 5\n"
        f"    key_name: {server.key_name}\n    key_secret: env/{SECRET_VAR}\n"
        f"    key_algorithm: {server.key_algorithm}\n"
        f"zones:\n  {ZONE}:\n    sources: [spec]\n    targets: [bind]\n"
    )
    assert run("apply", "--yes")[0] == 0
    assert server.txt(f"_dnsspec._domainkey.{ZONE}") == [b"v=dnsspec1 selectors=s1 s2"]

    foreign = render(generate("ed25519").record())
    update = dns.update.UpdateMessage(
        ZONE, keyring=server.keyring(), keyalgorithm=server.key_algorithm
    )
    update.add(f"esp._domainkey.{ZONE}", 300, "TXT", f'"{foreign}"')
    dns.query.tcp(update, "127.0.0.1", port=server.port, timeout=5)
    assert server.txt(f"esp._domainkey.{ZONE}") == [foreign.encode()]

    spec.write_text(f'ttl: 300\nspf: none\ndkim:\n  s1: "{one}"\n  s2: unset\n')
    code, out, err = run("plan")
    assert (code, err) == (0, ""), err
    assert "s2._domainkey.example.com. removed (was ed25519 256)" in out
    assert "esp._domainkey" not in out
    assert run("apply", "--yes")[0] == 0
    assert server.txt(f"s2._domainkey.{ZONE}") == []
    assert server.txt(f"s1._domainkey.{ZONE}") == [one.encode()]
    assert server.txt(f"esp._domainkey.{ZONE}") == [foreign.encode()]  # foreign stays
    assert server.txt(f"_dnsspec._domainkey.{ZONE}") == [b"v=dnsspec1 selectors=s1"]
    assert run("plan", "--exit-code")[0] == 0
