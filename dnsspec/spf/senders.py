"""Whether an SPF policy lets anyone send: what DMARC alignment and null MX lint ask.

Read off the parsed terms (:mod:`dnsspec.spf.syntax`), without DNS: a policy
*authorizes senders* when some host can get ``pass`` from it as written, and
*refuses everything* when it authorizes none and ends in ``-all`` (``spf:
none``, RFC 7208's way for a domain to say it sends no mail).
"""

from __future__ import annotations

from dnsspec.spf.syntax import Mechanism, Policy


def authorizes_senders(policy: Policy) -> bool:
    """Whether some host can get ``pass``: a ``+`` mechanism (written or implied:
    ``ip4:``, ``a``, ``mx``, ``include:``, ``exists:``, ``+all`` …) before ``all``,
    or, with no ``all``, a ``redirect=`` (its target decides, so it may).

    Mechanisms after ``all`` are never evaluated (RFC 7208 §4.6.2) and count for
    nothing; ``~``, ``-`` and ``?`` mechanisms never give ``pass``. A ``+`` term that an
    earlier term shadows (``-ip4:192.0.2.0/24 ip4:192.0.2.0/24``) still counts: the answer
    may say yes where no address passes, never no where one does.
    """
    for term in policy.terms:
        if not isinstance(term, Mechanism):
            continue
        if term.qualifier == "+":
            return True
        if term.kind == "all":
            return False
    return policy.redirect is not None


def refuses_everything(policy: Policy) -> bool:
    """Whether the policy authorizes nobody and fails the rest (``v=spf1 -all``)."""
    last = policy.all
    return not authorizes_senders(policy) and last is not None and last.qualifier == "-"
