"""``SpecOwnership``: never destroy what the specs do not own.

A plain octoDNS sync makes the target equal to the source: it deletes every
existing record absent from the source and replaces whole rrsets. dnsspec
manages only the names and types its specs generate, plus every TXT value of
a kind it writes (``v=spf1`` today: :func:`owned_kinds`) in a zone it manages.
So, just before octoDNS computes the changes (``process_source_and_target_zones``),
this processor *merges* what must survive into the desired zone:

- every existing record whose (name, type) the specs do not produce is kept
  as it is (``manage: all`` in a spec turns this off);
- a TXT rrset at a managed name keeps its foreign values (site verification
  tokens …) byte for byte; only dnsspec's own values change (``manage: all``:
  the spec's set replaces it whole);
- values of those kinds at names no spec manages are dropped, so a policy
  removed from a spec is removed from DNS (the other values at that name stay);
- a null MX (``MX 0 .``, what ``mx: none`` writes) is owned the same way: at a
  name no spec writes an MX, it is dropped (the plan shows it as a policy
  removal, :mod:`dnsspec.sync.guards`); an MX set with any host in it is foreign;
- DKIM is owned per selector: a selector no spec writes is deleted only when
  the live marker at its ``_domainkey`` name lists it (dnsspec published it),
  and the marker is rewritten with the selectors the specs write there
  (:mod:`dnsspec.dkim.published`); any other selector is foreign and stays;
  at a name a spec writes, a value of any kind the spec writes there is its
  previous value and is replaced;
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

from dnsspec.dkim.published import (
    MARKER_LABEL,
    is_marker,
    is_marker_name,
    marker_name,
    parse_marker,
    render_marker,
    split_owner,
)
from dnsspec.errors import ConfigError, DnsspecError
from dnsspec.octodns import compat
from dnsspec.txtkinds import DKIM, TXT_TYPES, txt_kind


class OwnershipConflict(DnsspecError):
    """Records the specs do not own clash with what they would write; nothing was changed."""


@dataclass
class MergeReport:
    """What the processor did for one zone at one target (read by the plan)."""

    mode: str | None = None
    kept_records: int = 0
    # (name, type) -> foreign values kept inside a managed TXT set
    kept_values: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    # (name, type) -> values of dnsspec's kinds dropped at names no spec manages
    dropped: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    # (name, type) of spec records left as they are because they are protected
    protected: list[tuple[str, str]] = field(default_factory=list)


def owned_kinds() -> frozenset[str]:
    """The TXT kinds dnsspec writes (the kinds table): in a zone it manages, it owns them all."""
    from dnsspec.kinds import KINDS

    # DKIM is owned only at the selectors a spec writes: another selector is a provider's
    # or another sender's key (issue #11: a foreign selector at the provider stays)
    return frozenset(kind.name for kind in KINDS if kind.name != "dkim")


MANAGE_MODES = ("owned", "all")


class SpecOwnership(BaseProcessor):  # type: ignore[misc]
    """octoDNS processor merging records dnsspec does not own into the desired zone.

    The zone's ``manage`` mode comes from the spec: :class:`SpecSource` records
    it when it populates the zone (:meth:`SpecSource.manage_mode`), or
    ``manage:`` here overrides it for every zone.
    """

    log = logging.getLogger("SpecOwnership")

    def __init__(self, name: str, manage: str | None = None, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        if manage is not None and manage not in MANAGE_MODES:
            raise ConfigError(f"processor {name}: manage must be owned or all, not {manage!r}")
        self.manage_override = manage
        self.kinds = owned_kinds()
        self._modes: dict[str, str] = {}
        self.reports: dict[tuple[str, str], MergeReport] = {}
        # (zone, target id) -> the live apex NS, when the caller read it already
        self.live_root_ns: dict[tuple[str, str], Any] = {}

    # -- hooks -------------------------------------------------------------

    def process_source_zone(self, desired: Any, sources: Any, lenient: bool = False) -> Any:
        from dnsspec.octodns.source import SpecSource

        for source in sources or ():
            if isinstance(source, SpecSource):
                mode = source.manage_mode(desired.decoded_name)
                if mode is not None:
                    self._modes[desired.decoded_name] = mode
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
            # Put it back on both sides: no change.
            root_ns = self._live_root_ns(existing, target)
            if root_ns is not None:
                existing.add_record(root_ns.copy(zone=existing), replace=True, lenient=True)
        rtype = compat.record_type
        published: dict[str, frozenset[str]] = {}
        if mode is not None:
            published = _published_selectors(existing)
            _add_markers(desired)
        wanted = {(r.name, rtype(r)): r for r in desired.records}
        protected = self._protected(existing)

        for record in sorted(existing.records, key=lambda r: (r.name, rtype(r))):
            key = (record.name, rtype(record))
            if key in protected:
                if key in wanted and wanted[key].data != record.data:
                    report.protected.append(key)
                desired.add_record(record.copy(zone=desired), replace=True, lenient=True)
                continue
            ours = _was_published(record.name, published)
            if key[1] in TXT_TYPES and mode is not None:
                self._merge_txt(desired, record, wanted.get(key), mode, report, ours)
                continue
            if key in wanted or mode == "all":
                continue
            if ours and key[1] == "CNAME":  # a delegated selector dnsspec published
                report.dropped[key] = (str(record.value),)
                continue
            if mode is not None and key[1] == "MX" and is_null_mx(record):
                report.dropped[key] = ("0 .",)  # a null MX no spec writes any more
                continue
            desired.add_record(record.copy(zone=desired), lenient=True)
            report.kept_records += 1
        _check_cname_conflicts(desired, wanted)
        if mode != "all":
            _check_null_mx_conflicts(desired, existing)
        for zone in (desired, existing):
            _faithful_txt(zone)
        _whole_rrset_deletes(existing)
        return desired, existing

    # -- helpers -----------------------------------------------------------

    def _merge_txt(
        self,
        desired: Any,
        record: Any,
        want: Any,
        mode: str,
        report: MergeReport,
        published: bool = False,
    ) -> None:
        """One live TXT rrset: keep its foreign values, drop or replace dnsspec's own.

        dnsspec's own values are those of a kind it writes (:func:`owned_kinds`:
        SPF today) anywhere in the zone, and, at a name the spec writes, those
        of every kind the spec writes there (a second value of a kind is its
        previous value: a name publishes one record of each kind); its DKIM
        values at a selector it ``published`` (:mod:`dnsspec.dkim.published`),
        and its published-selectors marker.
        """
        key = (record.name, compat.record_type(record))
        owned: set[str | None] = set(self.kinds)
        if want is not None:
            owned |= {txt_kind(record.name, str(v)) for v in want.values}
        if published:
            owned.add(DKIM)
        owned.discard(None)
        mine = tuple(
            v
            for v in record.values
            if txt_kind(record.name, str(v)) in owned or is_marker(record.name, str(v))
        )
        foreign = [v for v in record.values if v not in mine]
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
        if mine:
            report.dropped[key] = mine
        if not foreign:
            return  # nothing but dnsspec's own values: the rrset goes
        if mine:
            desired.add_record(record.copy(zone=desired, values=foreign), lenient=True)
        else:
            desired.add_record(record.copy(zone=desired), lenient=True)
        report.kept_records += 1

    def _protected(self, existing: Any) -> set[tuple[str, str]]:
        """Apex NS and A/AAAA of in-zone name server hosts, from the live zone."""
        ns_records = [r for r in existing.records if compat.record_type(r) == "NS"]
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
        """The live apex NS: as the caller saw it when the target was read, else read again."""
        key = (existing.decoded_name, str(target.id))
        if key in self.live_root_ns:
            return self.live_root_ns.pop(key)
        zone = compat.live_zone(existing)
        target.populate(zone, target=True, lenient=True)
        return zone.root_ns


def is_null_mx(record: Any) -> bool:
    """Whether an octoDNS MX record is a null MX (RFC 7505: one value, exchange ``.``)."""
    return [str(v.exchange) for v in record.values] == ["."]


def _published_selectors(existing: Any) -> dict[str, frozenset[str]]:
    """``_domainkey`` name -> the selectors its live marker says dnsspec published."""
    found: dict[str, frozenset[str]] = {}
    for record in existing.records:
        if compat.record_type(record) != "TXT" or not is_marker_name(record.name):
            continue
        parts = split_owner(record.name)
        assert parts is not None
        for value in record.values:
            selectors = parse_marker(str(value))
            if selectors is not None:
                found[parts[1]] = found.get(parts[1], frozenset()) | selectors
    return found


def _was_published(name: str, published: dict[str, frozenset[str]]) -> bool:
    """Whether ``name`` is a selector that a live marker lists (never the marker itself)."""
    parts = split_owner(name) if published else None
    if parts is None or parts[0] == MARKER_LABEL:
        return False
    return parts[0] in published.get(parts[1], ())


def _add_markers(desired: Any) -> None:
    """The marker at each ``_domainkey`` name: the selectors the specs write there."""
    from octodns.record import Record

    selectors: dict[str, set[str]] = {}
    ttls: dict[str, int] = {}
    for record in desired.records:
        parts = split_owner(record.name)
        if parts is None or parts[0] == MARKER_LABEL:
            continue
        if compat.record_type(record) not in ("TXT", "CNAME"):
            continue
        selectors.setdefault(parts[1], set()).add(parts[0])
        ttls[parts[1]] = min(ttls.get(parts[1], record.ttl), record.ttl)
    for domainkey, names in sorted(selectors.items()):
        data = {"type": "TXT", "ttl": ttls[domainkey], "value": render_marker(names)}
        marker = Record.new(desired, marker_name(domainkey), data, lenient=True)
        desired.add_record(marker, replace=True, lenient=True)


def _check_cname_conflicts(desired: Any, wanted: dict[tuple[str, str], Any]) -> None:
    """A CNAME and other data at one name, one side the specs' and one kept: refuse.

    The kept records are added leniently (octoDNS would refuse some foreign data it
    reads), which also skips octoDNS's CNAME check; servers then ignore half of the
    update (BIND: "attempt to add non-CNAME alongside CNAME ignored") or reject it
    mid-apply. So the clash is invalid input here, before anything is pushed.
    """
    by_name: dict[str, set[str]] = {}
    for record in desired.records:
        by_name.setdefault(record.name, set()).add(compat.record_type(record))
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


def _check_null_mx_conflicts(desired: Any, existing: Any) -> None:
    """A null MX (``mx: none``) where the provider has MX hosts no spec wrote: refuse.

    Replacing them would silently stop the name's mail; the user deletes them at the
    provider first (or opts into ``manage: all``). RFC 7505 §3: a null MX is alone.
    """
    live = {r.name: r for r in existing.records if compat.record_type(r) == "MX"}
    problems = []
    for record in desired.records:
        if compat.record_type(record) != "MX" or record.name not in live:
            continue
        if not is_null_mx(record):
            continue
        hosts = [str(v.exchange) for v in live[record.name].values if str(v.exchange) != "."]
        if hosts:
            fqdn = f"{record.name}.{desired.decoded_name}" if record.name else desired.decoded_name
            problems.append(
                f"{fqdn}: the spec makes it a null MX (`mx: none`, accepts no mail), and the "
                f"provider has MX hosts there ({', '.join(sorted(hosts))}): delete them at "
                "the provider first if the name is to stop receiving mail, or remove `mx: none`"
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
        if compat.record_type(record) not in TXT_TYPES or compat.is_whole_rrset(record):
            continue
        existing.add_record(compat.whole_rrset_twin(record, existing), replace=True, lenient=True)


def _faithful_txt(zone: Any) -> None:
    """Swap TXT/SPF records holding a backslash for their faithful twins (copies)."""
    for record in list(zone.records):
        if compat.record_type(record) not in TXT_TYPES or compat.is_faithful(record):
            continue
        if not any("\\" in str(v).replace("\\;", "") for v in record.values):
            continue
        zone.add_record(compat.faithful_twin(record, zone), replace=True, lenient=True)
