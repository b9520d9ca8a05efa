"""The README's command lines stay true.

Every ``dnsspec …`` line of the README's command block parses against the real command
line (command names, option names, argument types), every command the CLI has is named
there, and the lines that need no network and change nothing run on a copy of the
bundled ``zones/`` and exit 0. (The README's spec examples are loaded by
``tests/spec/test_docs.py`` and validated against the schema by
``tests/onboard/test_schema.py``.)
"""

from __future__ import annotations

import datetime
import hashlib
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import typer.main
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from typer.core import TyperGroup
from typer.testing import CliRunner

from dnsspec.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# the offline lines: no DNS, no network, nothing written outside the scratch directory
OFFLINE = (
    "lint",
    "compile",
    "test",
    "rules",
    "schema",
    "dkim show",
    "mta-sts policy",
    "tlsa",
)


def command_lines() -> list[list[str]]:
    """The arguments of each ``dnsspec`` line of the README's command block."""
    blocks = re.findall(r"^```sh\n(.*?)^```$", README.read_text(), re.S | re.M)
    block = next(b for b in blocks if "\ndnsspec lint" in "\n" + b)
    lines = [shlex.split(line, comments=True) for line in block.splitlines()]
    return [words[1:] for words in lines if words and words[0] == "dnsspec"]


def resolve(args: list[str]) -> tuple[str, Any, list[str]]:
    """The command a line names (``"dkim show"``), its typer (click) command, and its
    arguments."""
    command: Any = typer.main.get_command(app)
    path: list[str] = []
    rest = list(args)
    while isinstance(command, TyperGroup) and rest and rest[0] in command.commands:
        path.append(rest[0])
        command = command.commands[rest.pop(0)]
    return " ".join(path), command, rest


def all_commands() -> set[str]:
    found: set[str] = set()

    def walk(command: Any, path: tuple[str, ...]) -> None:
        if isinstance(command, TyperGroup):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
        elif path:
            found.add(" ".join(path))

    walk(typer.main.get_command(app), ())
    return found


def write_certificate(path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mx1.example.com")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=90))
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's zones/ and providers.yaml as the working directory,
    with the ``cert.pem`` the README's tlsa line names."""
    shutil.copytree(ROOT / "zones", tmp_path / "zones")
    shutil.copy(ROOT / "providers.yaml", tmp_path / "providers.yaml")
    write_certificate(tmp_path / "cert.pem")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_readme_names_every_command() -> None:
    named = {resolve(args)[0] for args in command_lines()}
    assert all_commands() - named == set()


def test_every_readme_line_parses(scratch: Path) -> None:
    lines = command_lines()
    assert len(lines) >= 19
    for args in lines:
        name, command, rest = resolve(args)
        assert name, f"`dnsspec {shlex.join(args)}` names no command"
        try:
            command.make_context(name, list(rest))
        except Exception as error:  # pragma: no cover - the message says which
            # typer's (vendored click's) UsageError: a wrong option, argument or type
            formatted = getattr(error, "format_message", None)
            message = formatted() if callable(formatted) else str(error)
            raise AssertionError(f"`dnsspec {shlex.join(args)}`: {message}") from None


def test_the_offline_readme_lines_run_on_the_bundled_zones(scratch: Path) -> None:
    ran = []
    for args in command_lines():
        name = resolve(args)[0]
        if name not in OFFLINE:
            continue
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
        assert result.output.strip(), args
        ran.append(name)
    assert sorted(set(ran)) == sorted(OFFLINE)
    assert (scratch / "zones").is_dir() and not (scratch / ".dnsspec-live").exists()


def test_the_readme_tlsa_and_mta_sts_lines_print_what_the_specs_publish(scratch: Path) -> None:
    from dnsspec.compile import compile_zone
    from dnsspec.spec.load import load_zone

    records = compile_zone(load_zone(scratch / "zones" / "example.com.yaml"))
    txt = next(r for r in records if r.name == "_mta-sts")
    policy = CliRunner().invoke(app, ["mta-sts", "policy", "example.com"]).stdout_bytes
    assert policy.startswith(b"version: STSv1\r\n")  # CRLF, RFC 8461 §3.2
    digest = hashlib.sha256(policy).hexdigest()[:32]
    assert txt.values == (f"v=STSv1; id={digest}",)
    entry = CliRunner().invoke(app, ["tlsa", "cert.pem"]).output
    assert re.search(r"usage: 3, selector: 1, matching: 1, data: [0-9a-f]{64}", entry), entry
