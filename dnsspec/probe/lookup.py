"""The DNS questions a probe asks: a host's addresses, its TLSA records, a domain's MX.

Asked through dnsspec's blocking resolver (``--nameserver``, or the system's), each
bounded by the step timeout and the run's deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any

from dnsspec.dns import BlockingResolver, NoData, NxDomain, run_blocking
from dnsspec.errors import ResolveError


@dataclass(frozen=True)
class Tlsa:
    """One TLSA record (RFC 6698): usage, selector, matching type, association data."""

    usage: int
    selector: int
    matching: int
    data: bytes

    def __str__(self) -> str:
        return f"{self.usage} {self.selector} {self.matching} {self.data.hex()}"


class ProbeLookup:
    """DNS for one probe run: answers cached, every question within the deadline."""

    def __init__(self, nameservers: tuple[str, ...], timeout: float, deadline: float) -> None:
        self._resolver = BlockingResolver(nameservers, timeout=timeout, deadline=deadline)

    def addresses(self, host: str) -> list[str]:
        """IPv4 then IPv6 addresses of ``host`` (an IP address is its own answer)."""
        try:
            return [str(ip_address(host))]
        except ValueError:
            pass
        found: list[str] = []
        errors: list[ResolveError] = []
        for rdtype in ("A", "AAAA"):
            try:
                found.extend(str(a) for a in self._query(host, rdtype))
            except ResolveError as exc:
                errors.append(exc)
        if not found:
            hard = [e for e in errors if not isinstance(e, NxDomain | NoData)]
            nxdomain = [e for e in errors if isinstance(e, NxDomain)]
            if hard or nxdomain:
                raise (hard or nxdomain)[0]
            raise NoData(f"{host}: no A or AAAA record", qname=host, rdtype="A")
        return found

    def tlsa(self, name: str) -> list[Tlsa]:
        """The TLSA records at ``name`` (empty when the name or the records do not exist)."""
        try:
            rdatas = self._query(name, "TLSA")
        except (NxDomain, NoData):
            return []
        return [Tlsa(int(r.usage), int(r.selector), int(r.mtype), bytes(r.cert)) for r in rdatas]

    def mx(self, domain: str) -> list[tuple[int, str]]:
        """(preference, host) of each MX of ``domain``, most preferred first."""
        return sorted(self._query(domain, "MX"))

    def _query(self, name: str, rdtype: str) -> Any:
        return run_blocking(self._resolver._query(name, rdtype))
