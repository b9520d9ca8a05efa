"""``providers.yaml`` loaded into octoDNS's Manager, with dnsspec's guard rails.

octoDNS does the planning and applying; this module adds what dnsspec needs
around it: the :class:`~dnsspec.octodns.SpecOwnership` processor on every zone
sourced from a :class:`~dnsspec.octodns.SpecSource`, checks that zones and
specs match, octoDNS's logging captured (no tracebacks reach the user), and
every provider failure turned into a :class:`~dnsspec.errors.ProviderError`
that names the provider and the zone.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from dnsspec.errors import ConfigError, DnsspecError, ProviderError, SpecError, SpecProblem
from dnsspec.octodns import compat

PROCESSOR_ID = "dnsspec-ownership"


class UnsafePlanError(DnsspecError):
    """The plan is over octoDNS's update/delete safety threshold; --force applies it anyway."""


class PlanChangedError(DnsspecError):
    """The live zone changed after the plan was shown; nothing was applied to it."""


class LintFailed(DnsspecError):
    """The specs have lint errors; nothing was pushed."""

    def __init__(self, findings: list[Any]) -> None:
        self.findings = findings
        count = len(findings)
        super().__init__(
            f"{count} lint error{'s' if count != 1 else ''} in the specs; nothing was pushed "
            "(fix them, or suppress a code with ignore: [CODE] beside the name)"
        )


class _ProviderFailure(DnsspecError):
    """A provider raised; carries the provider and the step (turned into a ProviderError)."""

    def __init__(self, provider: Any, step: str, error: BaseException, subject: Any = None) -> None:
        super().__init__(str(error))
        self.provider = provider
        self.step = step
        self.error = error
        self.subject = subject  # the zone (populate, plan) or the plan (apply) it was given


class ApplyFailed(ProviderError):
    """A provider failed while applying changes: the zone may be partially applied."""


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str] | None) -> None:
        super().__init__(logging.INFO)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        if self.sink is None:  # not kept: swallowed, never printed
            return
        try:
            self.sink.append(f"{record.levelname} {record.name}: {record.getMessage()}")
        except Exception:  # a log line must never break a run
            self.sink.append(f"{record.levelname} {record.name}: {record.msg!r}")


@contextmanager
def capture_logs(sink: list[str] | None) -> Iterator[None]:
    """Collect octoDNS's logging and warnings in ``sink`` instead of stderr (``None``:
    swallow them; INFO lines are then not even formatted)."""
    root = logging.getLogger()
    handler = _ListHandler(sink)
    level = root.level
    root.addHandler(handler)
    if sink is not None:
        root.setLevel(logging.INFO)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        if sink is not None:
            sink.extend(f"WARNING {w.category.__name__}: {w.message}" for w in caught)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


class _CapturePlans:
    """An octoDNS plan output that keeps the plans instead of printing them."""

    def __init__(self) -> None:
        self.plans: list[tuple[Any, Any]] = []

    def run(self, plans: list[tuple[Any, Any]], *args: Any, **kwargs: Any) -> None:
        self.plans = list(plans)


