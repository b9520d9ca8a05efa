"""ZoneSpec → exact DNS records (:class:`~dnsspec.records.Record`), and their outputs.

What the compiler produces, per zone, in :meth:`Record.sort_key` order:

- each kind's records, from its generator (the kinds table,
  :data:`dnsspec.kinds.KINDS`) run over the zone's sites
  (:func:`dnsspec.spec.sites.policy_sites`): for SPF one TXT rrset per policy
  (``origin="spf"``), located at the ``spf:`` node (:mod:`dnsspec.compile.spf`);
- with ``subdomain_default: none``, ``v=spf1 -all`` (``origin="subdomain_default"``)
  at every name of ``records:`` carrying A, AAAA or MX that has no policy
  and no ``v=spf1`` TXT of its own (:mod:`dnsspec.compile.subdomain_default`);
- the DMARC report authorizations other zones of the run ask for
  (``<policy-domain>._report._dmarc.<name> TXT "v=DMARC1"``, ``origin="dmarc_report"``,
  :mod:`dnsspec.compile.report_auth`): only :func:`compile_zones` (and ``SpecSource``,
  over every spec of its directory) knows the other zones;
- every entry of ``records:`` passed through (``origin="records"``). A TXT
  entry at a name that also gets a generated TXT value is merged into that one
  rrset (:mod:`dnsspec.compile.merge`: the generated values first, then the
  entry's values in order; the entry's ``ttl`` wins, as an rrset has one TTL).

The spec was validated when it was loaded: compile validates nothing again.
Output is deterministic: the same specs give byte-identical output.
Renderers (json, octoDNS YAML, zone file) are in :mod:`dnsspec.compile.render`.
"""

from __future__ import annotations

from collections.abc import Sequence

from dnsspec.compile.merge import merge
from dnsspec.compile.render import render_outputs, to_json, to_octodns, to_zone_file
from dnsspec.compile.report_auth import report_authorizations
from dnsspec.compile.subdomain_default import default_names, delegations
from dnsspec.compile.subdomain_default import generate as subdomain_default
from dnsspec.kinds import KINDS
from dnsspec.records import Record
from dnsspec.spec.load import LoadedZone

__all__ = [
    "compile_zone",
    "compile_zones",
    "default_names",
    "delegations",
    "render_outputs",
    "report_authorizations",
    "to_json",
    "to_octodns",
    "to_zone_file",
]


def compile_zone(zone: LoadedZone, authorizations: Sequence[Record] = ()) -> list[Record]:
    """Every record the zone's spec produces, sorted by :meth:`Record.sort_key`.

    ``authorizations``: the report authorization records the run's other zones
    ask for in this one (:func:`~dnsspec.compile.report_auth.report_authorizations`).
    """
    generated: list[Record] = []
    for kind in KINDS:
        sites = [s for s in zone.sites if s.kind == kind.name]
        generated.extend(kind.load("generator")(zone, sites))
    generated.extend(subdomain_default(zone, zone.sites))
    generated.extend(authorizations)
    return sorted(merge(zone, generated), key=Record.sort_key)


def compile_zones(zones: Sequence[LoadedZone]) -> list[Record]:
    """The records of every zone, zone by zone (zones in the given order), with the
    report authorizations each zone's DMARC policies need in the others."""
    wanted = report_authorizations(zones)
    return [record for zone in zones for record in compile_zone(zone, wanted.get(zone.zone, ()))]
