"""What every rule sees: the loaded specs, their compiled records, lookup costs.

Built once per run by :func:`dnsspec.lint.run_lint`; rules only read it.
DNS names here are absolute, lower-case, with the trailing dot
(``"lists.example.com."``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from dnsspec.errors import Location
from dnsspec.lint.model import Violation
from dnsspec.spf.syntax import (
    Mechanism,
    Modifier,
    Policy,
    SpfSyntaxError,
    Term,
    is_spf_record,
)
from dnsspec.spf.syntax import parse as parse_spf

if TYPE_CHECKING:
    from dnsspec.lint.zonelist import ZoneList
    from dnsspec.records import Record
    from dnsspec.spec.load import LoadedZone
    from dnsspec.spec.sites import Site
    from dnsspec.spec.spf import SpfValue
    from dnsspec.spf.cost import Cost


@lru_cache(maxsize=65536)  # the same few thousand names, asked tens of thousands of times
def absolute(name: str) -> str:
    """``"Example.COM"`` → ``"example.com."``."""
    name = name.strip().lower()
    return name if name.endswith(".") else name + "."


def relative(fqdn: str, zone: str) -> str:
    """The name relative to ``zone`` (``""`` for the apex)."""
    return "" if fqdn == zone else fqdn[: -len(zone) - 1]


def target_of(term: Term, own: str) -> str | None:
    """The absolute name a term queries in the policy at ``own``: the one answer of
    :func:`dnsspec.spf.macros.term_target` (``%{d}`` and ``%{o}`` expanded, as the cost
    engine and the evaluator do), as an absolute name.

    ``None`` for terms without a target and for domain-specs with macros that only
    a message can expand.
    """
    from dnsspec.spf.macros import term_target

    target = term_target(term, _bare(own), origin=_bare(own))
    return None if target is None else absolute(target)


def _bare(name: str) -> str:
    return name.strip().lower().rstrip(".")


@dataclass(frozen=True)
class PolicySite:
    """One policy of any kind written in a spec (a :class:`~dnsspec.spec.sites.Site`),
    with the zone it came from: what a kind's rules iterate over (``ctx.sites_of``)."""

    loaded: LoadedZone
    site: Site

    @property
    def zone(self) -> str:
        return self.loaded.zone

    @property
    def name(self) -> str:
        return self.site.name

    @property
    def fqdn(self) -> str:
        return absolute(
            f"{self.site.name}.{self.loaded.zone}" if self.site.name else self.loaded.zone
        )

    @property
    def display(self) -> str:
        return self.fqdn.rstrip(".")

    def location(self, path: tuple[str | int, ...] = ()) -> Location:
        """Where the spec wrote the policy (or the node at ``path`` below it)."""
        return self.loaded.source_map.locate((*self.site.path, *path))

    def violation_at(
        self, message: str, path: tuple[str | int, ...] = (), hint: str | None = None
    ) -> Violation:
        """A violation at the policy's node (or the node at ``path`` below it)."""
        return Violation(message, self.location(path), self.zone, self.name, hint)


@dataclass(frozen=True)
class SpfSite(PolicySite):
    """One SPF policy written in a spec, with where it came from."""

    @property
    def at(self) -> SpfValue:
        """The parsed policy (``policy``, ``form``, ``text``)."""
        value: SpfValue = self.site.value
        return value

    def term_path(self, index: int) -> tuple[str | int, ...]:
        """The YAML path of the policy's ``index``-th term (the spf node for raw forms)."""
        if self.at.form != "mapping":
            return self.site.path
        term = self.at.policy.terms[index]
        if isinstance(term, Mechanism) and term.kind == "all":
            return (*self.site.path, "all")
        if isinstance(term, Modifier):
            if term.name.lower() in ("redirect", "exp"):
                return (*self.site.path, term.name.lower())
            return (*self.site.path, "modifiers", term.name)
        position = sum(1 for t in self.at.policy.terms[:index] if not _own_key(t))
        return (*self.site.path, "mechanisms", position)

    def term_location(self, index: int | None) -> Location:
        if index is None:
            return self.location()
        if self.at.form == "raw":
            return self._raw_term_location(index) or self.location()
        return self.loaded.source_map.locate(self.term_path(index))

    def _raw_term_location(self, index: int) -> Location | None:
        """The term's own column inside a one-line raw ``spf: "v=spf1 …"`` string."""
        columns = self._raw_columns
        if columns is None:
            return None
        line, first = columns
        return Location(self.loaded.file, line, first[index + 1])

    @cached_property
    def _raw_columns(self) -> tuple[int, list[int]] | None:
        """(line, column of each token) of a one-line raw string, computed once per
        site: a record of thousands of terms with a finding on each stays linear."""
        spec = self.loaded.spec
        raw = spec.spf if self.site.name == "" else spec.subdomains[self.site.name].spf
        found = self.loaded.source_map.nodes.get(self.site.path)
        if not isinstance(raw, str) or found is None:
            return None
        tokens = [m.start() for m in re.finditer(r"\S+", raw)]
        span = found.value
        if len(tokens) != len(self.at.policy.terms) + 1 or span.line != span.end_line:
            return None
        width = span.end_col - span.col
        quote = 0 if width == len(raw) else 1 if width == len(raw) + 2 else None
        if quote is None:
            return None
        return span.line, [span.col + quote + t for t in tokens]

    def violation(
        self, message: str, term: int | None = None, hint: str | None = None
    ) -> Violation:
        return Violation(
            message=message,
            location=self.term_location(term),
            zone=self.zone,
            record_name=self.name,
            hint=hint,
        )


