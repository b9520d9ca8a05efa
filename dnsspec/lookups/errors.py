"""The answers that are not values: every Lookup raises these (and only these).

A void answer is :class:`NxDomain` (the name does not exist) or :class:`NoData`
(it exists, without records of the type); :class:`UnknownName` is a view's "I have
no data for this name" (the lock, the specs' records). A failure is
:class:`~dnsspec.errors.ResolveError`, :class:`~dnsspec.errors.ResolveTimeout` for a
timeout. Each class formats its own message from ``qname`` and ``rdtype`` when the
raiser gives none.
"""

from __future__ import annotations

from dnsspec.errors import ResolveError, ResolveTimeout

__all__ = ["NoData", "NxDomain", "ResolveError", "ResolveTimeout", "UnknownName"]


class _Formatted(ResolveError):
    fmt = ""

    def __init__(self, message: str | None = None, *, qname: str = "", rdtype: str = "") -> None:
        if message is None and qname:
            message = self.fmt.format(qname=qname, rdtype=rdtype or "any")
        super().__init__(message, qname=qname, rdtype=rdtype)


class NxDomain(_Formatted):
    """The name does not exist (NXDOMAIN)."""

    fmt = "{qname}: no such domain (NXDOMAIN)"


class NoData(_Formatted):
    """The name exists but has no records of that type."""

    fmt = "{qname}: no {rdtype} record"


class UnknownName(_Formatted):
    """The name is outside the specs and has no known data (not in the lock)."""

    fmt = "{qname} is outside the specs and has no known {rdtype} data"