class Session:
    """One octoDNS configuration, ready to plan and apply (see :func:`open_session`)."""

    def __init__(
        self, config: Path, manager: Any, log: list[str], *, keep_log: bool = True
    ) -> None:
        self.config = config
        self.manager = manager
        self.log = log
        # without keep_log, octoDNS's lines are swallowed, not kept: a plan's ~10 lines per
        # zone were ~1 MiB per 1,000 zones of its peak memory, shown only by --verbose
        self._sink: list[str] | None = log if keep_log else None
        self.capture = _CapturePlans()
        compat.capture_plan_outputs(manager, self.capture)
        self.processor = self._add_processor()
        self.aliases: dict[str, str] = {}  # alias zone -> the zone it copies
        self.zones: tuple[str, ...] = self._configured_zones()
        self._specs: dict[Path, Any] = {}  # spec file -> LoadedZone: each parsed once
        # apply: plan() keeps octoDNS's plans of each zone with what each target showed
        # then, so that a zone whose targets still show exactly that is applied from them
        self.keep_plans = False
        self.planned: dict[str, tuple[list[tuple[Any, Any]], dict[str, Any]]] = {}
        self._reads: dict[tuple[str, str], tuple[tuple[Any, ...], Any]] = {}
        for provider in manager.providers.values():
            _guard(provider, self._populated)
        for source in self.spec_sources():
            source.use_loader(self.load_spec)

    # -- set-up ------------------------------------------------------------

    def spec_sources(self, zone: str | None = None) -> list[Any]:
        from dnsspec.octodns.source import SpecSource

        providers = self.manager.providers
        if zone is None:
            return [p for p in providers.values() if isinstance(p, SpecSource)]
        names = self.manager.config["zones"][zone].get("sources") or []
        return [providers[n] for n in names if isinstance(providers.get(n), SpecSource)]

    def _add_processor(self) -> Any:
        from dnsspec.octodns.ownership import SpecOwnership

        processor = SpecOwnership(PROCESSOR_ID)
        compat.add_processor(self.manager, PROCESSOR_ID, processor)
        return processor

    def _configured_zones(self) -> tuple[str, ...]:
        try:  # expand dynamic ("*") zone configs exactly as octoDNS does
            zones = compat.expand_zones(self.manager)
        except Exception as error:
            raise ConfigError(f"{self.config}: {error}") from None
        from dnsspec.octodns.ownership import SpecOwnership

        for name, zone_config in zones.items():
            if "alias" in zone_config:
                self.aliases[name] = str(zone_config["alias"])
                continue
            if not self._has_spec_source(zone_config):
                continue
            processors = list(zone_config.get("processors") or [])
            known = self.manager.processors
            if not any(isinstance(known.get(p), SpecOwnership) for p in processors):
                zone_config["processors"] = [*processors, PROCESSOR_ID]
        # Alias zones copy their source zone's desired state, which for a spec zone
        # holds the foreign records merged in for *its* targets: octoDNS would push those
        # to the alias. dnsspec leaves alias zones to octodns-sync (see docs/providers.md).
        return tuple(sorted(z for z in zones if z not in self.aliases))

    def _has_spec_source(self, zone_config: Any) -> bool:
        from dnsspec.octodns.source import SpecSource

        return any(
            isinstance(self.manager.providers.get(n), SpecSource)
            for n in zone_config.get("sources") or []
        )

    def zone_config(self, zone: str) -> dict[str, Any]:
        """The zone's entry in providers.yaml (a dynamic ``*`` zone's expansion included)."""
        return dict(self.manager.config["zones"].get(zone) or {})

    def check_zones_match_specs(self) -> None:
        """Every spec-sourced zone has a spec and every spec has a zone, or ConfigError."""
        problems = []
        for source in self.spec_sources():
            if not source.directory.is_dir():  # a typo would plan "0 zones in sync"
                problems.append(
                    f"source {source.id} in {self.config} reads specs from {source.directory}, "
                    "which is not a directory: fix its directory: (e.g. ./zones)"
                )
        for zone in self.zones:
            for source in self.spec_sources(zone):
                file = source.spec_file(zone)
                if not file.is_file():
                    problems.append(
                        f"zone {zone} in {self.config} has no spec: {file} does not exist "
                        f"(source {source.id})"
                    )
        configured = set(self.zones)
        for source in self.spec_sources():
            for zone in source.list_zones():
                if zone not in configured or source not in self.spec_sources(zone):
                    problems.append(
                        f"spec {source.spec_file(zone)} has no zone in {self.config}: add "
                        f"'{zone}' under zones: with sources: [{source.id}]"
                    )
        if problems:
            raise ConfigError("; ".join(problems))

    def select(self, zones: tuple[str, ...] | list[str] = ()) -> tuple[str, ...]:
        """The configured zones to work on (all of them when ``zones`` is empty)."""
        if not zones:
            return self.zones
        chosen = []
        for zone in zones:
            name = zone.lower() if zone.endswith(".") else f"{zone.lower()}."
            if name in self.aliases:
                raise ConfigError(
                    f"zone {name} is an alias of {self.aliases[name]} in {self.config}: "
                    "dnsspec does not plan or apply alias zones; octodns-sync syncs them"
                )
            if name not in self.zones:
                known = ", ".join(self.zones) or "none"
                raise ConfigError(f"zone {name} is not in {self.config} (configured: {known})")
            chosen.append(name)
        return tuple(dict.fromkeys(chosen))

    def load_spec(self, file: Path) -> Any:
        """The spec at ``file``, loaded once per session (SpecSource reads it from here)."""
        found = self._specs.get(file)
        if found is None:
            from dnsspec.spec.load import load_zone

            found = self._specs[file] = load_zone(file)
        return found

    def load_specs(self, zones: tuple[str, ...]) -> list[Any]:
        """Load the specs of ``zones`` (all problems of all files in one SpecError)."""
        loaded: list[Any] = []
        problems: list[SpecProblem] = []
        for zone in zones:
            for source in self.spec_sources(zone):
                try:
                    loaded.append(self.load_spec(source.spec_file(zone)))
                except SpecError as error:
                    problems.extend(error.problems)
        if problems:
            raise SpecError(problems)
        return loaded

    def _populated(self, provider: Any, zone: Any, exists: Any) -> None:
        """A target was read: keep its apex NS for the ownership merge (no second read),
        and (``keep_plans``) what it showed, to compare with a later read."""
        key = (zone.decoded_name, str(provider.id))
        self.processor.live_root_ns[key] = zone.root_ns
        if self.keep_plans:
            self._reads[key] = (compat.zone_shape(zone), compat.zone_state(zone, exists))

    def keep_plan(self, zone: str, plans: list[tuple[Any, Any]]) -> None:
        """Keep ``zone``'s plans and what each of its targets showed for them (``keep_plans``)."""
        if not self.keep_plans:
            return
        targets = [str(t) for t in self.zone_config(zone).get("targets") or ()]
        seen = {t: self._reads.get((zone, t)) for t in targets}
        if all(seen.values()):
            self.planned[zone] = (plans, seen)

    def unchanged_since_plan(self, zone: str) -> bool:
        """Read each target of ``zone`` again (one read each, no re-plan): True when every
        one shows exactly what it showed when the kept plan was made."""
        kept = self.planned.get(zone)
        if kept is None:
            return False
        with self._octodns_errors(zone), capture_logs(self._sink):
            for target, (shape, state) in kept[1].items():
                self._reads.pop((zone, target), None)
                compat.read_target(self.manager.providers[target], shape)  # -> _populated
                now = self._reads.get((zone, target))
                if now is None or now[1] != state:
                    return False
        return True

    def apply_planned(self, zone: str, *, force: bool) -> list[tuple[Any, Any]]:
        """Apply the kept plans of ``zone`` as ``Manager.sync`` applies plans once their
        checksum matched (thresholds unless ``force``, always-dry-run); returns them."""
        plans = self.planned.pop(zone)[0]
        with self._octodns_errors(zone), capture_logs(self._sink):
            if not force:
                for _, plan in plans:
                    plan.raise_if_unsafe()
            if not self.zone_config(zone).get("always-dry-run", False):
                for target, plan in plans:
                    target.apply(plan)
        return plans

    # -- octoDNS runs ------------------------------------------------------

    def sync(self, zone: str, **kwargs: Any) -> tuple[int, list[tuple[Any, Any]]]:
        """``Manager.sync`` for one zone; returns (applied changes, the plans)."""
        self.capture.plans = []
        # octoDNS would re-walk every configured zone for each one: show it this one
        with (
            self._octodns_errors(zone),
            capture_logs(self._sink),
            compat.only_zone(self.manager, zone),
        ):
            total = self.manager.sync(eligible_zones=[zone], plan_output_fh=io.StringIO(), **kwargs)
        return int(total or 0), list(self.capture.plans)

    def shows_planned(self, zone: str, plans: list[tuple[Any, Any]]) -> bool:
        """Read each target of ``plans`` back: True when every one shows exactly its plan's
        desired records (one read each, no re-plan); False means "not proven", re-plan."""
        with self._octodns_errors(zone), capture_logs(self._sink):
            return all(compat.shows_desired(target, plan) for target, plan in plans)

    @contextmanager
    def _octodns_errors(self, zone: str) -> Iterator[None]:
        """octoDNS's and the providers' failures while working on ``zone``, as dnsspec errors."""
        from octodns.manager import ManagerException
        from octodns.provider.plan import UnsafePlan

        try:
            yield
        except _ProviderFailure as failure:
            raise provider_error(failure, zone) from None
        except UnsafePlan as error:
            raise UnsafePlanError(f"{zone}: {error}; rerun with --force to apply it") from None
        except ManagerException as error:
            if "checksum=" in str(error):
                raise PlanChangedError(
                    f"the live state of {zone} changed after the plan was shown; nothing was "
                    "applied to it: run dnsspec plan again"
                ) from None
            raise ConfigError(f"{self.config}: {error}") from None
        except DnsspecError:
            raise
        except Exception as error:  # octoDNS zone validation and the like
            raise ConfigError(f"{zone}: {type(error).__name__}: {error}") from None


