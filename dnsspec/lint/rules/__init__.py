"""The rules, one module per family; importing this package registers them all.

``FAMILY_MODULES`` is the single list; a test checks it names every module here.
"""

from __future__ import annotations

from dnsspec.lint.rules import cost, policy, records, shape

FAMILY_MODULES = (shape, cost, policy, records)
