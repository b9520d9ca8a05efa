"""The ``mta_sts:`` value: mode, MX patterns and max_age of the policy (RFC 8461).

``mx`` defaults to the MX hosts of the same name in the spec, which only the
generator knows: :func:`policy` takes them. The ``_mta-sts`` TXT's id is the
policy file's hash (:func:`dnsspec.mta_sts.policy.policy_id`), so it changes
exactly when the served file does; it is never written in the spec.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StrictInt

from dnsspec.mta_sts.mx import mx_pattern_problem
from dnsspec.mta_sts.policy import DEFAULT_MAX_AGE, Mode, StsPolicy, max_age_problem, render
from dnsspec.mta_sts.policy import policy_id as _policy_id
from dnsspec.mta_sts.syntax import StsRecord
from dnsspec.mta_sts.syntax import render as render_record
from dnsspec.spec.base import SpecModel, spec_error
from dnsspec.spec.kinds.common import given


def _pattern(text: str) -> str:
    problem = mx_pattern_problem(text)
    if problem:
        raise spec_error(
            f"invalid mx pattern: {problem}",
            "a host name such as mx1.example.com, or *.mx.example.net for one label",
        )
    return text


def _max_age(value: int) -> int:
    problem = max_age_problem(value)
    if problem:
        raise spec_error(problem, f"e.g. max_age: {DEFAULT_MAX_AGE} (one week)")
    return value


class MtaStsSpec(SpecModel):
    """An MTA-STS policy for this mail domain."""

    mode: Mode
    mx: tuple[Annotated[str, AfterValidator(_pattern)], ...] | None = None
    max_age: Annotated[StrictInt, AfterValidator(_max_age)] = DEFAULT_MAX_AGE


OptionalMtaStsSpec = Annotated[
    MtaStsSpec | None,
    BeforeValidator(given("mta_sts", "`{mode: testing}`")),
]


@dataclass(frozen=True)
class MtaStsValue:
    """An MTA-STS site's value: the spec's mode, patterns (``None``: the MX hosts), max_age."""

    mode: Mode
    mx: tuple[str, ...] | None
    max_age: int

    def policy(self, mx_hosts: Sequence[str] = ()) -> StsPolicy:
        """The policy, with ``mx_hosts`` (no trailing dot) when the spec gives no ``mx``."""
        patterns = self.mx if self.mx is not None else tuple(h.rstrip(".") for h in mx_hosts)
        return StsPolicy(self.mode, patterns, self.max_age)

    def policy_file(self, mx_hosts: Sequence[str] = ()) -> bytes:
        """The exact bytes to serve at ``https://mta-sts.<name>/.well-known/mta-sts.txt``."""
        return render(self.policy(mx_hosts))

    def record_text(self, mx_hosts: Sequence[str] = ()) -> str:
        """The ``_mta-sts`` TXT: ``v=STSv1; id=<first 32 hex digits of the file's SHA-256>``."""
        return render_record(StsRecord(_policy_id(self.policy_file(mx_hosts))))


def site_value(spec: MtaStsSpec) -> MtaStsValue:
    """The :class:`MtaStsValue` of a validated ``mta_sts:`` value."""
    return MtaStsValue(spec.mode, spec.mx, spec.max_age)
