"""The catalogue: one explicit table of families and rules, docs sections, selection."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from lint_helpers import LintSpecs

import dnsspec.lint.rules as rules_package
from dnsspec.lint.catalogue import (
    FAMILIES,
    Family,
    RuleLine,
    all_rules,
    build_rules,
    check_table,
    entry_problem,
    get,
    is_suppressed,
    select_rules,
)
from dnsspec.lint.model import REQUIRED_SECTIONS, Check, Severity, UnknownRuleError, check

RULE_FILES = sorted(Path(rules_package.__path__[0]).glob("*/*.py"))


def test_every_check_module_is_grouped_by_kind_and_named_by_the_catalogue() -> None:
    kinds = {m.name for m in pkgutil.iter_modules(rules_package.__path__)}
    assert kinds == {
        "spf", "dns", "spec", "config", "dkim", "dmarc", "mta_sts", "tlsa", "parked",
        "null_mx", "tls_rpt",
    }  # fmt: skip
    named = {line.check.partition(":")[0] for f in FAMILIES for line in f.rules}
    files = {f"{p.parent.name}.{p.stem}" for p in RULE_FILES if p.stem != "__init__"}
    assert named == files
    for module in files:  # every @check function of a module is in the table
        found = importlib.import_module(f"dnsspec.lint.rules.{module}")
        checks = {n for n, v in vars(found).items() if isinstance(v, Check)}
        listed = {
            line.check.partition(":")[2]
            for f in FAMILIES
            for line in f.rules
            if line.check.startswith(module + ":")
        }
        assert checks == listed, module


def test_no_rule_module_is_over_300_lines() -> None:
    for path in RULE_FILES:
        assert len(path.read_text().splitlines()) <= 320, path


def test_codes_are_in_their_family_and_unique() -> None:
    check_table(FAMILIES)
    rules = all_rules()
    assert len({r.code for r in rules}) == len({r.name for r in rules}) == len(rules)
    for family in FAMILIES:
        assert all(line.code.startswith(family.prefix) for line in family.rules)
        assert family.title and family.docs


def test_a_malformed_or_taken_line_is_refused() -> None:
    line = FAMILIES[1].rules[0]
    taken = replace(FAMILIES[1], rules=(line, replace(line, name="spf-other")))
    with pytest.raises(ValueError, match="SPF201 is taken"):
        check_table((taken,))
    with pytest.raises(ValueError, match="not in family SPF2xx"):
        check_table((replace(FAMILIES[1], rules=(replace(line, code="SPF301"),)),))
    with pytest.raises(ValueError, match="not kebab-case"):
        check_table((replace(FAMILIES[1], rules=(replace(line, name="Bad_Name"),)),))
    with pytest.raises(ValueError, match="prefix 'SPF2' is malformed or taken"):
        check_table((FAMILIES[1], replace(FAMILIES[1], rules=())))
    with pytest.raises(ValueError, match="not a @check function"):
        build_rules(
            (Family("XYZ1", "t", "d", (RuleLine("XYZ101", "x-y", "spf.limits:LOCK_HINT"),)),)
        )


def test_an_unknown_need_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown rule needs"):
        check(severity=Severity.ERROR, summary="s", fix="f", needs={"dns"})


def test_the_catalogue_imports_no_rule_module_and_no_spec() -> None:
    """The spec loader validates ignore: entries with the table alone (no cycle)."""
    code = (
        "import sys; import dnsspec.lint.catalogue as c; c.entry_problem('spf201'); "
        "print(sorted(m for m in sys.modules if m.startswith(('dnsspec.lint.rules', "
        "'dnsspec.spec'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_decorator_registers_anything() -> None:
    """No rule module calls into the catalogue (no registration by import side effect)."""
    for path in RULE_FILES:
        tree = ast.parse(path.read_text())
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "dnsspec.lint.catalogue" not in imported, path


@pytest.mark.parametrize("code", [r.code for r in all_rules()])
def test_every_rule_has_docs_in_ruffs_sections(code: str) -> None:
    r = get(code)
    positions = [r.docs.find(section) for section in REQUIRED_SECTIONS]
    assert -1 not in positions and positions == sorted(positions), r.docs[:80]
    what = r.docs.split("## What it does", 1)[1].split("##", 1)[0].strip()
    assert what.startswith("Checks "), what
    example = r.docs.split("## Example", 1)[1]
    assert "Use instead:" in example and example.count("```") >= 4
    headings = re.findall(r"^## (.+)$", r.docs, re.M)
    assert set(headings) <= {"What it does", "Why is this bad?", "Example", "References"}
    assert r.summary and r.fix


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
    assert codes() == codes(select=["ALL"]) == [r.code for r in all_rules()]
    with pytest.raises(UnknownRuleError, match="'SPF9' matches no lint rule"):
        codes(select=["SPF9"])


def test_one_vocabulary_for_select_ignore_and_spec_entries() -> None:
    for entry in ("SPF303", "spf303", "Spf3", "all", "spf-missing-policy", "SPF-Missing-Policy"):
        assert entry_problem(entry) is None, entry
        assert codes(select=[entry])
    for entry in ("SPF999", "DNS9", "spf-missing", "", " "):
        assert entry_problem(entry) == f"{entry!r} matches no lint rule"


def test_get_by_code_or_name() -> None:
    assert get("spf201") is get("spf-too-many-lookups") is get("SPF201")
    assert get("SPF201").severity is Severity.ERROR
    assert get("SPF201").needs == {"spf_costs"} and get("SPF301").needs == frozenset()
    with pytest.raises(UnknownRuleError, match="no lint rule 'SPF999'"):
        get("SPF999")


def test_suppression_entries() -> None:
    assert is_suppressed("SPF201", "spf-too-many-lookups", ["SPF201"])
    assert is_suppressed("SPF201", "spf-too-many-lookups", ["spf2"])
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


def test_a_spec_ignore_entry_in_any_case_or_by_name(lint_specs: LintSpecs) -> None:
    """`ignore: [spf303]` is accepted like `--select spf3` (issue 8, item 11)."""
    findings = lint_specs(
        {
            "example.com": """
                spf: {mechanisms: [ptr], all: neutral}
                ignore: [spf105, spf-neutral-all]
                """
        },
        select=["SPF105", "SPF302"],
    )
    assert findings == []
