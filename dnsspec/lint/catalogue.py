"""The catalogue: every lint rule family and every rule, in one explicit table.

As ruff's ``codes.rs`` maps a code to a rule, :data:`FAMILIES` lists each
family (code prefix, title, the paragraph of docs/rules.md) and, for each of
its rules, the stable code, the kebab-case name and the check function by
dotted path (``module:attribute`` below ``dnsspec.lint.rules``). Nothing
registers itself on import: the check modules are imported when rules are
first asked for (a lint run, ``dnsspec rules``), and importing this module
imports no rule module and nothing of ``dnsspec.spec``, so the spec loader
can validate ``ignore:`` entries with :func:`entry_problem` without an
import cycle.

Adding a family (a record kind's rules) is one :class:`Family` line here and
its check modules under ``dnsspec/lint/rules/<kind>/``. Codes are never
reused.

Selection is ruff's: an entry of ``--select``/``--ignore`` or a spec's
``ignore:`` is ``ALL``, a code or a code prefix (``SPF2``, ``spf201``: any
case), or a rule name (``spf-too-many-lookups``); :func:`entry_problem` is
the one validator of those entries.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from dnsspec.lint.model import Check, Rule, UnknownRuleError

_PREFIX = re.compile(r"^[A-Z]+[0-9]$")
_CODE_DIGITS = re.compile(r"^[0-9]{2}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
_PATH = re.compile(r"^[a-z_][a-z0-9_.]*:[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class RuleLine:
    """One rule of a family: its code, its name, and where its check lives."""

    code: str  # "SPF201"
    name: str  # "spf-too-many-lookups"
    check: str  # "spf.limits:too_many_lookups" (below dnsspec.lint.rules)


@dataclass(frozen=True)
class Family:
    """A family of rules: one code prefix (by hundreds, ruff style)."""

    prefix: str  # "SPF2": the codes SPF200 … SPF299
    title: str  # "SPF lookup cost"
    docs: str  # the family's line in docs/rules.md
    rules: tuple[RuleLine, ...]


def _rules(*lines: tuple[str, str, str]) -> tuple[RuleLine, ...]:
    return tuple(RuleLine(*line) for line in lines)


# fmt: off
FAMILIES: tuple[Family, ...] = (
    Family("SPF1", "SPF syntax and shape", "SPF syntax and shape", _rules(
        ("SPF101", "spf-redirect-beside-all", "spf.terms:redirect_beside_all"),
        ("SPF102", "spf-unknown-modifier", "spf.terms:unknown_modifier"),
        ("SPF103", "spf-missing-all", "spf.terms:missing_all"),
        ("SPF104", "spf-terms-after-all", "spf.terms:terms_after_all"),
        ("SPF105", "spf-ptr-mechanism", "spf.terms:ptr_mechanism"),
        ("SPF106", "spf-cidr-host-bits", "spf.ranges:cidr_host_bits"),
        ("SPF107", "spf-redundant-range", "spf.ranges:redundant_range"),
        ("SPF108", "spf-record-too-long", "spf.ranges:record_too_long"),
    )),
    Family("SPF2", "SPF lookup cost",
           "SPF lookup cost (the 10-lookup and 2-void-lookup limits)", _rules(
        ("SPF201", "spf-too-many-lookups", "spf.limits:too_many_lookups"),
        ("SPF202", "spf-lookups-near-limit", "spf.limits:lookups_near_limit"),
        ("SPF203", "spf-too-many-void-lookups", "spf.limits:too_many_void_lookups"),
        ("SPF204", "spf-unresolved-include", "spf.limits:unresolved_include"),
        ("SPF205", "spf-too-many-mx-names", "spf.targets:too_many_mx_names"),
        ("SPF206", "spf-void-lookup", "spf.targets:void_lookup"),
        ("SPF207", "spf-broken-include", "spf.limits:broken_include"),
    )),
    Family("SPF3", "SPF policy and coverage", "SPF policy and coverage", _rules(
        ("SPF301", "spf-pass-all", "spf.qualifiers:pass_all"),
        ("SPF302", "spf-neutral-all", "spf.qualifiers:neutral_all"),
        ("SPF303", "spf-missing-policy", "spf.coverage:missing_policy"),
        ("SPF304", "spf-include-without-policy", "spf.includes:include_without_policy"),
        ("SPF305", "spf-include-loop", "spf.includes:include_loop"),
        ("SPF306", "spf-policy-below-delegation", "spf.coverage:policy_below_delegation"),
    )),
    Family("DMARC1", "DMARC policy", "DMARC policy (the `dmarc:` records)", _rules(
        ("DMARC101", "dmarc-policy-none", "dmarc.policy:policy_none"),
        ("DMARC102", "dmarc-testing-mode", "dmarc.policy:testing_mode"),
        ("DMARC103", "dmarc-weaker-subdomain-policy", "dmarc.policy:weaker_subdomain_policy"),
        ("DMARC104", "dmarc-legacy-tag", "dmarc.tags:legacy_tag"),
        ("DMARC105", "dmarc-unknown-tag", "dmarc.tags:unknown_tag"),
        ("DMARC106", "dmarc-missing-rua", "dmarc.tags:missing_rua"),
        ("DMARC107", "dmarc-report-size-suffix", "dmarc.tags:report_size_suffix"),
        ("DMARC108", "dmarc-unauthorized-report-destination",
         "dmarc.reports:unauthorized_report_destination"),
        ("DMARC109", "dmarc-nothing-can-align", "dmarc.alignment:nothing_can_align"),
    )),
    Family("DNS4", "DNS record conflicts", "DNS record conflicts", _rules(
        ("DNS401", "cname-with-other-data", "dns.conflicts:cname_with_other_data"),
        ("DNS402", "spf-multiple-records", "dns.conflicts:multiple_records"),
        ("DNS403", "spf-rr-type", "dns.conflicts:spf_rr_type"),
    )),
    Family("DKIM1", "DKIM keys and selectors", "DKIM keys and selectors", _rules(("DKIM101", "dkim-key-too-short", "dkim.keys:key_too_short"), ("DKIM102", "dkim-key-short", "dkim.keys:key_short"), ("DKIM103", "dkim-testing-flag", "dkim.keys:testing_flag"), ("DKIM104", "dkim-sha1-only", "dkim.keys:sha1_only"), ("DKIM105", "dkim-reused-key", "dkim.keys:reused_key"), ("DKIM106", "dkim-selector-in-records", "dkim.keys:selector_in_records"))),  # noqa: E501
    Family("MTASTS1", "MTA-STS policies", "MTA-STS policies", _rules(("MTASTS101", "mta-sts-testing-mode", "mta_sts.policy:testing_mode"), ("MTASTS102", "mta-sts-mx-mismatch", "mta_sts.policy:mx_mismatch"), ("MTASTS103", "mta-sts-no-policy-host", "mta_sts.policy:no_policy_host"), ("MTASTS104", "mta-sts-short-max-age", "mta_sts.policy:short_max_age"), ("MTASTS105", "mta-sts-without-tls-rpt", "mta_sts.policy:without_tls_rpt"))),  # noqa: E501
    Family("TLSA1", "DANE TLSA records", "DANE TLSA records", _rules(("TLSA101", "tlsa-pkix-usage", "tlsa.dane:pkix_usage"), ("TLSA102", "tlsa-no-next-key", "tlsa.dane:no_next_key"), ("TLSA103", "tlsa-not-an-mx", "tlsa.dane:not_an_mx"), ("TLSA104", "tlsa-unsigned-zone", "tlsa.dane:unsigned_zone"))),  # noqa: E501
    Family("PARKED1", "Parked domains",
           "parked domains (`profile: parked`) against the keys beside the profile", _rules(
        ("PARKED101", "parked-permissive-spf", "parked.conflicts:permissive_spf"),
        ("PARKED102", "parked-accepts-mail", "parked.conflicts:accepts_mail"),
        ("PARKED103", "parked-dkim-key", "parked.conflicts:dkim_key"),
        ("PARKED104", "parked-weaker-dmarc", "parked.conflicts:weaker_dmarc"),
    )),
    Family("MX1", "Null MX", "null MX (`mx: none`, RFC 7505)", _rules(
        ("MX101", "null-mx-beside-mx", "null_mx.policy:null_mx_beside_mx"),
        ("MX102", "null-mx-sender", "null_mx.policy:null_mx_sender"),
    )),
    Family("TLSRPT1", "TLS-RPT", "TLS-RPT reporting (`tls_rpt:`, RFC 8460)", _rules(
        ("TLSRPT101", "mx-without-tls-rpt", "tls_rpt.reporting:mx_without_tls_rpt"),
    )),
    Family("SPEC1", "Spec files", "the spec files themselves", _rules(
        ("SPEC101", "empty-spec", "spec.files:empty_spec"),
    )),
    Family("CFG1", "Specs and the zone list",
           "the specs against the zone list of providers.yaml", _rules(
        ("CFG101", "spec-without-zone", "config.zones:spec_without_zone"),
        ("CFG102", "zone-without-spec", "config.zones:zone_without_spec"),
    )),
)
# fmt: on


def check_table(families: Sequence[Family]) -> None:
    """Raise ValueError unless every code is in its family's range and unique, every
    name kebab-case and unique, and every prefix unique (run by the tests and by
    :func:`all_rules`)."""
    prefixes: set[str] = set()
    codes: set[str] = set()
    names: set[str] = set()
    for family in families:
        if not _PREFIX.match(family.prefix) or family.prefix in prefixes:
            raise ValueError(f"family prefix {family.prefix!r} is malformed or taken")
        prefixes.add(family.prefix)
        for line in family.rules:
            digits = line.code[len(family.prefix) :]
            if not line.code.startswith(family.prefix) or not _CODE_DIGITS.match(digits):
                raise ValueError(f"rule code {line.code!r} is not in family {family.prefix}xx")
            if line.code in codes:
                raise ValueError(f"rule code {line.code} is taken")
            if not _NAME.match(line.name):
                raise ValueError(f"rule name {line.name!r} is not kebab-case")
            if line.name in names:
                raise ValueError(f"rule name {line.name!r} is taken")
            if not _PATH.match(line.check):
                raise ValueError(f"rule {line.code}: {line.check!r} is not module:attribute")
            codes.add(line.code)
            names.add(line.name)


def build_rules(families: Sequence[Family]) -> tuple[Rule, ...]:
    """The rules of a table, their check functions imported (the table checked first)."""
    check_table(families)
    rules = []
    for family in families:
        for line in family.rules:
            module, _, attribute = line.check.partition(":")
            found = getattr(importlib.import_module(f"dnsspec.lint.rules.{module}"), attribute)
            if not isinstance(found, Check):
                raise ValueError(f"rule {line.code}: {line.check} is not a @check function")
            rules.append(Rule(line.code, line.name, family.title, found))
    return tuple(rules)


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule of the catalogue, in table order (family, then code)."""
    return build_rules(FAMILIES)


