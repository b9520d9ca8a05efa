"""What a probe reports: one :class:`Step` per stage of the SMTP session, per host.

Plain frozen values, built by the session and rendered by the CLI (text or JSON);
nothing here does I/O. Exit codes (the CLI picks them from :attr:`HostReport.exit_code`):
0 every check passed, 1 a check failed, 3 the host could not be reached.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNREACHABLE = 3


@dataclass(frozen=True)
class Reply:
    """One SMTP reply (RFC 5321 §4.2): its code and the text of each line."""

    code: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The reply as the server sent it, one ``code-text`` line per line."""
        last = len(self.lines) - 1
        return "\n".join(
            f"{self.code}{' ' if i == last else '-'}{line}".rstrip()
            for i, line in enumerate(self.lines)
        )

    @property
    def positive(self) -> bool:
        return 200 <= self.code < 400


@dataclass(frozen=True)
class Step:
    """One stage of the session: whether its check passed, how long it took (ms), the
    server's reply (empty when there was none) and the facts found (JSON-ready)."""

    step: str
    ok: bool
    ms: float
    reply: str = ""
    detail: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "ok": self.ok,
            "ms": round(self.ms, 1),
            "reply": self.reply,
            "detail": dict(self.detail),
        }


@dataclass(frozen=True)
class HostReport:
    """Every step of one host's probe, in the order they ran."""

    host: str
    port: int
    steps: tuple[Step, ...]
    unreachable: bool = False

    @property
    def ok(self) -> bool:
        return not self.unreachable and all(s.ok for s in self.steps)

    @property
    def exit_code(self) -> int:
        if self.unreachable:
            return EXIT_UNREACHABLE
        return EXIT_OK if self.ok else EXIT_FAILED

    @property
    def failed(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if not s.ok)

    def step(self, name: str) -> Step | None:
        """The first step called ``name`` (None when the session never got there)."""
        return next((s for s in self.steps if s.step == name), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "ok": self.ok,
            "exit": self.exit_code,
            "steps": [s.as_json() for s in self.steps],
        }


def worst_exit(codes: Sequence[int]) -> int:
    """The exit code of several hosts: unreachable (3) over failed (1) over ok (0)."""
    order = (EXIT_OK, EXIT_FAILED, EXIT_UNREACHABLE)
    return max(codes, key=order.index, default=EXIT_OK)
