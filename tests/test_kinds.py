"""The kinds table: every line names functions that exist, in modules that import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dnsspec.kinds import BY_NAME, KINDS, Kind
from dnsspec.spec.policy import MailPolicySpec


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_reference_resolves(kind: Kind) -> None:
    for attribute in ("site_value", "generator", "delta"):
        if getattr(kind, attribute) is not None:
            assert callable(kind.load(attribute))


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_spec_key_is_a_mail_policy_key(kind: Kind) -> None:
    assert kind.spec_key in MailPolicySpec.model_fields


def test_names_are_unique_and_spf_is_first() -> None:
    assert KINDS[0].name == "spf"
    assert len(BY_NAME) == len(KINDS)


def test_owner_names() -> None:
    dmarc_like = Kind("x", "x", "_dmarc.{name}", None, "", "", None)
    assert (dmarc_like.owner_name(""), dmarc_like.owner_name("lists")) == (
        "_dmarc",
        "_dmarc.lists",
    )
    assert (BY_NAME["spf"].owner_name(""), BY_NAME["spf"].owner_name("eu")) == ("", "eu")


def test_a_kind_without_a_delta_says_so() -> None:
    with pytest.raises(LookupError, match="has no delta"):
        Kind("x", "x", "{name}", None, "", "", None).load("delta")


def test_the_table_imports_nothing_of_the_package() -> None:
    # lazy references: importing the table never pulls in spec, compile, lint or sync
    code = (
        "import sys, dnsspec.kinds; "
        "print(sorted(m for m in sys.modules if m.startswith('dnsspec')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    assert out.strip() == "['dnsspec', 'dnsspec.kinds']"
