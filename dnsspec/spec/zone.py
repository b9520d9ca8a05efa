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

import difflib
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StrictBool, StrictInt, ValidationInfo

from dnsspec.spec.base import spec_error
from dnsspec.spec.entries import RecordEntries
from dnsspec.spec.names import idna_hint, relative_name_problem, zone_suffix
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
        raise spec_error(f"invalid subdomain name: {problem}", idna_hint(name) or _NAME_HINT)
    _refuse_zone_suffix(name, info, "subdomains")
    return name


def _record_name(name: str, info: ValidationInfo) -> str:
    if name == "@":
        raise spec_error("'@' is not a record name here", "write '' (quoted) for the zone apex")
    problem = "" if name == "" else relative_name_problem(name, _zone(info))
    if problem:
        raise spec_error(
            f"invalid record name: {problem}", idna_hint(name) or _NAME_HINT + "; '' is the apex"
        )
    if name:
        _refuse_zone_suffix(name, info, "records")
    return name


def _refuse_zone_suffix(name: str, info: ValidationInfo, section: str) -> None:
    """A relative name that ends in the zone's own name is almost always the full name
    written by mistake (``lists.example.com`` is ``lists.example.com.example.com.``)."""
    zone = _zone(info)
    before = zone_suffix(name, zone)
    if before is None or zone is None:
        return
    data = info.data if isinstance(info.data, dict) else {}
    if "literal_names" not in data:
        return  # `literal_names:` itself is invalid (reported); no guess about this name
    if name.lower() in {n.lower() for n in data["literal_names"]}:
        return
    meant = f"{name}.{zone}"
    if before == "":
        fix = (
            "the apex's policy is the top-level `spf:`"
            if section == "subdomains"
            else "write '' (quoted) for the zone apex"
        )
    else:
        fix = f"write `{before}`"
    raise spec_error(
        f"'{name}' ends in the zone's own name: names are relative to the zone, so this is {meant}",
        f"{fix}; if you mean {meant}, list '{name}' under `literal_names:`",
    )


def _literal_name(name: str, info: ValidationInfo) -> str:
    if zone_suffix(name, _zone(info)) is None:
        raise spec_error(
            f"'{name}' does not end in the zone's own name: it needs no `literal_names:` entry",
            "remove it from `literal_names:`",
        )
    return name


_NAME_HINT = (
    "a name relative to the zone, such as 'lists', 'mail.eu', '_spf' or '*' "
    "(labels of 1-63 letters, digits, '-' or '_'; '*' only as the leftmost label)"
)

SubdomainName = Annotated[str, AfterValidator(_subdomain_name)]
LiteralName = Annotated[str, AfterValidator(_literal_name)]
RecordName = Annotated[str, AfterValidator(_record_name)]
Ttl = Annotated[StrictInt, Field(ge=0, le=MAX_TTL)]
PROFILES = ("parked",)


def _profile_given(value: Any) -> Any:
    if value is None:
        raise spec_error(
            "no value given", "write `profile: parked`; for no profile, remove the key"
        )
    if value not in PROFILES:
        close = difflib.get_close_matches(str(value), PROFILES, n=1, cutoff=0.5)
        raise spec_error(
            f"unknown profile {value!r} (profiles: {', '.join(PROFILES)})",
            f"did you mean '{close[0]}'?"
            if close
            else "write `profile: parked` for a domain "
            "that sends and receives no mail, or remove the key",
        )
    return value


Profile = Annotated[Literal["parked"] | None, BeforeValidator(_profile_given)]


class SubdomainSpec(MailPolicySpec):
    """A name below the apex and its own policy."""


class ZoneSpec(MailPolicySpec):
    """A whole zone's mail policy plus the records passed through to octoDNS."""

    ttl: Ttl = 3600
    # a declaration, not an action: dnsspec does not sign; lint's TLSA104 reads it
    dnssec: StrictBool = Field(
        default=False,
        description=(
            "The zone is DNSSEC-signed (at its provider or DNS server; dnsspec does not sign). "
            "DANE TLSA records are used only in a signed zone (RFC 7672 §2.2). "
            "Zone-level only."
        ),
        examples=[True],
    )
    # names that end in the zone's own name and are meant literally (validated before
    # subdomains and records, whose names it exempts)
    literal_names: tuple[LiteralName, ...] = Field(
        default=(),
        description=(
            "Names under `subdomains:` or `records:` that end in the zone's own name and are "
            "meant literally (lists.example.com here is lists.example.com.example.com.); "
            "without this, such a name is refused as the full name written by mistake."
        ),
        examples=[["lists.example.com"]],
    )
    subdomains: dict[SubdomainName, SubdomainSpec] = Field(default_factory=dict)
    records: dict[RecordName, RecordEntries] = Field(default_factory=dict)
    subdomain_default: Literal["none", "unset"] = "unset"
    profile: Profile = Field(
        default=None,
        description=(
            "`parked`: the domain sends and receives no mail. Adds a null MX, "
            "`v=spf1 -all` at the apex, at `*` and at every name with records, "
            "`_dmarc` with p=reject; sp=reject; np=reject (unless `dmarc:` is set) and "
            '`*._domainkey` "v=DKIM1; p=" (every selector revoked). Zone level only.'
        ),
        examples=["parked"],
    )
    manage: Literal["owned", "all"] = "owned"

    def policies(self) -> dict[str, MailPolicySpec]:
        """The mail policy of every name, by relative name: the apex (``""``) first,
        then the subdomains sorted by name."""
        found: dict[str, MailPolicySpec] = {"": self}
        for name in sorted(self.subdomains):
            found[name] = self.subdomains[name]
        return found
