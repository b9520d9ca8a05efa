"""DNS lookups: the protocol every engine reads through, and the resolvers behind it.

- :class:`Lookup` (:mod:`.protocol`): typed helpers (``txt``, ``a``, ``aaaa``, ``mx``,
  ``ptr``) and a generic ``query(name, rdtype)`` in presentation format.
- :class:`NxDomain`, :class:`NoData`, :class:`UnknownName` (:mod:`.errors`): the void
  and unknown answers; failures are :class:`~dnsspec.errors.ResolveError`.
- :func:`normalize_name` (:mod:`.names`): the one name normaliser (how every Lookup keys).
- :mod:`.resolution`: the one resolution logic, sans-IO (tries, late answers, TCP
  fallback, CNAME chains, messages), driven by :class:`BlockingResolver` (sockets,
  no event loop: one ``check_host``) and :class:`DnsResolver` (asyncio: many at once).

Without nameservers, both resolvers ask the system resolver (/etc/resolv.conf).
"""

from __future__ import annotations

from dnsspec.errors import ResolveError, ResolveTimeout
from dnsspec.lookups.asynchronous import MAX_IN_FLIGHT, DnsResolver
from dnsspec.lookups.blocking import BlockingResolver, run_blocking
from dnsspec.lookups.errors import NoData, NxDomain, UnknownName
from dnsspec.lookups.names import normalize_name, reverse_name
from dnsspec.lookups.nameservers import parse_nameserver, system_nameservers
from dnsspec.lookups.protocol import Lookup

__all__ = [
    "MAX_IN_FLIGHT",
    "BlockingResolver",
    "DnsResolver",
    "Lookup",
    "NoData",
    "NxDomain",
    "ResolveError",
    "ResolveTimeout",
    "UnknownName",
    "normalize_name",
    "parse_nameserver",
    "reverse_name",
    "run_blocking",
    "system_nameservers",
]