def _own_key(term: Term) -> bool:
    """Terms the mapping form writes outside ``mechanisms`` (``all``, modifiers)."""
    return not isinstance(term, Mechanism) or term.kind == "all"


@dataclass(frozen=True)
class LintContext:
    """The inputs of one lint run."""

    zones: tuple[LoadedZone, ...]
    records: tuple[Record, ...]
    # lookup cost of each site's policy, by the site's fqdn (only when a DNS rule runs)
    costs: Mapping[str, Cost] = field(default_factory=dict)
    # providers.yaml's zone list, when lint reads one (rules that need "zone_list")
    zone_list: ZoneList | None = None
    # authorization name -> "published" | "not published" | "lookup failed: …", for the
    # names a lookup was asked (rules that need "report_authorizations")
    authorizations: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def sites(self) -> tuple[SpfSite, ...]:
        """The SPF policies of every zone."""
        return tuple(SpfSite(z, s) for z in self.zones for s in z.sites if s.kind == "spf")

    def sites_of(self, kind: str) -> tuple[PolicySite, ...]:
        """The policies of one kind of the kinds table (``"dmarc"``) of every zone."""
        return tuple(PolicySite(z, s) for z in self.zones for s in z.sites if s.kind == kind)

    @cached_property
    def _by_name(self) -> dict[str, list[Record]]:
        index: dict[str, list[Record]] = {}
        for r in self.records:
            index.setdefault(absolute(r.fqdn), []).append(r)
        return index

    @cached_property
    def zone_names(self) -> tuple[str, ...]:
        return tuple(absolute(z.zone) for z in self.zones)

    def names(self) -> Iterator[str]:
        """Every name that has compiled records, sorted."""
        return iter(sorted(self._by_name))

    def records_at(self, fqdn: str, rtype: str | None = None) -> list[Record]:
        found = self._by_name.get(absolute(fqdn), [])
        return [r for r in found if rtype is None or r.type == rtype]

    def spf_texts(self, fqdn: str) -> list[str]:
        """The ``v=spf1`` TXT values published at a name (by the compiled specs)."""
        return [v for r in self.records_at(fqdn, "TXT") for v in r.values if is_spf_record(str(v))]

    def spf_policy(self, fqdn: str) -> Policy | None:
        """The one SPF policy published at a name, parsed; None when there is none, or
        more than one (receivers then return permerror: DNS402)."""
        texts = self.spf_texts(fqdn)
        if len(texts) != 1:
            return None
        try:
            return parse_spf(texts[0])
        except SpfSyntaxError:
            return None

    def is_defined(self, fqdn: str) -> bool:
        """Whether the specs say anything about this name (records or a subdomain entry)."""
        fqdn = absolute(fqdn)
        return fqdn in self._by_name or fqdn in self._sites_by_fqdn

    @cached_property
    def _zones_by_name(self) -> dict[str, LoadedZone]:
        return {absolute(z.zone): z for z in self.zones}

    @cached_property
    def _sites_by_fqdn(self) -> dict[str, SpfSite]:
        index: dict[str, SpfSite] = {}
        for site in self.sites:
            index.setdefault(site.fqdn, site)
        return index

    def loaded_zone(self, fqdn: str) -> LoadedZone | None:
        """The spec whose zone contains ``fqdn`` (the longest match)."""
        name = absolute(fqdn)
        while name:
            found = self._zones_by_name.get(name)
            if found is not None:
                return found
            name = name.split(".", 1)[1] if "." in name[:-1] else ""
        return None

    @cached_property
    def delegations(self) -> tuple[str, ...]:
        """The names delegated away (NS records below a spec zone's apex), absolute."""
        return tuple(
            r.fqdn.lower()
            for r in self.records
            if r.type == "NS" and r.name != "" and self.loaded_zone(r.fqdn) is not None
        )

    def site_at(self, fqdn: str) -> SpfSite | None:
        return self._sites_by_fqdn.get(absolute(fqdn))

    def record_violation(self, record: Record, message: str, hint: str | None = None) -> Violation:
        """A violation about a compiled record, located at its spec node."""
        location = record.location
        if location is None:
            loaded = self.loaded_zone(record.fqdn)
            location = (
                loaded.source_map.locate(("records", record.name))
                if loaded is not None
                else Location(file=Path("<unknown>"), line=1, col=1)
            )
        return Violation(message, location, record.zone, record.name, hint)

    def ignores(self, zone: str, name: str) -> Sequence[str]:
        """The spec's ``ignore:`` entries that apply at a name (apex: the zone's list)."""
        loaded = self._zones_by_name.get(absolute(zone))
        if loaded is None:
            return ()
        if name == "":
            return loaded.spec.ignore
        sub = loaded.spec.subdomains.get(name)
        return sub.ignore if sub is not None else ()