def open_session(config: Path | str, *, keep_log: bool = True) -> Session:
    """Load ``config`` (an octoDNS configuration) into octoDNS's Manager.

    ``keep_log``: keep octoDNS's log in ``Session.log`` (``--verbose`` prints it)."""
    from octodns.manager import Manager, ManagerException
    from octodns.secret.exception import SecretsException

    path = Path(config)
    if path.is_dir():
        raise ConfigError(
            f"{path} is a directory: dnsspec plan and apply read an octoDNS configuration "
            "file (--config providers.yaml, see docs/providers.md)"
        )
    if not path.is_file():
        raise ConfigError(
            f"{path} not found: dnsspec plan and apply read an octoDNS configuration "
            "(see docs/providers.md; `dnsspec init` writes one)"
        )
    _check_shape(path)
    log: list[str] = []
    try:
        with capture_logs(log):
            manager = Manager(str(path), enable_checksum=True)
    except SecretsException as error:
        match = re.search(r"missing env var (\S+?),? ", f"{error} ")
        variable = match.group(1) if match else "?"
        raise ConfigError(
            f"{path}: environment variable {variable} is not set; providers.yaml reads it "
            f"with env/{variable} ({_context(error)})"
        ) from None
    except ManagerException as error:
        raise ConfigError(f"{path}: {error}") from None
    except DnsspecError:
        raise
    except yaml.MarkedYAMLError as error:
        raise ConfigError(_yaml_problem(path, error)) from None
    except Exception as error:  # provider constructors …
        raise ConfigError(f"{path}: {type(error).__name__}: {error}") from None
    return Session(path, manager, log, keep_log=keep_log)


