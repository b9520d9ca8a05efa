"""Which mail-policy kind a TXT value is: the one classifier.

Ownership (which values at a name are dnsspec's previous ones), lint (one
record of each kind per name) and the plan (which changes are a policy's) all
ask :func:`txt_kind`. A name publishes at most one record of each of these
kinds (receivers ignore or reject a second one), so at a name where a spec
writes one, any other value of that kind is the spec's previous value.

Only the kinds dnsspec writes count, with the version tag first in the value:
another service's ``v=verify1 …`` token is foreign.
"""

from __future__ import annotations

import re
from typing import Final

from dnsspec.spf.syntax import is_spf_record

SPF: Final = "spf"
DMARC: Final = "dmarc"
DKIM: Final = "dkim"
MTA_STS: Final = "mta_sts"
TLS_RPT: Final = "tls_rpt"
BIMI: Final = "bimi"

# version tag (lower case) -> kind; SPF is selected by RFC 7208 §4.5, not by this table
TAGS: Final[dict[str, str]] = {
    "dmarc1": DMARC,  # RFC 7489 §6.4
    "dkim1": DKIM,  # RFC 6376 §3.6.1
    "stsv1": MTA_STS,  # RFC 8461 §3.1
    "tlsrptv1": TLS_RPT,  # RFC 8460 §3
    "bimi1": BIMI,
}
KINDS: Final = frozenset({SPF, *TAGS.values()})
# how messages name each kind
TITLES: Final[dict[str, str]] = {
    SPF: "SPF",
    DMARC: "DMARC",
    DKIM: "DKIM",
    MTA_STS: "MTA-STS",
    TLS_RPT: "TLS-RPT",
    BIMI: "BIMI",
}
# the record types whose values are TXT strings (octoDNS keeps the obsolete SPF type)
TXT_TYPES: Final = ("TXT", "SPF")

# ``v=TAG`` first, ended by ``;`` (octoDNS's internal form writes ``\;``) or the end
_VERSION_TAG = re.compile(r"v\s*=\s*([A-Za-z0-9]+)\s*(?:\\?;|$)")
_DKIM_KEY = re.compile(r"(?:^|;)\s*p\s*=", re.IGNORECASE)  # after ; or \;


def txt_kind(name: str, text: str) -> str | None:
    """The mail-policy kind of the TXT value ``text`` published at ``name``, or None.

    ``name`` is the owner name, relative or absolute (only ``_domainkey`` in it
    matters: there a key record without its optional ``v=DKIM1`` is DKIM, RFC
    6376 §3.6.1). ``text`` is the value as receivers see it or octoDNS's
    internal form (``\\;``); both classify alike.

    >>> txt_kind("", "v=spf1 -all"), txt_kind("_dmarc", "v=DMARC1; p=reject")
    ('spf', 'dmarc')
    >>> txt_kind("s1._domainkey", "k=rsa; p=MIGf"), txt_kind("", "v=verify1 abc")
    ('dkim', None)
    """
    if is_spf_record(text):
        return SPF
    match = _VERSION_TAG.match(text)
    if match:
        kind = TAGS.get(match.group(1).lower())
        if kind is not None:
            return kind
    if "._domainkey" in f".{name.lower()}" and _DKIM_KEY.search(text):
        return DKIM
    return None


def is_spf(text: str) -> bool:
    """Whether a TXT value is an SPF policy (``v=spf1`` then a space or the end)."""
    return is_spf_record(text)
