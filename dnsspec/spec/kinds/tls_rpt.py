"""The ``tls_rpt:`` value: ``{rua: [...]}``, a raw ``v=TLSRPTv1`` record, or ``unset`` (RFC 8460).

Compiles to TXT at ``_smtp._tls.<name>``: ``v=TLSRPTv1; rua=…`` (URIs comma-joined)
for the mapping, the raw string byte for byte once it parses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Discriminator, Tag, model_validator

from dnsspec.dmarc.uris import ReportUri
from dnsspec.spec.base import UNSET, SpecModel, spec_error
from dnsspec.spec.kinds.common import TlsRptUriText, form_of, given
from dnsspec.tlsrpt.syntax import TlsRptRecord, TlsRptSyntaxError, parse, render

TlsRptForm = Literal["mapping", "raw"]


def _nonempty(value: tuple[str, ...]) -> tuple[str, ...]:
    if not value:
        raise spec_error(
            "rua lists no report URI (RFC 8460 §3: at least one)",
            "rua: [mailto:tlsrpt@example.com]",
        )
    return value


class TlsRptPolicySpec(SpecModel):
    """Where sending MTAs report TLS failures for this name."""

    rua: Annotated[tuple[TlsRptUriText, ...], AfterValidator(_nonempty)]

    @model_validator(mode="after")
    def _publishable(self) -> TlsRptPolicySpec:
        # the mapping publishes render(record()): the raw form must accept it (the URI limit)
        try:
            parse(render(self.record()))
        except TlsRptSyntaxError as error:
            raise spec_error(f"the record would be invalid: {error.message}", error.hint) from None
        return self

    def record(self) -> TlsRptRecord:
        return TlsRptRecord(tuple(ReportUri(uri) for uri in self.rua))


def _check_text(text: str) -> str:
    if text == UNSET:  # the name deliberately publishes none (plan's removal consent)
        return text
    if text.strip().lower() in ("none", "off", "no", "false"):  # `tls_rpt: none`, as spf: none
        raise spec_error(
            f"'{text}' is not a TLS-RPT record (tls_rpt: has no `none` form)",
            "for no TLS-RPT record, remove the key or write `tls_rpt: unset`; "
            "to receive reports, `tls_rpt: {rua: [mailto:tlsrpt@example.com]}`",
        )
    try:
        parse(text)
    except TlsRptSyntaxError as error:
        raise spec_error(
            f"invalid TLS-RPT record at column {error.column + 1}: {error.message}",
            error.hint,
            offset=error.column,
        ) from None
    return text


TlsRptText = Annotated[str, AfterValidator(_check_text)]
TlsRptSpec = Annotated[
    Annotated[TlsRptPolicySpec, Tag("(mapping)")] | Annotated[TlsRptText, Tag("(text)")],
    Discriminator(
        lambda value: form_of(TlsRptPolicySpec, value),
        custom_error_type="kind_form",
        custom_error_message="expected `{rua: [...]}` or a raw 'v=TLSRPTv1; rua=…' record",
    ),
]
OptionalTlsRptSpec = Annotated[
    TlsRptSpec | None,
    BeforeValidator(
        given(
            "tls_rpt",
            "`tls_rpt: {rua: [mailto:tlsrpt@example.com]}`",
            expected="`{rua: [...]}` or a raw 'v=TLSRPTv1; rua=…' record",
            forms=(dict, str, TlsRptPolicySpec),
        )
    ),
]


@dataclass(frozen=True)
class TlsRptValue:
    """A TLS-RPT site's value: the record, its form, the text published."""

    record: TlsRptRecord
    form: TlsRptForm
    text: str


def site_value(spec: TlsRptPolicySpec | str) -> TlsRptValue:
    """The :class:`TlsRptValue` of a validated ``tls_rpt:`` value."""
    if isinstance(spec, TlsRptPolicySpec):
        record = spec.record()
        return TlsRptValue(record, "mapping", render(record))
    return TlsRptValue(parse(spec), "raw", spec)
