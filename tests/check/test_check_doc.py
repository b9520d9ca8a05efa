"""docs/check.md stays true: its MTA-STS example spec, command and output, run against an
in-process DNS server and an HTTPS server on 127.0.0.1 (the doc's ports replaced)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from httpsserver import PolicyServer, Served
from smtpservers import Pki
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.mta_sts.policy import policy_id

DOC = Path(__file__).parents[2] / "docs" / "check.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), re.DOTALL)


def test_the_mta_sts_example_prints_what_the_doc_shows(  # type: ignore[no-untyped-def]
    dns_server, pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (spec,) = [b for b in blocks("yaml") if b.startswith("# zones/example.com.yaml")]
    (console,) = blocks("console")
    command, *shown = console.splitlines()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "example.com.yaml").write_text(spec)
    compiled = CliRunner().invoke(app, ["mta-sts", "policy", "example.com"]).stdout_bytes
    dns = dns_server(
        {
            "_mta-sts.example.com": [("TXT", f"v=STSv1; id={policy_id(compiled)}")],
            "mta-sts.example.com": [("A", "127.0.0.1")],
        }
    )
    served = compiled.replace(b"mode: enforce", b"mode: testing")
    with PolicyServer(pki.leaf("mta-sts.example.com"), Served(served)) as https:
        args = shlex.split(command.removeprefix("$ dnsspec "))
        args = [
            {
                "127.0.0.1:5300": dns.address,
                "8443": str(https.port),
                "ca.pem": str(pki.ca_file),
            }.get(a, a)
            for a in args
        ]
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    printed = result.stdout.replace(f":{https.port})", ":8443)")
    assert printed.splitlines() == shown
