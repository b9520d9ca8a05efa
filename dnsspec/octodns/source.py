"""``SpecSource``: dnsspec's zone specs as an octoDNS source.

Any octoDNS configuration can use it::

    providers:
      spec:
        class: dnsspec.octodns.SpecSource
        directory: ./zones          # zones/<zone>.yaml, relative to the working directory
    zones:
      example.com.:
        sources: [spec]
        targets: [route53]

``populate`` loads ``<directory>/<zone>.yaml``, compiles it and adds one octoDNS
record per compiled rrset, built with ``Record.new`` from a ``ContextDict`` whose
context is the spec's ``file:line:col``, so octoDNS's own validation errors
point at the user's YAML. A zone's records include the DMARC report
authorizations the *other* specs of ``directory`` ask for in it
(:mod:`dnsspec.compile.report_auth`), so every spec of the directory is
loaded (once) whichever zone is populated: the same zone plans the same
alone or with the others. Add :class:`~dnsspec.octodns.ownership.SpecOwnership`
as a processor to keep records the specs do not manage (``dnsspec plan`` and
``dnsspec apply`` add it themselves).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from octodns.record.exception import ValidationError
from octodns.source.base import BaseSource
from octodns.zone.base import DuplicateRecordException, InvalidNameError, SubzoneRecordException

from dnsspec.errors import ConfigError, Location, SpecError, SpecProblem
from dnsspec.octodns.convert import to_octodns

# Every record type octoDNS registers out of the box that a spec's
# ``records:`` may pass through, plus the TXT records dnsspec generates.
SPEC_RECORD_TYPES = frozenset(
    {
        "A",
        "AAAA",
        "ALIAS",
        "CAA",
        "CNAME",
        "DNAME",
        "DS",
        "HTTPS",
        "LOC",
        "MX",
        "NAPTR",
        "NS",
        "PTR",
        "SPF",
        "SRV",
        "SSHFP",
        "SVCB",
        "TLSA",
        "TXT",
        "URLFWD",
    }
)


class SpecSource(BaseSource):  # type: ignore[misc]
    """octoDNS source reading dnsspec zone specs from ``directory``."""

    SUPPORTS_GEO = False
    SUPPORTS_ROOT_NS = True
    SUPPORTS = SPEC_RECORD_TYPES

    def __init__(self, id: str, directory: str = "./zones") -> None:
        self.log = logging.getLogger(f"SpecSource[{id}]")
        super().__init__(id)
        self.directory = Path(directory)
        # zone name -> the spec's ``manage`` mode, filled by populate
        self._manage: dict[str, str] = {}
        self._load: Callable[[Path], Any] | None = None
        # (directory mtime, loader) -> zone -> the report authorizations written there
        self._authorizations: tuple[tuple[int, int], dict[str, tuple[Any, ...]]] | None = None
        # without a session's loader: spec file -> ((mtime_ns, size), loaded), read once
        self._peers: dict[Path, tuple[tuple[int, int], Any]] = {}

    def use_loader(self, loader: Callable[[Path], Any]) -> None:
        """Load specs with ``loader`` (``dnsspec plan``/``apply``: each file parsed once)."""
        self._load = loader
        self._authorizations = None

    def manage_mode(self, zone_name: str) -> str | None:
        """The ``manage`` mode of the spec of ``zone_name`` (``owned``/``all``), once populated."""
        return self._manage.get(zone_name)

    def spec_file(self, zone_name: str) -> Path:
        """The spec of ``zone_name`` ("example.com."): ``<directory>/example.com.yaml``."""
        return self.directory / f"{zone_name}yaml"

    def list_zones(self) -> list[str]:
        """Zones with a spec (octoDNS calls this for dynamic ``'*'`` zone configs)."""
        if not self.directory.is_dir():
            return []
        return sorted(
            f"{p.name[: -len('yaml')]}"
            for p in self.directory.glob("*.yaml")
            if p.is_file() and p.name.count(".") >= 2
        )

    def report_authorizations(self, zone_name: str) -> tuple[Any, ...]:
        """The report authorization records the directory's specs ask for in ``zone_name``."""
        from dnsspec.compile import report_authorizations

        if self._load is not None and self._authorizations is not None:
            # the session's loader gives each file's one load: the directory's specs are
            # the ones already read (listing and looking them up again for every zone
            # populated made a plan quadratic: 1,000 zones took 19 s instead of 2.6 s)
            return self._authorizations[1].get(zone_name, ())
        # once per source and directory listing (a spec added or removed changes the
        # directory's mtime): recomputing per zone would make a plan quadratic in zones
        key = (self.directory.stat().st_mtime_ns, id(self._load))
        if self._authorizations is None or self._authorizations[0] != key:
            peers = [self._peer(self.spec_file(name)) for name in self.list_zones()]
            self._authorizations = (key, report_authorizations(peers))
        return self._authorizations[1].get(zone_name, ())

    def _peer(self, file: Path) -> Any:
        if self._load is not None:  # the session's loader: each file parsed once per session
            return self._load(file)
        from dnsspec.spec.load import load_zone

        info = file.stat()
        stamp = (info.st_mtime_ns, info.st_size)
        found = self._peers.get(file)
        if found is None or found[0] != stamp:
            found = self._peers[file] = (stamp, load_zone(file))
        return found[1]

    def populate(self, zone: Any, target: bool = False, lenient: bool = False) -> bool:
        if target:
            # A source, never a target: there is no live state here.
            return False
        from dnsspec.compile import compile_zone

        file = self.spec_file(zone.decoded_name)
        if not file.is_file():
            raise ConfigError(
                f"zone {zone.decoded_name} has no spec: {file} does not exist "
                f"(source {self.id}, directory {self.directory})"
            )
        loaded = self._peer(file)
        self._manage[zone.decoded_name] = loaded.spec.manage
        authorizations = self.report_authorizations(zone.decoded_name)
        # compiled afresh for each populate and not kept (1,000 zones compile in ~20 ms):
        # holding every zone's compiled records and their locations for the whole
        # command cost ~2 MiB per 1,000 zones of a plan's peak memory (issue 16)
        problems: list[SpecProblem] = []
        before = len(zone.records)
        for rec in compile_zone(loaded, authorizations):
            location = rec.location or Location(file, 1, 1)
            try:
                record = to_octodns(rec, zone, source=self, context=location, lenient=lenient)
                zone.add_record(record, lenient=lenient)
            except ValidationError as error:
                reasons = "; ".join(str(r) for r in error.reasons)
                problems.append(SpecProblem(location, f"{rec.fqdn} {rec.type}: {reasons}"))
            except (DuplicateRecordException, InvalidNameError, SubzoneRecordException) as error:
                problems.append(SpecProblem(location, f"{rec.fqdn} {rec.type}: {error}"))
        if problems:
            raise SpecError(problems)
        self.log.info("populate: %s records from %s", len(zone.records) - before, file)
        return True
