"""The DNS questions a probe asks: a host's addresses, its TLSA records, a domain's MX
and TXT records.

Asked through dnsspec's blocking resolver (``--nameserver``, or the system's), each
bounded by the step timeout and the run's deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import ip_address

from dnsspec.errors import ResolveError
from dnsspec.lookups import BlockingResolver, NoData, NxDomain, run_blocking


def is_ip_address(host: str) -> bool:
    """Whether ``host`` is an IPv4 or IPv6 address rather than a name."""
    try:
        ip_address(host)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Tlsa:
    """One TLSA record (RFC 6698): usage, selector, matching type, association data."""

    usage: int
    selector: int
    matching: int
    data: bytes

    def __str__(self) -> str:
        return f"{self.usage} {self.selector} {self.matching} {self.data.hex()}"

    @classmethod
    def from_text(cls, text: str) -> Tlsa:
        """A TLSA rdata in presentation format (``"3 1 1 ab12…"``, hex maybe split)."""
        usage, selector, matching, *data = text.split()
        return cls(int(usage), int(selector), int(matching), bytes.fromhex("".join(data)))


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
                found.extend(self._addresses(host, rdtype))
            except ResolveError as exc:
                errors.append(exc)
        if not found:
            hard = [e for e in errors if not isinstance(e, NxDomain | NoData)]
            nxdomain = [e for e in errors if isinstance(e, NxDomain)]
            if hard or nxdomain:
                raise (hard or nxdomain)[0]
            raise NoData(f"{host}: no A or AAAA record", qname=host, rdtype="A")
        return found

    def _addresses(self, host: str, rdtype: str) -> list[str]:
        if rdtype == "A":
            return [str(a) for a in run_blocking(self._resolver.a(host))]
        return [str(a) for a in run_blocking(self._resolver.aaaa(host))]

    def tlsa(self, name: str) -> list[Tlsa]:
        """The TLSA records at ``name`` (empty when the name or the records do not exist;
        ResolveError for a record that is not TLSA presentation format)."""
        try:
            texts = run_blocking(self._resolver.query(name, "TLSA"))
        except (NxDomain, NoData):
            return []
        records = []
        for text in texts:
            try:
                records.append(Tlsa.from_text(text))
            except ValueError:
                raise ResolveError(f"{name}: unreadable TLSA record {text!r}") from None
        return records

    def txt(self, name: str) -> list[str]:
        """The TXT records at ``name`` (empty when the name or the records do not exist)."""
        try:
            return run_blocking(self._resolver.txt(name))
        except (NxDomain, NoData):
            return []

    def mx(self, domain: str) -> list[tuple[int, str]]:
        """(preference, host) of each MX of ``domain``, most preferred first (NxDomain,
        NoData and ResolveError raised)."""
        return sorted(run_blocking(self._resolver.mx(domain)))
