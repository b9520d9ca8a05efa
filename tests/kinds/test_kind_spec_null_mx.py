"""``mx: none``: the null MX value (RFC 7505)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from dnsspec.errors import SpecProblem
from dnsspec.spec.base import SpecModel
from dnsspec.spec.errors import problem_from_pydantic
from dnsspec.spec.kinds.null_mx import NULL_MX, OptionalNullMxSpec, site_value
from dnsspec.spec.source import read_yaml


class Name(SpecModel):
    mx: OptionalNullMxSpec = None


def _problems(text: str) -> list[SpecProblem]:
    data, source_map = read_yaml(Path("example.com.yaml"), text)
    try:
        Name.model_validate(data)
    except ValidationError as error:
        return [problem_from_pydantic(e, source_map) for e in error.errors()]
    return []


def test_none_is_a_null_mx() -> None:
    name = Name.model_validate({"mx": "none"})
    assert name.mx == "none"
    assert site_value("none").octodns_value == NULL_MX == {"preference": 0, "exchange": "."}


def test_anything_else_is_a_located_error() -> None:
    (empty,) = _problems("mx:\n")
    assert (empty.location.line, empty.location.col) == (1, 4)
    assert "no value given" in empty.message and empty.hint and "mx: none" in empty.hint
    (host,) = _problems("mx: mx1.example.com\n")
    assert (host.location.line, host.location.col) == (1, 5)
    assert "expected `none`" in host.message and host.hint and "records:" in host.hint
