"""The plan's DKIM section: selectors added, changed, revoked or removed, in words.

Each item names the selector and the key's type and size before and after
(``s2026._domainkey.example.com: added (rsa 2048)``), never the key itself; a
delegated selector (CNAME) names its target.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from dnsspec.dkim.keys import DkimKeyError
from dnsspec.dkim.published import DOMAINKEY
from dnsspec.dkim.syntax import DkimSyntaxError, parse
from dnsspec.sync.deltas import DeltaContext, ProviderChanges
from dnsspec.sync.markdown import md_code
from dnsspec.sync.model import RecordChange
from dnsspec.taglist import RecordSyntaxError, split_tags
from dnsspec.txtkinds import DKIM, TXT_TYPES, txt_kind

SHOWN_KEY_CHARS = 12  # of p=, before the ellipsis


@dataclass(frozen=True, slots=True)
class DkimChange:
    """One selector's change: ``what`` is added, changed, revoked or removed."""

    fqdn: str
    selector: str
    what: str
    before: str | None  # "rsa 2048", "revoked", "CNAME s1.example.net.", None: absent
    after: str | None


def _selector_of(name: str) -> str | None:
    labels = name.split(".")
    return labels[0] if len(labels) > 1 and labels[1].lower() == DOMAINKEY else None


def _describe(change: RecordChange, values: tuple[str, ...]) -> str | None:
    if change.type == "CNAME":
        return f"CNAME {values[0]}" if values else None
    texts = [v for v in values if txt_kind(change.name, v) == "dkim"]
    if not texts:
        return None
    try:
        facts = parse(texts[0]).facts
    except (DkimSyntaxError, DkimKeyError):
        return "unreadable key"
    return "revoked" if facts.revoked else f"{facts.key_type} {facts.bits}"


def shown_value(name: str, text: str) -> str:
    """``text`` as the plan prints it: a DKIM key's ``p=`` shortened, with its type and size.

    ``v=DKIM1; k=rsa; p=MIIBIjANBgkq… (rsa 2048, sha256 1f0c9a2e)``: the start of the
    key, its type and size and a fingerprint of the whole ``p=`` (to tell two keys of the
    same size apart) instead of 400 characters of base64. Any other value is unchanged.
    """
    if txt_kind(name, text) != DKIM:
        return text
    try:
        tags = split_tags(text)
    except RecordSyntaxError:
        return text
    key = next((tag for tag in tags if tag.name == "p"), None)
    if key is None or len(key.value) <= SHOWN_KEY_CHARS:
        return text
    try:
        facts = parse(text).facts
        size = f"{facts.key_type} {facts.bits}, "
    except (DkimSyntaxError, DkimKeyError):
        size = ""
    digest = hashlib.sha256("".join(key.value.split()).encode()).hexdigest()[:8]
    start, end = key.value_column, key.value_column + len(key.value)
    short = f"{key.value[:SHOWN_KEY_CHARS]}… ({size}sha256 {digest})"
    return text[:start] + short + text[end:]


def _what(before: str | None, after: str | None) -> str:
    if before is None:
        return "revoked" if after == "revoked" else "added"
    if after is None:
        return "removed"
    return "revoked" if after == "revoked" else "changed"


class DkimDelta:
    """The DKIM kind's plan delta (:class:`~dnsspec.sync.deltas.PlanDelta`)."""

    kind = "dkim"
    in_json = True

    def describe(
        self, changes: ProviderChanges, context: DeltaContext
    ) -> dict[str, tuple[DkimChange, ...]]:
        """The DKIM selector changes of each zone at one provider."""
        items: dict[str, tuple[DkimChange, ...]] = {}
        for zone, record_changes in changes.changes.items():
            found = []
            for change in record_changes:
                selector = _selector_of(change.name)
                if selector is None or (change.type not in TXT_TYPES and change.type != "CNAME"):
                    continue
                before, after = _describe(change, change.before), _describe(change, change.after)
                if before != after or (before is not None and change.before != change.after):
                    what = _what(before, after)
                    found.append(DkimChange(change.fqdn, selector, what, before, after))
            if found:
                items[zone] = tuple(found)
        return items

    def text(self, items: Sequence[DkimChange]) -> list[str]:
        lines = ["  DKIM:"]
        lines.extend(f"    {item.fqdn} {_words(item)}" for item in items)
        return lines

    def markdown(self, items: Sequence[DkimChange]) -> list[str]:
        lines = ["", "**DKIM**", "", "| Selector | Change |", "|---|---|"]
        lines.extend(f"| {md_code(item.fqdn)} | {_words(item)} |" for item in items)
        return lines


def _words(item: DkimChange) -> str:
    if item.what == "added":
        return f"added ({item.after})"
    if item.what == "removed":
        return f"removed (was {item.before})"
    if item.what == "revoked" and item.before is not None:
        return f"revoked (was {item.before})"
    if item.what == "revoked":
        return "published revoked"
    if item.before == item.after:
        return f"changed ({item.after}: a new key of the same type and size)"
    return f"changed ({item.before} → {item.after})"
