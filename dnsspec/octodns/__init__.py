"""dnsspec inside octoDNS: the specs as a source, and the ownership merge.

``dnsspec.octodns.SpecSource`` and ``dnsspec.octodns.SpecOwnership`` are the
class paths a plain octoDNS configuration (``providers.yaml``) names.
"""

from dnsspec.octodns.ownership import SpecOwnership
from dnsspec.octodns.source import SpecSource

__all__ = ["SpecOwnership", "SpecSource"]
