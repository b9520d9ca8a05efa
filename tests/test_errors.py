"""The DnsspecError family: messages formatted by the class, locations where a file is involved."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from dnsspec.errors import DnsspecError, Location, ResolveError, SpecError, SpecProblem


class _NoSpec(DnsspecError):
    """A zone has no spec."""

    fmt: ClassVar[str | None] = "zone {zone} has no spec"
    zone: str


def test_fmt_formats_the_message_from_keywords_kept_as_attributes() -> None:
    error = _NoSpec(zone="example.com.")
    assert (str(error), error.zone, error.location) == (
        "zone example.com. has no spec",
        "example.com.",
        None,
    )


def test_docstring_is_the_default_message_and_a_location_prefixes_it() -> None:
    assert str(_NoSpec()) == "A zone has no spec."
    located = DnsspecError("bad entry", location=Location(Path("dnsspec.lock"), 3, 5))
    assert str(located) == "dnsspec.lock:3:5: bad entry"
    assert located.location == Location(Path("dnsspec.lock"), 3, 5)


def test_structured_fields_stay_attributes() -> None:
    error = ResolveError("timed out", qname="example.com.", rdtype="TXT")
    assert (error.message, error.qname, error.rdtype) == ("timed out", "example.com.", "TXT")


def test_spec_error_sorts_every_problem() -> None:
    late = SpecProblem(Location(Path("b.yaml"), 1, 1), "late")
    early = SpecProblem(Location(Path("a.yaml"), 9, 1), "early")
    error = SpecError([late, early])
    assert [p.message for p in error.problems] == ["early", "late"]
    assert str(error) == "2 problems in the zone specs"


def test_a_deferred_location_is_found_once_and_behaves_as_the_one_found() -> None:
    calls: list[int] = []

    def find() -> Location:
        calls.append(1)
        return Location(Path("z.yaml"), 3, 8)

    deferred = Location.deferred(Path("z.yaml"), find)
    assert calls == []
    real = Location(Path("z.yaml"), 3, 8)
    assert deferred == real and hash(deferred) == hash(real)
    assert sorted([Location(Path("z.yaml"), 9, 1), deferred]) == [
        real,
        Location(Path("z.yaml"), 9, 1),
    ]
    assert str(deferred) == "z.yaml:3:8" and repr(deferred) == repr(real)
    assert calls == [1]
    with pytest.raises(AttributeError):
        real.line = 4  # type: ignore[misc]
