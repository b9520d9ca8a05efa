"""Every true/false key of the mail kinds reads only true and false (YAML 1.2), as
``dnssec:`` does: ``revoked: yes`` or ``testing: "true"`` is invalid input, located, with a
hint, never read as true by pydantic's lax coercion (a ``testing: 0`` read as false would
silently publish an enforcing policy)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dnsspec.cli import app

KEY = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="


@pytest.mark.parametrize(
    ("line", "path", "hint"),
    [
        ("dkim: {s1: {revoked: yes}}", "dkim.s1.revoked", "(YAML 1.2): write true or false"),
        ('dkim: {s1: {revoked: "true"}}', "dkim.s1.revoked", "remove the quotes"),
        (
            f"dkim: {{s1: {{key_type: ed25519, public_key: {KEY}, testing: on}}}}",
            "dkim.s1.testing",
            "(YAML 1.2): write true or false",
        ),
        (
            f"dkim: {{s1: {{key_type: ed25519, public_key: {KEY}, strict_subdomains: 1}}}}",
            "dkim.s1.strict_subdomains",
            "write true or false",
        ),
        ("dmarc: {policy: reject, testing: 0}", "dmarc.testing", "write true or false"),
    ],
)
def test_a_boolean_key_takes_only_true_or_false(
    tmp_path: Path, line: str, path: str, hint: str
) -> None:
    (tmp_path / "example.com.yaml").write_text(f"spf: none\n{line}\n")
    result = CliRunner().invoke(app, ["lint", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "example.com.yaml:2:" in result.output
    assert f"SPEC000 [error] {path}: expected true or false, got " in result.output
    assert hint in result.output and "Traceback" not in result.output
