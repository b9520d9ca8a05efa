"""A :class:`~dnsspec.lookups.Lookup` that answers from compiled records.

The linter counts lookups through the specs' own records (an include of a
name defined in the specs is followed offline). A name inside one of the
``zones`` is authoritative: missing data is :class:`~dnsspec.lookups.NoData` or
:class:`~dnsspec.lookups.NxDomain` as a real server would answer (wildcards
synthesised per RFC 4592, CNAMEs followed, names at or below a delegation
treated as outside). A name outside goes to ``fallback`` (the lock file, or
DNS) or raises :class:`UnknownName`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from ipaddress import IPv4Address, IPv6Address, ip_address
from typing import Any

from dnsspec.errors import ResolveError
from dnsspec.lookups import Lookup, NoData, NxDomain, UnknownName, normalize_name
from dnsspec.records import Record

MAX_CNAME_CHAIN = 8


class RecordsLookup(Lookup):
    """Answers from ``records`` for names inside ``zones``; others go to ``fallback``."""

    def __init__(
        self,
        records: Iterable[Record],
        zones: Iterable[str],
        fallback: Lookup | None = None,
    ) -> None:
        self._data: dict[tuple[str, str], list[Any]] = defaultdict(list)
        self._names: set[str] = set()
        for record in records:
            name = normalize_name(record.fqdn)
            self._data[(name, record.type.upper())].extend(record.values)
            self._names.add(name)
        # every owner name and its ancestors: the names that exist (RFC 4592 §2.2.2)
        self._existing = {n.split(".", i)[-1] for n in self._names for i in range(n.count(".") + 1)}
        self._zones = {normalize_name(z) for z in zones}
        self._fallback = fallback

    # --- name resolution inside the zones ------------------------------------

    def _zone_of(self, name: str) -> str | None:
        """The zone ``name`` belongs to, or None (outside, or below a delegation)."""
        labels = name.split(".")
        suffixes = [".".join(labels[i:]) for i in range(len(labels))]
        # the longest zone that contains the name; a delegation (NS) between them cuts it off
        for i, suffix in enumerate(suffixes):
            if suffix in self._zones:
                delegated = any((cut, "NS") in self._data for cut in suffixes[:i])
                return None if delegated else suffix
        return None

    def _exists(self, name: str) -> bool:
        return name in self._existing

    def _owner(self, name: str, zone: str) -> str | None:
        """The owner whose data answers ``name``: itself, a wildcard, or None (NXDOMAIN)."""
        if self._exists(name):
            return name
        encloser = name
        while encloser != zone:
            encloser = encloser.split(".", 1)[1]
            if self._exists(encloser):
                wildcard = f"*.{encloser}"
                return wildcard if wildcard in self._names else None
        return None

    async def _answer(self, name: str, rdtype: str) -> list[Any]:
        qname = normalize_name(name)
        for _ in range(MAX_CNAME_CHAIN):
            zone = self._zone_of(qname)
            if zone is None:
                raise _Outside(qname)
            owner = self._owner(qname, zone)
            if owner is None:
                raise NxDomain(qname=qname, rdtype=rdtype)
            values = self._data.get((owner, rdtype))
            if values:
                return list(values)
            cname = self._data.get((owner, "CNAME"))
            if not cname:
                raise NoData(qname=qname, rdtype=rdtype)
            qname = normalize_name(str(cname[0]))
        raise ResolveError(f"{name}: CNAME chain too long", qname=name, rdtype=rdtype)

    @staticmethod
    def _unknown(name: str, rdtype: str) -> UnknownName:
        return UnknownName(qname=name, rdtype=rdtype)

    # --- the Lookup protocol ---------------------------------------------------

    async def query(self, name: str, rdtype: str) -> list[str]:
        rdtype = rdtype.upper()
        try:
            if rdtype == "CNAME":  # the alias itself, not the end of its chain
                values = self._cname(name)
            else:
                values = await self._answer(name, rdtype)
        except _Outside as out:
            if self._fallback is not None:
                return await self._fallback.query(out.qname, rdtype)
            raise self._unknown(out.qname, rdtype) from None
        return [presentation(rdtype, v) for v in values]

    def _cname(self, name: str) -> list[Any]:
        qname = normalize_name(name)
        zone = self._zone_of(qname)
        if zone is None:
            raise _Outside(qname)
        owner = self._owner(qname, zone)
        if owner is None:
            raise NxDomain(qname=qname, rdtype="CNAME")
        values = self._data.get((owner, "CNAME"))
        if not values:
            raise NoData(qname=qname, rdtype="CNAME")
        return list(values)

    async def txt(self, name: str) -> list[str]:
        try:
            return [str(v) for v in await self._answer(name, "TXT")]
        except _Outside as out:
            if self._fallback is not None:
                return await self._fallback.txt(out.qname)
            raise self._unknown(out.qname, "TXT") from None

    async def a(self, name: str) -> list[IPv4Address]:
        try:
            return [IPv4Address(str(v)) for v in await self._answer(name, "A")]
        except _Outside as out:
            if self._fallback is not None:
                return await self._fallback.a(out.qname)
            raise self._unknown(out.qname, "A") from None

    async def aaaa(self, name: str) -> list[IPv6Address]:
        try:
            return [IPv6Address(str(v)) for v in await self._answer(name, "AAAA")]
        except _Outside as out:
            if self._fallback is not None:
                return await self._fallback.aaaa(out.qname)
            raise self._unknown(out.qname, "AAAA") from None

    async def mx(self, name: str) -> list[tuple[int, str]]:
        try:
            return [_mx(v) for v in await self._answer(name, "MX")]
        except _Outside as out:
            if self._fallback is not None:
                return await self._fallback.mx(out.qname)
            raise self._unknown(out.qname, "MX") from None

    async def ptr(self, address: IPv4Address | IPv6Address) -> list[str]:
        name = ip_address(address).reverse_pointer
        try:
            return [normalize_name(str(v)) for v in await self._answer(name, "PTR")]
        except _Outside:
            if self._fallback is not None:
                return await self._fallback.ptr(address)
            raise self._unknown(name, "PTR") from None


class _Outside(Exception):
    def __init__(self, qname: str) -> None:
        super().__init__(qname)
        self.qname = qname


def _mx(value: Any) -> tuple[int, str]:
    """octoDNS MX data (``preference``/``exchange``, or legacy ``priority``/``value``)."""
    if isinstance(value, Mapping):
        preference = value.get("preference", value.get("priority", 0))
        exchange = value.get("exchange", value.get("value", ""))
        return int(preference), normalize_name(str(exchange))
    preference_text, _, exchange_text = str(value).partition(" ")
    return int(preference_text), normalize_name(exchange_text)


def presentation(rdtype: str, value: Any) -> str:
    """A compiled record value (octoDNS data) in presentation format, as dnspython writes
    it: what ``Lookup.query`` of a resolver returns for the same published record."""
    import dns.rdata

    if rdtype in ("TXT", "SPF"):
        from dnsspec.records import split_character_strings

        raw = [c.encode("utf-8") for c in split_character_strings(str(value), at_spaces=False)]
        return _txt_text(raw)
    if rdtype == "MX":
        preference, exchange = _mx(value)
        text = f"{preference} {_absolute(exchange)}"
    elif isinstance(value, Mapping):
        text = " ".join(str(value[k]) for k in _FIELDS.get(rdtype, tuple(value)))
    else:
        text = str(value)
    if rdtype in ("CNAME", "NS", "PTR", "DNAME", "ALIAS"):
        text = _absolute(text)
    try:
        return str(dns.rdata.from_text("IN", rdtype, text).to_text())
    except Exception:  # a type or value dnspython cannot read: as compiled
        return text


_FIELDS = {
    "SRV": ("priority", "weight", "port", "target"),
    "TLSA": ("certificate_usage", "selector", "matching_type", "certificate_association_data"),
    "CAA": ("flags", "tag", "value"),
    "SSHFP": ("algorithm", "fingerprint_type", "fingerprint"),
}


def _absolute(name: str) -> str:
    return name if name.endswith(".") else name + "."


def _txt_text(strings: list[bytes]) -> str:
    import dns.rdataclass
    import dns.rdatatype
    from dns.rdtypes.ANY.TXT import TXT

    return str(TXT(dns.rdataclass.IN, dns.rdatatype.TXT, strings or [b""]).to_text())
