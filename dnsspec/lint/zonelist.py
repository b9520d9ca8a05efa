"""The zone list of ``providers.yaml``, read for lint: which specs octoDNS will plan.

``plan`` and ``apply`` stop when a spec has no zone entry or a spec-sourced zone
entry has no spec; lint reads the same configuration (when there is one) so the
mismatch shows up at commit time. :func:`read_zone_list` reads only what that
needs, with positions: the :class:`~dnsspec.octodns.SpecSource` providers and
their directories (relative to the working directory, as octoDNS resolves
them), and each zone entry (explicit, or dynamic ``'*'`` with its ``glob`` or
``regex``) with the sources that are spec sources.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from dnsspec.errors import Location

SPEC_SOURCE_CLASSES = ("dnsspec.octodns.SpecSource", "dnsspec.octodns.source.SpecSource")
#: the configuration lint reads beside zones/, when it exists
DEFAULT_CONFIG = Path("providers.yaml")


@dataclass(frozen=True)
class ZoneEntry:
    """One key under ``zones:`` (an explicit entry overrides a dynamic one, spec-sourced or
    not)."""

    name: str  # "example.com." or "*" (a dynamic entry)
    location: Location  # of the key in providers.yaml
    sources: tuple[str, ...]  # the spec-source ids among its sources
    glob: str | None = None
    regex: str | None = None

    @property
    def dynamic(self) -> bool:
        return self.name.startswith("*")

    def covers(self, zone: str) -> bool:
        if not self.dynamic:
            return self.name.lower() == zone
        if self.glob is not None:
            return fnmatch.fnmatch(zone, self.glob)
        if self.regex is not None:
            try:
                return re.search(self.regex, zone) is not None
            except re.error:
                return False
        return True


@dataclass(frozen=True)
class ZoneList:
    """The spec sources and spec-sourced zone entries of one providers.yaml."""

    config: Path
    directories: dict[str, Path]  # spec-source id -> its directory, resolved
    entries: tuple[ZoneEntry, ...]

    def sources_of(self, directory: Path) -> tuple[str, ...]:
        """The spec sources reading ``directory``."""
        resolved = directory.resolve()
        return tuple(s for s, d in self.directories.items() if d == resolved)

    def covered(self, zone: str, directory: Path) -> bool:
        """Whether some entry plans ``zone`` from a spec source reading ``directory``;
        an explicit entry for the zone wins over a dynamic one (as in octoDNS)."""
        sources = set(self.sources_of(directory))
        explicit = self._explicit.get(zone)
        if explicit:
            return any(sources & set(e.sources) for e in explicit)
        return any(sources & set(e.sources) for e in self._dynamic if e.covers(zone))

    @cached_property
    def _explicit(self) -> dict[str, tuple[ZoneEntry, ...]]:
        """Explicit entries by the zone they cover (one scan, not one per spec: a
        10,000-zone providers.yaml made lint of 10,000 specs quadratic)."""
        by_zone: dict[str, list[ZoneEntry]] = {}
        for entry in self.entries:
            if not entry.dynamic:
                by_zone.setdefault(entry.name.lower(), []).append(entry)
        return {zone: tuple(entries) for zone, entries in by_zone.items()}

    @cached_property
    def _dynamic(self) -> tuple[ZoneEntry, ...]:
        return tuple(e for e in self.entries if e.dynamic)


def read_zone_list(config: Path) -> ZoneList | None:
    """The zone list of ``config``; None when it is missing or not a mapping of providers
    and zones (plan reports a broken configuration; lint only reads a sound one)."""
    import yaml

    try:
        # libyaml's composer when PyYAML has it: composing a 10,000-zone providers.yaml in
        # pure Python took ~1 s of a 5 s lint (lint reports no YAML errors from it)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        root = yaml.compose(config.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    top = _mapping(root)
    if top is None:
        return None
    directories: dict[str, Path] = {}
    for key, node in (_mapping(top.get("providers")) or {}).items():
        provider = _plain(node)
        if isinstance(provider, dict) and provider.get("class") in SPEC_SOURCE_CLASSES:
            directories[key] = Path(str(provider.get("directory", "./zones"))).resolve()
    entries = []
    zones = top.get("zones")
    if isinstance(zones, yaml.MappingNode):
        for key_node, value_node in zones.value:
            value = _plain(value_node)
            if not isinstance(value, dict):
                continue
            sources = tuple(s for s in value.get("sources") or () if s in directories)
            mark = key_node.start_mark
            entries.append(
                ZoneEntry(
                    str(key_node.value),
                    Location(config, mark.line + 1, mark.column + 1),
                    sources,
                    value.get("glob"),
                    value.get("regex"),
                )
            )
    return ZoneList(config, directories, tuple(entries))


def _mapping(node: Any) -> dict[str, Any] | None:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    return {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _plain(node: Any) -> Any:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return {str(k.value): _plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v) for v in node.value]
    if isinstance(node, yaml.ScalarNode):
        return node.value
    return None
