"""The ``mx: none`` value: this name accepts no mail, a null MX (RFC 7505).

``none``, or ``unset`` (the name deliberately has no null MX: under ``profile: parked``,
the profile then writes none there, and lint's PARKED102 says what that lets through).
YAML's ``null`` (an empty ``mx:``) reads as "no value", which is refused like any empty
key. ``none`` compiles to ``MX 0 .`` at the name; ``unset`` to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator

from dnsspec.spec.base import UNSET, spec_error

NULL_MX: dict[str, Any] = {"preference": 0, "exchange": "."}


def _mx_given(value: Any) -> Any:
    if value is None:
        raise spec_error(
            "no value given",
            "write `mx: none` for a name that accepts no mail; MX hosts go under `records:`",
        )
    if value not in ("none", UNSET):
        raise spec_error(
            f"expected `none` or `unset`, got {value!r}",
            "`mx: none` publishes a null MX (RFC 7505); MX hosts go under `records:` as "
            "{type: MX, values: [{preference: 10, exchange: mx1.example.com.}]}",
        )
    return value


NullMxSpec = Literal["none", "unset"]
OptionalNullMxSpec = Annotated[NullMxSpec | None, BeforeValidator(_mx_given)]


@dataclass(frozen=True)
class NullMxValue:
    """A null-MX site's value: the one MX value it publishes."""

    value: tuple[tuple[str, Any], ...] = tuple(NULL_MX.items())

    @property
    def octodns_value(self) -> dict[str, Any]:
        return dict(self.value)


def site_value(spec: str) -> NullMxValue:
    """The :class:`NullMxValue` of ``mx: none``."""
    return NullMxValue()
