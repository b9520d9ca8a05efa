"""The ``dnsspec`` command line: one module per command, registered in ``cli/root.py``.

``main`` is the executable. The typer application (``dnsspec.cli.app``) is
imported only when a command line has to be parsed; command modules keep their
heavy imports (octoDNS, rich) inside the command body, so ``dnsspec --version``
and ``dnsspec lint`` start fast (bench/README.md has the measured figures).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

    app: typer.Typer


def main() -> None:
    """The ``dnsspec`` executable: process-wide tuning, then the command line."""
    if sys.argv[1:] == ["--version"]:
        # Answered before typer is imported (its import alone is ~35 ms, over half of the
        # 60 ms budget); the same line `dnsspec --version` prints through typer's option.
        from dnsspec import __version__

        print(f"dnsspec {__version__}")
        return
    import gc

    # A command runs for a second or two and builds a lot of objects that live until it ends
    # (a thousand specs, their source maps, the compiled records): with Python's default
    # thresholds the cyclic GC keeps re-walking them (~6% of `lint --resolve` over 1,000
    # specs). Collect 30 times less often; garbage cycles are still freed.
    gc.set_threshold(20_000, 20, 20)
    # dnsspec speaks plain DNS (UDP/TCP on port 53) only. dnspython's dns.query imports the
    # DNS-over-HTTPS stack (httpx2, httpcore2, h2, anyio: ~70 ms) whenever it is installed,
    # e.g. beside checkdmarc; telling it DoH is absent keeps `lint --resolve` starting fast.
    # (dns._features imports importlib.metadata, which pydantic's plugin loader imports for
    # every command that builds a model or a typer parameter anyway.)
    import dns._features

    dns._features.force("doh", False)

    # `dnsspec lint [PATH ...]`, the pre-commit hook's command line, is run without typer
    # (its import and the command's parameters are ~half of the lint's start-up); any
    # option, help or completion goes through typer below. The same body either way.
    from dnsspec.cli.fast import fast_lint

    code = fast_lint(sys.argv[1:])
    if code is not None:
        sys.exit(code)

    from dnsspec.cli.root import app

    app()


def __getattr__(name: str) -> Any:
    # `from dnsspec.cli import app` (tests, embedding) without importing typer in main()'s
    # fast path.
    if name == "app":
        from dnsspec.cli.root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
