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

TXT_TYPES = ("TXT", "SPF")


def is_spf_value(value: str) -> bool:
    """Whether a TXT value (octoDNS internal form) is an SPF policy, ``v=spf1 …``."""
    head = value[:7].lower()
    return head == "v=spf1" or head == "v=spf1 "


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
        for zone in (desired, existing):
            _faithful_txt(zone)
        return desired, existing

    # -- helpers -----------------------------------------------------------

    def _merge_txt(
        self, desired: Any, record: Any, want: Any, mode: str, report: MergeReport
    ) -> None:
        key = (record.name, record._type)
        foreign = [v for v in record.values if not is_spf_value(v)]
        spf = tuple(v for v in record.values if is_spf_value(v))
        if want is not None:
            if mode == "all":
                return
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
