"""Fixtures of the lint tests (helpers live in lint_helpers.py)."""

from __future__ import annotations

from lint_helpers import lint_specs

__all__ = ["lint_specs"]
