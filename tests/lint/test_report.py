"""Report renderers: text, json, SARIF 2.1.0, GitHub annotations."""

from __future__ import annotations

import json
from pathlib import Path

from dnsspec.errors import Location
from dnsspec.lint.catalogue import all_rules, get
from dnsspec.lint.model import Finding, Severity
from dnsspec.lint.report import (
    default_format,
    render_github,
    render_json,
    render_rules_markdown,
    render_sarif,
    render_text,
    summary,
)

ERROR = Finding(
    location=Location(Path("zones/example.com.yaml"), 13, 7),
    code="SPF201",
    name="spf-too-many-lookups",
    severity=Severity.ERROR,
    message="SPF policy of example.com needs 12 DNS lookups (limit 10): a → b",
    hint="Flatten, 100%",
    zone="example.com.",
    record_name="",
)
WARNING = Finding(
    location=Location(Path("zones/example.com.yaml"), 20, 3),
    code="SPF302",
    name="spf-neutral-all",
    severity=Severity.WARNING,
    message="ends in `?all`: [neutral]",
    hint=None,
    zone="example.com.",
    record_name="lists",
)


def plain(markup: str) -> str:
    from rich.text import Text

    return Text.from_markup(markup).plain


def test_text_is_file_line_col_code_severity_message_and_hint() -> None:
    assert plain(render_text([ERROR, WARNING])).splitlines() == [
        "zones/example.com.yaml:13:7: SPF201 [error] SPF policy of example.com needs 12 DNS "
        "lookups (limit 10): a → b",
        "    hint: Flatten, 100%",
        "zones/example.com.yaml:20:3: SPF302 [warning] ends in `?all`: [neutral]",
        "Found 2 problems (1 error, 1 warning).",
    ]
    assert plain(render_text([])) == "No problems found."
    assert summary([WARNING]) == "Found 1 problem (1 warning)."


def test_json() -> None:
    data = json.loads(render_json([ERROR, WARNING]))
    assert data["counts"] == {"info": 0, "warning": 1, "error": 1}
    assert data["findings"][1] == {
        "code": "SPF302",
        "name": "spf-neutral-all",
        "severity": "warning",
        "message": "ends in `?all`: [neutral]",
        "hint": None,
        "file": "zones/example.com.yaml",
        "line": 20,
        "col": 3,
        "zone": "example.com.",
        "record_name": "lists",
    }


def test_sarif_2_1_0() -> None:
    rules = all_rules()
    sarif = json.loads(render_sarif([ERROR], rules))
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    driver_rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in driver_rules] == [r.code for r in rules]
    spf201 = driver_rules[[r.code for r in rules].index("SPF201")]
    assert spf201["name"] == "spf-too-many-lookups"
    assert spf201["helpUri"].endswith("docs/rules.md#spf201-spf-too-many-lookups")
    assert spf201["fullDescription"]["text"].startswith(get("SPF201").summary)
    assert spf201["defaultConfiguration"] == {"level": "error"}
    (result,) = run["results"]
    assert result["ruleId"] == "SPF201"
    assert result["ruleIndex"] == [r.code for r in rules].index("SPF201")
    assert result["level"] == "error"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "zones/example.com.yaml"},
        "region": {"startLine": 13, "startColumn": 7},
    }


def test_github_annotations_escape_data_and_properties() -> None:
    assert render_github([ERROR, WARNING]).splitlines() == [
        "::error file=zones/example.com.yaml,line=13,col=7,title=SPF201 spf-too-many-lookups"
        "::SPF policy of example.com needs 12 DNS lookups (limit 10): a → b "
        "(hint: Flatten, 100%25)",
        "::warning file=zones/example.com.yaml,line=20,col=3,title=SPF302 spf-neutral-all"
        "::ends in `?all`: [neutral]",
    ]


def test_github_format_is_the_default_inside_github_actions() -> None:
    assert default_format({"GITHUB_ACTIONS": "true"}) == "github"
    assert default_format({}) == "text"


def test_docs_rules_md_is_generated_and_up_to_date() -> None:
    docs = Path(__file__).parents[2] / "docs" / "rules.md"
    assert docs.read_text(encoding="utf-8") == render_rules_markdown(all_rules()), (
        "docs/rules.md is stale: run `dnsspec rules --markdown > docs/rules.md`"
    )


def test_every_format_escapes_what_a_message_quotes() -> None:
    """Messages and hints may quote DNS data: no ESC or bidi control reaches the output."""
    hostile = Finding(
        location=Location(Path("zones/example.com.yaml"), 1, 1),
        code="SPF207",
        name="spf-broken-include",
        severity=Severity.ERROR,
        message="record \x1b[2J says \u202ella-",
        hint="ask \x07them",
        zone="example.com.",
        record_name="",
    )
    outputs = [
        render_text([hostile], markup=False),
        plain(render_text([hostile])),
        render_json([hostile]),
        render_sarif([hostile], all_rules()),
        render_github([hostile]),
    ]
    for out in outputs:
        assert not any(c in out for c in "\x1b\u202e\x07"), out
        assert "\\x1b" in out or "\\u001b" in out, out
    assert json.loads(render_json([hostile]))["findings"][0]["message"] == hostile.message
