"""dnsspec.lock: the third-party DNS answers lint counts through, offline.

``dnsspec lock`` evaluates the lookup cost of every SPF policy in the specs
with the real resolver behind the specs' own records, and records every
answer the cost walk needed from outside the specs (third-party include and
redirect targets, recursively, and what their ``a``/``mx`` terms query).
``LockedLookup`` replays exactly those answers, so offline lint counts
lookups and voids exactly as the online walk did. A name missing from the
lock raises ``UnknownName``: lint counts it as "at least 1" and warns.

The file is YAML, sorted, with a format version; per name: ``resolved_at``
(when this answer was first seen; kept while the answer stays the same, so
re-locking an unchanged world changes nothing), ``answers`` per record type
(the SPF TXT records verbatim, addresses, ``"PREF exchange"`` MX values, or
``NXDOMAIN``/``NODATA``), and for SPF names their own ``lookups``/``voids``.

Format version 2 (written since ``dnsspec test``) adds the A and AAAA answers of every
third-party MX host a locked ``mx`` term names, which check_host needs to evaluate it
offline; version 1 files (same layout, without those) are still read.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from ipaddress import IPv4Address, IPv6Address
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from dnsspec.errors import DnsspecError, ResolveError
from dnsspec.lookups import Lookup, NoData, NxDomain, UnknownName, normalize_name

if TYPE_CHECKING:
    from dnsspec.records import Record
    from dnsspec.spec.load import LoadedZone
    from dnsspec.spf.cost import Cost

DEFAULT_LOCK = "dnsspec.lock"  # the one home of the lock's default file name
LOCK_FILE = DEFAULT_LOCK
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)  # version 1: the same layout, without the MX hosts' addresses
NXDOMAIN = "NXDOMAIN"
NODATA = "NODATA"
HEADER = (
    "# dnsspec.lock: third-party DNS answers for offline `dnsspec lint`.\n"
    "# Written by `dnsspec lock`; review and commit it. `dnsspec lock --check` tells when stale.\n"
)
Answer = tuple[str, ...] | str  # values, or NXDOMAIN / NODATA
T = TypeVar("T")


class LockError(DnsspecError):
    """dnsspec.lock is invalid."""


@dataclass(frozen=True)
class LockedName:
    """What DNS answered for one name."""

    resolved_at: str  # ISO 8601 UTC, "2026-11-25T12:00:00Z"
    answers: Mapping[str, Answer]  # rdtype -> answer
    lookups: int | None = None  # own SPF lookup cost (SPF names only)
    voids: int | None = None


@dataclass(frozen=True)
class Lock:
    names: Mapping[str, LockedName] = field(default_factory=dict)  # "_spf.google.com" (no dot)
    version: int = FORMAT_VERSION


_key = normalize_name


def _unknown(name: str, rdtype: str) -> ResolveError:
    return UnknownName(
        f"{name} ({rdtype}) is not in {LOCK_FILE}; run `dnsspec lock`", qname=name, rdtype=rdtype
    )


class LockedLookup:
    """:class:`~dnsspec.lookups.Lookup` answering from a lock; ``UnknownName`` for anything else.

    ``query`` answers the types a lock holds (TXT, A, AAAA, MX) in presentation format.
    """

    def __init__(self, lock: Lock) -> None:
        self.lock = lock
        self.asked: set[str] = set()  # names asked (for `lock --check`)
        self.missing: set[str] = set()  # names asked but not in the lock

    def _answer(self, name: str, rdtype: str) -> tuple[str, ...]:
        key = _key(name)
        self.asked.add(key)
        entry = self.lock.names.get(key)
        answer = entry.answers.get(rdtype) if entry is not None else None
        if answer is None:
            self.missing.add(key)
            raise _unknown(key, rdtype)
        if answer == NXDOMAIN:
            raise NxDomain(qname=key, rdtype=rdtype)
        if answer == NODATA:
            raise NoData(qname=key, rdtype=rdtype)
        assert not isinstance(answer, str)
        return answer

    async def txt(self, name: str) -> list[str]:
        return list(self._answer(name, "TXT"))

    async def a(self, name: str) -> list[IPv4Address]:
        return [IPv4Address(v) for v in self._answer(name, "A")]

    async def aaaa(self, name: str) -> list[IPv6Address]:
        return [IPv6Address(v) for v in self._answer(name, "AAAA")]

    async def mx(self, name: str) -> list[tuple[int, str]]:
        pairs = (v.split(" ", 1) for v in self._answer(name, "MX"))
        return [(int(pref), host) for pref, host in pairs]

    async def ptr(self, address: IPv4Address | IPv6Address) -> list[str]:
        raise _unknown(str(address), "PTR")

    async def query(self, name: str, rdtype: str) -> list[str]:
        from dnsspec.spf.records_lookup import presentation

        rdtype = rdtype.upper()
        return [presentation(rdtype, v) for v in self._answer(name, rdtype)]


class RecordingLookup:
    """Passes queries to ``inner`` and records every answer (and failure) by name."""

    def __init__(self, inner: Lookup) -> None:
        self.inner = inner
        self.answers: dict[str, dict[str, Answer]] = {}
        self.failures: dict[tuple[str, str], ResolveError] = {}

    async def _record(
        self, name: str, rdtype: str, query: Awaitable[list[T]], text: Callable[[T], str]
    ) -> list[T]:
        key = _key(name)
        try:
            values = await query
        except NxDomain:
            self.answers.setdefault(key, {})[rdtype] = NXDOMAIN
            raise
        except NoData:
            self.answers.setdefault(key, {})[rdtype] = NODATA
            raise
        except ResolveError as error:
            self.failures[(key, rdtype)] = error
            raise
        self.answers.setdefault(key, {})[rdtype] = tuple(text(v) for v in values)
        return values

    async def txt(self, name: str) -> list[str]:
        from dnsspec.spf.syntax import is_spf_record

        values = await self._record(name, "TXT", self.inner.txt(name), str)
        # keep only the SPF records: other TXT values (verification tokens) are not ours to copy
        key = _key(name)
        self.answers[key]["TXT"] = tuple(v for v in values if is_spf_record(v))
        return values

    async def a(self, name: str) -> list[IPv4Address]:
        return await self._record(name, "A", self.inner.a(name), str)

    async def aaaa(self, name: str) -> list[IPv6Address]:
        return await self._record(name, "AAAA", self.inner.aaaa(name), str)

    async def mx(self, name: str) -> list[tuple[int, str]]:
        return await self._record(name, "MX", self.inner.mx(name), lambda p: f"{p[0]} {p[1]}")

    async def ptr(self, address: IPv4Address | IPv6Address) -> list[str]:
        return await self.inner.ptr(address)

    async def query(self, name: str, rdtype: str) -> list[str]:
        return await self.inner.query(name, rdtype)  # not needed by the cost walk: not locked


def _policy_roots(zones: Sequence[LoadedZone]) -> list[tuple[str, Any]]:
    roots = []
    for z in zones:
        for site in z.sites:
            if site.kind == "spf":
                name = f"{site.name}.{z.zone}" if site.name else z.zone
                roots.append((_key(name), site.value.policy))
    return roots


async def _walk(
    zones: Sequence[LoadedZone], records: Iterable[Record], fallback: Lookup
) -> list[tuple[str, Cost]]:
    """Run the lookup-cost walk of every policy with ``fallback`` behind the specs' records;
    (policy name, cost) of each."""
    from dnsspec.spf.cost import lookup_costs
    from dnsspec.spf.records_lookup import RecordsLookup

    lookup = RecordsLookup(records, [z.zone for z in zones], fallback=fallback)
    roots = _policy_roots(zones)
    costs = await lookup_costs(roots, lookup)
    return [(name, cost) for (name, _), cost in zip(roots, costs, strict=True)]


@dataclass(frozen=True, order=True)
class DeadTarget:
    """A third-party include or redirect target receivers find nothing at (a permerror)."""

    name: str  # "_sfp.google.com"
    problem: str  # "does not exist (NXDOMAIN)" or "has no SPF record"
    hop: str  # how it is reached: "include:_sfp.google.com"
    policy: str  # the spec's policy it is reached from: "example.com"

    def describe(self) -> str:
        via = f"{self.hop} in the policy of {self.policy}"
        return f"{self.name} {self.problem}: {via} is a permerror for receivers"


def dead_targets(zones: Sequence[LoadedZone], lock: Lock) -> list[DeadTarget]:
    """Offline: every include/redirect target in the lock that does not exist or has no
    SPF record, with the policy it is reached from (sorted, each once per policy)."""
    from dnsspec.compile import compile_zones
    from dnsspec.spf.syntax import is_spf_record

    walked = asyncio.run(_walk(zones, compile_zones(zones), LockedLookup(lock)))
    found: set[DeadTarget] = set()
    for policy, cost in walked:
        for node in cost.tree.walk():
            entry = lock.names.get(node.domain) if node.via != "root" else None
            txt = entry.answers.get("TXT") if entry is not None else None
            if txt is None:
                continue
            if txt == NXDOMAIN:
                problem = "does not exist (NXDOMAIN)"
            elif txt == NODATA or not any(is_spf_record(t) for t in txt):
                problem = "has no SPF record"
            else:
                continue
            found.add(DeadTarget(node.domain, problem, node.hop, policy))
    return sorted(found)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def resolve_lock(
    zones: Sequence[LoadedZone],
    records: Sequence[Record],
    resolver: Lookup,
    *,
    previous: Lock | None = None,
    now: Callable[[], str] = _now,
) -> Lock:
    """A fresh lock: every third-party answer the cost walk needs, from ``resolver``.

    Raises :class:`~dnsspec.errors.ResolveError` when a query failed (timeout,
    SERVFAIL): a lock is written only from real answers.
    """
    from dnsspec.spf.cost import lookup_cost
    from dnsspec.spf.records_lookup import RecordsLookup
    from dnsspec.spf.syntax import is_spf_record

    recorder = RecordingLookup(resolver)
    await _walk(zones, records, recorder)
    await _lock_mx_hosts(recorder)
    through_specs = RecordsLookup(records, [z.zone for z in zones], fallback=recorder)
    if recorder.failures:
        (name, rdtype), error = sorted(recorder.failures.items())[0]
        count = len(recorder.failures)
        # the resolver's message already names the question ("x.example TXT: timed out")
        what = (
            error.message if error.message.startswith(name) else f"{name} {rdtype}: {error.message}"
        )
        raise ResolveError(
            f"cannot lock: {what} ({count} failed quer{'y' if count == 1 else 'ies'})",
            qname=name,
            rdtype=rdtype,
        )
    stamp = now()
    names: dict[str, LockedName] = {}
    for key in sorted(recorder.answers):
        answers = dict(sorted(recorder.answers[key].items()))
        lookups = voids = None
        txt = answers.get("TXT")
        if isinstance(txt, tuple) and any(is_spf_record(t) for t in txt):
            cost = await lookup_cost(key, through_specs)
            lookups, voids = cost.lookups, cost.voids
        old = previous.names.get(key) if previous is not None else None
        same = old is not None and dict(old.answers) == answers
        resolved_at = old.resolved_at if same and old is not None else stamp
        names[key] = LockedName(resolved_at, answers, lookups, voids)
    return Lock(names=names)


def _mx_hosts(answers: Iterable[Mapping[str, Answer]]) -> list[str]:
    """The exchanges of every MX answer among ``answers`` (sorted, each once)."""
    found: set[str] = set()
    for per_type in answers:
        mx = per_type.get("MX")
        if isinstance(mx, tuple):
            found.update(normalize_name(v.split(" ", 1)[1]) for v in mx)
    return sorted(found)


async def _ask_mx_hosts(lookup: Lookup, hosts: Iterable[str]) -> None:
    """Version 2: ask A and AAAA of each third-party MX host, so the lock holds what
    ``dnsspec test`` needs to evaluate a third-party ``mx`` term offline."""
    for host in hosts:
        for ask in (lookup.a, lookup.aaaa):
            # a void answer is recorded; a failure is reported by resolve_lock
            with contextlib.suppress(ResolveError):
                await ask(host)


async def _lock_mx_hosts(recorder: RecordingLookup) -> None:
    await _ask_mx_hosts(recorder, _mx_hosts(recorder.answers.values()))


def build_lock(
    zones: Sequence[LoadedZone],
    resolver: Lookup,
    *,
    previous: Lock | None = None,
) -> Lock:
    from dnsspec.compile import compile_zones

    records = compile_zones(zones)
    return asyncio.run(resolve_lock(zones, records, resolver, previous=previous))


@dataclass(frozen=True)
class LockStatus:
    """How a lock compares with what the specs need."""

    missing: tuple[str, ...] = ()  # names the specs need that the lock lacks
    extra: tuple[str, ...] = ()  # names in the lock nothing needs any more
    changed: tuple[str, ...] = ()  # names whose answer changed (online check only)

    @property
    def stale(self) -> bool:
        return bool(self.missing or self.extra or self.changed)

    def describe(self) -> list[str]:
        return (
            [f"missing from {LOCK_FILE}: {n}" for n in self.missing]
            + [f"no longer needed: {n}" for n in self.extra]
            + [f"answer changed: {n}" for n in self.changed]
        )


def check_lock(zones: Sequence[LoadedZone], lock: Lock) -> LockStatus:
    """Offline: which needed names are missing from the lock, which are extra."""
    from dnsspec.compile import compile_zones

    locked = LockedLookup(lock)
    asyncio.run(_walk(zones, compile_zones(zones), locked))
    asked = [lock.names[n].answers for n in sorted(locked.asked) if n in lock.names]
    asyncio.run(_ask_mx_hosts(locked, _mx_hosts(asked)))
    return LockStatus(
        missing=tuple(sorted(locked.missing)),
        extra=tuple(sorted(set(lock.names) - locked.asked)),
    )


def compare_locks(old: Lock, new: Lock) -> LockStatus:
    """Online: the lock on disk against a freshly resolved one."""
    changed = [
        n
        for n in sorted(set(old.names) & set(new.names))
        if dict(old.names[n].answers) != dict(new.names[n].answers)
        or (old.names[n].lookups, old.names[n].voids) != (new.names[n].lookups, new.names[n].voids)
    ]
    return LockStatus(
        missing=tuple(sorted(set(new.names) - set(old.names))),
        extra=tuple(sorted(set(old.names) - set(new.names))),
        changed=tuple(changed),
    )


def dump_lock(lock: Lock) -> str:
    """The lock as YAML text; inverse of :func:`parse_lock`."""
    import yaml

    names: dict[str, Any] = {}
    for key in sorted(lock.names):
        entry = lock.names[key]
        data: dict[str, Any] = {"resolved_at": entry.resolved_at}
        if entry.lookups is not None:
            data["lookups"] = entry.lookups
            data["voids"] = entry.voids
        data["answers"] = {
            t: a if isinstance(a, str) else list(a) for t, a in sorted(entry.answers.items())
        }
        names[key] = data
    body = yaml.safe_dump(
        {"version": lock.version, "names": names},
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=False,  # non-ASCII escaped: YAML reads some code points as line breaks
        width=1000,
    )
    return HEADER + body


def parse_lock(text: str, source: str = LOCK_FILE) -> Lock:
    """Inverse of :func:`dump_lock`; raises LockError for anything malformed."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise LockError(f"{source}: not valid YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("names", {}), dict):
        raise LockError(f"{source}: expected a mapping with `version` and `names`")
    if data.get("version") not in READABLE_VERSIONS:
        raise LockError(
            f"{source}: format version {data.get('version')!r} is not supported "
            f"(expected {FORMAT_VERSION}); run `dnsspec lock` to rewrite it"
        )
    names: dict[str, LockedName] = {}
    for name, entry in (data.get("names") or {}).items():
        try:
            answers: dict[str, Answer] = {}
            for rdtype, answer in dict(entry["answers"]).items():
                answers[str(rdtype)] = (
                    answer
                    if answer in (NXDOMAIN, NODATA)
                    else tuple(_checked(str(rdtype), str(v)) for v in _as_list(answer))
                )
            names[_key(str(name))] = LockedName(
                resolved_at=str(entry["resolved_at"]),
                answers=answers,
                lookups=_opt_int(entry.get("lookups")),
                voids=_opt_int(entry.get("voids")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise LockError(f"{source}: entry {name!r} is malformed ({error})") from None
    return Lock(names=names, version=int(data["version"]))


def _checked(rdtype: str, value: str) -> str:
    """A locked answer value, as the lookup will read it (ValueError when it cannot)."""
    if rdtype == "A":
        IPv4Address(value)
    elif rdtype == "AAAA":
        IPv6Address(value)
    elif rdtype == "MX":
        preference, _, host = value.partition(" ")
        if not preference.isdigit() or not host.strip():
            raise ValueError(f"an MX answer is 'PREFERENCE HOST', got {value!r}")
    elif rdtype != "TXT":
        raise ValueError(f"unexpected record type {rdtype!r} (A, AAAA, MX or TXT)")
    return value


def _as_list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, NXDOMAIN or NODATA, got {value!r}")
    return value


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def read_lock(path: Path | str = LOCK_FILE) -> Lock | None:
    """The lock at ``path``, or None when there is none."""
    file = Path(path)
    if not file.exists():
        return None
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise LockError(f"{file}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise LockError(f"{file}: cannot read it ({error.strerror or error})") from None
    return parse_lock(text, str(file))


def write_lock(lock: Lock, path: Path | str = LOCK_FILE) -> None:
    Path(path).write_text(dump_lock(lock), encoding="utf-8")