def _check_shape(path: Path) -> None:
    """The top level octoDNS reads: a mapping with ``providers:`` and ``zones:`` mappings.

    Checked on the node tree (tags are not constructed, so octoDNS's ``!include`` and the
    like pass), before octoDNS indexes into it and fails with a bare ``TypeError``.
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise ConfigError(f"{path}: {error}") from None
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as error:
        raise ConfigError(_yaml_problem(path, error)) from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: {error}") from None
    hint = "an octoDNS configuration: a mapping with providers: and zones: (see docs/providers.md)"
    if not isinstance(root, yaml.MappingNode):
        where = f"{path}:{root.start_mark.line + 1}:{root.start_mark.column + 1}" if root else path
        raise ConfigError(f"{where}: expected {hint}, found {_node_kind(root)}")
    keys = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    for key in ("providers", "zones"):
        if key not in keys:
            mark = root.start_mark
            raise ConfigError(
                f"{path}:{mark.line + 1}:{mark.column + 1}: no {key}: key; expected {hint}"
            )
        node = keys[key][1]
        if not isinstance(node, yaml.MappingNode):
            mark = node.start_mark
            raise ConfigError(
                f"{path}:{mark.line + 1}:{mark.column + 1}: {key}: must be a mapping "
                f"(name: settings), found {_node_kind(node)}"
            )
    _check_targets(path, keys["zones"][1], keys["providers"][1])


def _compose(text: str) -> yaml.Node | None:
    """The node tree of ``text``: libyaml's composer when PyYAML has it (a 1,000-zone
    providers.yaml composed in pure Python took ~0.2 s of every plan and apply, on top
    of octoDNS's own load), PyYAML's own for a text libyaml refuses, so that the error
    (message and position) is the one it always was."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.compose(text, Loader=loader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text)


