"""The one RFC 7208 engine: syntax, macros, evaluation, lookup cost.

``from dnsspec.spf import check_host, Evaluation`` loads the evaluator on first use
(module ``__getattr__``), so ``import dnsspec.spf.syntax`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dnsspec.spf.evaluate import (
        DEFAULT_EXPLANATION,
        Evaluation,
        SpfInputError,
        check_host,
    )

# The async core is ``dnsspec.spf.evaluate.evaluate`` (not re-exported: the name is the module's).
__all__ = ["DEFAULT_EXPLANATION", "Evaluation", "SpfInputError", "check_host"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from dnsspec.spf import evaluate as module

        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
