"""``SpecOwnership``: never destroy what the specs do not own.

A plain octoDNS sync makes the target equal to the source: it deletes every
existing record absent from the source and replaces whole rrsets. dnsspec
manages only the names and types its specs generate, plus every ``v=spf1``
value of a zone it manages. So, just before octoDNS computes the changes
(``process_source_and_target_zones``), this processor *merges* what must
survive into the desired zone:

- every existing record whose (name, type) the specs do not produce is kept
  as it is (``manage: all`` in a spec turns this off);
- a TXT rrset at a managed name keeps its foreign values (site verification
  tokens …) byte for byte; only dnsspec's own values change (``manage: all``:
  the spec's set replaces it whole);
- ``v=spf1`` values at names no spec manages are dropped, so a policy removed
  from a spec is removed from DNS (the other values at that name stay);
- the apex NS set and the address records of in-zone name servers are never
  touched (SOA is invisible to octoDNS), whatever the mode.

Filtering the plan instead could not merge values into an rrset, and removing
records from the *existing* zone would make providers that rewrite the whole
zone (YamlProvider, ZoneFileProvider) drop them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from octodns.processor.base import BaseProcessor
from octodns.record.spf import SpfRecord
from octodns.record.txt import TxtRecord

from dnsspec.errors import DnsspecError
from dnsspec.txtkinds import TXT_TYPES, is_spf, txt_kind


class OwnershipConflict(DnsspecError):
    """Records the specs do not own clash with what they would write; nothing was changed."""


@dataclass
class MergeReport:
    """What the processor did for one zone at one target (read by the plan)."""

    mode: str | None = None
    kept_records: int = 0
    # (name, type) -> foreign values kept inside a managed TXT set
    kept_values: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    # (name, type) -> v=spf1 values dropped at names no spec manages
    dropped_spf: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    # (name, type) of spec records left as they are because they are protected
    protected: list[tuple[str, str]] = field(default_factory=list)


class SpecOwnership(BaseProcessor):  # type: ignore[misc]
    """octoDNS processor merging records dnsspec does not own into the desired zone."""

    log = logging.getLogger("SpecOwnership")

    def __init__(self, name: str, manage: str | None = None, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        if manage not in (None, "owned", "all"):
            raise ValueError(f"{name}: manage must be owned or all, not {manage!r}")
        self.manage_override = manage
        self._modes: dict[str, str] = {}
        self.reports: dict[tuple[str, str], MergeReport] = {}

    # -- hooks -------------------------------------------------------------

    def process_source_zone(self, desired: Any, sources: Any, lenient: bool = False) -> Any:
        for source in sources or ():
            modes = getattr(source, "manage", None)
            if isinstance(modes, dict) and desired.decoded_name in modes:
                self._modes[desired.decoded_name] = str(modes[desired.decoded_name])
        return desired

    def process_source_and_target_zones(
        self, desired: Any, existing: Any, target: Any, lenient: bool = False
    ) -> tuple[Any, Any]:
        mode = self.manage_override or self._modes.get(desired.decoded_name)
        report = MergeReport(mode=mode)
        self.reports[(desired.decoded_name, target.id)] = report
        if existing.root_ns is None:
            # octoDNS drops the live apex NS from ``existing`` when the specs
            # have none (or the target does not manage it); providers that
            # rewrite the whole zone from ``existing`` would then lose it.
            # Read it again and put it back on both sides: no change.
            root_ns = self._live_root_ns(existing, target)
            if root_ns is not None:
                existing.add_record(root_ns.copy(zone=existing), replace=True, lenient=True)
        wanted = {(r.name, r._type): r for r in desired.records}
        protected = self._protected(existing)

        for record in sorted(existing.records, key=lambda r: (r.name, r._type)):
            key = (record.name, record._type)
            if key in protected:
                if key in wanted and wanted[key].data != record.data:
                    report.protected.append(key)
                desired.add_record(record.copy(zone=desired), replace=True, lenient=True)
                continue
            if record._type in TXT_TYPES and mode is not None:
                self._merge_txt(desired, record, wanted.get(key), mode, report)
                continue
            if key in wanted or mode == "all":
                continue
            desired.add_record(record.copy(zone=desired), lenient=True)
            report.kept_records += 1
        _check_cname_conflicts(desired, wanted)
        for zone in (desired, existing):
            _faithful_txt(zone)
        _whole_rrset_deletes(existing)
        return desired, existing

    # -- helpers -----------------------------------------------------------

    def _merge_txt(
        self, desired: Any, record: Any, want: Any, mode: str, report: MergeReport
    ) -> None:
        key = (record.name, record._type)
        foreign = [v for v in record.values if not is_spf(v)]
        spf = tuple(v for v in record.values if is_spf(v))
        if want is not None:
            if mode == "all":
                return
            kinds = {txt_kind(record.name, str(v)) for v in want.values} - {None}
            # a value of a kind the spec writes here (v=DMARC1 …) is its previous value
            foreign = [v for v in foreign if txt_kind(record.name, str(v)) not in kinds]
            extra = [v for v in foreign if v not in want.values]
            if extra:
                merged = want.copy(zone=desired, values=[*want.values, *extra])
                desired.add_record(merged, replace=True, lenient=True)
                report.kept_values[key] = tuple(extra)
            return
        if mode == "all":
            return
        if spf:
            report.dropped_spf[key] = spf
        if not foreign:
            return  # nothing but dnsspec's own values: the rrset goes
        if spf:
            desired.add_record(record.copy(zone=desired, values=foreign), lenient=True)
        else:
            desired.add_record(record.copy(zone=desired), lenient=True)
        report.kept_records += 1

    def _protected(self, existing: Any) -> set[tuple[str, str]]:
        """Apex NS and A/AAAA of in-zone name server hosts, from the live zone."""
        ns_records = [r for r in existing.records if r._type == "NS"]
        hosts: set[str] = set()
        suffix = f".{existing.name}"
        for record in ns_records:
            for value in record.values:
                host = str(value).lower()
                if host.endswith(suffix):
                    hosts.add(host[: -len(suffix)])
                elif host == existing.name:
                    hosts.add("")
        keys = {("", "NS")}
        keys.update((h, t) for h in hosts for t in ("A", "AAAA"))
        return keys

    def _live_root_ns(self, existing: Any, target: Any) -> Any:
        from octodns.zone import Zone

        zone = Zone(existing.name, existing.sub_zones)
        target.populate(zone, target=True, lenient=True)
        return zone.root_ns


class _FaithfulTxt(TxtRecord):  # type: ignore[misc]
    """TXT whose deprecated ``rrs`` rendering keeps backslashes.

    octoDNS's legacy ``Record.rrs`` (still what octodns-bind's RFC 2136 updates
    send) quotes ``"`` but not ``\\``, so ``a\\b`` would reach the server as
    ``ab``. This renders through ``to_rdata_text`` (dnspython), as ``to_rrset``
    does. Same type and values: octoDNS sees no difference when diffing.
    """

    def _legacy_rdatas(self) -> list[str]:
        return [value.to_rdata_text() for value in self.values]


class _FaithfulSpf(SpfRecord):  # type: ignore[misc]
    """SPF-type twin of :class:`_FaithfulTxt`."""

    def _legacy_rdatas(self) -> list[str]:
        return [value.to_rdata_text() for value in self.values]


def _check_cname_conflicts(desired: Any, wanted: dict[tuple[str, str], Any]) -> None:
    """A CNAME and other data at one name, one side the specs' and one kept: refuse.

    The kept records are added leniently (octoDNS would refuse some foreign data it
    reads), which also skips octoDNS's CNAME check; servers then ignore half of the
    update (BIND: "attempt to add non-CNAME alongside CNAME ignored") or reject it
    mid-apply. So the clash is invalid input here, before anything is pushed.
    """
    by_name: dict[str, set[str]] = {}
    for record in desired.records:
        by_name.setdefault(record.name, set()).add(record._type)
    problems = []
    for name, types in sorted(by_name.items()):
        if "CNAME" not in types or types == {"CNAME"}:
            continue
        others = sorted(types - {"CNAME"})
        fqdn = f"{name}.{desired.decoded_name}" if name else desired.decoded_name
        if (name, "CNAME") in wanted:
            theirs = ", ".join(t for t in others if (name, t) not in wanted)
            problems.append(
                f"{fqdn}: the spec writes a CNAME, and the provider has {theirs} records "
                "there that no spec manages (DNS allows nothing beside a CNAME): delete them "
                "at the provider, or write them in the spec instead of the CNAME"
            )
        else:
            ours = ", ".join(t for t in others if (name, t) in wanted)
            problems.append(
                f"{fqdn}: the provider has a CNAME there that no spec manages, and the spec "
                f"writes {ours} records at the same name (DNS allows nothing beside a "
                "CNAME): delete the CNAME at the provider, or move the records"
            )
    if problems:
        raise OwnershipConflict("; ".join(problems) + "; nothing was changed")


def _whole_rrset_deletes(existing: Any) -> None:
    """Make a deleted TXT/SPF rrset go whole, however the provider split its strings.

    octoDNS joins a record's character-strings into one value, so the rdata it
    renders for a delete (octodns-bind's RFC 2136 ``update.delete(name, type,
    *rdatas)``) may not be the live one (``"v=spf1 a " "-all"``): the server then
    deletes nothing and reports success. A Delete change removes the whole rrset
    from the zone, so these records of the *existing* zone render no rdata, and
    the update deletes the rrset. Creates and updates use the desired records.
    """
    for record in list(existing.records):
        if record._type not in TXT_TYPES or isinstance(record, _WholeRrset):
            continue
        twin = record.copy(zone=existing)
        twin.__class__ = _WholeRrsetTxt if record._type == "TXT" else _WholeRrsetSpf
        existing.add_record(twin, replace=True, lenient=True)


class _WholeRrset:
    """Existing-zone records whose legacy ``rrs`` (what octodns-bind deletes) has no rdata."""

    fqdn: str
    ttl: int
    _type: str

    @property
    def rrs(self) -> tuple[str, int, str, list[str]]:
        # octoDNS's own rrs builds an Rrset, which needs one rdata at least
        return self.fqdn, self.ttl, self._type, []


class _WholeRrsetTxt(_WholeRrset, TxtRecord):  # type: ignore[misc]
    pass


class _WholeRrsetSpf(_WholeRrset, SpfRecord):  # type: ignore[misc]
    pass


def _faithful_txt(zone: Any) -> None:
    """Swap TXT/SPF records holding a backslash for their faithful twins (copies)."""
    for record in list(zone.records):
        if record._type not in TXT_TYPES or isinstance(record, (_FaithfulTxt, _FaithfulSpf)):
            continue
        if not any("\\" in str(v).replace("\\;", "") for v in record.values):
            continue
        twin = record.copy(zone=zone)
        twin.__class__ = _FaithfulTxt if record._type == "TXT" else _FaithfulSpf
        zone.add_record(twin, replace=True, lenient=True)
