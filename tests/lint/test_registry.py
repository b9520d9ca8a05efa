"""The rule registry: docs sections, codes, names, selection and suppression."""

from __future__ import annotations

import pkgutil
import re

import pytest
from lint_helpers import LintSpecs

import dnsspec.lint.rules as rules_package
from dnsspec.lint.registry import (
    REQUIRED_SECTIONS,
    RULES,
    Severity,
    UnknownRuleError,
    all_rules,
    get,
    is_suppressed,
    register,
    select_rules,
)


def test_the_family_list_names_every_rule_module() -> None:
    modules = {m.name for m in pkgutil.iter_modules(rules_package.__path__)}
    listed = {m.__name__.rsplit(".", 1)[-1] for m in rules_package.FAMILY_MODULES}
    assert listed == modules == {"shape", "cost", "policy", "records"}


def test_codes_are_unique_and_in_their_family_module() -> None:
    families = {"shape": "SPF1", "cost": "SPF2", "policy": "SPF3", "records": "DNS4"}
    for r in all_rules():
        assert r.code.startswith(families[r.check.__module__.rsplit(".", 1)[-1]]), r.code
    assert len({r.name for r in all_rules()}) == len(all_rules()) == len(RULES) == 24


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_docs_have_ruffs_sections(code: str) -> None:
    r = RULES[code]
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)+", r.name)
    positions = [r.docs.find(section) for section in REQUIRED_SECTIONS]
    assert -1 not in positions and positions == sorted(positions), r.docs[:80]
    what = r.docs.split("## What it does", 1)[1].split("##", 1)[0].strip()
    assert what.startswith("Checks "), what
    example = r.docs.split("## Example", 1)[1]
    assert "Use instead:" in example and example.count("```") >= 4
    headings = re.findall(r"^## (.+)$", r.docs, re.M)
    assert set(headings) <= {"What it does", "Why is this bad?", "Example", "References"}
    assert r.summary and r.fix


def test_registering_a_taken_code_or_name_raises() -> None:
    existing = RULES["SPF201"]
    with pytest.raises(ValueError, match="SPF201 is already registered"):
        register(existing)
    with pytest.raises(ValueError, match="already registered"):
        register(existing.__class__(**{**existing.__dict__, "code": "SPF299"}))
    with pytest.raises(ValueError, match="not in a family"):
        register(existing.__class__(**{**existing.__dict__, "code": "XYZ100", "name": "x-y"}))
    assert "SPF299" not in RULES


def codes(**kwargs: list[str]) -> list[str]:
    return [r.code for r in select_rules(all_rules(), **kwargs)]


def test_select_and_ignore_by_prefix_like_ruff() -> None:
    assert codes(select=["SPF2"]) == [
        "SPF201", "SPF202", "SPF203", "SPF204", "SPF205", "SPF206", "SPF207",
    ]  # fmt: skip
    assert codes(select=["dns4"], ignore=["DNS402"]) == ["DNS401", "DNS403"]
    assert codes(select=["SPF3", "DNS"])[-4:] == ["SPF306", "DNS401", "DNS402", "DNS403"]
    # the more specific entry wins
    assert codes(select=["SPF201"], ignore=["SPF2"]) == ["SPF201"]
    assert codes(select=["SPF2"], ignore=["SPF20"]) == []
    assert codes(select=["spf-pass-all"]) == ["SPF301"]
    assert len(codes()) == len(codes(select=["ALL"])) == 24
    with pytest.raises(UnknownRuleError, match="'SPF9' matches no lint rule"):
        codes(select=["SPF9"])


def test_get_by_code_or_name() -> None:
    assert get("spf201") is get("spf-too-many-lookups") is RULES["SPF201"]
    assert RULES["SPF201"].severity is Severity.ERROR
    with pytest.raises(UnknownRuleError, match="no lint rule 'SPF999'"):
        get("SPF999")


def test_suppression_entries() -> None:
    assert is_suppressed("SPF201", "spf-too-many-lookups", ["SPF201"])
    assert is_suppressed("SPF201", "spf-too-many-lookups", ["SPF2"])
    assert is_suppressed("SPF201", "spf-too-many-lookups", ["spf-too-many-lookups"])
    assert not is_suppressed("SPF201", "spf-too-many-lookups", ["SPF202", "DNS4"])


def test_a_spec_ignore_list_suppresses_a_code_at_its_name_only(lint_specs: LintSpecs) -> None:
    findings = lint_specs(
        {
            "example.com": """
                spf: {mechanisms: [ptr], all: neutral}
                ignore: [SPF302]
                subdomains:
                  a: {spf: {mechanisms: [ptr], all: neutral}, ignore: [SPF1]}
                  b: {spf: {mechanisms: [ptr], all: neutral}}
                """
        },
        select=["SPF105", "SPF302"],
    )
    got = [(f.code, f.record_name) for f in findings]
    assert got == [("SPF105", ""), ("SPF302", "a"), ("SPF105", "b"), ("SPF302", "b")]
