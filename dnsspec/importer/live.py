"""Reading a zone's current state for ``dnsspec import``: AXFR, a zone file, octoDNS YAML.

Every reader returns a :class:`LiveZone`: the zone's rrsets as octoDNS records
(the form the plan compares, so an import that reproduces them re-plans with no
changes), and every rrset it could not carry as a :class:`Skipped` with the
reason. Nothing is dropped silently: a type no spec can hold (URI,
OPENPGPKEY, DNSSEC records …), a record octoDNS refuses, a name the spec
language cannot write, the SOA and the apex NS set (the provider's own) are
all listed.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dnsspec.dkim.published import is_marker_name
from dnsspec.errors import DnsspecError

MARKER_NOTE = "dnsspec's published-selectors marker (apply writes it from the specs)"


class ImportSourceError(DnsspecError):
    """The zone's current state could not be read."""


@dataclass(frozen=True)
class Skipped:
    """An rrset the import could not carry into the spec, and why."""

    name: str  # relative to the zone, "" = apex
    type: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name or '@'} {self.type}: {self.reason}"


@dataclass(frozen=True)
class LiveZone:
    """A zone as read: octoDNS records, what could not be carried, whether it is whole."""

    zone: str  # "example.com."
    records: tuple[Any, ...]  # octoDNS Record objects
    skipped: tuple[Skipped, ...] = ()
    # True when the source shows every name (AXFR, zone file, octoDNS YAML); a DNS import
    # sees only the names it asks for
    complete: bool = True
    notes: tuple[str, ...] = field(default=())


def _zone(name: str) -> Any:
    from octodns.zone import Zone

    return Zone(name, [])


def from_rdatasets(
    zone: str, rdatasets: Iterable[tuple[str, str, int, Sequence[str]]], *, complete: bool
) -> LiveZone:
    """(owner fqdn, type, ttl, rdata texts) rrsets → a LiveZone through octoDNS's parsers."""
    from octodns.record import Record
    from octodns.record.rr import Rrset

    from dnsspec.octodns.source import SPEC_RECORD_TYPES
    from dnsspec.spec.names import relative_name_problem

    target = _zone(zone)
    records: list[Any] = []
    skipped: list[Skipped] = []
    for fqdn, rtype, ttl, rdatas in rdatasets:
        name = "" if fqdn == zone else fqdn[: -len(zone) - 1]
        if rtype == "SOA":
            skipped.append(Skipped(name, rtype, "the provider's own (never in a spec)"))
            continue
        if rtype == "NS" and name == "":
            skipped.append(
                Skipped(name, rtype, "the apex NS set is the provider's own (kept as it is)")
            )
            continue
        if rtype not in SPEC_RECORD_TYPES:
            skipped.append(
                Skipped(name, rtype, "not a type dnsspec can publish through octoDNS (left live)")
            )
            continue
        if rtype == "TXT" and is_marker_name(name):
            skipped.append(Skipped(name, rtype, MARKER_NOTE))
            continue
        problem = relative_name_problem(name, zone) if name else None
        if problem:
            skipped.append(Skipped(name, rtype, f"the spec cannot write this name: {problem}"))
            continue
        try:
            record = Record.from_rrset(target, Rrset(fqdn, rtype, ttl, list(rdatas)))
        except Exception as error:  # octoDNS's validation (reasons) or an unparsable rdata
            reasons = getattr(error, "reasons", None)
            why = "; ".join(str(r) for r in reasons) if reasons else str(error)
            held = _policies_held(name, rtype, rdatas)
            skipped.append(Skipped(name, rtype, f"octoDNS refuses it: {why}{held}"))
            continue
        records.append(record)
    return LiveZone(zone, tuple(records), tuple(skipped), complete)


def _policies_held(name: str, rtype: str, rdatas: Sequence[str]) -> str:
    """What a refused TXT rrset takes with it: octoDNS refuses the rrset whole, so an SPF or
    DMARC value beside the one value it cannot read is not imported either, and the spec
    would have no policy there. Said, with the value, so the user writes it by hand."""
    from dnsspec.txtkinds import TITLES, TXT_TYPES, txt_kind

    if rtype not in TXT_TYPES:
        return ""
    found = []
    for rdata in rdatas:
        text = _txt_text(rdata)
        kind = txt_kind(name, text) if text is not None else None
        if kind is not None:
            found.append(f"{TITLES[kind]} {text!r}")
    if not found:
        return ""
    return (
        f"; the rrset holds {', '.join(found)}, not imported with it: the spec has no such "
        "policy here until you write it (its key, e.g. spf:) by hand, or make the refused "
        "value readable and import again"
    )


def _txt_text(rdata: str) -> str | None:
    """The TXT rdata ``"a" "b"`` (zone-file form) as receivers read it: ``ab``."""
    import dns.exception
    import dns.rdata
    import dns.rdataclass
    import dns.rdatatype

    try:
        parsed = dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.TXT, rdata)
    except (dns.exception.DNSException, ValueError):
        return None
    return b"".join(parsed.strings).decode("utf-8", "replace")  # type: ignore[attr-defined]


def _dnspython_zone(zone: str, parsed: Any, *, complete: bool = True) -> LiveZone:
    rrsets = []
    for name, rdataset in parsed.iterate_rdatasets():
        import dns.rdatatype

        fqdn = name.to_text().lower()
        rtype = dns.rdatatype.to_text(rdataset.rdtype)
        texts = [r.to_text(origin=None, relativize=False) for r in rdataset]
        rrsets.append((fqdn, rtype, int(rdataset.ttl), texts))
    return from_rdatasets(zone, rrsets, complete=complete)


