"""Compiled DNS records: the plain data between the compiler and every output.

A :class:`Record` is one rrset. TXT values are kept as the *logical* text a
receiver sees (character-strings joined with nothing between them, no
escaping); splitting into <=255-byte character-strings and octoDNS's ``\\;``
escaping happen only when a record is rendered for an output.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dnsspec.errors import Location
from dnsspec.txtkinds import TXT_TYPES

MAX_CHARACTER_STRING = 255


@dataclass(frozen=True, slots=True)
class Record:
    """One rrset at ``name`` (relative to ``zone``; ``""`` is the apex)."""

    zone: str  # absolute, with trailing dot: "example.com."
    name: str
    type: str
    ttl: int
    # TXT: logical text strings. Other types: octoDNS value data (str or mapping).
    values: tuple[Any, ...]
    location: Location | None = field(default=None, compare=False)
    # what produced it: "spf", "subdomain_default", "records" (pass-through) ...
    origin: str = field(default="records", compare=False)

    @property
    def fqdn(self) -> str:
        return f"{self.name}.{self.zone}" if self.name else self.zone

    def sort_key(self) -> tuple[str, str]:
        """Deterministic order: by name (apex first, labels right to left), then type."""
        labels = tuple(reversed(self.name.split("."))) if self.name else ()
        return (".".join(labels), self.type)

    def octodns_data(self) -> dict[str, Any]:
        """The record as octoDNS YAML/``Record.new`` data (TXT ``;`` escaped)."""
        values: list[Any]
        if self.type in TXT_TYPES:
            values = [escape_octodns_txt(v) for v in self.values]
        else:
            values = [dict(v) if isinstance(v, Mapping) else v for v in self.values]
        data: dict[str, Any] = {"ttl": self.ttl, "type": self.type}
        if len(values) == 1:
            data["value"] = values[0]
        else:
            data["values"] = values
        return data


def escape_octodns_txt(text: str) -> str:
    """octoDNS's internal TXT form: ``;`` escaped as ``\\;``.

    Inverse of :func:`unescape_octodns_txt`.
    """
    return text.replace(";", "\\;")


def unescape_octodns_txt(text: str) -> str:
    """Inverse of :func:`escape_octodns_txt`."""
    return text.replace("\\;", ";")


def split_character_strings(text: str, *, at_spaces: bool = True) -> list[str]:
    """Split a TXT value into character-strings of at most 255 bytes.

    Receivers join the strings with nothing in between (RFC 7208 §3.3), so
    with ``at_spaces`` a split is made just before a space where one fits,
    which keeps each SPF term whole for readability; otherwise at 255 bytes.
    """
    data = text.encode("utf-8")
    if len(data) <= MAX_CHARACTER_STRING:
        return [text]
    chunks: list[str] = []
    while len(data) > MAX_CHARACTER_STRING:
        cut = MAX_CHARACTER_STRING
        if at_spaces:
            space = data.rfind(b" ", 1, MAX_CHARACTER_STRING + 1)
            if space > 0:
                cut = space
        # never split inside a UTF-8 sequence
        while cut > 0 and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        chunks.append(data[:cut].decode("utf-8"))
        data = data[cut:]
    chunks.append(data.decode("utf-8"))
    return chunks


#: the largest DNS message (RFC 1035 §4.2.2: TCP's two-octet length; EDNS0 cannot exceed it)
MAX_MESSAGE = 65535


def txt_rdata_size(text: str) -> int:
    """Octets of the TXT rdata carrying ``text`` (each character-string has a length octet)."""
    size = len(text.encode("utf-8"))
    return size + max(1, -(-size // MAX_CHARACTER_STRING))


def txt_answer_size(fqdn: str, values: list[str]) -> int:
    """Octets of the smallest DNS answer to ``fqdn`` TXT holding all of ``values``:
    header, the question, and one record per value (its owner a compression pointer)."""
    qname = len(fqdn.rstrip(".").encode("utf-8")) + 2 if fqdn.strip(".") else 1
    return 12 + qname + 4 + sum(2 + 10 + txt_rdata_size(v) for v in values)
