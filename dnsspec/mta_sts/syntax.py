"""The ``_mta-sts`` TXT record ⇄ :class:`StsRecord` (RFC 8461 §3.1).

``v=STSv1; id=<1–32 letters or digits>`` plus extension fields. The only grammar
of that record in dnsspec; ``parse`` and ``render`` are inverses (canonical text:
``; `` between fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dnsspec.taglist import RecordSyntaxError, split_tags

VERSION = "v=STSv1"
OWNER_PREFIX = "_mta-sts"
_ID = re.compile(r"[A-Za-z0-9]{1,32}")
_EXT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}")


class StsRecordSyntaxError(RecordSyntaxError):
    """The ``_mta-sts`` record is malformed."""


@dataclass(frozen=True)
class StsRecord:
    """A parsed ``v=STSv1`` record: the policy id and extension fields ``(name, value)``."""

    id: str
    extra: tuple[tuple[str, str], ...] = ()


def is_sts_record(text: str) -> bool:
    """Whether a TXT string selects as MTA-STS: it starts with ``v=STSv1`` (RFC 8461 §3.1)."""
    return text.split(";", 1)[0].strip(" \t") == VERSION


def parse(text: str) -> StsRecord:
    """Parse ``v=STSv1; id=…``; inverse of :func:`render`; errors carry the column."""
    tags = split_tags(
        text,
        error=StsRecordSyntaxError,
        example="v=STSv1; id=20260101T000000",
        names=_EXT_NAME,
        name_rule="a letter or digit, then up to 31 letters, digits, '_', '-' or '.'",
    )
    first = tags[0]
    if text[first.column :].split(";", 1)[0].strip(" \t") != VERSION:
        raise StsRecordSyntaxError(
            f"not an MTA-STS record: it must start with {VERSION} exactly (RFC 8461 §3.1)",
            column=first.column,
            hint=f"{VERSION}; id=20260101T000000",
        )
    record_id: str | None = None
    extra: list[tuple[str, str]] = []
    for tag in tags[1:]:
        if tag.name == "id":
            if not _ID.fullmatch(tag.value):
                raise StsRecordSyntaxError(
                    f"id={tag.value}: 1 to 32 letters or digits (RFC 8461 §3.1)",
                    column=tag.column,
                    hint="dnsspec computes the id from the policy file; remove it from the spec",
                )
            record_id = tag.value
        elif not tag.value:
            raise StsRecordSyntaxError(f"{tag.name}= has no value", column=tag.column)
        else:
            extra.append((tag.name, tag.value))
    if record_id is None:
        raise StsRecordSyntaxError(
            "the record has no id= (RFC 8461 §3.1: it is required)", column=first.column
        )
    return StsRecord(record_id, tuple(extra))


def render(record: StsRecord) -> str:
    """The canonical record text; inverse of :func:`parse`."""
    return "; ".join([VERSION, f"id={record.id}", *(f"{n}={v}" for n, v in record.extra)])


def owner_name(name: str) -> str:
    """``_mta-sts.<name>`` relative to the zone (``""`` is the apex)."""
    return f"{OWNER_PREFIX}.{name}" if name else OWNER_PREFIX
