"""Tag-by-tag words for the plan's tag-list kinds (DMARC, TLS-RPT).

A record is reduced to its tags, ``name -> values`` (``p -> ("reject",)``,
``rua -> ("mailto:a@example.com", …)``), by the kind's own parser (never a
second one); this module compares the records of one name before and after and
says what changed::

    p: none → reject          one value replaced
    sp + quarantine           a tag (or one URI of a list) added
    rua − mailto:a@x.example  a tag (or one URI of a list) removed
    new record (p=reject)     no record of the kind before
    record removed (was p=none)

A value the parser refuses is shown as written, escaped (:func:`shown`), with
the parser's reason; a foreign value cannot write control characters or
direction marks into a terminal or a pull-request comment.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dnsspec.sync.markdown import md_code
from dnsspec.taglist import RecordSyntaxError
from dnsspec.txtkinds import TXT_TYPES

if TYPE_CHECKING:
    from dnsspec.sync.deltas import ProviderChanges
    from dnsspec.sync.model import RecordChange

Tags = Mapping[str, tuple[str, ...]]  # tag name -> its values, in order
MINUS = "−"  # U+2212: an ASCII '-' at the start of a phrase reads as a removed line


@dataclass(frozen=True, slots=True)
class TagChange:
    """One owner name's change of a tag-list kind: what it means, phrase by phrase."""

    fqdn: str
    words: tuple[str, ...]


def _plain(char: str) -> bool:
    category = unicodedata.category(char)
    return char == " " or not (category[0] == "C" or category[0] == "Z")


def shown(value: str) -> str:
    """``value`` as the words show it: as is, or quoted with control and format
    characters (and any space but a plain inner one) escaped as ``\\uXXXX``."""
    if value and all(_plain(c) for c in value) and value == value.strip(" "):
        return value
    escaped = "".join(
        c if _plain(c) and c not in '"\\' else (f"\\{c}" if c in '"\\' else f"\\u{ord(c):04x}")
        for c in value
    )
    return f'"{escaped}"'


def summary(tags: Tags) -> str:
    """A record's tags in one line: ``p=reject; rua=mailto:a@x,mailto:b@y``."""
    return "; ".join(f"{name}={','.join(map(shown, values))}" for name, values in tags.items())


def tag_words(before: Tags, after: Tags, lists: Sequence[str]) -> list[str]:
    """What changed from ``before`` to ``after``, one phrase per change, in tag order.

    ``lists`` are the tags whose values are a list of URIs (``rua``): their
    values are added and removed one by one; any other tag with one value on
    both sides is ``tag: old → new``.
    """
    out: list[str] = []
    for name in dict.fromkeys([*after, *before]):
        old, new = before.get(name, ()), after.get(name, ())
        if old == new:
            continue
        if name not in lists and len(old) == 1 and len(new) == 1:
            out.append(f"{name}: {shown(old[0])} → {shown(new[0])}")
            continue
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        out.extend(f"{name} + {shown(v)}" for v in added)
        out.extend(f"{name} {MINUS} {shown(v)}" for v in removed)
        if not added and not removed:  # the same values in another order, or repeated
            change = f"{', '.join(map(shown, old))} → {', '.join(map(shown, new))}"
            out.append(f"{name}: {'order ' if sorted(old) == sorted(new) else ''}{change}")
    return out


Reader = Callable[[str], Tags]  # record text -> its tags; raises RecordSyntaxError


def _read(value: str, read: Reader) -> Tags | str:
    """The value's tags, or why the kind's parser refuses it."""
    try:
        return read(value)
    except RecordSyntaxError as error:
        return str(error)


def _side(value: str, read: Reader) -> str:
    tags = _read(value, read)
    if isinstance(tags, str):
        return f"unreadable {shown(value)} ({shown(tags)})"
    return f"({summary(tags)})"


def record_words(
    before: Sequence[str], after: Sequence[str], read: Reader, lists: Sequence[str]
) -> list[str]:
    """The phrases for one name whose records of a kind were ``before`` and become ``after``."""
    if list(before) == list(after):
        return []
    if len(before) > 1 or len(after) > 1:  # a kind has one record per name: say so
        n_before, n_after = len(before), len(after)
        out = [f"{n_before} record{'s' if n_before != 1 else ''} → {n_after}"]
        out.extend(f"was {_side(v, read)}" for v in before if v not in after)
        out.extend(f"now {_side(v, read)}" for v in after if v not in before)
        return out
    if not before:
        new_tags = _read(after[0], read)
        if isinstance(new_tags, str):
            return [f"new record: {_side(after[0], read)}"]
        return [f"new record ({summary(new_tags)})"]
    if not after:
        old_tags = _read(before[0], read)
        if isinstance(old_tags, str):
            return [f"record removed: {_side(before[0], read)}"]
        return [f"record removed (was {summary(old_tags)})"]
    old, new = _read(before[0], read), _read(after[0], read)
    if isinstance(old, str) or isinstance(new, str):
        return [f"was {_side(before[0], read)}", f"now {_side(after[0], read)}"]
    return tag_words(old, new, lists) or [f"rewritten, same tags: {shown(after[0])}"]


def describe_changes(
    changes: ProviderChanges, words: Callable[[RecordChange], list[str] | None]
) -> dict[str, tuple[TagChange, ...]]:
    """Each zone's TXT record changes in words, for a tag-list kind's delta: ``words``
    says what one change does to the kind (None or [] when it does not touch it)."""
    items: dict[str, tuple[TagChange, ...]] = {}
    for zone, record_changes in changes.changes.items():
        found = [
            TagChange(change.fqdn, tuple(said))
            for change in record_changes
            if change.type in TXT_TYPES and (said := words(change))
        ]
        if found:
            items[zone] = tuple(found)
    return items


def text_section(title: str, items: Sequence[TagChange]) -> list[str]:
    """The plan's text lines: ``  DMARC:`` then ``    <name> <phrase>``, one phrase a line."""
    lines = [f"  {title}:"]
    lines.extend(f"    {item.fqdn} {phrase}" for item in items for phrase in item.words)
    return lines


def markdown_section(title: str, items: Sequence[TagChange]) -> list[str]:
    """The same as a markdown table: one row per name, its phrases as code."""
    lines = ["", f"**{title}**", "", "| Name | Change |", "|---|---|"]
    lines.extend(
        f"| {md_code(item.fqdn)} | {'<br>'.join(md_code(w) for w in item.words)} |"
        for item in items
    )
    return lines
