"""The plan's TLS-RPT section: a ``_smtp._tls`` record change in words.

``_smtp._tls.example.com. rua + https://reports.example.com/tlsrpt``, ``new
record (rua=mailto:tlsrpt@example.com)``, ``record removed (…)`` (the words of
:mod:`dnsspec.sync.deltas.tags`), read by the one TLS-RPT parser,
:func:`dnsspec.tlsrpt.syntax.parse`; a value it refuses is shown escaped with
its reason. Like the DMARC section, text and markdown only (the JSON plan has
the values themselves).
"""

from __future__ import annotations

from collections.abc import Sequence

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
from dnsspec.tlsrpt.syntax import OWNER_PREFIX, parse
from dnsspec.txtkinds import TITLES, TLS_RPT, txt_kind


def tls_rpt_tags(text: str) -> Tags:
    """The tags of a TLS-RPT record as :func:`~dnsspec.tlsrpt.syntax.parse` reads them."""
    record = parse(text)
    tags: dict[str, tuple[str, ...]] = {"rua": tuple(u.uri for u in record.rua)}
    for name, value in record.extra:  # extension tags, case-sensitive (RFC 8460 §3)
        tags[name] = (value,)
    return tags


def _is_owner(fqdn: str) -> bool:
    labels = fqdn.lower().split(".", 2)
    return ".".join(labels[:2]) == OWNER_PREFIX


def _words(change: RecordChange) -> list[str] | None:
    if not _is_owner(change.fqdn):
        return None
    old = [v for v in change.before if txt_kind(change.name, v) == TLS_RPT]
    new = [v for v in change.after if txt_kind(change.name, v) == TLS_RPT]
    return record_words(old, new, tls_rpt_tags, ("rua",))


class TlsRptDelta:
    """The TLS-RPT kind's plan delta (:class:`~dnsspec.sync.deltas.PlanDelta`)."""

    kind = TLS_RPT
    in_json = False  # see the module docs

    def describe(
        self, changes: ProviderChanges, context: DeltaContext
    ) -> dict[str, tuple[TagChange, ...]]:
        """The TLS-RPT record changes of each zone at one provider."""
        return describe_changes(changes, _words)

    def text(self, items: Sequence[TagChange]) -> list[str]:
        return text_section(TITLES[TLS_RPT], items)

    def markdown(self, items: Sequence[TagChange]) -> list[str]:
        return markdown_section(TITLES[TLS_RPT], items)
