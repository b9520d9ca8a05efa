"""One exception family for dnsspec.

Errors are values with a location until the CLI renders them; only the CLI
decides exit codes. Every class's docstring is its default message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based position in a spec file (like yamllint's problems)."""

    file: Path
    line: int
    col: int

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
