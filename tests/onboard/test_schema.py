"""``dnsspec schema`` and schema/dnsspec.schema.json: the spec language for editors.

The schema and the loader must agree: every example and fixture spec is valid for both,
and each documented invalid input the schema can express is refused by both.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from dnsspec.cli import app
from dnsspec.errors import SpecError
from dnsspec.importer.scaffold import SCHEMA_MODELINE, example_spec
from dnsspec.schema import build_schema, schema_json, undocumented_keys
from dnsspec.spec.load import load_zone
from dnsspec.spec.source import read_yaml

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "schema" / "dnsspec.schema.json"
REFRESH = "dnsspec schema > schema/dnsspec.schema.json"


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(COMMITTED.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def plain(text: str, name: str = "example.com.yaml") -> Any:
    """The spec's data as dnsspec reads it (strict YAML: `no` stays a word)."""
    data, _ = read_yaml(Path(name), text)
    return {} if data is None else data


def test_committed_schema_is_the_generated_one() -> None:
    # the spec models gain keys as kinds land: regenerate, then commit the file
    assert COMMITTED.read_text() == schema_json(), (
        f"schema/dnsspec.schema.json is out of date with the spec models: run `{REFRESH}` "
        "and commit it"
    )


def test_dnsspec_schema_prints_it() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert result.output == schema_json()
    assert json.loads(result.output)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_key_has_a_description_and_an_example() -> None:
    schema = build_schema()
    assert undocumented_keys(schema) == [], (
        "give each new spec key a description and an example: Field(description=..., "
        "examples=[...]) on the model, or a line in dnsspec/schema.py KEY_DOCS; then run "
        f"`{REFRESH}`"
    )
    # and every example is itself valid where it stands
    check = validator()
    for key, prop in schema["properties"].items():
        for example in prop["examples"]:
            assert not list(check.iter_errors({key: example})), (key, example)


def example_specs() -> list[tuple[str, str]]:
    specs = [(str(p.relative_to(ROOT)), p.read_text()) for p in sorted(ROOT.glob("zones/*.yaml"))]
    specs += [
        (str(p.relative_to(ROOT)), p.read_text())
        for p in sorted((ROOT / "tests" / "data" / "specs" / "good").glob("*.yaml"))
    ]
    doc = (ROOT / "docs" / "spec-language.md").read_text()
    fences = re.findall(r"^```(\w*)\n(.*?)^```$", doc, re.S | re.M)
    specs += [
        (f"docs/spec-language.md#{i}", textwrap.dedent(body))
        for i, (lang, body) in enumerate(fences)
        if lang == "yaml"
    ]
    readme = re.findall(r"^```yaml\n(.*?)^```$", (ROOT / "README.md").read_text(), re.S | re.M)
    specs += [(f"README.md#{i}", b) for i, b in enumerate(readme) if b.startswith("# zones/")]
    specs.append(("dnsspec init", example_spec("example.com.")))
    return specs


@pytest.mark.parametrize(("where", "text"), example_specs(), ids=lambda v: v[:40])
def test_every_example_spec_is_valid_for_the_schema(where: str, text: str, tmp_path: Path) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text(text)
    load_zone(file)  # the loader accepts it …
    errors = [e.message for e in validator().iter_errors(plain(text))]
    assert errors == [], where  # … and so does the schema


def test_the_specs_name_the_schema() -> None:
    for spec in [*ROOT.glob("zones/*.yaml"), example_spec("example.org.")]:
        text = spec.read_text() if isinstance(spec, Path) else spec
        assert text.startswith(SCHEMA_MODELINE + "\n")
    assert SCHEMA_MODELINE == "# yaml-language-server: $schema=../schema/dnsspec.schema.json"


# Documented invalid inputs (docs/spec-language.md, README) that a schema can express.
INVALID = {
    "unknown key": "spff: none\n",
    "unknown key in a policy": "spf: {mechanisms: [mx], al: fail}\n",
    "spf left empty": "spf:\n",
    "all inside mechanisms": "spf: {mechanisms: [mx, -all]}\n",
    "not a mechanism": "spf: {mechanisms: [mx, ip5:192.0.2.1]}\n",
    "redirect beside all": "spf: {redirect: _spf.example.com, all: fail}\n",
    "all not a result": "spf: {mechanisms: [mx], all: maybe}\n",
    "spf text that is no record": 'spf: "include:_spf.example.com -all"\n',
    "ttl 1:00": "ttl: 1:00\n",
    "ttl negative": "ttl: -1\n",
    "ttl a word": "ttl: one hour\n",
    "subdomain @": "subdomains:\n  '@': {spf: none}\n",
    "wildcard not leftmost": "subdomains:\n  a.*: {spf: none}\n",
    "label over 63": f"subdomains:\n  {'x' * 64}: {{spf: none}}\n",
    "subdomain with a dot": "subdomains:\n  www.: {spf: none}\n",
    "record name @": "records:\n  '@': {type: A, value: 192.0.2.1}\n",
    "record without type": "records:\n  www: {value: 192.0.2.1}\n",
    "unknown record type": "records:\n  www: {type: AXX, value: 192.0.2.1}\n",
    "octoDNS-only record key": (
        "records:\n  www: {type: A, value: 192.0.2.1, octodns: {healthcheck: {}}}\n"
    ),
    "record without value": "records:\n  www: {type: A}\n",
    "subdomain_default yes": "subdomain_default: yes\n",
    "manage some": "manage: some\n",
    "not a lint code": "ignore: [SPF 201]\n",
}


@pytest.mark.parametrize("text", list(INVALID.values()), ids=list(INVALID))
def test_the_schema_rejects_documented_invalid_input(text: str, tmp_path: Path) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text(text)
    with pytest.raises(SpecError):  # the loader refuses it …
        load_zone(file)
    assert list(validator().iter_errors(plain(text)))  # … and so does the schema
