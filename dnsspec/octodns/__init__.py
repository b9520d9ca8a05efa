"""dnsspec inside octoDNS: the specs as a source, and the ownership merge.

``dnsspec.octodns.SpecSource`` and ``dnsspec.octodns.SpecOwnership`` are the
class paths a plain octoDNS configuration (``providers.yaml``) names. They are
imported on first use, so that loading a spec (which validates records through
``dnsspec.octodns.compat``) does not import the source and the processor.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dnsspec.octodns.ownership import SpecOwnership
    from dnsspec.octodns.source import SpecSource

__all__ = ["SpecOwnership", "SpecSource"]

_LAZY = {"SpecOwnership": "dnsspec.octodns.ownership", "SpecSource": "dnsspec.octodns.source"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
