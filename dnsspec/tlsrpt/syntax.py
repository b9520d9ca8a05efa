"""TLS-RPT record text ⇄ :class:`TlsRptRecord` (RFC 8460 §3).

``v=TLSRPTv1; rua=<uri>[,<uri>…]`` at ``_smtp._tls.<domain>``; ``rua`` is required
and takes ``mailto:`` and ``https:`` URIs (RFC 8460 §3: "," and ";" inside a URI
must be percent-encoded). Extension tags are kept as written. The only TLS-RPT
grammar in dnsspec; ``parse`` and ``render`` are inverses: ``parse(render(r)) == r``,
and ``render(parse(t)) == t`` for canonical text (``; `` between tags, URIs joined
by ``,``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dnsspec.dmarc.uris import MAX_URIS, ReportUri, parse_uri, split_uri_list, uri_problem
from dnsspec.taglist import RecordSyntaxError, split_tags

VERSION = "v=TLSRPTv1"
OWNER_PREFIX = "_smtp._tls"
MAX_RECORD = 2048
_EXT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}")


class TlsRptSyntaxError(RecordSyntaxError):
    """The TLS-RPT record is malformed."""


@dataclass(frozen=True)
class TlsRptRecord:
    """A parsed ``v=TLSRPTv1`` record: its report URIs and extension tags ``(name, value)``."""

    rua: tuple[ReportUri, ...]
    extra: tuple[tuple[str, str], ...] = ()


def is_tlsrpt_record(text: str) -> bool:
    """Whether a TXT string selects as TLS-RPT: it starts with ``v=TLSRPTv1`` (RFC 8460 §3)."""
    first = text.split(";", 1)[0].strip(" \t")
    return first == VERSION


def parse(text: str) -> TlsRptRecord:
    """Parse ``v=TLSRPTv1; rua=…``; inverse of :func:`render`. Errors carry the column."""
    if len(text) > MAX_RECORD:
        raise TlsRptSyntaxError(
            f"the record is {len(text)} characters long (at most {MAX_RECORD})",
            column=MAX_RECORD,
        )
    tags = split_tags(
        text,
        error=TlsRptSyntaxError,
        example="v=TLSRPTv1; rua=mailto:tlsrpt@example.com",
        names=_EXT_NAME,
        name_rule="a letter or digit, then up to 31 letters, digits, '_', '-' or '.'",
    )
    first = tags[0]
    if (
        f"{first.name}={first.value}" != VERSION
        or text[first.column :].split(";")[0].strip(" \t") != VERSION
    ):
        raise TlsRptSyntaxError(
            f"not a TLS-RPT record: it must start with {VERSION} exactly (RFC 8460 §3)",
            column=first.column,
            hint=VERSION + "; rua=mailto:tlsrpt@example.com",
        )
    rua: tuple[ReportUri, ...] | None = None
    extra: list[tuple[str, str]] = []
    for tag in tags[1:]:
        if tag.name != "rua":
            if not tag.value:
                raise TlsRptSyntaxError(f"{tag.name}= has no value", column=tag.column)
            extra.append((tag.name, tag.value))
            continue
        pieces = split_uri_list(tag.value)
        if len(pieces) > MAX_URIS:
            raise TlsRptSyntaxError(
                f"rua= lists {len(pieces)} URIs (at most {MAX_URIS})",
                column=tag.column,
                hint="keep the addresses that read the reports; a report service forwards to more",
            )
        uris = []
        for piece, offset in pieces:
            column = tag.value_column + offset
            if not piece:
                raise TlsRptSyntaxError(
                    "rua= has an empty URI" if tag.value else "rua= has no value",
                    column=column if tag.value else tag.column,
                    hint="e.g. rua=mailto:tlsrpt@example.com",
                )
            problem = uri_problem(piece, size_suffix=False)
            if problem:
                message, hint, at = problem
                raise TlsRptSyntaxError(f"rua=: {message}", column=column + at, hint=hint)
            uris.append(parse_uri(piece) if "!" not in piece else ReportUri(piece))
        rua = tuple(uris)
    if rua is None:
        raise TlsRptSyntaxError(
            "the record has no rua= (RFC 8460 §3: it is required)",
            column=first.column,
            hint=VERSION + "; rua=mailto:tlsrpt@example.com",
        )
    return TlsRptRecord(rua, tuple(extra))


def render(record: TlsRptRecord) -> str:
    """The canonical record text; inverse of :func:`parse`."""
    parts = [VERSION, "rua=" + ",".join(u.uri for u in record.rua)]
    parts.extend(f"{name}={value}" for name, value in record.extra)
    return "; ".join(parts)


def owner_name(name: str) -> str:
    """``_smtp._tls.<name>`` relative to the zone (``""`` is the apex)."""
    return f"{OWNER_PREFIX}.{name}" if name else OWNER_PREFIX
