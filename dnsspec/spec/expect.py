"""``expect:``: what must hold for a name's mail policy (issue #13), checked by ``dnsspec test``.

Two kinds of assertion, one list per name (the apex, or ``subdomains.<name>``):

- SPF: ``{ip, sender, result}`` or ``{ip, helo, result}``: check_host (RFC 7208) for that
  client IP and MAIL FROM (``sender`` without ``@`` is ``postmaster@sender``) or, with
  ``helo`` alone, the HELO identity; ``result`` one result or a list of accepted ones.
- DMARC: ``{from, dmarc}``: the policy a receiver applies to mail whose From: domain is
  ``from`` when nothing aligns (RFC 9989 policy discovery, ``t=y`` applied).
"""

from __future__ import annotations

from ipaddress import ip_address
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, model_validator

from dnsspec.spec.base import SpecModel, spec_error

SpfResult = Literal["pass", "fail", "softfail", "neutral", "none", "permerror", "temperror"]
Disposition = Literal["none", "quarantine", "reject"]
IP_HINT = "write an IPv4 or IPv6 address, e.g. ip: 192.0.2.25 or ip: '2001:db8::25'"


def _ip(value: Any) -> Any:
    if not isinstance(value, str):
        raise spec_error(f"{value!r} is not an IP address", IP_HINT)
    try:
        ip_address(value.strip())
    except ValueError:
        raise spec_error(f"{value!r} is not an IP address", IP_HINT) from None
    return value.strip()


def _results(value: Any) -> Any:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and not value:
        raise spec_error("no result given", "e.g. result: pass, or result: [softfail, fail]")
    return value


_RESULT_ENUM = {"enum": list(get_args(SpfResult))}
_RESULT_SCHEMA = {"anyOf": [_RESULT_ENUM, {"type": "array", "items": _RESULT_ENUM, "minItems": 1}]}


def _address(value: str) -> str:
    if not value.strip() or value.strip() != value or " " in value:
        raise spec_error(f"{value!r} is not a mail address or domain", "e.g. billing@example.com")
    return value


Address = Annotated[str, AfterValidator(_address)]


class Expectation(SpecModel):
    """One assertion: an SPF verdict, or a DMARC disposition."""

    ip: Annotated[str, BeforeValidator(_ip)] | None = Field(
        None, description="The SMTP client's IP address.", examples=["192.0.2.25"]
    )
    sender: Address | None = Field(
        None,
        description="The MAIL FROM address (a bare domain means postmaster@domain).",
        examples=["billing@example.com"],
    )
    helo: Address | None = Field(
        None,
        description="The HELO/EHLO name; alone (no sender), the HELO identity is checked.",
        examples=["mx1.example.com"],
    )
    result: (
        Annotated[tuple[SpfResult, ...], BeforeValidator(_results), WithJsonSchema(_RESULT_SCHEMA)]
        | None
    ) = Field(
        None,
        description="The SPF result expected, or a list of accepted results.",
        examples=["pass", ["softfail", "fail"]],
    )
    from_: Address | None = Field(
        None,
        alias="from",
        description="The From: header domain (or address) of a DMARC assertion.",
        examples=["billing@example.com"],
    )
    dmarc: Disposition | None = Field(
        None,
        description="The DMARC policy receivers apply to that From: when nothing aligns.",
        examples=["reject"],
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Expectation:
        spf = self.ip is not None or self.result is not None or self.sender or self.helo
        dmarc = self.from_ is not None or self.dmarc is not None
        example = (
            "e.g. {ip: 192.0.2.25, sender: billing@example.com, result: pass} "
            "or {from: billing@example.com, dmarc: reject}"
        )
        if spf and dmarc:
            raise spec_error("an assertion is either SPF or DMARC, not both", example)
        if dmarc:
            if self.from_ is None or self.dmarc is None:
                raise spec_error("a DMARC assertion needs both `from` and `dmarc`", example)
            return self
        if self.ip is None or self.result is None or not (self.sender or self.helo):
            raise spec_error(
                "an SPF assertion needs `ip`, `result` and `sender` or `helo`", example
            )
        return self

    @property
    def kind(self) -> Literal["spf", "dmarc"]:
        return "dmarc" if self.dmarc is not None else "spf"
