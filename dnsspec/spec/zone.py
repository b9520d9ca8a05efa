"""The zone spec: one ``zones/<zone>.yaml`` file as pydantic models.

The shape is issue 2's contract: ``ttl``, ``spf`` (the apex), ``subdomains``
(each with its own ``spf``; SPF is never inherited), ``records`` (octoDNS's
record format, passed through), ``subdomain_default``, ``manage`` and
``ignore``. The zone's name comes from the file name and reaches the
validators through pydantic's validation context (``{"zone": "example.com."}``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BeforeValidator, Field, StrictInt, ValidationInfo

from dnsspec.spec.base import SpecModel, spec_error
from dnsspec.spec.names import relative_name_problem
from dnsspec.spec.spf import SpfForm, SpfPolicySpec, SpfSpec, spf_policy
from dnsspec.spf.syntax import Policy, render

MAX_TTL = 2**31 - 1
_CODE = re.compile(r"^[A-Z][A-Z0-9]*$")


def _zone(info: ValidationInfo) -> str | None:
    context = info.context
    zone = context.get("zone") if isinstance(context, dict) else None
    return zone if isinstance(zone, str) else None


def _subdomain_name(name: str, info: ValidationInfo) -> str:
    if name in ("", "@"):
        raise spec_error(
            "the zone apex is not a subdomain", "put the apex policy in the top-level `spf:`"
        )
    problem = relative_name_problem(name, _zone(info))
    if problem:
        raise spec_error(f"invalid subdomain name: {problem}", _NAME_HINT)
    return name


def _record_name(name: str, info: ValidationInfo) -> str:
    if name == "@":
        raise spec_error("'@' is not a record name here", "write '' (quoted) for the zone apex")
    problem = "" if name == "" else relative_name_problem(name, _zone(info))
    if problem:
        raise spec_error(f"invalid record name: {problem}", _NAME_HINT + "; '' is the apex")
    return name


_NAME_HINT = (
    "a name relative to the zone, such as 'lists', 'mail.eu', '_spf' or '*' "
    "(labels of 1-63 letters, digits, '-' or '_'; '*' only as the leftmost label)"
)


def _lint_code(code: str) -> str:
    if not _CODE.match(code):
        raise spec_error(
            f"'{code}' is not a lint rule code",
            "codes look like SPF201; `dnsspec rules` lists them",
        )
    return code


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


SubdomainName = Annotated[str, AfterValidator(_subdomain_name)]
RecordName = Annotated[str, AfterValidator(_record_name)]
RecordList = Annotated[list[dict[str, Any]], BeforeValidator(_as_list)]
LintCodes = tuple[Annotated[str, AfterValidator(_lint_code)], ...]
Ttl = Annotated[StrictInt, Field(ge=0, le=MAX_TTL)]


@dataclass(frozen=True)
class SpfAt:
    """One SPF policy of a zone and where it was written."""

    name: str  # relative, "" = apex
    path: tuple[str | int, ...]  # ("spf",) or ("subdomains", "lists", "spf")
    policy: Policy
    form: SpfForm
    text: str  # the rendered record "v=spf1 ..."
    ignore: tuple[str, ...]


def _spf_given(value: Any) -> Any:
    # runs only for a value written in the file: `spf:` left empty (or `~`) is a mistake,
    # not "no policy", which is said by leaving the key out
    if value is None:
        raise spec_error(
            "no value given",
            "write a policy mapping, `none` (the name sends no mail) or a raw 'v=spf1 …' "
            "string; to leave the name without SPF, remove the key",
        )
    return value


OptionalSpf = Annotated[SpfSpec | None, BeforeValidator(_spf_given)]


class SubdomainSpec(SpecModel):
    """A name below the apex and its own policy."""

    spf: OptionalSpf = None
    ignore: LintCodes = ()


class ZoneSpec(SpecModel):
    """A whole zone's mail policy plus the records passed through to octoDNS."""

    ttl: Ttl = 3600
    spf: OptionalSpf = None
    subdomains: dict[SubdomainName, SubdomainSpec] = Field(default_factory=dict)
    records: dict[RecordName, RecordList] = Field(default_factory=dict)
    subdomain_default: Literal["none", "unset"] = "unset"
    manage: Literal["owned", "all"] = "owned"
    ignore: LintCodes = ()

    def spf_policies(self) -> tuple[SpfAt, ...]:
        """Every policy of the zone: the apex first, then subdomains sorted by name."""
        return self._spf_policies

    def linted_policies(self) -> tuple[SpfAt, ...]:
        """:meth:`spf_policies`, then the ``v=spf1`` TXT values written under ``records:``
        (compile passes those through as they are; lint and the lock read them too)."""
        return self._linted_policies

    @cached_property
    def _linted_policies(self) -> tuple[SpfAt, ...]:
        from dnsspec.spec.records import record_spf_policies

        return self._spf_policies + record_spf_policies(self)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        copied = super().model_copy(update=update, deep=deep)
        for cached in ("_spf_policies", "_linted_policies"):  # pydantic copies caches too
            copied.__dict__.pop(cached, None)
        return copied

    @cached_property
    def _spf_policies(self) -> tuple[SpfAt, ...]:
        # computed once: lint, compile and the lock each ask several times per zone
        found = []
        if self.spf is not None:
            found.append(_spf_at("", ("spf",), self.spf, self.ignore))
        for name in sorted(self.subdomains):
            sub = self.subdomains[name]
            if sub.spf is not None:
                found.append(_spf_at(name, ("subdomains", name, "spf"), sub.spf, sub.ignore))
        return tuple(found)

    def policy_names(self) -> frozenset[str]:
        """Relative names that have an SPF policy (``""`` = apex)."""
        return frozenset(spf.name for spf in self.spf_policies())


def _spf_at(
    name: str, path: tuple[str | int, ...], spec: SpfPolicySpec | str, ignore: tuple[str, ...]
) -> SpfAt:
    policy, form = spf_policy(spec)
    return SpfAt(name, path, policy, form, render(policy), ignore)