def _check_targets(path: Path, zones: yaml.MappingNode, providers: yaml.MappingNode) -> None:
    """Each zone names at least one target: ``targets: []`` (or none at all) planned nothing
    and said "No changes: 1 zone(s) in sync" (issue #8: a slip must not read as all-clear)."""
    names = [
        k.value
        for k, v in providers.value
        if isinstance(k, yaml.ScalarNode) and "SpecSource" not in _scalar(v, "class")
    ]
    example = names[0] if names else "live"
    for key, value in zones.value:
        if not isinstance(value, yaml.MappingNode):
            continue
        settings = {k.value: v for k, v in value.value if isinstance(k, yaml.ScalarNode)}
        if "alias" in settings:
            continue
        targets = settings.get("targets")
        if targets is None or (isinstance(targets, yaml.SequenceNode) and not targets.value):
            mark = (targets or key).start_mark
            what = "targets: is empty" if targets is not None else "no targets: key"
            raise ConfigError(
                f"{path}:{mark.line + 1}:{mark.column + 1}: zone {key.value}: {what}, so "
                "nothing would be planned or applied; name the providers to write to, "
                f"e.g. targets: [{example}]"
            )


def _scalar(node: yaml.Node, key: str) -> str:
    """The scalar at ``key`` of a mapping node, or ''."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.ScalarNode):
                return str(v.value)
    return ""


def _node_kind(node: yaml.Node | None) -> str:
    if node is None:
        return "an empty file"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.ScalarNode):
        return "nothing" if node.tag.endswith(":null") else f"the scalar {node.value!r}"
    return "a mapping"


def _yaml_problem(path: Path, error: yaml.MarkedYAMLError) -> str:
    """``providers.yaml:LINE:COL: message`` of a YAML syntax error (1-based, like yamllint)."""
    mark = error.problem_mark or error.context_mark
    where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
    problem = error.problem or "invalid YAML"
    context = (
        f" ({error.context} at line {error.context_mark.line + 1})"
        if (error.context and error.context_mark and error.context_mark is not mark)
        else ""
    )
    return f"{where}: {problem}{context}"


def _context(error: BaseException) -> str:
    text = str(error)
    return text.split(", ", 1)[1] if ", " in text else text


def _interrupted(error: BaseException) -> bool:
    """A Ctrl-C that a library wrapped (dnspython turns any exception inside its
    rdata parsing, KeyboardInterrupt included, into its SyntaxError)."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _guard(provider: Any, populated: Callable[[Any, Any, Any], None] | None = None) -> None:
    """Tag any failure inside a provider's populate/plan/apply with the provider.

    ``populated(provider, zone, exists)`` is called after each successful read as a target.
    """
    for step in ("populate", "plan", "apply"):
        original = getattr(provider, step, None)
        if original is None:
            continue

        def guarded(*args: Any, _original: Any = original, _step: str = step, **kw: Any) -> Any:
            try:
                result = _original(*args, **kw)
            except (DnsspecError, _ProviderFailure):
                raise
            except Exception as error:
                if _interrupted(error):
                    raise KeyboardInterrupt from error
                subject = args[0] if args else None
                raise _ProviderFailure(provider, _step, error, subject) from error
            target = kw.get("target", args[1] if len(args) > 1 else False)
            if _step == "populate" and target and populated is not None and args:
                populated(provider, args[0], result)
            return result

        setattr(provider, step, guarded)


def provider_error(failure: _ProviderFailure, zone: str) -> ProviderError:
    provider = failure.provider
    doing = {"populate": "reading", "plan": "planning", "apply": "applying changes to"}
    where = ""
    host, port = getattr(provider, "host", None), getattr(provider, "port", None)
    if host:
        where = f" at {host}:{port}" if port else f" at {host}"
    head = f"provider {provider.id}{where} failed while {doing[failure.step]} zone {zone}: "
    if failure.step == "apply":
        plan = failure.subject
        message = head + describe(failure.error, provider, plan=plan)
        return ApplyFailed(message, provider=str(provider.id), zone=zone)
    unreadable = _unreadable(failure, provider)
    return ProviderError(
        head + (unreadable or describe(failure.error, provider)),
        provider=str(provider.id),
        zone=zone,
    )


