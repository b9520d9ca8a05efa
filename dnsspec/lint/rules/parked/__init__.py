"""PARKED1xx: a ``profile: parked`` zone whose other keys let mail through.

The profile never overrides what a spec writes (:mod:`dnsspec.spec.profile`): a key
that contradicts it wins, and these rules say so. Each reads only the spec's own
sites, unset keys and ``records:``, never the sites the profile added.
"""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.lint.context import LintContext
from dnsspec.spec.load import LoadedZone
from dnsspec.spec.profile import PROFILE_PATH
from dnsspec.spec.sites import Site


def parked_zones(ctx: LintContext) -> Iterator[LoadedZone]:
    """The zones whose spec says ``profile: parked``."""
    return (z for z in ctx.zones if z.spec.profile == "parked")


def own_sites(loaded: LoadedZone, kind: str) -> Iterator[Site]:
    """The sites of a kind the spec itself writes (keys and ``records:``), not the profile."""
    return (s for s in loaded.sites if s.kind == kind and s.path != PROFILE_PATH)


def unset_of(loaded: LoadedZone, kind: str) -> Iterator[Site]:
    """The names where the spec says ``<key>: unset`` for a kind."""
    return (s for s in loaded.unset_sites if s.kind == kind)


def where(name: str) -> str:
    """``the apex`` or ``shop``: a relative name as the messages say it."""
    return "the apex" if name == "" else name
