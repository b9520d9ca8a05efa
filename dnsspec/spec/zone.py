"""The zone spec: one ``zones/<zone>.yaml`` file as pydantic models.

The shape is issue 2's contract: ``ttl``, ``spf`` (the apex), ``subdomains``
(each with its own ``spf``; SPF is never inherited), ``records`` (octoDNS's
record format, typed as :class:`~dnsspec.spec.entries.RecordEntry`),
``subdomain_default``, ``manage`` and ``ignore``. The apex and each subdomain
share the per-name keys of :class:`~dnsspec.spec.policy.MailPolicySpec`. The
zone's name comes from the file name and reaches the validators through
pydantic's validation context (``{"zone": "example.com."}``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictInt, ValidationInfo

from dnsspec.spec.base import spec_error
from dnsspec.spec.entries import RecordEntries
from dnsspec.spec.names import relative_name_problem
from dnsspec.spec.policy import MailPolicySpec

MAX_TTL = 2**31 - 1


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

SubdomainName = Annotated[str, AfterValidator(_subdomain_name)]
RecordName = Annotated[str, AfterValidator(_record_name)]
Ttl = Annotated[StrictInt, Field(ge=0, le=MAX_TTL)]


class SubdomainSpec(MailPolicySpec):
    """A name below the apex and its own policy."""


class ZoneSpec(MailPolicySpec):
    """A whole zone's mail policy plus the records passed through to octoDNS."""

    ttl: Ttl = 3600
    subdomains: dict[SubdomainName, SubdomainSpec] = Field(default_factory=dict)
    records: dict[RecordName, RecordEntries] = Field(default_factory=dict)
    subdomain_default: Literal["none", "unset"] = "unset"
    manage: Literal["owned", "all"] = "owned"

    def policies(self) -> dict[str, MailPolicySpec]:
        """The mail policy of every name, by relative name: the apex (``""``) first,
        then the subdomains sorted by name."""
        found: dict[str, MailPolicySpec] = {"": self}
        for name in sorted(self.subdomains):
            found[name] = self.subdomains[name]
        return found
