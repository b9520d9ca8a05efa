"""DMARC reporting URIs (RFC 9989 §4.8 ``dmarc-uri``): ``mailto:`` and ``https:`` only.

RFC 9989 allows any URI and tells receivers to ignore schemes they do not support;
dnsspec accepts only the two that receivers implement (``mailto:``, which every
reporting receiver must support, and ``https:``), because a report address nobody
can use is a mistake, not a choice. Inside a URI, ``,`` and ``!`` must be
percent-encoded (``%2C``, ``%21``): a bare ``,`` separates URIs and a bare ``!``
starts the obsolete size suffix (``!10m``), which is still accepted (RFC 7489
§6.2) and flagged, since RFC 9989 tells reporters to ignore it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

_SIZE = re.compile(r"[0-9]+[kmgtKMGT]?")
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+")
MAX_URIS = 16  # per tag; more is a mistake (each one receives every report)


@dataclass(frozen=True)
class ReportUri:
    """One reporting URI as written, and its obsolete ``!size`` suffix (without the ``!``)."""

    uri: str
    size: str | None = None

    def __str__(self) -> str:
        return self.uri if self.size is None else f"{self.uri}!{self.size}"

    @property
    def scheme(self) -> str:
        return self.uri.split(":", 1)[0].lower()

    @property
    def domain(self) -> str | None:
        """The domain that receives the reports: the mailbox's domain or the HTTPS host."""
        if self.scheme == "mailto":
            address = unquote(self.uri.split(":", 1)[1].split("?", 1)[0])
            return address.rpartition("@")[2].rstrip(".").lower() or None
        host = urlsplit(self.uri).hostname
        return host.rstrip(".").lower() if host else None


def uri_problem(text: str, *, size_suffix: bool = True) -> tuple[str, str | None, int] | None:
    """(message, hint, offset in ``text``) when ``text`` is not one acceptable report URI.

    With ``size_suffix`` (DMARC), ``text`` may carry the obsolete ``!size`` suffix
    (see :func:`parse_uri`) and any other ``!`` is an error; TLS-RPT has no suffix.
    """
    uri, bang, size = text.partition("!") if size_suffix else (text, "", "")
    if bang and (not _SIZE.fullmatch(size) or "!" in size):
        return (
            f"'!' inside the URI {text!r} must be written %21 "
            "(a bare '!' starts the obsolete size suffix, like !10m)",
            f"{uri}%21{size}" if "!" not in size else None,
            len(uri),
        )
    scheme, colon, rest = uri.partition(":")
    if not colon or scheme.lower() not in ("mailto", "https"):
        hint = f"mailto:{uri}" if "@" in uri and not colon else "e.g. mailto:dmarc@example.com"
        return (
            f"report URI {text!r} is not a mailto: or https: URI",
            hint,
            0,
        )
    if any(c.isspace() for c in uri):
        return f"report URI {text!r} contains whitespace", None, 0
    if scheme.lower() == "mailto":
        address = rest.split("?", 1)[0]
        local, at, domain = unquote(address).rpartition("@")
        if not address:
            return "mailto: URI has no address", "e.g. mailto:dmarc@example.com", 0
        if at and "," in local:
            return (
                f"mailto: URI {text!r}: ',' cannot be part of an address (it separates URIs)",
                "give each address its own item, e.g. "
                "[mailto:dmarc@example.com, mailto:agg@example.com]",
                len(scheme) + 1 + address.index(","),
            )
        if at and local and not local.isascii():
            return (
                f"mailto: URI {text!r}: the mailbox '{local}' is not ASCII "
                "(a DMARC or TLS-RPT record is ASCII text)",
                "use an ASCII mailbox, e.g. mailto:dmarc@example.com",
                len(scheme) + 1,
            )
        if not at or not local or not _LOCAL.fullmatch(local):
            return (
                f"mailto: URI {text!r} has no valid address (local-part@domain)",
                "e.g. mailto:dmarc@example.com",
                len(scheme) + 1,
            )
        problem = domain_problem(domain) if domain else "empty domain"
        if problem or "." not in domain.strip("."):
            return (
                f"mailto: URI {text!r}: invalid domain '{domain}'"
                + (f": {problem}" if problem else ""),
                _a_label_uri(uri, domain),
                len(uri) - len(domain),
            )
        return None
    parts = urlsplit(uri)
    if not rest.startswith("//") or not parts.hostname:
        return (
            f"https: URI {text!r} has no host",
            "e.g. https://reports.example.com/dmarc",
            0,
        )
    problem = domain_problem(parts.hostname)
    if problem:
        return (
            f"https: URI {text!r}: invalid host: {problem}",
            _a_label_uri(uri, parts.hostname),
            len(scheme) + 3,
        )
    return None


def _a_label_uri(uri: str, host: str) -> str | None:
    """``uri`` with a non-ASCII ``host`` written as A-labels, when that is a valid URI."""
    if host.isascii():
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    fixed = uri.replace(host, ascii_host, 1)
    return fixed if fixed.isascii() and uri_problem(fixed, size_suffix=False) is None else None


def parse_uri(text: str) -> ReportUri:
    """One URI (already checked with :func:`uri_problem`) as a :class:`ReportUri`."""
    uri, bang, size = text.partition("!")
    return ReportUri(uri, size if bang else None)


def split_uri_list(value: str) -> list[tuple[str, int]]:
    """A ``dmarc-urilist`` split at ``,`` (whitespace around it allowed): (uri, offset)."""
    out: list[tuple[str, int]] = []
    pos = 0
    for piece in value.split(","):
        lead = len(piece) - len(piece.lstrip(" \t"))
        out.append((piece.strip(" \t"), pos + lead))
        pos += len(piece) + 1
    return out


def domain_problem(name: str) -> str | None:
    """:func:`dnsspec.spec.names.domain_problem`, imported on use: ``dnsspec.spec`` imports
    this module (through the kinds' spec models), so a module-level import is a cycle."""
    from dnsspec.spec.names import domain_problem as problem

    return problem(name)
