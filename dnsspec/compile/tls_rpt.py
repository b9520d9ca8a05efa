"""The TLS-RPT generator: one TXT rrset per site at ``_smtp._tls.<name>``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dnsspec.compile.dmarc import txt_records
from dnsspec.records import Record
from dnsspec.spec.load import LoadedZone
from dnsspec.spec.sites import Site


def generate(zone: LoadedZone, sites: Sequence[Site]) -> Iterator[Record]:
    """``v=TLSRPTv1; rua=…`` at ``_smtp._tls.<name>`` (``origin="tls_rpt"``)."""
    return txt_records(zone, sites, "tls_rpt")
