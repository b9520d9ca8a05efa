"""One exception family for dnsspec.

Errors are values with a location until the CLI renders them; only the CLI
decides exit codes. Every class's docstring is its default message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import total_ordering
from pathlib import Path
from typing import Any, ClassVar


@total_ordering
class Location:
    """A 1-based position in a spec file (like yamllint's problems).

    Immutable, compared and ordered as ``(file, line, col)``. :meth:`deferred` makes
    one whose line and column are found when first read: every compiled record carries
    its spec location, and a spec's positions are only computed when something reads
    one (a finding, an error, a plan's context), so a file without findings keeps none.
    """

    __slots__ = ("_col", "_find", "_line", "file")

    file: Path
    _line: int
    _col: int
    _find: Callable[[], Location] | None

    def __init__(self, file: Path, line: int, col: int) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "_line", line)
        object.__setattr__(self, "_col", col)
        object.__setattr__(self, "_find", None)

    @classmethod
    def deferred(cls, file: Path, find: Callable[[], Location]) -> Location:
        """A location in ``file`` that ``find()`` gives the first time it is read."""
        location = cls.__new__(cls)
        object.__setattr__(location, "file", file)
        object.__setattr__(location, "_find", find)
        return location

    def _resolve(self) -> None:
        assert self._find is not None
        found = self._find()
        object.__setattr__(self, "_line", found.line)
        object.__setattr__(self, "_col", found.col)
        object.__setattr__(self, "_find", None)

    @property
    def line(self) -> int:
        if self._find is not None:
            self._resolve()
        return self._line

    @property
    def col(self) -> int:
        if self._find is not None:
            self._resolve()
        return self._col

    def _key(self) -> tuple[Path, int, int]:
        return (self.file, self.line, self.col)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Location is immutable: cannot set {name}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Location:
            return NotImplemented
        assert isinstance(other, Location)
        return self._key() == other._key()

    def __lt__(self, other: object) -> bool:
        if other.__class__ is not Location:
            return NotImplemented
        assert isinstance(other, Location)
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Location(file={self.file!r}, line={self.line!r}, col={self.col!r})"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class SpecProblem:
    """One problem found in a spec, with where it is and how to fix it."""

    location: Location
    message: str
    path: tuple[str | int, ...] = field(default=(), compare=False)
    hint: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class DnsspecError(Exception):
    """dnsspec failed."""

    #: the message built from keyword arguments (dnspython's ``fmt``): a subclass with
    #: ``fmt = "zone {zone} has no spec"`` is raised as ``NoSpec(zone="example.com.")``,
    #: and each keyword is kept as an attribute. Without ``fmt`` (or without keywords)
    #: the message is the one given, or the class docstring.
    fmt: ClassVar[str | None] = None
    location: Location | None

    def __init__(
        self, message: str | None = None, *, location: Location | None = None, **kwargs: Any
    ) -> None:
        self.location = location
        for key, value in kwargs.items():
            setattr(self, key, value)
        if message is None and self.fmt is not None and kwargs:
            message = self.fmt.format(**kwargs)
        message = message or (self.__doc__ or "").strip().partition("\n")[0]
        if location is not None:
            message = f"{location}: {message}"
        super().__init__(message)

    @property
    def message(self) -> str:
        return str(self.args[0])


class SpecError(DnsspecError):
    """The zone spec is invalid."""

    def __init__(self, problems: Sequence[SpecProblem]) -> None:
        self.problems: tuple[SpecProblem, ...] = tuple(sorted(problems))
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the zone specs")


class ResolveError(DnsspecError):
    """A DNS query failed."""

    qname: str
    rdtype: str

    def __init__(self, message: str | None = None, *, qname: str = "", rdtype: str = "") -> None:
        super().__init__(message, qname=qname, rdtype=rdtype)


class ResolveTimeout(ResolveError):
    """A DNS query timed out."""


class ProviderError(DnsspecError):
    """An octoDNS provider failed."""

    provider: str
    zone: str

    def __init__(self, message: str | None = None, *, provider: str = "", zone: str = "") -> None:
        super().__init__(message, provider=provider, zone=zone)


class ConfigError(DnsspecError):
    """The octoDNS configuration (providers.yaml) is invalid."""
