"""What every spec model shares: the config and the located-problem error."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticCustomError

SPEC_ERROR = "dnsspec"
#: a kind's key set to this (`spf: unset`): the name deliberately publishes none of that kind
UNSET = "unset"


class SpecModel(BaseModel):
    """A piece of a user's spec: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def spec_error(
    message: str, hint: str | None = None, *, offset: int | None = None
) -> PydanticCustomError:
    """A validation error whose message and hint reach the user unchanged.

    The loader recognises the ``dnsspec`` error type and prints ``message``
    (with no "Value error," prefix) and ``hint`` at the node's position, or at
    ``offset`` characters into a string value when the file shows it verbatim.
    """
    context: dict[str, object] = {"message": message, "hint": hint or ""}
    if offset is not None:
        context["offset"] = offset
    return PydanticCustomError(SPEC_ERROR, "{message}", context)
