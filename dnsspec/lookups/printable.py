"""DNS data made safe to print: what a record says never reaches a terminal raw.

A TXT record is any bytes its publisher chose: an ESC starts a terminal escape sequence
(colours, cursor moves, a window title, on some terminals a clipboard write), other
control characters move the cursor or erase a line, and bidi controls (U+202E RIGHT-TO-LEFT
OVERRIDE …) make ``-all`` read as ``lla-``. Every value that came from DNS passes through
:func:`printable` (text output) or :func:`printable_json` (JSON output) before it is
printed. Every character Python does not call printable (``str.isprintable``: control
characters C0, DEL and C1, bidi and other format characters, line and paragraph
separators, spaces other than U+0020, surrogates, private-use and unassigned code points)
is written as a ``\\xHH`` / ``\\uHHHH`` / ``\\UHHHHHHHH`` escape; everything else (letters
of any script, U+FFFD for undecodable bytes) is kept.
"""

from __future__ import annotations


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` with every unsafe character escaped (see the module docs).

    >>> printable("v=spf1 \\x1b[2J-all \\u202e")
    'v=spf1 \\\\x1b[2J-all \\\\u202e'
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # a UTF-16 surrogate pair, as JSON writes code points past the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def printable_json(document: str) -> str:
    """A JSON document (``json.dumps(..., ensure_ascii=False)``) with every unsafe character
    written as a ``\\uHHHH`` escape: the same JSON value, safe on a terminal. (Outside
    strings, JSON text is printable ASCII and line breaks, which are kept.)"""
    if document.isprintable():
        return document
    return "".join(c if c.isprintable() or c == "\n" else _json_escape(c) for c in document)
