"""DMARC policy discovery and the DNS Tree Walk (RFC 9989 §4.10), over a lookup callback.

Pure: the caller passes ``txt(name) -> Sequence[str]``, the TXT strings published
at a name (each record's character-strings already joined; empty for NXDOMAIN or
NODATA; a transient DNS failure raises whatever the callback raises, which the
caller decides about, as RFC 9989 §4.10.1 leaves that to the receiver). Tests
serve the callback from the fixture DNS server or from compiled spec records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from dnsspec.dmarc.syntax import DmarcRecord, DmarcSyntaxError, Policy, is_dmarc_record, parse

TxtLookup = Callable[[str], Sequence[str]]
MAX_WALK_LABELS = 8  # RFC 9989 §4.10: at most eight queries per walk


def _labels(domain: str) -> list[str]:
    return [label for label in domain.rstrip(".").lower().split(".") if label]


def record_at(domain: str, txt: TxtLookup) -> DmarcRecord | None:
    """The one valid DMARC record at ``_dmarc.<domain>``, or ``None``.

    Strings that are not ``v=DMARC1`` are discarded; several DMARC records at one
    name are all discarded (RFC 9989 §4.10 step 2), and so is a record that does
    not parse (its policy cannot be read; §4.8 "syntax errors … discarded" is about
    single tags, which dnsspec's parser refuses).
    """
    found = [text for text in txt(f"_dmarc.{domain.rstrip('.')}") if is_dmarc_record(text)]
    if len(found) != 1:
        return None
    try:
        return parse(found[0])
    except DmarcSyntaxError:
        return None


def walk_targets(domain: str) -> list[str]:
    """The names a DNS Tree Walk from ``domain`` queries, in order (RFC 9989 §4.10).

    The start itself; then, past eight labels, straight to the last seven; then one
    label fewer each step, down to the top-level domain.
    """
    labels = _labels(domain)
    targets = [".".join(labels)]
    count = len(labels)
    # past eight labels, jump to the last seven (step 4); else drop the leftmost label
    skip = count - (MAX_WALK_LABELS - 1) if count > MAX_WALK_LABELS else 1
    labels = labels[skip:]
    while labels:
        targets.append(".".join(labels))
        labels = labels[1:]
    return targets


def tree_walk(domain: str, txt: TxtLookup) -> list[tuple[str, DmarcRecord]]:
    """The valid DMARC records a Tree Walk from ``domain`` finds, longest name first.

    Stops at a record with ``psd=y`` or ``psd=n`` (RFC 9989 §4.10 steps 2 and 6).
    """
    found: list[tuple[str, DmarcRecord]] = []
    for target in walk_targets(domain):
        record = record_at(target, txt)
        if record is None:
            continue
        found.append((target, record))
        if record.psd in ("y", "n"):
            break
    return found


def organizational_domain(domain: str, txt: TxtLookup) -> str:
    """The Organizational Domain of ``domain`` (RFC 9989 §4.10.2).

    Of the records the walk finds, longest name first: ``psd=n`` makes that name the
    Organizational Domain; ``psd=y`` (not at the start) makes the name one label below
    it; otherwise the record with the fewest labels wins; with no record, ``domain``.
    """
    start = ".".join(_labels(domain))
    walk = tree_walk(start, txt)
    for name, record in walk:
        if record.psd == "n":
            return name
        if record.psd == "y" and name != start:
            below = _labels(start)[-(len(_labels(name)) + 1) :]
            return ".".join(below)
    if walk:
        return min(walk, key=lambda item: len(_labels(item[0])))[0]
    return start


PolicySource = Literal["p", "sp", "np"]


@dataclass(frozen=True)
class Discovery:
    """The DMARC policy that applies to mail from an Author Domain."""

    author_domain: str
    policy_domain: str  # where the record was found
    record: DmarcRecord
    policy: Policy  # the policy to apply (before t=y softening)
    source: PolicySource  # which tag it came from ("p" also when p was absent: p=none)
    testing: bool  # t=y: apply one level below (RFC 9989 §4.7 ``t``)


def discover_policy(author_domain: str, txt: TxtLookup, *, exists: bool = True) -> Discovery | None:
    """The record and policy for mail from ``author_domain`` (RFC 9989 §4.10.1).

    ``exists`` says whether the Author Domain exists in the DNS (it selects ``np``
    over ``sp`` for a subdomain). ``None`` when no record applies: then receivers
    apply no DMARC at all. A record without ``p`` counts as ``p=none`` only when it
    has a ``rua``; without one, the record is not applied (§4.10.1).
    """
    author = ".".join(_labels(author_domain))
    own = record_at(author, txt)
    if own is not None:
        name, record = author, own
    else:
        found = [item for item in tree_walk(author, txt) if item[0] != author]
        if not found:
            return None
        # §4.10.1: the Organizational Domain's record, else the Public Suffix Domain's
        by_name = dict(found)
        org = organizational_domain(author, txt)
        name = org if org in by_name else found[-1][0]
        record = by_name[name]
    if record.policy is None and not record.rua:
        return None
    policy: Policy
    source: PolicySource
    if name == author:
        policy, source = record.effective_policy, "p"
    elif not exists and record.nonexistent_policy is not None:
        policy, source = record.nonexistent_policy, "np"
    elif record.subdomain_policy is not None:
        policy, source = record.subdomain_policy, "sp"
    else:
        policy, source = record.effective_policy, "p"
    return Discovery(author, name, record, policy, source, record.testing == "y")
