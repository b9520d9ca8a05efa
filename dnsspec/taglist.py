"""The ``tag=value; tag=value`` grammar that DKIM, DMARC, TLS-RPT and MTA-STS share.

RFC 6376 §3.2 defines the tag-list; DMARC (RFC 9989 §4.7), TLS-RPT (RFC 8460 §3)
and MTA-STS (RFC 8461 §3.1) records use the same shape: tags separated by ``;``,
optional whitespace around the separator and the ``=``, an optional trailing ``;``.
This module only splits; each kind's ``syntax`` module decides what its tags mean.
Every tag keeps the 0-based column where its name starts, so errors point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dnsspec.errors import DnsspecError

_WSP = " \t"
_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class RecordSyntaxError(DnsspecError):
    """The record is malformed."""

    def __init__(self, message: str, *, column: int = 0, hint: str | None = None) -> None:
        # column: 0-based offset of the offending tag (or character) in the text
        self.column = column
        self.hint = hint
        super().__init__(message)


@dataclass(frozen=True)
class Tag:
    """One ``name=value`` of a tag-list, as written (value without surrounding whitespace)."""

    name: str
    value: str
    column: int  # where the name starts
    value_column: int  # where the value starts


def split_tags(
    text: str,
    *,
    error: type[RecordSyntaxError] = RecordSyntaxError,
    names: re.Pattern[str] = _TAG_NAME,
    name_rule: str = "a letter, then letters, digits or '_'",
    fold_case: bool = False,
    example: str = "v=DMARC1; p=reject",
) -> list[Tag]:
    """Split a tag-list into its tags, in order; duplicate names are an error.

    ``names`` is the tag-name grammar (RFC 6376 §3.2 ``tag-name`` by default);
    with ``fold_case``, ``P`` and ``p`` are the same tag (DMARC's ABNF is
    case-insensitive), otherwise names are case-sensitive (RFC 6376 §3.2).
    ``example`` is a valid record of the caller's kind, quoted in hints (a TLS-RPT
    error must not suggest a DMARC record).

    Raises ``error`` (a :class:`RecordSyntaxError` subclass) with the column of the
    offending tag. Tag names compare case-sensitively, as RFC 6376 §3.2 says.
    """
    if not text.strip(_WSP):
        raise error("the record is empty", hint=f"e.g. '{example}'")
    tags: list[Tag] = []
    seen: dict[str, int] = {}
    pos = 0
    segments = text.split(";")
    for index, segment in enumerate(segments):
        start = pos
        pos += len(segment) + 1
        stripped = segment.strip(_WSP)
        lead = start + len(segment) - len(segment.lstrip(_WSP))
        if not stripped:
            if index == len(segments) - 1 and index > 0:
                break  # an optional trailing ';'
            raise error(
                "empty tag: two ';' with nothing between them"
                if index
                else "the record starts with ';'",
                column=start,
                hint="remove the extra ';'",
            )
        name, eq, rest = stripped.partition("=")
        name = name.rstrip(_WSP)
        if not eq:
            raise error(
                f"tag {stripped!r} has no '=': every tag is name=value",
                column=lead,
                hint=f"separate tags with '; ', e.g. '{example}'",
            )
        if not names.fullmatch(name):
            raise error(
                f"invalid tag name {name!r}: {name_rule}",
                column=lead,
            )
        key = name.lower() if fold_case else name
        if key in seen:
            raise error(
                f"duplicate tag {name!r}: a tag may appear only once",
                column=lead,
                hint=f"keep one {name}= (the first is at column {seen[key] + 1})",
            )
        seen[key] = lead
        value = rest.strip(_WSP)
        value_column = lead + len(stripped) - len(rest.lstrip(_WSP))
        for offset, ch in enumerate(value):
            if not ("!" <= ch <= "~" or ch in _WSP):
                raise error(
                    f"invalid character {ch!r} in {name}= (only printable ASCII is allowed)",
                    column=value_column + offset,
                )
        tags.append(Tag(name, value, lead, value_column))
    return tags
