"""TLSA rdata text ⇄ :class:`Tlsa` (RFC 6698 §2.2 presentation format).

``usage selector matching data``: three decimal fields and the association data
in hex. The only TLSA grammar in dnsspec. ``parse`` and ``render`` are inverses:
``parse(render(t)) == t`` for every :class:`Tlsa`, and ``render(parse(s)) == s``
for every canonical text (single spaces, lower-case hex in one run).

Matching type 0 (the full certificate or key, not a hash) is refused: octoDNS's
AXFR/zone-file parser cannot read such records back, so a plan would never settle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from dnsspec.taglist import RecordSyntaxError

USAGES = (0, 1, 2, 3)
SELECTORS = (0, 1)
MATCHING_TYPES = (1, 2)  # 0 (Full) is refused, see the module docstring
HEX_LENGTH = {1: 64, 2: 128}  # hex digits of a SHA-256 / SHA-512 digest
DEFAULT_PORT: Final = 25
DEFAULT_PROTOCOL: Final = "tcp"

FULL_MATCHING_HINT = (
    "use matching 1 (SHA-256) or 2 (SHA-512): matching 0 publishes the whole certificate "
    "or key, which octoDNS's AXFR parser cannot read back, so every plan would show a change"
)
_HEX = re.compile(r"[0-9A-Fa-f]+")


class TlsaSyntaxError(RecordSyntaxError):
    """The TLSA record is malformed."""


@dataclass(frozen=True)
class Tlsa:
    """One TLSA record: usage, selector, matching type and association data (lower-case hex)."""

    usage: int
    selector: int
    matching: int
    data: str

    def __post_init__(self) -> None:
        problem = field_problem("usage", self.usage) or field_problem("selector", self.selector)
        problem = problem or field_problem("matching", self.matching)
        problem = problem or data_problem(self.matching, self.data)
        if problem:
            raise TlsaSyntaxError(problem[0], hint=problem[1])
        if self.data != self.data.lower():
            raise TlsaSyntaxError("TLSA data is kept in lower-case hex", hint=self.data.lower())

    @property
    def association_data(self) -> bytes:
        return bytes.fromhex(self.data)


def field_problem(field: str, value: int) -> tuple[str, str | None] | None:
    """(message, hint) when a usage/selector/matching value is out of range."""
    allowed = {"usage": USAGES, "selector": SELECTORS, "matching": (0, *MATCHING_TYPES)}[field]
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        names = {
            "usage": "0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE (RFC 6698 §2.1.1)",
            "selector": "0 the whole certificate, 1 the SubjectPublicKeyInfo (RFC 6698 §2.1.2)",
            "matching": "1 SHA-256, 2 SHA-512 (RFC 6698 §2.1.3)",
        }[field]
        return f"TLSA {field} {value!r} is out of range: {names}", None
    if field == "matching" and value == 0:
        return "TLSA matching type 0 (full data) is not supported", FULL_MATCHING_HINT
    return None


def data_problem(matching: int, data: str) -> tuple[str, str | None] | None:
    """(message, hint) when ``data`` is not hex of the length the matching type gives."""
    if not _HEX.fullmatch(data):
        bad = next(
            (c for c in data if not ("0" <= c.lower() <= "9" or "a" <= c.lower() <= "f")), ""
        )
        what = f"the character {bad!r}" if data else "nothing"
        return f"TLSA data must be hexadecimal, found {what}", None
    want = HEX_LENGTH.get(matching)
    if want is not None and len(data) != want:
        digest = "SHA-256" if matching == 1 else "SHA-512"
        return (
            f"TLSA data has {len(data)} hex digits; matching {matching} ({digest}) "
            f"needs exactly {want}",
            "compute it from the certificate with `dnsspec tlsa CERT.pem`",
        )
    return None


def parse(text: str) -> Tlsa:
    """Parse ``usage selector matching hex…`` (hex may be split by spaces); inverse of render."""
    fields: list[tuple[str, int]] = [(m.group(), m.start()) for m in re.finditer(r"\S+", text)]
    if len(fields) < 4:
        raise TlsaSyntaxError(
            f"a TLSA record has four fields (usage selector matching data), found {len(fields)}",
            column=fields[-1][1] if fields else 0,
            hint="e.g. '3 1 1 8cb0fc6c…' (64 hex digits for matching 1)",
        )
    numbers: list[int] = []
    for name, (word, column) in zip(("usage", "selector", "matching"), fields, strict=False):
        if not word.isascii() or not word.isdigit() or (len(word) > 1 and word[0] == "0"):
            raise TlsaSyntaxError(f"TLSA {name} {word!r} is not a number", column=column)
        problem = field_problem(name, int(word))
        if problem:
            raise TlsaSyntaxError(problem[0], column=column, hint=problem[1])
        numbers.append(int(word))
    data = "".join(word for word, _ in fields[3:])
    problem = data_problem(numbers[2], data)
    if problem:
        raise TlsaSyntaxError(problem[0], column=fields[3][1], hint=problem[1])
    return Tlsa(numbers[0], numbers[1], numbers[2], data.lower())


def render(record: Tlsa) -> str:
    """``usage selector matching hex``; inverse of :func:`parse`."""
    return f"{record.usage} {record.selector} {record.matching} {record.data}"


def owner_name(host: str, port: int = DEFAULT_PORT, protocol: str = DEFAULT_PROTOCOL) -> str:
    """The TLSA owner name of a service: ``_25._tcp.mx1`` for host ``mx1`` (RFC 6698 §3)."""
    prefix = f"_{port}._{protocol}"
    return f"{prefix}.{host}" if host else prefix


def octodns_value(record: Tlsa) -> dict[str, object]:
    """The record as octoDNS's TLSA value mapping."""
    return {
        "certificate_usage": record.usage,
        "selector": record.selector,
        "matching_type": record.matching,
        "certificate_association_data": record.data,
    }
