"""A record-syntax hint names a record of the kind being parsed.

The tag-list parser is shared by DMARC, TLS-RPT, MTA-STS and DKIM; its hints used to
say ``e.g. 'v=DMARC1; p=reject'`` for all of them (``tls_rpt: none`` was told to
write a DMARC record).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.dkim.syntax import parse as parse_dkim
from dnsspec.taglist import RecordSyntaxError


@pytest.mark.parametrize(
    ("spec", "example"),
    [
        # (`none` itself gets a hint of its own: tests/cli/test_mail_policy_input.py)
        ("spf: none\ntls_rpt: enabled\n", "'v=TLSRPTv1; rua=mailto:tlsrpt@example.com'"),
        ("spf: none\ndmarc: enforce\n", "'v=DMARC1; p=reject'"),
    ],
)
def test_a_bare_word_record_gets_a_hint_of_its_own_kind(
    tmp_path: Path, spec: str, example: str
) -> None:
    zones = tmp_path / "zones"
    zones.mkdir()
    (zones / "example.com.yaml").write_text(spec)
    result = CliRunner().invoke(app, ["lint", str(zones)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"hint: separate tags with '; ', e.g. {example}" in result.output
    if "tls_rpt" in spec:
        assert "DMARC1" not in result.output


def test_every_kind_s_example_in_a_hint_is_a_valid_record_of_that_kind() -> None:
    from dnsspec.mta_sts.syntax import parse as parse_sts
    from dnsspec.tlsrpt.syntax import parse as parse_tlsrpt

    for parse, kind in ((parse_dkim, "DKIM1"), (parse_sts, "STSv1"), (parse_tlsrpt, "TLSRPTv1")):
        with pytest.raises(RecordSyntaxError) as raised:
            parse("bare")
        hint = raised.value.hint or ""
        assert kind in hint and "DMARC" not in hint
        example = hint.split("e.g. ", 1)[1].strip("'")
        parse(example)  # the hint is itself a valid record