def get(code_or_name: str) -> Rule:
    """The rule with this code or name (any case); UnknownRuleError otherwise."""
    key = code_or_name.strip()
    for r in all_rules():
        if r.code == key.upper() or r.name == key.lower():
            return r
    raise UnknownRuleError(f"no lint rule {code_or_name!r}; `dnsspec rules` lists them")


# --- the one vocabulary of --select, --ignore and ignore: ---------------------------


@cache
def _lines() -> tuple[tuple[str, str], ...]:
    return tuple((line.code, line.name) for f in FAMILIES for line in f.rules)


def matches(entry: str, code: str, name: str) -> bool:
    """Whether a selection entry (``ALL``, a code or prefix, a name; any case) covers
    the rule with this code and name."""
    key = entry.strip()
    return bool(key) and (
        key.upper() == "ALL" or code.startswith(key.upper()) or name == key.lower()
    )


ENTRY_HINT = (
    "use a rule code (SPF201, any case), a code prefix (SPF2) or a rule name "
    "(spf-too-many-lookups); `dnsspec rules` lists them"
)


def entry_problem(entry: str) -> str | None:
    """Why a ``--select``/``--ignore``/``ignore:`` entry is invalid (it matches no rule
    of the catalogue), or None when it is valid. The table alone decides: no rule
    module is imported. :data:`ENTRY_HINT` says how to fix it."""
    if any(matches(entry, code, name) for code, name in _lines()):
        return None
    return f"{entry!r} matches no lint rule"


