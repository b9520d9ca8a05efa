"""Every touch of octoDNS beyond its documented contracts, in one place.

dnsspec builds on octoDNS's Manager, providers and records, and in a few places
needs more than their public API offers: the record type (``Record._type``), the
legacy ``rrs`` rendering octodns-bind sends (``_legacy_rdatas``), the Manager's
zone expansion (``_preprocess_zones``), its plan outputs and checksum, and
records whose class is swapped for a twin that renders differently. Each such
touch is one function here with a test (``tests/octodns/test_compat.py``), so an
octoDNS upgrade that changes one breaks here, in one place, and says which.
"""

from __future__ import annotations

import copy
import re
import warnings
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from hashlib import sha256
from json import dumps
from typing import Any

from octodns.record.spf import SpfRecord
from octodns.record.txt import TxtRecord

# -- records ----------------------------------------------------------------


def record_type(record: Any) -> str:
    """The record's type name (``"TXT"``): octoDNS keeps it as ``_type``."""
    return str(record._type)


def rdata_text(value: Any) -> str:
    """One record value in zone-file form (``10 mx.example.com.``)."""
    from octodns.record.base import value_to_rdata_text

    try:
        return str(value_to_rdata_text(value))
    except Exception:  # a third-party value type without rdata rendering
        return str(value)


def change_action(change: Any) -> str:
    """``create``, ``update`` or ``delete``: octoDNS's change classes by name."""
    return type(change).__name__.lower()


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


class _WholeRrset:
    """Records whose legacy ``rrs`` (what octodns-bind deletes) has no rdata."""

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


def _twin(record: Any, zone: Any, classes: Mapping[str, type]) -> Any:
    twin = record.copy(zone=zone)
    twin.__class__ = classes[record_type(record)]
    return twin


def is_faithful(record: Any) -> bool:
    return isinstance(record, (_FaithfulTxt, _FaithfulSpf))


def faithful_twin(record: Any, zone: Any) -> Any:
    """A copy of a TXT/SPF record whose legacy rendering keeps ``\\`` (octodns-bind)."""
    return _twin(record, zone, {"TXT": _FaithfulTxt, "SPF": _FaithfulSpf})


def is_whole_rrset(record: Any) -> bool:
    return isinstance(record, _WholeRrset)


def whole_rrset_twin(record: Any, zone: Any) -> Any:
    """A copy of a TXT/SPF record whose delete (octodns-bind) removes the whole rrset."""
    return _twin(record, zone, {"TXT": _WholeRrsetTxt, "SPF": _WholeRrsetSpf})


_HIGH_BYTE = re.compile(r"\\(?:1[2-9][0-9]|2[0-5][0-9])")  # \128 … \255 in presentation text


def unreadable_rrs(provider: Any, zone: Any) -> list[tuple[str, str, str, str]]:
    """The live records octoDNS cannot read: (fqdn, type, rdata text, why).

    For providers that read whole zones as presentation-format records (octodns-bind's
    ``zone_records``); others give ``[]``. Each record is parsed alone, as octoDNS's
    ``Record.from_rrs`` does, so the one that fails is named.
    """
    from octodns.record import Record
    from octodns.record.rr import RdataParseError

    read = getattr(provider, "zone_records", None)
    if read is None:
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rrs = list(read(zone, target=True))
    except Exception:
        return []
    out = []
    scratch = live_zone(zone)
    for rr in rrs:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # from_rrs is deprecated; providers still use it
                Record.from_rrs(scratch, [rr], lenient=True)
        except RdataParseError as error:
            why = str(error)
            if getattr(rr, "_type", None) in ("TXT", "SPF") and _HIGH_BYTE.search(str(rr.rdata)):
                why = "its bytes are not UTF-8 text, which is how octoDNS reads TXT values"
            out.append((str(rr.name), str(rr._type), str(rr.rdata), why))
        except Exception:
            continue
    return out


# -- zones --------------------------------------------------------------------


def live_zone(like: Any) -> Any:
    """An empty zone of the same name and sub-zones, for a target to populate."""
    from octodns.zone import Zone

    return Zone(like.name, like.sub_zones)


@lru_cache(maxsize=4096)
def record_zone(name: str) -> Any:
    """An empty ``octodns.zone.Zone`` to build records against (never added to).

    ``Zone()`` compiles two regexes of the zone's name, which only
    ``hostname_from_fqdn`` uses and which cost more than validating the zone's
    records: a zone for record building is a copy of one template Zone with its
    name set, and its regexes are compiled on first use (``_LazyNameZone``).
    A name ``Zone()`` would refuse still goes through ``Zone()``, to raise.
    """
    template = _template_zone()
    if name.endswith(".") and ".." not in name and " " not in name and "\t" not in name:
        from octodns.idna import idna_decode, idna_encode

        zone = copy.copy(template)
        zone.name = idna_encode(name)
        zone.decoded_name = idna_decode(zone.name)
        zone._records = defaultdict(set)
        return zone
    return type(template)(name, [])


