"""The spec language: the YAML users write under ``zones/``, as validated models.

``load_zones`` is the entry point; see ``docs/spec-language.md``.
"""

from dnsspec.spec.load import LoadedZone, SourceMap, load_zone, load_zones
from dnsspec.spec.zone import SpfAt, SubdomainSpec, ZoneSpec

__all__ = [
    "LoadedZone",
    "SourceMap",
    "SpfAt",
    "SubdomainSpec",
    "ZoneSpec",
    "load_zone",
    "load_zones",
]
