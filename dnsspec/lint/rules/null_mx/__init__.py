"""The null-MX rules (family MX1): a null MX beside other MX hosts, a null MX at a sender.

A null MX is an MX value whose exchange is the root, ``.`` (RFC 7505 §3: ``MX 0 .``),
whether ``mx: none`` wrote it or ``records:`` did.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def is_null_mx(value: Any) -> bool:
    """Whether an MX value (octoDNS's ``{preference, exchange}``) is a null MX."""
    if not isinstance(value, Mapping):
        return False
    exchange = value.get("exchange", value.get("value"))
    return str(exchange).strip() == "."
