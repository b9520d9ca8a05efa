"""Findings rendered for people and machines: text, json, sarif, github.

Each renderer is a pure function returning a string; the CLI prints it.
``text`` returns rich markup (the CLI's console strips colour when piped).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from dnsspec import __version__
from dnsspec.errors import SpecError, SpecProblem
from dnsspec.lint.catalogue import FAMILIES
from dnsspec.lint.model import Finding, Rule, Severity
from dnsspec.lookups.printable import printable, printable_json

FORMATS = ("text", "json", "sarif", "github")
DOCS_URL = "https://github.com/dnsspec/dnsspec/blob/main/docs/rules.md"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def default_format(environ: Mapping[str, str] | None = None) -> str:
    """``github`` inside GitHub Actions (annotations on the diff), else ``text``."""
    env = os.environ if environ is None else environ
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"


def rule_anchor(rule: Rule) -> str:
    """The heading anchor of a rule in docs/rules.md."""
    return f"{rule.code.lower()}-{rule.name}"


def help_uri(rule: Rule) -> str:
    return f"{DOCS_URL}#{rule_anchor(rule)}"


def _display_path(file: Path) -> str:
    return _relative_to(file, os.getcwd())


@lru_cache(maxsize=4096)
def _relative_to(file: Path, cwd: str) -> str:
    try:
        return file.resolve().relative_to(Path(cwd).resolve()).as_posix()
    except (ValueError, RuntimeError, OSError):  # RuntimeError: a symlink loop (3.11)
        return file.as_posix()


def summary(findings: Sequence[Finding]) -> str:
    """``Found 3 problems (1 error, 2 warnings).`` or ``No problems found.``; the
    invalid input among them (``SPEC000``) is counted apart: ``…, 1 of them invalid
    input.``"""
    if not findings:
        return "No problems found."
    parts = []
    for severity in sorted(Severity, reverse=True):
        n = sum(1 for f in findings if f.severity == severity)
        if n:
            parts.append(f"{n} {severity}{'s' if n != 1 else ''}")
    total = len(findings)
    invalid = sum(1 for f in findings if f.code == INVALID_SPEC_CODE)
    tail = f", {invalid} of them invalid input" if invalid else ""
    return f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}){tail}."


def render_findings(findings: Sequence[Finding], *, markup: bool = True) -> str:
    """The findings, one ``file:line:col: CODE [severity] message`` line each with its
    hint below: the one format of lint findings (``lint`` and ``apply`` print it).

    With rich markup for a terminal; ``markup=False`` gives the same text plain
    (what rich would print to a pipe, without parsing thousands of markup lines).
    Messages and hints are printed escaped: they may quote DNS data.
    """
    escape: Callable[[str], str] = printable  # plain: rich not imported at all
    if markup:
        from rich.markup import escape as markup_escape

        escape = lambda text: markup_escape(printable(text))  # noqa: E731

    def styled(text: str, style: str) -> str:
        return f"[{style}]{escape(text)}[/]" if markup else escape(text)

    lines = []
    for f in findings:
        style = _STYLE[f.severity]
        where = f"{_display_path(f.location.file)}:{f.location.line}:{f.location.col}"
        lines.append(
            f"{styled(where, 'bold')}: {styled(f.code, style + ' bold')} "
            f"{styled(f'[{f.severity}]', style)} {escape(f.message)}"
        )
        if f.hint:
            lines.append(f"    {styled('hint:', 'dim')} {escape(f.hint)}")
    return "\n".join(lines)


def render_text(findings: Sequence[Finding], *, markup: bool = True) -> str:
    """:func:`render_findings`, then the summary line."""
    body = render_findings(findings, markup=markup)
    last = summary(findings)
    styled = f"[{'bold' if findings else 'green'}]{last}[/]" if markup else last
    return f"{body}\n{styled}" if body else styled


def finding_data(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "severity": str(f.severity),
        "message": f.message,
        "hint": f.hint,
        "file": _display_path(f.location.file),
        "line": f.location.line,
        "col": f.location.col,
        "zone": f.zone,
        "record_name": f.record_name,
    }


# Invalid input is not a rule's finding, but machine reports carry it as one, so a CI
# annotation or code-scanning alert points at the broken line like any other finding.
INVALID_SPEC_CODE = "SPEC000"
INVALID_SPEC_NAME = "invalid-spec"
INVALID_SPEC_SUMMARY = (
    "the spec is invalid input (YAML syntax, unknown key, wrong type, malformed SPF term): "
    "nothing is linted, compiled or pushed until it is fixed"
)


def invalid_spec_findings(error: SpecError | Sequence[SpecProblem]) -> list[Finding]:
    """Every problem of a :class:`SpecError` (or a list of them) as a ``SPEC000``
    error finding."""
    problems = error.problems if isinstance(error, SpecError) else error
    return [
        Finding(
            location=p.location,
            code=INVALID_SPEC_CODE,
            name=INVALID_SPEC_NAME,
            severity=Severity.ERROR,
            message=p.message,
            hint=p.hint,
            zone="",
            record_name="",
        )
        for p in problems
    ]


def render_json(findings: Sequence[Finding]) -> str:
    counts = {str(s): sum(1 for f in findings if f.severity == s) for s in Severity}
    data = {"findings": [finding_data(f) for f in findings], "counts": counts}
    return printable_json(json.dumps(data, indent=2, ensure_ascii=False))


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_sarif(findings: Sequence[Finding], rules: Sequence[Rule]) -> str:
    """SARIF 2.1.0 (GitHub code scanning): every rule in the driver, one result per finding."""
    index = {r.code: i for i, r in enumerate(rules)}
    driver = {
        "name": "dnsspec",
        "version": __version__,
        "informationUri": DOCS_URL,
        "rules": [
            {
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary + ". " + r.fix + "."},
                "helpUri": help_uri(r),
                "help": {"text": r.docs, "markdown": r.docs},
                "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
                "properties": {"tags": [r.family]},
            }
            for r in rules
        ],
    }
    if any(f.code == INVALID_SPEC_CODE for f in findings):
        driver["rules"].append(  # type: ignore[attr-defined]
            {
                "id": INVALID_SPEC_CODE,
                "name": INVALID_SPEC_NAME,
                "shortDescription": {"text": INVALID_SPEC_SUMMARY},
                "helpUri": DOCS_URL.rsplit("/", 1)[0] + "/spec-language.md",
                "defaultConfiguration": {"level": "error"},
                "properties": {"tags": ["spec"]},
            }
        )
        index[INVALID_SPEC_CODE] = len(rules)
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message + (f" ({f.hint})" if f.hint else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _display_path(f.location.file)},
                        "region": {"startLine": f.location.line, "startColumn": f.location.col},
                    }
                }
            ],
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        results.append(result)
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return printable_json(json.dumps(sarif, indent=2, ensure_ascii=False))


def _gh_data(text: str) -> str:
    # line breaks in GitHub's own encoding; every other unsafe character escaped
    lines = text.replace("%", "%25").replace("\r", "%0D").split("\n")
    return "%0A".join(printable(line) for line in lines)


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


_GH_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render_github(findings: Sequence[Finding]) -> str:
    """GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=CODE::message``."""
    lines = []
    for f in findings:
        props = ",".join(
            [
                f"file={_gh_property(_display_path(f.location.file))}",
                f"line={f.location.line}",
                f"col={f.location.col}",
                f"title={_gh_property(f'{f.code} {f.name}')}",
            ]
        )
        message = f.message + (f" (hint: {f.hint})" if f.hint else "")
        lines.append(f"::{_GH_LEVEL[f.severity]} {props}::{_gh_data(message)}")
    return "\n".join(lines)


def render(findings: Sequence[Finding], fmt: str, rules: Sequence[Rule]) -> str:
    if fmt == "json":
        return render_json(findings)
    if fmt == "sarif":
        return render_sarif(findings, rules)
    if fmt == "github":
        return render_github(findings)
    return render_text(findings)


_NEEDS_NOTE = " · counts lookups through dnsspec.lock or DNS"


def render_rule_markdown(rule: Rule, *, level: int = 2) -> str:
    """One rule's docs page: header, metadata line, then its docstring (headings shifted)."""
    shift = "#" * (level - 1)
    body = "\n".join(
        shift + line if line.startswith("#") else line for line in rule.docs.splitlines()
    )
    return (
        f"{'#' * level} {rule.code} {rule.name}\n\n"
        f"*{rule.family}* · default severity **{rule.severity}**"
        f"{_NEEDS_NOTE if 'spf_costs' in rule.needs else ''}\n\n"
        f"{rule.summary[0].upper() + rule.summary[1:]}. Fix: {rule.fix}.\n\n"
        f"{body}\n"
    )


def render_rules_markdown(rules: Sequence[Rule]) -> str:
    """docs/rules.md: a table of every rule, then each rule's page."""
    lines = [
        "# Lint rules",
        "",
        "<!-- GENERATED by `dnsspec rules --markdown > docs/rules.md`; do not edit. "
        "The text comes from each rule's docstring in dnsspec/lint/rules/. -->",
        "",
        "Codes are stable and never reused. Families (select by prefix, e.g. `--select SPF2`):",
        "",
        *(f"- `{f.prefix}xx` {f.docs}" for f in FAMILIES),
        "",
        "| Code | Name | Severity | Summary |",
        "| --- | --- | --- | --- |",
    ]
    for r in rules:
        summary_text = r.summary.replace("|", "\\|")
        lines.append(
            f"| [{r.code}](#{rule_anchor(r)}) | {r.name} | {r.severity} | {summary_text} |"
        )
    lines.append("")
    text = "\n".join(lines) + "\n"
    return text + "\n".join(render_rule_markdown(r) for r in rules)
