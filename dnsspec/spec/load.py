"""Spec files → validated models, every problem located at ``file:line:col``.

``load_zones`` reads every file, collects every problem of every file (YAML
syntax, duplicate keys, unknown keys, wrong types, invalid SPF terms, invalid
records) and raises them together as one :class:`~dnsspec.errors.SpecError`.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dnsspec.errors import Location, SpecError, SpecProblem
from dnsspec.spec.errors import problem_from_pydantic
from dnsspec.spec.kinds.conflicts import check_kind_conflicts
from dnsspec.spec.names import zone_file_problem, zone_name
from dnsspec.spec.records import (
    check_name_case,
    check_records,
    check_spf_conflicts,
    check_txt_sizes,
)
from dnsspec.spec.sites import Site, policy_sites, unset_sites
from dnsspec.spec.source import SourceMap, YamlProblems, no_cyclic_gc, read_yaml
from dnsspec.spec.zone import ZoneSpec

__all__ = ["LoadedZone", "SourceMap", "load_zone", "load_zones"]

SUFFIX = ".yaml"
#: the largest spec file read (bytes): loading takes at most 20 times its size in memory
MAX_SPEC_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class LoadedZone:
    """One spec file, validated: its zone, model and node positions."""

    zone: str  # absolute, trailing dot: "example.com."
    file: Path
    spec: ZoneSpec
    source_map: SourceMap

    @cached_property
    def sites(self) -> tuple[Site, ...]:
        """:func:`~dnsspec.spec.sites.policy_sites` of the spec, computed once per zone."""
        return policy_sites(self.spec)

    @cached_property
    def unset_sites(self) -> tuple[Site, ...]:
        """:func:`~dnsspec.spec.sites.unset_sites`: kinds a name deliberately has none of."""
        return unset_sites(self.spec)


def load_zone(file: Path | str) -> LoadedZone:
    """Load one ``<zone>.yaml``; raises :class:`SpecError` with all of its problems."""
    loaded, problems = _load(Path(file))
    if problems or loaded is None:
        raise SpecError(problems)
    return loaded


def load_zones(paths: Sequence[Path | str] = ("zones",)) -> list[LoadedZone]:
    """Load spec files and directories (``*.yaml`` inside, sorted) into zones sorted by file.

    Raises one :class:`SpecError` with the problems of every file.
    """
    zones, problems = load_zones_and_problems(paths)
    if problems:
        raise SpecError(problems)
    return zones


def load_zones_and_problems(
    paths: Sequence[Path | str] = ("zones",),
) -> tuple[list[LoadedZone], list[SpecProblem]]:
    """:func:`load_zones` that keeps going: the zones that loaded, and the problems of
    the files that did not (lint reports both in one run)."""
    files, problems = _spec_files(paths)
    zones: list[LoadedZone] = []
    first: dict[str, Path] = {}
    for file in files:
        loaded, found = _load(file)
        problems.extend(found)
        if loaded is None:
            continue
        if loaded.zone in first:
            problems.append(
                SpecProblem(
                    Location(file, 1, 1),
                    f"zone {loaded.zone} is also defined by {first[loaded.zone]}",
                    hint="keep one spec file per zone",
                )
            )
            continue
        first[loaded.zone] = file
        zones.append(loaded)
    return zones, problems


def _spec_files(paths: Sequence[Path | str]) -> tuple[list[Path], list[SpecProblem]]:
    files: list[Path] = []
    problems: list[SpecProblem] = []
    for raw in paths:
        path = Path(raw)
        link = _broken_link(path)
        if link is not None:
            problems.append(link)
        elif path.is_dir():
            with os.scandir(path) as scan:  # file types without a stat() per entry
                listing = sorted(scan, key=lambda e: e.name)
            found = []
            for entry in listing:
                if not entry.name.endswith(SUFFIX):
                    continue
                broken = _broken_link(path / entry.name) if entry.is_symlink() else None
                if broken is not None:
                    problems.append(broken)
                elif _is_file(entry) or not _is_dir(entry):  # a pipe or device: said at read
                    found.append(path / entry.name)
            misplaced = _misplaced_specs(path, listing)
            problems.extend(misplaced)
            if not found and not misplaced:
                problems.append(
                    SpecProblem(
                        Location(path, 1, 1),
                        "no zone specs (*.yaml) in this directory",
                        hint="create one named after its zone, e.g. zones/example.com.yaml",
                    )
                )
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(
                SpecProblem(Location(path, 1, 1), "no such file or directory", hint=None)
            )
    if len(paths) == 1:  # one directory's listing (or one file) has no duplicates
        return files, problems
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values()), problems


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:  # reported by _broken_link
        return False


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _broken_link(path: Path) -> SpecProblem | None:
    """A located problem for a symlink that leads nowhere: dangling, a loop, or itself."""
    if not path.is_symlink():
        return None
    try:
        path.stat()
    except OSError as error:
        target = os.readlink(path)
        if error.errno == errno.ELOOP:
            itself = os.path.normpath(path.parent / target) == os.path.normpath(path)
            what = f"{'a symlink to itself' if itself else 'a symlink loop'} (-> {target})"
        else:
            what = f"a symlink to {target}, which does not exist"
        return SpecProblem(
            Location(path, 1, 1),
            f"cannot read: {what}",
            hint="point the symlink at a spec file, or remove it",
        )
    return None


def _misplaced_specs(directory: Path, listing: list[os.DirEntry[str]]) -> list[SpecProblem]:
    """Spec-like files a directory load would otherwise skip without a word."""
    problems = []
    for item in listing:
        if item.name.startswith(".") or item.name.endswith(SUFFIX):
            continue
        entry = directory / item.name
        if entry.suffix == ".yml" and _is_file(item):
            problems.append(
                SpecProblem(
                    Location(entry, 1, 1),
                    "spec files end in .yaml; this .yml file would not be read",
                    hint=f"rename it to {entry.with_suffix(SUFFIX).name}",
                )
            )
        elif _is_dir(item) and any(
            p.suffix in (SUFFIX, ".yml") for p in entry.rglob("*") if p.is_file()
        ):
            problems.append(
                SpecProblem(
                    Location(entry, 1, 1),
                    f"subdirectories of {directory} are not read, and this one holds YAML files",
                    hint=f"move the zone specs up into {directory}/, or the directory out of it",
                )
            )
    return problems


def _load(file: Path) -> tuple[LoadedZone | None, list[SpecProblem]]:
    with no_cyclic_gc():
        return _load_file(file)


def _load_file(file: Path) -> tuple[LoadedZone | None, list[SpecProblem]]:
    problems: list[SpecProblem] = []
    stem = file.name[: -len(SUFFIX)] if file.name.endswith(SUFFIX) else None
    wrong = zone_file_problem(stem) if stem is not None else ("", None)
    zone = zone_name(stem) if stem is not None and wrong is None else None
    if zone is None:
        what, right = wrong or ("", None)
        problems.append(
            SpecProblem(
                Location(file, 1, 1),
                f"the file name '{file.name}' is not '<zone>.yaml' for a DNS zone"
                + (f": {what}" if what else ""),
                hint=f"rename it to {file.with_name(right)}"
                if right
                else "name the file after its zone, e.g. zones/example.com.yaml",
            )
        )
    try:
        # stat first: opening a named pipe would wait for a writer
        if not stat.S_ISREG(file.stat().st_mode):
            problems.append(
                SpecProblem(
                    Location(file, 1, 1),
                    "cannot read: not a regular file (a device, a pipe or a socket)",
                    hint="a zone spec is a YAML file",
                )
            )
            return None, problems
        with file.open("rb") as handle:
            raw = handle.read(MAX_SPEC_BYTES + 1)
        if len(raw) > MAX_SPEC_BYTES:
            problems.append(
                SpecProblem(
                    Location(file, 1, 1),
                    f"the spec is larger than {MAX_SPEC_BYTES:,} bytes, the limit for one file",
                    hint="split the zone: delegate a subtree to its own zone and spec file",
                )
            )
            return None, problems
        text = raw.decode("utf-8")
    except OSError as error:
        problems.append(SpecProblem(Location(file, 1, 1), f"cannot read: {error.strerror}"))
        return None, problems
    except UnicodeDecodeError as error:
        problems.append(_decode_problem(file, error))
        return None, problems
    try:
        data, source_map = read_yaml(file, text)
    except YamlProblems as error:
        return None, [*problems, *error.problems]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(
            SpecProblem(
                source_map.locate(()),
                "a zone spec must be a mapping of keys such as `spf:`, `subdomains:`, `records:`",
                hint="see docs/spec-language.md",
            )
        )
        return None, problems
    context = {"zone": zone, "root": file.parent.parent}  # key/cert files: beside zones/
    spec: ZoneSpec | None = None
    try:
        spec = ZoneSpec.model_validate(data, context=context)
    except ValidationError as error:
        problems.extend(problem_from_pydantic(e, source_map) for e in error.errors())
    problems.extend(check_records(data, zone, source_map))
    problems.extend(check_name_case(data, source_map))
    if spec is not None:
        problems.extend(check_spf_conflicts(spec, source_map))
        problems.extend(check_kind_conflicts(spec, source_map))
        if not problems and zone is not None:
            problems.extend(check_txt_sizes(zone, spec, policy_sites(spec), source_map))
    if problems or spec is None or zone is None:
        return None, problems
    return LoadedZone(zone, file, spec, source_map), []


def _decode_problem(file: Path, error: UnicodeDecodeError) -> SpecProblem:
    data: Any = error.object
    before = bytes(data[: error.start])
    line = before.count(b"\n") + 1
    col = len(before) - (before.rfind(b"\n") + 1) + 1
    return SpecProblem(
        Location(file, line, col),
        f"the file is not UTF-8 (byte 0x{data[error.start]:02x})",
        hint="save the file as UTF-8",
    )