def specificity(entry: str) -> int:
    """How specific an entry is: ALL 0, a prefix or code its length, a name most."""
    key = entry.strip()
    return 0 if key.upper() == "ALL" else 99 if _NAME.match(key.lower()) else len(key)


def select_rules(
    rules: Sequence[Rule], *, select: Sequence[str] = (), ignore: Sequence[str] = ()
) -> list[Rule]:
    """Rules enabled by ``select``/``ignore`` entries, ruff style.

    No ``select`` means all rules. When both a select and an ignore entry
    match a rule, the more specific (longer) one wins; a tie ignores.
    An entry that matches no rule raises UnknownRuleError.
    """
    for entry in (*select, *ignore):
        problem = entry_problem(entry)
        if problem is not None:
            raise UnknownRuleError(
                f"{problem} (codes are like SPF201, prefixes like SPF2, names like "
                "spf-too-many-lookups; `dnsspec rules` lists them)"
            )
    chosen = []
    for r in rules:
        best_select = max(
            (specificity(p) for p in select if matches(p, r.code, r.name)),
            default=-1 if select else 0,
        )
        best_ignore = max(
            (specificity(p) for p in ignore if matches(p, r.code, r.name)), default=-1
        )
        if best_select >= 0 and best_select > best_ignore:
            chosen.append(r)
    return chosen


def is_suppressed(code: str, name: str, entries: Iterable[str]) -> bool:
    """Whether a spec's ``ignore:`` list (codes, code prefixes or names) covers a finding."""
    return any(matches(e, code, name) for e in entries)
