"""DNS names as users write them in specs: zone names, relative names, domains.

Pure checks that return a problem description (or ``None``), so the pydantic
models, the loader and the SPF checks word the same rule the same way.
"""

from __future__ import annotations

import re

MAX_LABEL = 63
MAX_NAME = 253

_LABEL = re.compile(r"^[A-Za-z0-9_-]+$")


def a_label(name: str) -> str | None:
    """The name with each Unicode label written as its IDNA A-label (``bücher.de`` →
    ``xn--bcher-kva.de``); ``None`` when it is ASCII already or a label has no A-label.

    dnsspec's one rule for internationalized names, everywhere a spec names a DNS
    name (name keys, zone file names, SPF domains, record targets): they are refused,
    with this A-label in the hint. A spec spells each name as DNS carries it.
    """
    if name.isascii():
        return None
    import idna

    labels = []
    for label in name.split("."):
        if label.isascii():
            labels.append(label)
            continue
        try:
            labels.append(idna.encode(label, uts46=True).decode("ascii"))
        except idna.IDNAError:
            return None
    return ".".join(labels)


def a_labels_in(text: str) -> str | None:
    """``text`` (an SPF term, a record) with every Unicode label of the names in it
    written as its A-label (``include:bücher.de`` → ``include:xn--bcher-kva.de``)."""
    import re

    converted = []
    for piece in re.split(r"([\s.:/=]+)", text):
        if piece.isascii():
            converted.append(piece)
            continue
        label = a_label(piece)
        if label is None:
            return None
        converted.append(label)
    return "".join(converted)


def idna_hint(name: str) -> str | None:
    """The hint for a name with a Unicode label: its A-label, or why there is none."""
    if name.isascii():
        return None
    converted = a_label(name)
    if converted is None:
        return "DNS names are ASCII; this one has no IDNA A-label form (IDNA 2008, UTS 46)"
    return f"write the A-label: '{converted}'"


def label_problem(label: str) -> str | None:
    """Why ``label`` is not a DNS label (letters, digits, ``-``, ``_``; 1-63 octets)."""
    if not label:
        return "empty label (two dots in a row, or a leading or trailing dot)"
    if not label.isascii():
        converted = a_label(label)
        return f"label '{label}' is not ASCII" + (
            f" (its A-label is '{converted}')" if converted else ""
        )
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
    """The absolute zone name (lower case) for a zone name, or ``None`` if it is not one.

    Spec file names are stricter: :func:`zone_file_problem`.
    """
    if domain_problem(stem) is not None or "." not in stem.strip("."):
        return None
    return stem.rstrip(".").lower() + "."


def zone_file_problem(stem: str) -> tuple[str, str | None] | None:
    """(what is wrong, the right file name or None) when ``<stem>.yaml`` does not name
    a zone exactly.

    The stem is the zone's name as DNS carries it: at least two labels, no empty
    label (``example.com..yaml``), lower case (``Example.com.yaml`` would be a
    second spelling of the same zone), ASCII (``bücher.de.yaml`` → its A-label).
    """
    cleaned = ".".join(label for label in stem.split(".") if label)
    if not stem.isascii():
        converted = a_label(cleaned)
        if converted is None:
            return "the zone name is not ASCII and has no IDNA A-label", None
        return "the zone name is not ASCII (DNS carries its A-label)", f"{converted.lower()}.yaml"
    if cleaned != stem:
        return (
            "the zone name has an empty label (two dots in a row, or a leading dot)",
            f"{cleaned.lower()}.yaml" if "." in cleaned else None,
        )
    problem = domain_problem(stem)
    if problem is not None:
        return f"'{stem}' is not a DNS name: {problem}", None
    if "." not in stem:
        return f"'{stem}' is a single label, not a zone", None
    if stem != stem.lower():
        return "the zone name is not lower case", f"{stem.lower()}.yaml"
    return None


def zone_suffix(name: str, zone: str | None) -> str | None:
    """The part of relative ``name`` before the zone's own name when it ends in it
    (``lists.example.com`` in ``example.com.`` → ``lists``; the zone itself → ``""``)."""
    if zone is None:
        return None
    own = zone.rstrip(".").lower()
    lowered = name.lower()
    if lowered == own:
        return ""
    if lowered.endswith("." + own):
        return name[: -len(own) - 1]
    return None


def is_at_or_below(name: str, parent: str) -> bool:
    """Whether relative ``name`` is ``parent`` or a name under it (``""`` = apex)."""
    return parent == "" or name == parent or name.endswith("." + parent)
