"""Load a YAML snippet into the new kinds' spec models, with located problems.

The models are not wired into ZoneSpec yet; :class:`Names` holds their fields the
way ``MailPolicySpec`` will, and :func:`load` validates a snippet the way the loader
does (positions from ``read_yaml``, problems from ``problem_from_pydantic``).
Import from tests under ``tests/kinds`` as ``from kind_specs import load``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from dnsspec.errors import SpecProblem
from dnsspec.spec.base import SpecModel
from dnsspec.spec.errors import problem_from_pydantic
from dnsspec.spec.kinds.dkim import OptionalDkimSpec
from dnsspec.spec.kinds.dmarc import OptionalDmarcSpec
from dnsspec.spec.kinds.mta_sts import OptionalMtaStsSpec
from dnsspec.spec.kinds.tls_rpt import OptionalTlsRptSpec
from dnsspec.spec.kinds.tlsa import OptionalTlsaSpec
from dnsspec.spec.source import read_yaml


class Names(SpecModel):
    dmarc: OptionalDmarcSpec = None
    tls_rpt: OptionalTlsRptSpec = None
    dkim: OptionalDkimSpec = None
    mta_sts: OptionalMtaStsSpec = None
    tlsa: OptionalTlsaSpec = None


def load(text: str, root: Path | None = None) -> Names | list[SpecProblem]:
    """The validated snippet, or its problems sorted by position."""
    data, source_map = read_yaml(Path("example.com.yaml"), text)
    context = {"zone": "example.com.", **({"root": root} if root else {})}
    try:
        return Names.model_validate(data, context=context)
    except ValidationError as error:
        return sorted(problem_from_pydantic(e, source_map) for e in error.errors())


def problems(text: str, root: Path | None = None) -> list[tuple[int, int, str, str | None]]:
    """``(line, col, message, hint)`` of each problem (the snippet must be invalid)."""
    found = load(text, root)
    assert isinstance(found, list), "expected problems"
    return [(p.location.line, p.location.col, p.message, p.hint) for p in found]


def valid(text: str, root: Path | None = None) -> Names:
    found = load(text, root)
    assert isinstance(found, Names), found
    return found
