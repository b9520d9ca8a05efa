"""Which DKIM selectors dnsspec published: one marker TXT per ``_domainkey`` name.

A selector removed from a spec is deleted from the provider only if dnsspec
published it; a selector it never wrote (a provider's, another sender's, one
pasted by hand) is foreign and stays (issue #11). The fact "dnsspec published
it" lives at the provider, beside the selectors it describes::

    _dnsspec._domainkey.example.com. TXT "v=dnsspec1 selectors=ed2026 s2026 sendgrid"

The ownership processor (:mod:`dnsspec.octodns.ownership`) writes this marker
with every apply, listing the selectors the specs write at that
``_domainkey.<name>`` (TXT or CNAME, from ``dkim:`` or ``records:``), and reads
the live one before it: a live selector listed there that the specs no longer
write is deleted, any other live selector is kept. The marker is the same idea
as octoDNS's ``TxtOwnershipProcessor`` (a TXT record the tool owns that says
what it manages), but one record per ``_domainkey`` name, not one per record.

Why at the provider and not in a file in the repository: it is written by the
same apply that publishes the selectors, per target, so it cannot go stale when
an apply fails or runs from a checkout whose state file was not committed back,
and two targets of one zone each keep their own. It fails safe: a selector
missing from the marker (a lost or hand-edited marker, a selector published
before the marker existed) is only ever kept. ``_dnsspec`` cannot be a selector
(RFC 6376 §3.1 allows no ``_`` in one), so the marker never shadows a key, and
a verifier never asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable

DOMAINKEY = "_domainkey"  # RFC 6376 §3.6.2.1: <selector>._domainkey.<domain>
MARKER_LABEL = "_dnsspec"
MARKER_PREFIX = "v=dnsspec1 selectors="


def split_owner(name: str) -> tuple[str, str] | None:
    """``("s1", "_domainkey.news")`` for ``s1._domainkey.news`` (relative or not), else None.

    The selector is every label before the first ``_domainkey`` label (RFC 6376
    §3.1 lets a selector have several), the rest is the ``_domainkey`` name.
    """
    labels = name.rstrip(".").lower().split(".")
    if DOMAINKEY not in labels[1:]:
        return None
    at = labels.index(DOMAINKEY, 1)
    return ".".join(labels[:at]), ".".join(labels[at:])


def marker_name(domainkey: str) -> str:
    """The marker's owner name for the ``_domainkey`` name ``domainkey``."""
    return f"{MARKER_LABEL}.{domainkey}"


def is_marker_name(name: str) -> bool:
    """Whether ``name`` is the marker's owner name (``_dnsspec._domainkey[.<name>]``)."""
    parts = split_owner(name)
    return parts is not None and parts[0] == MARKER_LABEL


def render_marker(selectors: Iterable[str]) -> str:
    """The marker's TXT value listing ``selectors`` (sorted, lower case, once each)."""
    return MARKER_PREFIX + " ".join(sorted({s.lower() for s in selectors}))


def parse_marker(text: str) -> frozenset[str] | None:
    """The selectors a marker lists, None when ``text`` is no marker (inverse of render)."""
    if not text.startswith(MARKER_PREFIX):
        return None
    return frozenset(s.lower() for s in text[len(MARKER_PREFIX) :].split())


def is_marker(name: str, text: str) -> bool:
    """Whether the TXT value ``text`` at ``name`` is dnsspec's marker."""
    return is_marker_name(name) and parse_marker(text) is not None