def _unreadable(failure: _ProviderFailure, provider: Any) -> str | None:
    """The live records octoDNS could not read, named (else None)."""
    from octodns.record.rr import RdataParseError

    if not isinstance(failure.error, RdataParseError) or failure.subject is None:
        return None
    found = compat.unreadable_rrs(provider, failure.subject)
    if not found:
        return None
    named = "; ".join(f"{fqdn} {rtype} {rdata}: {why}" for fqdn, rtype, rdata, why in found)
    return (
        f"octoDNS cannot read {len(found)} record(s) there, so the zone cannot be planned "
        f"without risking them: {named}. Fix or delete them at the provider (nothing was "
        "changed)"
    )


def describe(error: BaseException, provider: Any = None, *, plan: Any = None) -> str:
    """A one-line, human account of a provider failure (``plan``: what it was applying)."""
    import dns.exception
    import dns.tsig

    text = str(error)
    if isinstance(error, ConnectionRefusedError):
        return "connection refused (is the server running and listening there?)"
    if isinstance(error, (TimeoutError, dns.exception.Timeout)) or "timed out" in text.lower():
        timeout = getattr(provider, "timeout", None)
        return f"no answer within {timeout:g}s (timed out)" if timeout else "timed out"
    if isinstance(error, dns.tsig.PeerError) or any(
        word in text for word in ("BADKEY", "BADSIG", "BADTIME", "peer didn't", "TSIG")
    ):
        hint = "check key_name, key_secret and key_algorithm"
        return f"the server refused the TSIG key ({hint}): {text}"
    if "NOTAUTH" in text:
        return (
            f"the server answered NOTAUTH: {text}. Either it is not authoritative for this "
            "zone (is the zone's name in providers.yaml right, and does this server serve "
            "it?), or it does not accept this TSIG key for the zone (key_name, key_secret, "
            "key_algorithm, and the zone's allow-transfer / update-policy)"
        )
    if "NOTZONE" in text:
        return f"the server says a record is outside the zone (NOTZONE): {text}"
    if "REFUSED" in text:
        return _refused(text, plan)
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _refused(text: str, plan: Any) -> str:
    """REFUSED: name the records a BIND-like server's integrity checks refuse, if any."""
    suspects = _targets_without_addresses(plan) if plan is not None else []
    if suspects:
        named = "; ".join(suspects)
        return (
            f"the server refused the update ({text}): it refuses a record whose target "
            f"inside the zone has no A/AAAA record: {named} (write the target's trailing "
            "dot if it is outside the zone, or add its address records)"
        )
    return (
        f"the server refused the request ({text}): the key may not update or transfer this "
        "zone (check allow-update / update-policy / allow-transfer), or the server's own "
        "checks refused a record (its log says which)"
    )


def _targets_without_addresses(plan: Any) -> list[str]:
    """MX, SRV and NS records being written whose in-zone target has no A/AAAA."""
    desired = plan.desired
    zone = str(desired.name)
    addressed = {r.fqdn.lower() for r in desired.records if compat.record_type(r) in ("A", "AAAA")}
    out = []
    for change in plan.changes:
        record = change.new
        rtype = compat.record_type(change.record)
        if record is None or rtype not in ("MX", "SRV", "NS"):
            continue
        if rtype == "NS" and record.name:
            continue  # a delegation's name servers need no address here
        for value in getattr(record, "values", ()):
            target = str(getattr(value, "exchange", None) or getattr(value, "target", value))
            target = target.lower()
            absolute = target if target.endswith(".") else f"{target}.{zone}"
            in_zone = absolute == zone or absolute.endswith(f".{zone}")
            if in_zone and absolute not in addressed:
                shown = absolute if target.endswith(".") else f"{target} (read as {absolute})"
                out.append(f"{record.fqdn} {rtype} → {shown}")
    return out
