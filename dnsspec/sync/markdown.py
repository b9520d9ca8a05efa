"""Markdown table cells shared by the plan renderer and the per-kind deltas."""

from __future__ import annotations


def md_code(value: str) -> str:
    # one table cell: a pipe or a line break in a value must not end the row
    text = value.replace("|", "\\|").replace("\r", "\\r").replace("\n", "\\n")
    if "`" in text:
        return "<code>" + text.replace("&", "&amp;").replace("<", "&lt;") + "</code>"
    return f"`{text}`"
