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

import importlib
from typing import TYPE_CHECKING, Any

from dnsspec.errors import ResolveError, ResolveTimeout
from dnsspec.lookups.errors import NoData, NxDomain, UnknownName
from dnsspec.lookups.names import normalize_name, reverse_name
from dnsspec.lookups.protocol import Lookup

if TYPE_CHECKING:
    from dnsspec.lookups.asynchronous import MAX_IN_FLIGHT, DnsResolver
    from dnsspec.lookups.blocking import BlockingResolver, run_blocking
    from dnsspec.lookups.nameservers import parse_nameserver, system_nameservers

# The resolvers are imported on first use: offline work (lint against the lock, the
# cost walk over the specs' own records) reads through the protocol and the errors only.
_LAZY = {
    "MAX_IN_FLIGHT": "dnsspec.lookups.asynchronous",
    "DnsResolver": "dnsspec.lookups.asynchronous",
    "BlockingResolver": "dnsspec.lookups.blocking",
    "run_blocking": "dnsspec.lookups.blocking",
    "parse_nameserver": "dnsspec.lookups.nameservers",
    "system_nameservers": "dnsspec.lookups.nameservers",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
