"""The plan's DMARC section: what a ``_dmarc`` record change does, tag by tag, in words.

``_dmarc.example.com. p: none → reject``, ``rua + mailto:agg@example.com``,
``new record (p=reject)``, ``record removed (was p=none)`` (the words of
:mod:`dnsspec.sync.deltas.tags`). Old and new values are read by the one DMARC
parser, :func:`dnsspec.dmarc.syntax.parse`; a value it refuses is shown escaped
with its reason. Other TXT values at ``_dmarc`` (a verification token) are not
DMARC and are not described here: the record changes show them kept.

A report authorization record (``example.com._report._dmarc.example.net``,
RFC 9990 §3.3) is described too: published or withdrawn, and for which domain.

The items are in the text and markdown plans only, not in the JSON plan, which
already carries every value before and after (``changes[].before/after``) for a
program to parse itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from dnsspec.dmarc.reports import is_authorization_record, split_authorization_name
from dnsspec.dmarc.syntax import parse
from dnsspec.sync.deltas import DeltaContext, ProviderChanges
from dnsspec.sync.deltas.tags import (
    TagChange,
    Tags,
    describe_changes,
    markdown_section,
    record_words,
    text_section,
)
from dnsspec.sync.model import RecordChange
from dnsspec.txtkinds import DMARC, TITLES, txt_kind

OWNER_LABEL = "_dmarc"
URI_TAGS = ("rua", "ruf")


def dmarc_tags(text: str) -> Tags:
    """The tags of a DMARC record as :func:`~dnsspec.dmarc.syntax.parse` reads them."""
    record = parse(text)
    tags: dict[str, tuple[str, ...]] = {}
    scalars: tuple[tuple[str, str | None], ...] = (
        ("p", record.policy),
        ("sp", record.subdomain_policy),
        ("np", record.nonexistent_policy),
        ("psd", record.psd),
        ("t", record.testing),
        ("adkim", record.adkim),
        ("aspf", record.aspf),
    )
    for name, value in scalars:
        if value is not None:
            tags[name] = (value,)
    if record.fo:
        tags["fo"] = (":".join(record.fo),)
    for name, uris in (("rua", record.rua), ("ruf", record.ruf)):
        if uris:
            tags[name] = tuple(str(u) for u in uris)
    for name, extra in record.extra:  # legacy (pct, rf, ri) and unknown tags
        tags[name.lower()] = (extra,)
    return tags


def _authorization_words(domains: tuple[str, str], before: bool, after: bool) -> list[str]:
    policy, report = domains
    if after and not before:
        return [f"report authorization published: {report} accepts {policy}'s DMARC reports"]
    if before and not after:
        return [
            f"report authorization withdrawn: receivers stop sending {policy}'s DMARC "
            f"reports to {report}"
        ]
    return []


def _words(change: RecordChange) -> list[str] | None:
    domains = split_authorization_name(change.fqdn)
    if domains is not None:
        before = any(is_authorization_record(v) for v in change.before)
        after = any(is_authorization_record(v) for v in change.after)
        return _authorization_words(domains, before, after)
    if change.fqdn.split(".", 1)[0].lower() != OWNER_LABEL:
        return None
    old = [v for v in change.before if txt_kind(change.name, v) == DMARC]
    new = [v for v in change.after if txt_kind(change.name, v) == DMARC]
    return record_words(old, new, dmarc_tags, URI_TAGS)


class DmarcDelta:
    """The DMARC kind's plan delta (:class:`~dnsspec.sync.deltas.PlanDelta`)."""

    kind = DMARC
    in_json = False  # see the module docs

    def describe(
        self, changes: ProviderChanges, context: DeltaContext
    ) -> dict[str, tuple[TagChange, ...]]:
        """The DMARC record changes of each zone at one provider."""
        return describe_changes(changes, _words)

    def text(self, items: Sequence[TagChange]) -> list[str]:
        return text_section(TITLES[DMARC], items)

    def markdown(self, items: Sequence[TagChange]) -> list[str]:
        return markdown_section(TITLES[DMARC], items)