@lru_cache(maxsize=1)
def _template_zone() -> Any:
    from octodns.zone import Zone

    class _LazyNameZone(Zone):  # type: ignore[misc]
        _REGEXES = ("_utf8_name_re", "_idna_name_re")

        def __init__(self, name: str, sub_zones: list[str]) -> None:
            super().__init__(name, sub_zones)
            for attr in self._REGEXES:
                del self.__dict__[attr]

        def __getattr__(self, attr: str) -> Any:
            # only reached for missing attributes: the regexes, as Zone.__init__ builds them
            from octodns.idna import idna_decode

            if attr == "_utf8_name_re":
                value = re.compile(rf"\.?{idna_decode(self.name)}?$")
            elif attr == "_idna_name_re":
                value = re.compile(rf"\.?{self.name}?$")
            else:
                raise AttributeError(attr)
            self.__dict__[attr] = value
            return value

    return _LazyNameZone("template.invalid.", [])


# -- the Manager --------------------------------------------------------------


def expand_zones(manager: Any) -> dict[str, Any]:
    """providers.yaml's zones with dynamic (``'*'``) entries expanded, as octoDNS does.

    ``_preprocess_zones`` expands the Manager's own zone config in place (it pops
    the dynamic entries), so later ``Manager.sync`` calls see the same zones.
    """
    zones: dict[str, Any] = manager._preprocess_zones(manager.config["zones"])
    return zones


def capture_plan_outputs(manager: Any, output: Any) -> None:
    """Replace the Manager's plan outputs by ``output`` (``run(plans, …)`` gets the plans)."""
    manager.plan_outputs = {"dnsspec": output}


def add_processor(manager: Any, processor_id: str, processor: Any) -> None:
    """Make ``processor`` known to the Manager under ``processor_id``."""
    manager.processors[processor_id] = processor


def plans_checksum(plans: list[tuple[Any, Any]]) -> str:
    """octoDNS's plan checksum (``Manager.sync``): sha256 of the plans' JSON data."""
    return sha256(dumps([p.data for _, p in plans]).encode("utf-8")).hexdigest()


@contextmanager
def only_zone(manager: Any, zone: str) -> Iterator[None]:
    """Show ``Manager.sync`` one zone's config only, so it does not re-walk every zone.

    ``Manager.sync`` expands the whole zone list (``_preprocess_zones``) on each
    call: one call per zone is quadratic in the number of zones. The zones are
    expanded once (:func:`expand_zones`); the Manager's sub-zone map, which it
    computes from the zone list on first use, is computed before the swap.
    """
    zones = manager.config["zones"]
    manager.configured_sub_zones(zone)  # cache octoDNS's sub-zone map over every zone
    one = type(zones)()
    one[zone] = zones[zone]
    manager.config["zones"] = one
    try:
        yield
    finally:
        manager.config["zones"] = zones


# -- reading a target back ----------------------------------------------------


def shows_desired(target: Any, plan: Any) -> bool:
    """Whether ``target`` now shows exactly the records ``plan`` asked for (read once).

    The target is read as ``BaseProvider.plan`` reads it (a fresh zone like the
    plan's, ``target=True``, lenient) and compared with the plan's desired zone by
    octoDNS's own ``Zone.changes``, the provider's false-positive filter
    (``_include_change``) and extra changes (``_extra_changes``) included. False
    means "not proven in sync": the caller re-plans to say what differs.
    """
    from octodns.zone import Zone

    desired = plan.desired
    live = Zone(desired.name, desired.sub_zones, validators=desired.validators_config)
    target.populate(live, target=True, lenient=True)
    changes = [c for c in live.changes(desired, target) if target._include_change(c)]
    if changes:
        return False
    return not target._extra_changes(existing=live, desired=desired, changes=[])


def zone_shape(zone: Any) -> tuple[Any, ...]:
    """What ``BaseProvider.plan`` builds the zone a target is read into from."""
    return (zone.name, zone.sub_zones, zone.validators_config)


def zone_state(zone: Any, exists: Any) -> tuple[Any, ...]:
    """What a target showed when read into ``zone``: whether the zone exists and every
    record's name, type and data (as JSON, so that later changes to the objects do not
    reach it), comparable with a later read."""
    records = sorted(
        (r.name, record_type(r), dumps(r.data, sort_keys=True, default=repr)) for r in zone.records
    )
    return (exists, tuple(records))


def read_target(target: Any, shape: tuple[Any, ...]) -> Any:
    """Read ``target`` into a fresh zone of ``shape`` as ``BaseProvider.plan`` does."""
    from octodns.zone import Zone

    name, sub_zones, validators = shape
    live = Zone(name, sub_zones, validators=validators)
    target.populate(live, target=True, lenient=True)
    return live
