"""A kind's TXT record both generated and written by hand under ``records:``: refused at load.

The merge joins a ``records:`` TXT entry with the generated TXT at the same name
(``compile/merge.py``), so a hand-written ``v=DMARC1`` at ``_dmarc`` beside a
``dmarc:`` key would publish two DMARC records, and receivers discard both
(RFC 9989 §4.10); likewise for TLS-RPT (RFC 8460 §3). Beside ``<key>: unset`` such
a value contradicts the spec. ``mx: none`` beside MX records under ``records:`` is
refused too (RFC 7505 §3). SPF has its own check (``spec/records.py``); this one
reads every other TXT kind of the kinds table, so a new kind is covered by its line.
"""

from __future__ import annotations

from dnsspec.errors import SpecProblem
from dnsspec.kinds import KINDS
from dnsspec.spec.base import UNSET
from dnsspec.spec.source import Path_, SourceMap
from dnsspec.spec.zone import ZoneSpec
from dnsspec.txtkinds import TXT_TYPES, txt_kind


def check_kind_conflicts(spec: ZoneSpec, source_map: SourceMap) -> list[SpecProblem]:
    """Every ``records:`` TXT value of a kind whose key the same name's policy sets,
    and every ``records:`` MX entry at a name with ``mx: none``."""
    problems: list[SpecProblem] = _null_mx_conflicts(spec, source_map)
    problems.extend(_wildcard_prefixed(spec, source_map))
    for name, policy in spec.policies().items():
        base: Path_ = () if name == "" else ("subdomains", name)
        for kind in KINDS:
            value = getattr(policy, kind.spec_key, None)
            if kind.name == "spf" or kind.txt_tag is None or value is None:
                continue
            owner = kind.owner_name(name)
            at = source_map.locate((*base, kind.spec_key))
            for entry in spec.records.get(owner, ()):
                if entry.type not in TXT_TYPES:
                    continue
                for index, text in enumerate(entry.values):
                    if txt_kind(owner, str(text)) != kind.name:
                        continue
                    path = source_map.nearest(entry.value_path(owner, index))
                    if value == UNSET:
                        message = (
                            f"records.{owner}: a '{kind.txt_tag}' TXT value contradicts "
                            f"`{kind.spec_key}: unset` at line {at.line}"
                        )
                        hint = f"remove the value, or replace `{kind.spec_key}: unset` with it"
                    else:
                        message = (
                            f"records.{owner}: a '{kind.txt_tag}' TXT value conflicts with "
                            f"`{kind.spec_key}:` at line {at.line} (a name publishes one such "
                            "record; receivers discard both of two)"
                        )
                        hint = f"remove the value from `records:`; `{kind.spec_key}:` produces it"
                    problems.append(SpecProblem(source_map.locate(path), message, path, hint))
    return problems


def _null_mx_conflicts(spec: ZoneSpec, source_map: SourceMap) -> list[SpecProblem]:
    """``mx: none`` beside MX records under ``records:`` (RFC 7505 §3: a null MX is alone)."""
    problems: list[SpecProblem] = []
    for name, policy in spec.policies().items():
        if getattr(policy, "mx", None) in (None, UNSET):
            continue
        at = source_map.locate(("mx",) if name == "" else ("subdomains", name, "mx"))
        for entry in spec.records.get(name, ()):
            if entry.type != "MX":
                continue
            path = source_map.nearest(entry.path(name))
            message = (
                f"records.{name or repr('')}: MX records beside `mx: none` at line {at.line} "
                "(a null MX must be the only MX of its name, RFC 7505 §3)"
            )
            hint = "remove the MX entry, or remove `mx: none` if the name accepts mail"
            problems.append(SpecProblem(source_map.locate(path), message, path, hint))
    return problems


_AT_WILDCARD_HINT = {
    "dmarc": "set `dmarc:` at the apex instead: receivers that find no _dmarc at a name use "
    "the organizational domain's record, whose sp= and np= cover every name below it",
}


def _wildcard_prefixed(spec: ZoneSpec, source_map: SourceMap) -> list[SpecProblem]:
    """A kind whose records live below the name (``_dmarc.{name}``) set at a wildcard.

    ``*`` is a wildcard only as the leftmost label (RFC 4592 §2.1.1): ``_dmarc.*`` is
    one literal name, ``_dmarc.*.example.com.``, that no receiver looks up, so the
    record would be published and do nothing. Only the kinds at the name itself
    (``spf:``, ``mx:``) mean something at ``*``.
    """
    problems: list[SpecProblem] = []
    for name, policy in spec.policies().items():
        if name.split(".", 1)[0] != "*":
            continue
        for kind in KINDS:
            if kind.owner == "{name}" or getattr(policy, kind.spec_key, None) in (None, UNSET):
                continue
            path: Path_ = ("subdomains", name, kind.spec_key)
            owner = kind.owner_name(name)
            message = (
                f"subdomains.{name}.{kind.spec_key}: the record would be at {owner}, a literal "
                "name nobody looks up ('*' is a wildcard only as the leftmost label, "
                "RFC 4592 §2.1.1)"
            )
            hint = _AT_WILDCARD_HINT.get(
                kind.name,
                f"set `{kind.spec_key}:` under each name that needs it (or at the apex), "
                f"not under `{name}`",
            )
            problems.append(SpecProblem(source_map.locate(path), message, path, hint))
    return problems
