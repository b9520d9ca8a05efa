"""DMARC1xx: the DMARC policy records the specs write (``dmarc:``), and where each tag is."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dnsspec.errors import Location
from dnsspec.lint.context import LintContext
from dnsspec.lint.model import Violation
from dnsspec.spec.kinds.dmarc import DmarcValue
from dnsspec.spec.load import LoadedZone
from dnsspec.spec.sites import Site
from dnsspec.taglist import split_tags

# the mapping key that writes each tag
KEYS = {
    "p": "policy",
    "sp": "subdomain_policy",
    "np": "nonexistent_policy",
    "psd": "psd",
    "t": "testing",
    "adkim": "adkim",
    "aspf": "aspf",
    "fo": "fo",
    "rua": "rua",
    "ruf": "ruf",
}


@dataclass(frozen=True)
class DmarcSite:
    """One ``dmarc:`` of a spec, with its zone for locations."""

    loaded: LoadedZone
    site: Site

    @property
    def value(self) -> DmarcValue:
        value: DmarcValue = self.site.value
        return value

    @property
    def fqdn(self) -> str:
        name = f"_dmarc.{self.site.name}" if self.site.name else "_dmarc"
        return f"{name}.{self.loaded.zone}"

    @property
    def domain(self) -> str:
        """The domain the policy is for (no trailing dot)."""
        name = f"{self.site.name}.{self.loaded.zone}" if self.site.name else self.loaded.zone
        return name.rstrip(".")

    def tag_location(self, tag: str | None, index: int | None = None) -> Location:
        """Where ``tag`` was written: its key (mapping) or its column (raw); else the key."""
        source_map, path = self.loaded.source_map, self.site.path
        if tag is None:
            return source_map.locate(path)
        if self.value.form == "mapping":
            key = KEYS.get(tag)
            if key is None:
                return source_map.locate(path)
            sub = (*path, key) if index is None else (*path, key, index)
            return source_map.locate(sub if sub in source_map else (*path, key))
        text = self.value.text
        for found in split_tags(text):
            if found.name.lower() == tag.lower():
                return source_map.locate_in_string(path, text, found.column)
        return source_map.locate(path)

    def violation(
        self,
        message: str,
        tag: str | None = None,
        hint: str | None = None,
        index: int | None = None,
    ) -> Violation:
        """A violation at ``tag`` (and, in the mapping form, its list item ``index``)."""
        return Violation(
            message=message,
            location=self.tag_location(tag, index),
            zone=self.loaded.zone,
            record_name=self.site.name,
            hint=hint,
        )


def dmarc_sites(ctx: LintContext) -> Iterator[DmarcSite]:
    """Every ``dmarc:`` of the run's specs (``unset`` ones publish nothing: none)."""
    for loaded in ctx.zones:
        for site in loaded.sites:
            if site.kind == "dmarc":
                yield DmarcSite(loaded, site)