def read_zone_file(zone: str, path: Path) -> LiveZone:
    """A BIND zone file (dnspython's parser: every type, DNAME, URI and OPENPGPKEY too)."""
    import dns.exception
    import dns.zone

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportSourceError(f"{path}: cannot read the zone file: {error}") from None
    try:
        parsed = dns.zone.from_text(
            text, origin=zone, relativize=False, filename=str(path), check_origin=True
        )
    except dns.exception.DNSException as error:
        raise ImportSourceError(f"{path}: not a valid zone file for {zone}: {error}") from None
    return _dnspython_zone(zone, parsed)


def zone_file_for(zone: str, source: Path) -> Path:
    """``--source``: a zone file, or a directory with ``<zone>``, ``<zone>db`` or ``db.<zone>``."""
    if not source.is_dir():
        return source
    bare = zone.rstrip(".")
    for candidate in (f"{bare}.db", f"{bare}.zone", bare, f"db.{bare}", f"{zone}db"):
        if (source / candidate).is_file():
            return source / candidate
    raise ImportSourceError(
        f"no zone file for {zone} in {source} (looked for {bare}.db, {bare}.zone, {bare}, "
        f"db.{bare})"
    )


@dataclass(frozen=True)
class TsigKey:
    """``--tsig-key [ALGORITHM:]NAME:SECRET`` (hmac-sha256 unless given)."""

    name: str
    secret: str
    algorithm: str = "hmac-sha256"

    @classmethod
    def parse(cls, text: str) -> TsigKey:
        parts = text.split(":")
        if len(parts) == 2:
            key = cls(parts[0], parts[1])
        elif len(parts) == 3:
            key = cls(parts[1], parts[2], parts[0].lower())
        else:
            raise ImportSourceError(
                f"--tsig-key {text[:20]!r}…: expected NAME:SECRET or ALGORITHM:NAME:SECRET"
            )
        try:
            base64.b64decode(key.secret, validate=True)
        except (binascii.Error, ValueError):
            raise ImportSourceError(
                f"--tsig-key {key.name}: the secret is not base64 (as in named.conf)"
            ) from None
        return key


def read_axfr(zone: str, host: str, port: int, *, tsig: TsigKey | None, timeout: float) -> LiveZone:
    """The whole zone by AXFR from ``host:port`` (signed with ``tsig`` when given)."""
    import dns.exception
    import dns.name
    import dns.query
    import dns.tsigkeyring
    import dns.xfr
    import dns.zone

    signed: dict[str, Any] = {}
    if tsig is not None:
        keyring = dns.tsigkeyring.from_text({tsig.name: (tsig.algorithm, tsig.secret)})
        signed = {
            "keyring": keyring,
            "keyname": next(iter(keyring)),
            "keyalgorithm": tsig.algorithm,
        }
    try:
        messages = dns.query.xfr(
            host,
            dns.name.from_text(zone),
            port=port,
            relativize=False,
            timeout=timeout,
            lifetime=timeout * 5,
            **signed,
        )
        parsed = dns.zone.from_xfr(messages, relativize=False)
    except dns.xfr.TransferError as error:
        raise ImportSourceError(
            f"{zone}: AXFR from {host}:{port} refused ({error}); allow-transfer for this "
            "address or key, or give --tsig-key NAME:SECRET"
        ) from None
    except (TimeoutError, dns.exception.Timeout):
        raise ImportSourceError(f"{zone}: AXFR from {host}:{port} timed out") from None
    except (OSError, dns.exception.DNSException, EOFError) as error:
        raise ImportSourceError(f"{zone}: AXFR from {host}:{port} failed: {error}") from None
    return _dnspython_zone(zone, parsed)


def read_octodns(zone: str, directory: Path) -> LiveZone:
    """An octoDNS YamlProvider directory (``<zone>yaml`` files, as octodns-dump writes)."""
    from octodns.provider.yaml import YamlProvider

    from dnsspec.octodns.source import SPEC_RECORD_TYPES

    if not directory.is_dir():
        raise ImportSourceError(f"{directory}: no such directory (--source, for --from octodns)")
    provider = YamlProvider("import", str(directory), enforce_order=False)
    target = _zone(zone)
    try:
        found = provider.populate(target, lenient=False)
    except Exception as error:
        raise ImportSourceError(f"{directory}: octoDNS cannot read {zone}: {error}") from None
    if not found and not target.records:
        raise ImportSourceError(f"{directory}: no octoDNS YAML for {zone} ({zone}yaml)")
    records: list[Any] = []
    skipped: list[Skipped] = []
    from dnsspec.octodns import compat

    for record in sorted(target.records, key=lambda r: (r.name, compat.record_type(r))):
        rtype = compat.record_type(record)
        extra = sorted(k for k in record.data if k not in ("ttl", "value", "values"))
        if rtype not in SPEC_RECORD_TYPES:
            skipped.append(Skipped(record.name, rtype, "not a type dnsspec can publish"))
        elif rtype == "TXT" and is_marker_name(record.name):
            skipped.append(Skipped(record.name, rtype, MARKER_NOTE))
        elif rtype == "NS" and record.name == "":
            skipped.append(Skipped("", rtype, "the apex NS set is the provider's own"))
        elif extra or getattr(record, "dynamic", None) or getattr(record, "geo", None):
            keys = ", ".join(extra) or "dynamic"
            skipped.append(
                Skipped(record.name, rtype, f"uses octoDNS keys a spec cannot hold ({keys})")
            )
        else:
            records.append(record)
    return LiveZone(zone, tuple(records), tuple(skipped), True)


def host_port(text: str) -> tuple[str, int]:
    """``HOST``, ``HOST:PORT`` or ``[V6]:PORT`` → (host, port)."""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, int(rest.lstrip(":") or 53)
    if text.count(":") == 1:
        host, _, port = text.partition(":")
        return host, int(port)
    return text, 53
