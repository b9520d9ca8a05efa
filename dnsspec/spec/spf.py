"""The ``spf:`` value: a policy mapping, ``none``, or a raw ``v=spf1`` record.

Or ``unset``: the name deliberately publishes no SPF record (compiled to
nothing; plan/apply read it as the spec's consent to remove one).

Every term goes through :mod:`dnsspec.spf.syntax` (``parse_term``/``parse``);
this module adds only what the spec language itself decides: ``all`` is its
own key, ``redirect`` and ``all`` are exclusive in the mapping form, and names
in domain-specs obey DNS length limits (labels ≤ 63, names ≤ 253 octets).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Discriminator, Field, Tag, ValidationInfo, field_validator

from dnsspec.spec.base import UNSET, SpecModel, spec_error
from dnsspec.spec.names import a_labels_in, domain_problem
from dnsspec.spf.syntax import (
    MECHANISMS,
    Mechanism,
    Modifier,
    Policy,
    SpfSyntaxError,
    Term,
    parse,
    parse_term,
    render,
)

AllResult = Literal["fail", "softfail", "neutral", "pass"]
ALL_QUALIFIER: dict[str, str] = {"fail": "-", "softfail": "~", "neutral": "?", "pass": "+"}
NONE_RECORD = "v=spf1 -all"
SpfForm = Literal["mapping", "none", "raw", "records"]  # records: a v=spf1 TXT in records:

_TERM_HINT = (
    "write a mechanism as [+-~?]name[:domain][/cidr], e.g. 'ip4:192.0.2.0/24', "
    "'include:_spf.example.net', '~a:mail.example.com/24//64'"
)


def term_domain_problem(term: Term) -> str | None:
    """Why a term's domain-spec is not a usable DNS name (macros are not checked)."""
    if isinstance(term, Mechanism):
        domain = term.domain
    elif term.name in ("redirect", "exp"):
        domain = term.value
    else:
        return None
    if domain is None or "%" in domain:
        return None
    problem = domain_problem(domain)
    return f"invalid domain '{domain}': {problem}" if problem else None


def _ascii_hint(text: str) -> str | None:
    """The A-label form of a term or record with a Unicode name in it."""
    if text.isascii():
        return None
    converted = a_labels_in(text)
    if converted is None:
        return "SPF records are ASCII and this name has no IDNA A-label form"
    return f"write the A-label: '{converted}'"


def _several_terms_hint(text: str) -> str:
    """A hint for one list item holding several terms: the list it should be, in YAML."""
    terms = text.split()
    if len(terms) >= 3 and "-" in terms[1:]:
        return (
            "this looks like a mis-indented list item, which YAML joins to the item above: "
            "start each `- term` at the same column"
        )
    return f"one term per list item: `{flow_list(terms)}`"


def flow_list(items: list[str]) -> str:
    """``items`` as a YAML flow sequence that loads back to exactly these strings."""
    import yaml

    text: str = yaml.safe_dump(items, default_flow_style=True, width=1 << 30).strip()
    return text


def _check_mechanism(text: str) -> str:
    try:
        term = parse_term(text)
    except SpfSyntaxError as error:
        reason = error.message.removesuffix(f" in term {text!r}")
        hint = _ascii_hint(text) or _TERM_HINT
        if " " in text.strip():
            hint = _several_terms_hint(text)
        raise spec_error(f"invalid SPF mechanism '{text}': {reason}", hint) from None
    if isinstance(term, Modifier):
        hint = (
            f"write it as `{term.name}: {term.value}` beside `mechanisms:`"
            if term.name in ("redirect", "exp")
            else f"unknown modifiers go under `modifiers:`, e.g. `modifiers: {{{term.name}: ...}}`"
        )
        raise spec_error(f"'{text}' is a modifier, not a mechanism", hint)
    if term.kind == "all":
        raise spec_error(
            f"'{text}' is not allowed in mechanisms: `all` is its own key",
            "remove it from the list and write `all: fail` (or softfail, neutral, pass) "
            "beside `mechanisms:`",
        )
    problem = term_domain_problem(term)
    if problem:
        raise spec_error(f"invalid SPF mechanism '{text}': {problem}", _TERM_HINT)
    return text


def _check_modifier_value(name: str, value: str) -> str:
    try:
        term = parse_term(f"{name}={value}")
    except SpfSyntaxError as error:
        reason = error.message.removesuffix(f" in term {name + '=' + value!r}")
        raise spec_error(
            f"invalid {name}= value '{value}': {reason}",
            _ascii_hint(value) or "a domain name, optionally with macros such as %{d} or %{i}",
        ) from None
    problem = term_domain_problem(term)
    if problem:
        raise spec_error(f"invalid {name}= value: {problem}")
    return value


Mechanisms = tuple[Annotated[str, AfterValidator(_check_mechanism)], ...]


