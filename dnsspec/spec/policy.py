"""The per-name mail policy: the keys the apex and every ``subdomains.<name>`` share.

:class:`MailPolicySpec` carries one optional key per record kind (today
``spf``) and the name's lint ``ignore:`` list. The zone file's top level is a
policy for the apex (plus the zone-wide keys), ``subdomains.<name>`` a policy
for that name. :func:`dnsspec.spec.sites.policy_sites` reads the kinds'
keys through the kinds table (:mod:`dnsspec.kinds`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from dnsspec.lint.catalogue import ENTRY_HINT, entry_problem
from dnsspec.spec.base import SpecModel, spec_error
from dnsspec.spec.expect import Expectation
from dnsspec.spec.kinds.dkim import OptionalDkimSpec
from dnsspec.spec.kinds.dmarc import OptionalDmarcSpec
from dnsspec.spec.kinds.mta_sts import OptionalMtaStsSpec
from dnsspec.spec.kinds.null_mx import OptionalNullMxSpec
from dnsspec.spec.kinds.tls_rpt import OptionalTlsRptSpec
from dnsspec.spec.kinds.tlsa import OptionalTlsaSpec
from dnsspec.spec.spf import SpfSpec


def _lint_code(code: str) -> str:
    # the lint catalogue's one validator: the vocabulary of --select/--ignore
    problem = entry_problem(code)
    if problem is not None:
        raise spec_error(problem, ENTRY_HINT)
    return code


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


LintCodes = tuple[Annotated[str, AfterValidator(_lint_code)], ...]
OptionalSpf = Annotated[SpfSpec | None, BeforeValidator(_spf_given)]


class MailPolicySpec(SpecModel):
    """The mail-policy keys of one name (the apex, or a subdomain)."""

    spf: OptionalSpf = None
    dmarc: OptionalDmarcSpec = None
    tls_rpt: OptionalTlsRptSpec = None
    dkim: OptionalDkimSpec = None
    mx: OptionalNullMxSpec = None  # `none`: a null MX (RFC 7505)
    mta_sts: OptionalMtaStsSpec = None
    tlsa: OptionalTlsaSpec = None
    ignore: LintCodes = ()
    expect: tuple[Expectation, ...] = Field(
        (),
        description="Assertions `dnsspec test` checks: SPF {ip, sender or helo, result} "
        "and DMARC {from, dmarc}.",
        examples=[[{"ip": "192.0.2.25", "sender": "billing@example.com", "result": "pass"}]],
    )
