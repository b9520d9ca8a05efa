"""The one name normaliser, and the DNS form of a question's name."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address
from typing import Any

from dnsspec.lookups.errors import NxDomain


def normalize_name(name: str) -> str:
    """A name as every Lookup keys it: no surrounding space, no trailing dot, lower case.

    >>> normalize_name(" _SPF.Example.COM. ")
    '_spf.example.com'
    """
    return name.strip().rstrip(".").lower()


def reverse_name(address: IPv4Address | IPv6Address) -> str:
    """The PTR question's name of an address (``1.2.0.192.in-addr.arpa``)."""
    return address.reverse_pointer


def query_name(name: str, rdtype: str) -> Any:
    """The dnspython name a question asks (absolute), or the :class:`NxDomain` of a
    name DNS cannot hold (a label over 63 octets, a name over 255): never asked."""
    import dns.exception
    import dns.name

    try:
        return dns.name.from_text(name)
    except (dns.exception.DNSException, UnicodeError, ValueError) as exc:
        return NxDomain(f"{name}: not a valid domain name ({exc})", qname=name, rdtype=rdtype)
