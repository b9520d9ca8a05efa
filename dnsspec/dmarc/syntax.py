"""DMARC record text ⇄ :class:`DmarcRecord` (RFC 9989 §4.7, §4.8; RFC 7489 records accepted).

The only DMARC grammar in dnsspec. ``parse`` and ``render`` are inverses:
``parse(render(r)) == r`` for every :class:`DmarcRecord`, and ``render(parse(t)) == t``
for every canonical text: tags in the order v, p, sp, np, psd, t, adkim, aspf, fo,
rua, ruf, then any legacy or unknown tags as written, ``; `` between tags, URIs
joined by ``,``. A spec that gives a raw record publishes that text byte for byte;
this module only says whether it is valid and what it means.

What parse accepts beyond RFC 9989, and reports on the record for lint:

- the legacy tags ``pct``, ``rf`` and ``ri`` (RFC 7489 §6.3, removed by RFC 9989)
  and unknown tags, which receivers must ignore (RFC 9989 §4.7): kept in
  :attr:`DmarcRecord.extra` in their order;
- the obsolete ``!size`` suffix of a report URI (RFC 9989 §4.8 ``obs-dmarc-uri``).

Tag names and keyword values are case-insensitive (RFC 5234 §2.3: ABNF quoted
strings are), and the model keeps them lower-case; ``v=DMARC1`` is case-sensitive.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, cast

from dnsspec.dmarc.uris import MAX_URIS, ReportUri, parse_uri, split_uri_list, uri_problem
from dnsspec.taglist import RecordSyntaxError, Tag, split_tags

Policy = Literal["none", "quarantine", "reject"]
POLICIES: tuple[Policy, ...] = ("none", "quarantine", "reject")
PSD_VALUES = ("y", "n", "u")
FO_VALUES = ("0", "1", "d", "s")
VERSION = "DMARC1"
TAG_ORDER = ("v", "p", "sp", "np", "psd", "t", "adkim", "aspf", "fo", "rua", "ruf")
LEGACY_TAGS = ("pct", "rf", "ri")  # RFC 7489 §6.3; removed by RFC 9989 (Appendix C)
MAX_RECORD = 2048  # characters; longer is a mistake (reports go to at most a few URIs)

_STRENGTH = {"none": 0, "quarantine": 1, "reject": 2}
_MISSING_P_HINT = "add p=none (monitoring) or p=reject right after v=DMARC1"


class DmarcSyntaxError(RecordSyntaxError):
    """The DMARC record is malformed."""


@dataclass(frozen=True)
class DmarcRecord:
    """A parsed ``v=DMARC1`` record; ``None`` (or ``()``) means the tag is absent.

    ``extra`` holds legacy and unknown tags ``(name, value)`` as written, in order.
    """

    policy: Policy | None = None  # p
    subdomain_policy: Policy | None = None  # sp
    nonexistent_policy: Policy | None = None  # np
    psd: Literal["y", "n", "u"] | None = None
    testing: Literal["y", "n"] | None = None  # t
    adkim: Literal["r", "s"] | None = None
    aspf: Literal["r", "s"] | None = None
    fo: tuple[str, ...] = ()
    rua: tuple[ReportUri, ...] = ()
    ruf: tuple[ReportUri, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def effective_policy(self) -> Policy:
        """``p``, or ``none`` when absent (RFC 9989 §4.7 ``p``)."""
        return self.policy or "none"

    @property
    def legacy_tags(self) -> tuple[tuple[str, str], ...]:
        """``pct``/``rf``/``ri`` tags (RFC 7489), which RFC 9989 removed."""
        return tuple(t for t in self.extra if t[0].lower() in LEGACY_TAGS)

    @property
    def unknown_tags(self) -> tuple[tuple[str, str], ...]:
        """Tags neither RFC 9989 nor RFC 7489 defines (receivers ignore them)."""
        return tuple(t for t in self.extra if t[0].lower() not in LEGACY_TAGS)

    @property
    def sized_uris(self) -> tuple[ReportUri, ...]:
        """Report URIs with the obsolete ``!size`` suffix."""
        return tuple(u for u in (*self.rua, *self.ruf) if u.size is not None)

    def weaker_than_p(self) -> tuple[str, ...]:
        """Which of ``sp``/``np`` ask for less than ``p`` (e.g. ``p=reject; sp=none``)."""
        base = _STRENGTH[self.effective_policy]
        out = []
        for tag, value in (("sp", self.subdomain_policy), ("np", self.nonexistent_policy)):
            if value is not None and _STRENGTH[value] < base:
                out.append(tag)
        return tuple(out)


def is_dmarc_record(text: str) -> bool:
    """RFC 9989 §4.7 ``v``: does this TXT string select as a DMARC record?

    Its first tag must be ``v`` with the value ``DMARC1`` exactly.
    """
    first = text.split(";", 1)[0]
    name, eq, value = first.partition("=")
    return bool(eq) and name.strip(" \t").lower() == "v" and value.strip(" \t") == VERSION


def _keyword(tag: Tag, allowed: tuple[str, ...], what: str) -> str:
    value = tag.value.lower()
    if value not in allowed:
        import difflib

        close = difflib.get_close_matches(value, allowed, n=1)
        raise DmarcSyntaxError(
            f"{tag.name}={tag.value}: unknown {what} (expected {', '.join(allowed)})",
            column=tag.column,
            hint=f"{tag.name}={close[0]}" if close else f"{tag.name}={allowed[-1]}",
        )
    return value


def _fo(tag: Tag) -> tuple[str, ...]:
    values = tuple(v.strip(" \t").lower() for v in tag.value.split(":"))
    for value in values:
        if value not in FO_VALUES:
            raise DmarcSyntaxError(
                f"fo={tag.value}: unknown failure-reporting option {value!r} "
                "(expected 0, 1, d or s, joined by ':')",
                column=tag.column,
                hint="e.g. fo=1:d",
            )
    if len(set(values)) != len(values):
        raise DmarcSyntaxError(
            f"fo={tag.value}: an option is listed twice", column=tag.column, hint="e.g. fo=1:d"
        )
    if "0" in values and "1" in values:
        raise DmarcSyntaxError(
            f"fo={tag.value}: 0 and 1 are mutually exclusive (RFC 9989 §4.7)",
            column=tag.column,
            hint="fo=1 asks for a report when any mechanism fails, fo=0 when all fail",
        )
    return values


def _uris(tag: Tag) -> tuple[ReportUri, ...]:
    uris: list[ReportUri] = []
    pieces = split_uri_list(tag.value)
    if len(pieces) > MAX_URIS:
        raise DmarcSyntaxError(
            f"{tag.name}= lists {len(pieces)} URIs (at most {MAX_URIS})",
            column=tag.column,
            hint="keep the addresses that read the reports; a report service forwards to more",
        )
    previous = ""
    for text, offset in pieces:
        column = tag.value_column + offset
        if not text:
            raise DmarcSyntaxError(
                f"{tag.name}= has an empty URI (two ',' in a row, or a trailing ',')",
                column=column,
                hint="remove the extra ','",
            )
        problem = uri_problem(text)
        if problem:
            message, hint, at = problem
            if previous == "mailto" and ":" not in text.split("@", 1)[0]:
                message += (
                    "; a bare ',' separates URIs: inside one mailto: write it as %2C, "
                    "or start each address with mailto:"
                )
            raise DmarcSyntaxError(f"{tag.name}=: {message}", column=column + at, hint=hint)
        uri = parse_uri(text)
        previous = uri.scheme
        uris.append(uri)
    return tuple(uris)


def parse(text: str) -> DmarcRecord:
    """Parse a ``v=DMARC1; …`` record; inverse of :func:`render`.

    Raises :class:`DmarcSyntaxError` whose ``column`` is the 0-based offset of the
    bad tag (or, inside ``rua``/``ruf``, of the bad URI) in ``text``.
    """
    if len(text) > MAX_RECORD:
        raise DmarcSyntaxError(
            f"the record is {len(text)} characters long (at most {MAX_RECORD})",
            column=MAX_RECORD,
            hint="list fewer or shorter report URIs (a report service forwards to more)",
        )
    tags = split_tags(text, error=DmarcSyntaxError, fold_case=True)
    first = tags[0]
    if first.name.lower() != "v" or first.value != VERSION:
        found = f"{first.name}={first.value}"
        raise DmarcSyntaxError(
            f"not a DMARC record: it must start with v=DMARC1, found {found!r} "
            "(RFC 9989 §4.7: receivers ignore the whole record otherwise)",
            column=first.column,
            hint=_valid_hint(_with_version(tags)),
        )
    fields: dict[str, object] = {}
    extra: list[tuple[str, str]] = []
    for tag in tags[1:]:
        name = tag.name.lower()
        if not tag.value:
            raise DmarcSyntaxError(
                f"{tag.name}= has no value", column=tag.column, hint=f"remove '{tag.name}='"
            )
        if name in ("p", "sp", "np"):
            fields[name] = _keyword(tag, POLICIES, "policy")
        elif name == "psd":
            fields[name] = _keyword(tag, PSD_VALUES, "psd value")
        elif name == "t":
            fields[name] = _keyword(tag, ("y", "n"), "testing flag")
        elif name in ("adkim", "aspf"):
            fields[name] = _keyword(tag, ("r", "s"), "alignment mode")
        elif name == "fo":
            fields[name] = _fo(tag)
        elif name in ("rua", "ruf"):
            fields[name] = _uris(tag)
        else:
            extra.append((tag.name, tag.value))
    if "p" not in fields and "psd" not in fields and "rua" not in fields:
        raise DmarcSyntaxError(
            "the record has no p= policy; RFC 9989 allows that only beside rua= (receivers "
            "then act as if p=none, §4.10.1) or psd= (the record then only marks the "
            "Organizational Domain, §4.10), and otherwise receivers apply no DMARC at all",
            column=first.column,
            hint=_valid_hint(_with_version(tags, policy="none"), prose=_MISSING_P_HINT),
        )
    return DmarcRecord(
        policy=cast(Policy | None, fields.get("p")),
        subdomain_policy=cast(Policy | None, fields.get("sp")),
        nonexistent_policy=cast(Policy | None, fields.get("np")),
        psd=cast(Literal["y", "n", "u"] | None, fields.get("psd")),
        testing=cast(Literal["y", "n"] | None, fields.get("t")),
        adkim=cast(Literal["r", "s"] | None, fields.get("adkim")),
        aspf=cast(Literal["r", "s"] | None, fields.get("aspf")),
        fo=cast(tuple[str, ...], fields.get("fo", ())),
        rua=cast(tuple[ReportUri, ...], fields.get("rua", ())),
        ruf=cast(tuple[ReportUri, ...], fields.get("ruf", ())),
        extra=tuple(extra),
    )


def _with_version(tags: list[Tag], policy: str | None = None) -> str:
    """The record as written with one ``v=DMARC1`` first (and ``p=policy`` after it)."""
    rest = [f"{t.name}={t.value}" for t in tags if t.name.lower() != "v"]
    if policy is not None and not any(t.name.lower() == "p" for t in tags):
        rest.insert(0, f"p={policy}")
    return "; ".join((f"v={VERSION}", *rest))


def _valid_hint(candidate: str, prose: str | None = None) -> str:
    """A hint that is itself a valid record: ``candidate`` when it parses, else an example.

    A hint is copied as it stands; one that the parser refuses (``v=DMARC1; p=reject;
    v=DMARC1`` for a record with ``v=`` second) sends the user round in a circle.
    """
    try:
        parse(candidate)
    except DmarcSyntaxError:
        return prose or f"e.g. 'v={VERSION}; p=reject'"
    return f"e.g. '{candidate}'" if prose is None else f"{prose}: '{candidate}'"


def render(record: DmarcRecord) -> str:
    """The canonical record text; inverse of :func:`parse`."""
    parts = [f"v={VERSION}"]
    for tag, value in (
        ("p", record.policy),
        ("sp", record.subdomain_policy),
        ("np", record.nonexistent_policy),
        ("psd", record.psd),
        ("t", record.testing),
        ("adkim", record.adkim),
        ("aspf", record.aspf),
    ):
        if value is not None:
            parts.append(f"{tag}={value}")
    if record.fo:
        parts.append("fo=" + ":".join(record.fo))
    for tag, uris in (("rua", record.rua), ("ruf", record.ruf)):
        if uris:
            parts.append(f"{tag}=" + ",".join(str(u) for u in uris))
    parts.extend(f"{name}={value}" for name, value in record.extra)
    return "; ".join(parts)


def without_extra(record: DmarcRecord) -> DmarcRecord:
    """The record with legacy and unknown tags dropped (what RFC 9989 receivers read)."""
    return replace(record, extra=())
