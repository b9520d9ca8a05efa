"""DKIM-Quoted-Printable for the ``n=`` tag (RFC 6376 §2.11 ``qp-section``).

``encode`` and ``decode`` are inverses: ``decode(encode(s)) == s`` for every string,
and ``encode(decode(t)) == t`` for every canonical text (upper-case hex, and only
the octets that must be encoded are: ``;`` and ``=``, controls, non-ASCII, and a
space at either end, which the tag-list would strip).
"""

from __future__ import annotations

import re

_HEX_OCTET = re.compile(r"=([0-9A-F]{2})")


class QpError(ValueError):
    """The text is not DKIM-Quoted-Printable."""

    def __init__(self, message: str, offset: int) -> None:
        self.offset = offset
        super().__init__(message)


def encode(text: str) -> str:
    """The ``qp-section`` form of ``text`` (UTF-8 octets outside safe ASCII as ``=XX``)."""
    data = text.encode("utf-8")
    out = []
    for index, octet in enumerate(data):
        edge = index in (0, len(data) - 1)
        if octet == 0x20 and not edge:
            out.append(" ")
        elif 0x21 <= octet <= 0x7E and octet not in (0x3B, 0x3D):
            out.append(chr(octet))
        else:
            out.append(f"={octet:02X}")
    return "".join(out)


def decode(text: str) -> str:
    """The text a ``qp-section`` stands for; inverse of :func:`encode`.

    Raises :class:`QpError` (with the offset) for a bare ``=`` or an octet sequence
    that is not UTF-8.
    """
    data = bytearray()
    index = 0
    while index < len(text):
        ch = text[index]
        if ch == "=":
            match = _HEX_OCTET.match(text, index)
            if not match:
                raise QpError("'=' in n= must start an upper-case hex octet like =3D", offset=index)
            data.append(int(match.group(1), 16))
            index += 3
            continue
        if not (0x20 <= ord(ch) <= 0x7E or ch == "\t"):
            raise QpError(f"invalid character {ch!r} in n= (encode it as =XX)", offset=index)
        data.append(ord(ch))
        index += 1
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QpError("n= decodes to octets that are not UTF-8", offset=error.start) from None
