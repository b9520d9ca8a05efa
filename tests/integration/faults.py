"""octodns-bind's RFC 2136 provider with a fault injected between two update batches.

``FAULTS[provider id]`` is called before the provider sends batch number
``fault_after`` (0-based) of a zone's changes, after the earlier batches reached
BIND: the test stops the server there, raises a Ctrl-C the way dnspython wraps it,
and so on. Everything else is the real provider talking to a real ``named``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import dns.exception
from octodns_bind import Rfc2136Provider

FAULTS: dict[str, Callable[[], None]] = {}


class FaultyRfc2136Provider(Rfc2136Provider):  # type: ignore[misc]
    def __init__(self, id: str, *, fault_after: int = 1, **kwargs: Any) -> None:
        super().__init__(id, **kwargs)
        self.fault_after = fault_after

    def _batch_changes(self, changes: Any) -> Iterator[Any]:
        for number, batch in enumerate(super()._batch_changes(changes)):
            if number == self.fault_after and self.id in FAULTS:
                FAULTS.pop(self.id)()
            yield batch


def interrupt_inside_dnspython() -> None:
    """Ctrl-C while dnspython parses rdata: it re-raises it as its SyntaxError."""
    with dns.exception.ExceptionWrapper(dns.exception.SyntaxError):
        raise KeyboardInterrupt


def interrupt() -> None:
    raise KeyboardInterrupt
