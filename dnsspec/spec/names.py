"""DNS names as users write them in specs: zone names, relative names, domains.

Pure checks that return a problem description (or ``None``), so the pydantic
models, the loader and the SPF checks word the same rule the same way.
"""

from __future__ import annotations

import re

MAX_LABEL = 63
MAX_NAME = 253

_LABEL = re.compile(r"^[A-Za-z0-9_-]+$")


def label_problem(label: str) -> str | None:
    """Why ``label`` is not a DNS label (letters, digits, ``-``, ``_``; 1-63 octets)."""
    if not label:
        return "empty label (two dots in a row, or a leading or trailing dot)"
    size = len(label.encode("utf-8"))
    if size > MAX_LABEL:
        return f"label '{label[:20]}…' is {size} octets long (at most {MAX_LABEL})"
    if not _LABEL.match(label):
        return f"label '{label}' may contain only letters, digits, '-' and '_'"
    return None


def name_length_problem(fqdn: str) -> str | None:
    """Why the absolute name ``fqdn`` (with or without a trailing dot) is too long."""
    size = len(fqdn.rstrip(".").encode("utf-8"))
    if size > MAX_NAME:
        return f"name is {size} octets long (at most {MAX_NAME})"
    return None


def relative_name_problem(name: str, zone: str | None = None) -> str | None:
    """Why ``name`` is not a name relative to ``zone`` (``""`` is the apex here).

    ``*`` is allowed only as the leftmost label (a wildcard, RFC 4592).
    """
    if name.endswith(".") or name.startswith("."):
        return f"'{name}' must be relative to the zone, without a leading or trailing dot"
    labels = name.split(".")
    for index, label in enumerate(labels):
        if label == "*":
            if index != 0:
                return f"'*' may only be the leftmost label, not in '{name}'"
            continue
        problem = label_problem(label)
        if problem:
            return problem
    if zone is not None:
        too_long = name_length_problem(f"{name}.{zone}")
        if too_long:
            return f"'{name}.{zone.rstrip('.')}': {too_long}"
    return None


def domain_problem(domain: str) -> str | None:
    """Why ``domain`` (absolute, trailing dot optional) is not a DNS name."""
    name = domain[:-1] if domain.endswith(".") else domain
    if not name:
        return "empty domain name"
    for label in name.split("."):
        problem = label_problem(label)
        if problem:
            return problem
    return name_length_problem(name)


def zone_name(stem: str) -> str | None:
    """The absolute zone name for a spec file stem, or ``None`` if it is not a zone."""
    if domain_problem(stem) is not None or "." not in stem.strip("."):
        return None
    return stem.rstrip(".").lower() + "."


def is_at_or_below(name: str, parent: str) -> bool:
    """Whether relative ``name`` is ``parent`` or a name under it (``""`` = apex)."""
    return parent == "" or name == parent or name.endswith("." + parent)