class SpfPolicySpec(SpecModel):
    """An SPF policy as a mapping: mechanisms in order, then ``all`` or ``redirect``."""

    mechanisms: Mechanisms = ()
    all: AllResult | None = None
    redirect: str | None = None
    exp: str | None = None
    modifiers: dict[str, str] = Field(default_factory=dict)

    @field_validator("redirect")
    @classmethod
    def _redirect(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        _check_modifier_value("redirect", value)
        if info.data.get("all") is not None:
            raise spec_error(
                "`redirect` and `all` cannot be combined: receivers ignore redirect= "
                "when the record has an `all` (RFC 7208 §6.1)",
                "keep `all` to decide here, or remove it to let the redirect target decide",
            )
        return value

    @field_validator("exp")
    @classmethod
    def _exp(cls, value: str | None) -> str | None:
        return None if value is None else _check_modifier_value("exp", value)

    @field_validator("modifiers")
    @classmethod
    def _modifiers(cls, value: dict[str, str]) -> dict[str, str]:
        seen: dict[str, str] = {}
        for name, text in value.items():
            lowered = name.lower()
            if lowered in ("redirect", "exp"):
                raise spec_error(
                    f"modifier '{name}' has its own key", f"write `{lowered}: {text}` instead"
                )
            if lowered in seen:
                raise spec_error(
                    f"duplicate modifier '{name}' (also written as '{seen[lowered]}')",
                    "modifier names are case-insensitive; keep one",
                )
            seen[lowered] = name
            try:
                term = parse_term(f"{name}={text}")
            except SpfSyntaxError as error:
                raise spec_error(
                    f"invalid modifier '{name}': {error.message}",
                    "a modifier is name=value; the name starts with a letter",
                ) from None
            if not isinstance(term, Modifier):
                raise spec_error(f"invalid modifier name '{name}'")
        return value

    def policy(self) -> Policy:
        """The policy these keys describe, built term by term with ``parse_term``."""
        terms: list[Term] = [parse_term(text) for text in self.mechanisms]
        if self.all is not None:
            terms.append(parse_term(f"{ALL_QUALIFIER[self.all]}all"))
        if self.redirect is not None:
            terms.append(parse_term(f"redirect={self.redirect}"))
        if self.exp is not None:
            terms.append(parse_term(f"exp={self.exp}"))
        terms.extend(parse_term(f"{name}={text}") for name, text in self.modifiers.items())
        return Policy(tuple(terms))


def _check_text(text: str) -> str:
    if text in ("none", UNSET):
        return text
    if text[:6].lower() != "v=spf1":
        close = difflib.get_close_matches(text, ["none", UNSET, *MECHANISMS], n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else "write `none` for a name that never sends mail, or a mapping with `mechanisms:`"
        )
        raise spec_error(
            f"expected a policy mapping, `none` or a raw 'v=spf1 …' record, got '{text}'", hint
        )
    problem = raw_record_problem(text)
    if problem is not None:
        message, term_hint, offset = problem
        raise spec_error(message, term_hint, offset=offset)
    return text


def raw_record_problem(text: str) -> tuple[str, str | None, int | None] | None:
    """(message, hint, offset of the bad term) when a ``v=spf1 …`` text is not a valid policy."""
    try:
        policy = parse(text)
    except SpfSyntaxError as error:
        return (
            f"invalid SPF record at column {error.column + 1} of the record: {error.message}",
            _ascii_hint(text) or "columns count from the 'v' of 'v=spf1'; " + _TERM_HINT,
            error.column,
        )
    for term in policy.terms:
        problem = term_domain_problem(term)
        if problem:
            return f"invalid SPF record: {problem}", None, None
    return None


SpfText = Annotated[str, AfterValidator(_check_text)]


def _spf_form(value: Any) -> str | None:
    if isinstance(value, dict | SpfPolicySpec):
        return "(mapping)"
    if isinstance(value, str):
        return "(text)"
    return None


SpfSpec = Annotated[
    Annotated[SpfPolicySpec, Tag("(mapping)")] | Annotated[SpfText, Tag("(text)")],
    Discriminator(
        _spf_form,
        custom_error_type="spf_form",
        custom_error_message="expected a policy mapping, `none` or a raw 'v=spf1 …' record",
    ),
]


@dataclass(frozen=True, slots=True)
class SpfValue:
    """An SPF site's value: the policy, the form it was written in, the record as published."""

    policy: Policy
    form: SpfForm
    text: str  # render(policy): "v=spf1 ..."


def site_value(spec: SpfPolicySpec | str) -> SpfValue:
    """The :class:`SpfValue` of a validated ``spf:`` value (the kinds table's ``site_value``)."""
    form: SpfForm
    if isinstance(spec, SpfPolicySpec):
        policy, form = spec.policy(), "mapping"
    elif spec == "none":
        policy, form = parse(NONE_RECORD), "none"
    else:
        policy, form = parse(spec), "raw"
    return SpfValue(policy, form, render(policy))


def record_site_value(text: str) -> SpfValue:
    """The :class:`SpfValue` of a ``v=spf1`` TXT value under ``records:``."""
    policy = parse(text)
    return SpfValue(policy, "records", render(policy))
