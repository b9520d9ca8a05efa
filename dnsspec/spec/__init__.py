"""The spec language: the YAML users write under ``zones/``, as validated models.

``load_zones`` is the entry point; see ``docs/spec-language.md``. The derived
view every later step reads is :func:`policy_sites`.
"""

from dnsspec.spec.entries import RecordEntry
from dnsspec.spec.load import LoadedZone, SourceMap, load_zone, load_zones
from dnsspec.spec.policy import MailPolicySpec
from dnsspec.spec.sites import Site, policy_sites
from dnsspec.spec.zone import SubdomainSpec, ZoneSpec

__all__ = [
    "LoadedZone",
    "MailPolicySpec",
    "RecordEntry",
    "Site",
    "SourceMap",
    "SubdomainSpec",
    "ZoneSpec",
    "load_zone",
    "load_zones",
    "policy_sites",
]
