"""docs/spec-language.md stays true: every YAML example loads, the first compiles as shown."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from dnsspec.compile import compile_zone, to_zone_file
from dnsspec.spec.load import load_zone

DOC = Path(__file__).resolve().parents[2] / "docs" / "spec-language.md"


def blocks(kind: str) -> list[str]:
    fences = re.findall(r"^```(\w*)\n(.*?)^```$", DOC.read_text(), re.S | re.M)
    return [textwrap.dedent(body) for lang, body in fences if lang == kind]


def test_every_yaml_example_loads_and_compiles(tmp_path: Path) -> None:
    examples = blocks("yaml")
    assert len(examples) >= 8
    for text in examples:
        file = tmp_path / "example.com.yaml"
        file.write_text(text)
        compile_zone(load_zone(file))


def test_first_example_compiles_to_the_zone_lines_shown(tmp_path: Path) -> None:
    file = tmp_path / "example.com.yaml"
    file.write_text(blocks("yaml")[0])
    assert to_zone_file(compile_zone(load_zone(file))) == blocks("")[0]


README = DOC.parents[1] / "README.md"


def test_readme_spec_examples_load_and_compile(tmp_path: Path) -> None:
    """Every README block that starts with ``# zones/…yaml`` is a spec that loads."""
    fences = re.findall(r"^```yaml\n(.*?)^```$", README.read_text(), re.S | re.M)
    specs = [body for body in fences if body.startswith("# zones/")]
    assert len(specs) >= 5
    for text in specs:
        file = tmp_path / text.splitlines()[0].removeprefix("# zones/")
        file.write_text(text)
        compile_zone(load_zone(file))


def test_parked_domains_example_compiles_to_the_zone_lines_shown(tmp_path: Path) -> None:
    """The "Parked domains" section: its spec and the zone file printed below it."""
    section = DOC.read_text().split("## Parked domains", 1)[1].split("\n## ", 1)[0]
    spec, zone = re.findall(r"^```\w*\n(.*?)^```$", section, re.S | re.M)[:2]
    assert spec.startswith("profile: parked\n")
    file = tmp_path / "example.com.yaml"
    file.write_text(spec)
    assert to_zone_file(compile_zone(load_zone(file))) == zone
