"""Report destinations in another domain: the authorization record (RFC 9990 §3.3, RFC 7489 §7.1).

A receiver sends reports for ``example.com`` to ``mailto:agg@reports.example.net``
only if ``example.com._report._dmarc.reports.example.net`` publishes a TXT record
that starts with ``v=DMARC1``. That check is needed only when the destination is
in another Organizational Domain than the policy's domain.

Deciding "another Organizational Domain" precisely needs the DNS Tree Walk
(RFC 9989 §4.10.2, :func:`dnsspec.dmarc.discovery.organizational_domain`). Without
the network, dnsspec uses :func:`organizational_domain_guess`: the names the
caller knows to be Organizational Domains (the zones of the specs) win; otherwise
the registrable domain under a small table of well-known public suffixes, and the
last two labels for everything else. The guess is documented as a guess: lint
says "likely" and ``lint --resolve`` asks the DNS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from dnsspec.dmarc.syntax import is_dmarc_record
from dnsspec.dmarc.uris import ReportUri

if TYPE_CHECKING:
    from dnsspec.lookups import Lookup

# Second-level public suffixes common enough to matter for a mail domain's reports
# (<label>.<cc>): example.co.uk's Organizational Domain is example.co.uk, not co.uk.
_SECOND_LEVEL = frozenset(
    {"ac", "co", "com", "edu", "gov", "gv", "govt", "mil", "ne", "net", "or", "org", "ltd", "plc"}
)
# Other multi-label public suffixes that hosted mail domains commonly sit under.
_KNOWN_SUFFIXES = frozenset({"github.io", "gitlab.io", "azurewebsites.net", "herokuapp.com"})


def _labels(name: str) -> list[str]:
    return [label for label in name.rstrip(".").lower().split(".") if label]


def known_zones(names: Iterable[str]) -> frozenset[str]:
    """Names known to be Organizational Domains, normalised once for the functions below."""
    if isinstance(names, frozenset):
        return names
    return frozenset(".".join(_labels(name)) for name in names)


def organizational_domain_guess(name: str, known: Iterable[str] = ()) -> str:
    """A network-free guess at the Organizational Domain of ``name`` (see the module docs).

    ``known`` are names known to be Organizational Domains (the spec's zones): the
    longest one that ``name`` is at or under wins. A frozenset is taken as
    :func:`known_zones` made it (normalised): pass one when asking many times.
    """
    labels = _labels(name)
    zones = known_zones(known)
    for start in range(len(labels)):  # the longest suffix first
        candidate = ".".join(labels[start:])
        if candidate in zones:
            return candidate
    fqdn = ".".join(labels)
    if len(labels) <= 2:
        return fqdn
    last_two = ".".join(labels[-2:])
    if last_two in _KNOWN_SUFFIXES or (len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL):
        return ".".join(labels[-3:])
    return last_two


def same_organization(a: str, b: str, known: Iterable[str] = ()) -> bool:
    """Whether two names likely share an Organizational Domain (network-free)."""
    zones = known_zones(known)
    return organizational_domain_guess(a, zones) == organizational_domain_guess(b, zones)


def authorization_name(policy_domain: str, report_domain: str) -> str:
    """``<policy_domain>._report._dmarc.<report_domain>`` (RFC 9990 §3.3, RFC 7489 §7.1)."""
    return f"{policy_domain.rstrip('.').lower()}._report._dmarc.{report_domain.rstrip('.').lower()}"


REPORT_LABELS = "._report._dmarc."


def split_authorization_name(fqdn: str) -> tuple[str, str] | None:
    """(policy domain, report domain) of ``<policy>._report._dmarc.<report>``, else None.

    >>> split_authorization_name("example.com._report._dmarc.reports.example.net.")
    ('example.com', 'reports.example.net')
    """
    name = fqdn.rstrip(".").lower()
    policy, found, report = name.partition(REPORT_LABELS)
    if not found or not policy or not report:
        return None
    return policy, report


def is_authorization_record(text: str) -> bool:
    """Whether a TXT string at an authorization name grants it: it starts with ``v=DMARC1``."""
    return is_dmarc_record(text)


AUTHORIZATION_RECORD = "v=DMARC1"


def needs_authorization(policy_domain: str, uri: ReportUri, known: Iterable[str] = ()) -> bool:
    """Whether reports to ``uri`` need an authorization record from the URI's domain."""
    domain = uri.domain
    return domain is not None and not same_organization(policy_domain, domain, known)


def external_destinations(
    policy_domain: str, uris: Iterable[ReportUri], known: Iterable[str] = ()
) -> list[tuple[ReportUri, str]]:
    """Destinations outside ``policy_domain``'s organization, each with its authorizing name.

    One entry per distinct report domain, in the order the URIs appear.
    """
    known = known_zones(known)
    out: list[tuple[ReportUri, str]] = []
    seen: set[str] = set()
    for uri in uris:
        domain = uri.domain
        if domain is None or domain in seen or not needs_authorization(policy_domain, uri, known):
            continue
        seen.add(domain)
        out.append((uri, authorization_name(policy_domain, domain)))
    return out


PUBLISHED = "published"
NOT_PUBLISHED = "not published"


async def lookup_authorizations(names: Sequence[str], lookup: Lookup) -> Mapping[str, str]:
    """What ``lookup`` says of each authorization name: :data:`PUBLISHED` (a TXT value
    starting ``v=DMARC1``), :data:`NOT_PUBLISHED` (no such name, no TXT, or no such
    value), or ``"lookup failed: …"``. A name the lookup knows nothing of (the lock,
    which holds only what ``dnsspec lock`` recorded) is left out: not checked.
    """
    import asyncio

    from dnsspec.errors import ResolveError
    from dnsspec.lookups.errors import NoData, NxDomain, UnknownName

    async def one(name: str) -> str | None:
        try:
            values = await lookup.txt(name)
        except UnknownName:
            return None
        except (NxDomain, NoData):
            return NOT_PUBLISHED
        except ResolveError as error:
            return f"lookup failed: {error}"
        return PUBLISHED if any(is_authorization_record(v) for v in values) else NOT_PUBLISHED

    unique = list(dict.fromkeys(names))
    answers = await asyncio.gather(*(one(name) for name in unique))
    return {name: state for name, state in zip(unique, answers, strict=True) if state is not None}
