"""The ``dmarc:`` value: a policy mapping, a raw ``v=DMARC1`` record, or ``unset`` (issue #10).

``unset`` says the name deliberately publishes no DMARC record: it compiles to
nothing and is the spec's consent when a plan removes one (``--allow-policy-removal``).

Both forms become one :class:`~dnsspec.dmarc.syntax.DmarcRecord` through
:mod:`dnsspec.dmarc.syntax`. The mapping form publishes ``render(record)``
(tags in the order v, p, sp, np, psd, t, adkim, aspf, fo, rua, ruf); a raw string
is published byte for byte as written, once it parses, so importing an existing
record changes nothing. Legacy (``pct``, ``rf``, ``ri``) and unknown tags are
accepted only in the raw form (lint warns); in the mapping form they are
unknown keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    StrictBool,
    Tag,
    field_validator,
    model_validator,
)

from dnsspec.dmarc.syntax import POLICIES, DmarcRecord, DmarcSyntaxError, parse, render
from dnsspec.dmarc.uris import MAX_URIS, parse_uri
from dnsspec.spec.base import UNSET, SpecModel, spec_error
from dnsspec.spec.kinds.common import ReportUriText, form_of, given

PolicyWord = Literal["none", "quarantine", "reject"]
Alignment = Literal["relaxed", "strict"]
FoOption = Literal["0", "1", "d", "s"]
DmarcForm = Literal["mapping", "raw"]


_ALIGNMENT: dict[str, Literal["r", "s"]] = {"relaxed": "r", "strict": "s"}


def _fo_item(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class DmarcPolicySpec(SpecModel):
    """A DMARC policy as a mapping; each key is one tag (``policy`` is ``p=``)."""

    policy: PolicyWord
    subdomain_policy: PolicyWord | None = None
    nonexistent_policy: PolicyWord | None = None
    psd: Literal["y", "n", "u"] | None = None
    testing: StrictBool = False
    adkim: Alignment | None = None
    aspf: Alignment | None = None
    fo: tuple[Annotated[FoOption, BeforeValidator(_fo_item)], ...] = ()
    rua: tuple[ReportUriText, ...] = ()
    ruf: tuple[ReportUriText, ...] = ()

    @field_validator("fo")
    @classmethod
    def _fo(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise spec_error("an fo option is listed twice", "e.g. fo: ['1', d]")
        if "0" in value and "1" in value:
            raise spec_error(
                "fo options 0 and 1 are mutually exclusive (RFC 9989 §4.7)",
                "fo: ['1'] asks for a report when any mechanism fails, ['0'] when all fail",
            )
        return value

    @field_validator("rua", "ruf")
    @classmethod
    def _few_uris(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # the raw form's limit (dnsspec.dmarc.syntax): each URI receives every report
        if len(value) > MAX_URIS:
            raise spec_error(
                f"{len(value)} report URIs (at most {MAX_URIS}): every one receives every report",
                "keep the addresses that read the reports; a report service forwards to more",
            )
        return value

    @model_validator(mode="after")
    def _publishable(self) -> DmarcPolicySpec:
        # the mapping publishes render(record()): it must be a record the raw form accepts,
        # or the two forms would disagree (parse(render(r)) == r is the kind's contract)
        try:
            parse(render(self.record()))
        except DmarcSyntaxError as error:
            raise spec_error(f"the record would be invalid: {error.message}", error.hint) from None
        return self

    def record(self) -> DmarcRecord:
        """The record these keys describe."""
        return DmarcRecord(
            policy=self.policy,
            subdomain_policy=self.subdomain_policy,
            nonexistent_policy=self.nonexistent_policy,
            psd=self.psd,
            testing="y" if self.testing else None,
            adkim=None if self.adkim is None else _ALIGNMENT[self.adkim],
            aspf=None if self.aspf is None else _ALIGNMENT[self.aspf],
            fo=self.fo,
            rua=tuple(parse_uri(u) for u in self.rua),
            ruf=tuple(parse_uri(u) for u in self.ruf),
        )


def _check_text(text: str) -> str:
    if text == UNSET:  # the name deliberately publishes none (plan's removal consent)
        return text
    word = text.strip().lower()
    if word in POLICIES:  # `dmarc: reject`: the policy alone, not a record
        raise spec_error(
            f"'{text}' is a policy, not a DMARC record",
            f"write `dmarc: {{policy: {word}}}`"
            + ("; for no DMARC record at all, `dmarc: unset`" if word == "none" else ""),
        )
    try:
        parse(text)
    except DmarcSyntaxError as error:
        raise spec_error(
            f"invalid DMARC record at column {error.column + 1}: {error.message}",
            error.hint,
            offset=error.column,
        ) from None
    return text


DmarcText = Annotated[str, AfterValidator(_check_text)]

DmarcSpec = Annotated[
    Annotated[DmarcPolicySpec, Tag("(mapping)")] | Annotated[DmarcText, Tag("(text)")],
    Discriminator(
        lambda value: form_of(DmarcPolicySpec, value),
        custom_error_type="kind_form",
        custom_error_message="expected a DMARC policy mapping or a raw 'v=DMARC1; …' record",
    ),
]
OptionalDmarcSpec = Annotated[
    DmarcSpec | None,
    BeforeValidator(
        given(
            "dmarc",
            "`dmarc: {policy: reject, rua: [mailto:dmarc@example.com]}`",
            expected="a DMARC policy mapping or a raw 'v=DMARC1; …' record",
            forms=(dict, str, DmarcPolicySpec),
        )
    ),
]


@dataclass(frozen=True)
class DmarcValue:
    """A DMARC site's value: the record, the form it was written in, the text published."""

    record: DmarcRecord
    form: DmarcForm
    text: str  # the raw string as written, or render(record)


def site_value(spec: DmarcPolicySpec | str) -> DmarcValue:
    """The :class:`DmarcValue` of a validated ``dmarc:`` value (the kinds table's site_value)."""
    if isinstance(spec, DmarcPolicySpec):
        record = spec.record()
        return DmarcValue(record, "mapping", render(record))
    return DmarcValue(parse(spec), "raw", spec)


def mapping_of(record: DmarcRecord) -> dict[str, Any]:
    """The mapping form of a record without legacy or unknown tags (inverse of ``record()``).

    ``DmarcPolicySpec.model_validate(mapping_of(r)).record() == r`` for every record
    with a ``p=``, no ``extra`` tags and no ``t=n`` (which the mapping form cannot
    say: ``testing: false`` writes nothing).
    """
    words = {"r": "relaxed", "s": "strict"}
    data: dict[str, Any] = {"policy": record.policy}
    for key, value in (
        ("subdomain_policy", record.subdomain_policy),
        ("nonexistent_policy", record.nonexistent_policy),
        ("psd", record.psd),
        ("adkim", words.get(record.adkim or "")),
        ("aspf", words.get(record.aspf or "")),
    ):
        if value is not None:
            data[key] = value
    if record.testing == "y":
        data["testing"] = True
    if record.fo:
        data["fo"] = list(record.fo)
    for key, uris in (("rua", record.rua), ("ruf", record.ruf)):
        if uris:
            data[key] = [str(uri) for uri in uris]
    return data
