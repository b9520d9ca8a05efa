"""``dnsspec test``: the ``expect:`` assertions of the specs, evaluated (issue #13).

SPF assertions run the one RFC 7208 engine (:func:`dnsspec.spf.evaluate.evaluate`)
against the **compiled** records: the specs' own zones answer from
:class:`~dnsspec.spf.records_lookup.RecordsLookup`, every other name from the lock
(:class:`~dnsspec.lock.LockedLookup`), or everything from real DNS (``--live``). A
question neither can answer (a name the lock lacks) makes the assertion
``unresolved``, naming the query: never a guess.

DMARC assertions run RFC 9989 policy discovery (:mod:`dnsspec.dmarc.discovery`) over
the compiled TXT records offline (a name outside the specs' zones publishes no DMARC
record there), or over DNS with ``--live``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address
from typing import Literal

from dnsspec.errors import Location, ResolveError
from dnsspec.lookups import Lookup, NoData, NxDomain, UnknownName, normalize_name
from dnsspec.spec.expect import Expectation
from dnsspec.spec.load import LoadedZone

Status = Literal["pass", "fail", "unresolved"]


@dataclass(frozen=True)
class Assertion:
    """One ``expect:`` entry and where it is written."""

    zone: str  # "example.com" (no dot)
    name: str  # the policy's name relative to the zone, "" = apex
    location: Location
    expect: Expectation

    @property
    def title(self) -> str:
        """``zone:line ip sender`` (the JUnit testcase name)."""
        e = self.expect
        if e.kind == "dmarc":
            what = f"from {e.from_} dmarc"
        else:
            what = f"{e.ip} {e.sender if e.sender else f'helo {e.helo}'}"
        return f"{self.zone}:{self.location.line} {what}"

    @property
    def wanted(self) -> tuple[str, ...]:
        e = self.expect
        if e.kind == "dmarc":
            assert e.dmarc is not None
            return (e.dmarc,)
        assert e.result is not None
        return e.result


@dataclass(frozen=True)
class Outcome:
    """What an assertion came to: its status, the actual result, and how it was reached."""

    assertion: Assertion
    status: Status
    actual: str | None  # the SPF result or DMARC disposition; None when unresolved
    term: str | None = None  # the deciding term (SPF) or policy source (DMARC)
    lookups: int = 0
    trace: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # "name TYPE" queries nobody could answer
    reason: str | None = None


def collect(zones: Sequence[LoadedZone]) -> list[Assertion]:
    """Every assertion of the specs, zone by zone, apex first then subdomains by name."""
    found = []
    for z in zones:
        for name, policy in z.spec.policies().items():
            base: tuple[str | int, ...] = () if name == "" else ("subdomains", name)
            for i, expect in enumerate(policy.expect):
                location = z.source_map.locate((*base, "expect", i))
                found.append(Assertion(z.zone.rstrip("."), name, location, expect))
    return found


class _Watch:
    """Passes every question on; remembers those answered ``UnknownName`` (unresolvable)."""

    def __init__(self, inner: Lookup) -> None:
        self.inner = inner
        self.missing: list[str] = []

    def _miss(self, error: UnknownName, name: str, rdtype: str) -> UnknownName:
        query = f"{error.qname or normalize_name(name)} {error.rdtype or rdtype}"
        if query not in self.missing:
            self.missing.append(query)
        return error

    async def query(self, name: str, rdtype: str) -> list[str]:
        try:
            return await self.inner.query(name, rdtype)
        except UnknownName as e:
            raise self._miss(e, name, rdtype) from None

    async def txt(self, name: str) -> list[str]:
        try:
            return await self.inner.txt(name)
        except UnknownName as e:
            raise self._miss(e, name, "TXT") from None

    async def a(self, name: str) -> list[IPv4Address]:
        try:
            return await self.inner.a(name)
        except UnknownName as e:
            raise self._miss(e, name, "A") from None

    async def aaaa(self, name: str) -> list[IPv6Address]:
        try:
            return await self.inner.aaaa(name)
        except UnknownName as e:
            raise self._miss(e, name, "AAAA") from None

    async def mx(self, name: str) -> list[tuple[int, str]]:
        try:
            return await self.inner.mx(name)
        except UnknownName as e:
            raise self._miss(e, name, "MX") from None

    async def ptr(self, address: IPv4Address | IPv6Address) -> list[str]:
        try:
            return await self.inner.ptr(address)
        except UnknownName as e:
            raise self._miss(e, address.reverse_pointer, "PTR") from None


async def _spf(assertion: Assertion, lookup: Lookup) -> Outcome:
    from dnsspec.spf.evaluate import evaluate

    e = assertion.expect
    assert e.ip is not None
    watch = _Watch(lookup)
    result = await evaluate(e.ip, e.sender or "", e.helo, lookup=watch)
    if watch.missing:
        status: Status = "unresolved"
    else:
        status = "pass" if result.result in assertion.wanted else "fail"
    return Outcome(
        assertion,
        status,
        None if status == "unresolved" else result.result,
        result.mechanism,
        result.lookups,
        result.trace,
        tuple(watch.missing),
        result.reason,
    )


def _downgrade(policy: str) -> str:
    return {"reject": "quarantine", "quarantine": "none"}.get(policy, policy)


TxtQuery = Callable[[str], Awaitable[list[str]]]


async def _dmarc(assertion: Assertion, txt: TxtQuery, exists: bool) -> Outcome:
    from dnsspec.dmarc.discovery import discover_policy, walk_targets
    from dnsspec.dmarc.syntax import is_dmarc_record

    e = assertion.expect
    assert e.from_ is not None
    domain = _author_domain(e.from_)
    texts: dict[str, list[str]] = {}
    for target in walk_targets(domain):
        try:
            texts[f"_dmarc.{target}"] = await txt(f"_dmarc.{target}")
        except (NxDomain, NoData):
            texts[f"_dmarc.{target}"] = []
        except ResolveError as error:
            return Outcome(assertion, "unresolved", None, reason=error.message)
    found = discover_policy(domain, lambda n: texts.get(n, []), exists=exists)
    trace = tuple(
        f"{n}: {sum(1 for t in v if is_dmarc_record(t))} DMARC record(s)" for n, v in texts.items()
    )
    if found is None:
        actual, term = "none", "no DMARC record applies"
    else:
        actual = _downgrade(found.policy) if found.testing else found.policy
        testing = " (t=y: one level lower)" if found.testing else ""
        term = f"{found.source}= of _dmarc.{found.policy_domain}{testing}"
    status: Status = "pass" if actual in assertion.wanted else "fail"
    return Outcome(assertion, status, actual, term, len(texts), trace)


def _author_domain(address: str) -> str:
    return normalize_name(address.rpartition("@")[2])


async def _exists(domain: str, lookup: Lookup) -> bool:
    try:
        await lookup.query(domain, "A")
    except NxDomain:
        return False
    except ResolveError:
        return True
    return True


def run_assertions(
    zones: Sequence[LoadedZone],
    assertions: Sequence[Assertion],
    *,
    fallback: Lookup | None = None,
    live: Lookup | None = None,
) -> list[Outcome]:
    """Evaluate ``assertions``: offline over the compiled records with ``fallback``
    (the lock) behind them, or, with ``live``, entirely through that lookup."""
    return asyncio.run(_run(zones, assertions, fallback=fallback, live=live))


async def _run(
    zones: Sequence[LoadedZone],
    assertions: Sequence[Assertion],
    *,
    fallback: Lookup | None,
    live: Lookup | None,
) -> list[Outcome]:
    from dnsspec.compile import compile_zones
    from dnsspec.spf.records_lookup import RecordsLookup

    records = compile_zones(zones)
    names = [z.zone for z in zones]
    spf_lookup: Lookup = live or RecordsLookup(records, names, fallback=fallback)
    dmarc_lookup: Lookup = live or RecordsLookup(records, names)
    existing = {normalize_name(r.fqdn) for r in records}

    async def specs_txt(name: str) -> list[str]:
        try:
            return await dmarc_lookup.txt(name)
        except UnknownName:  # outside the specs' zones: offline, nothing published there
            return []

    outcomes = []
    for a in assertions:
        if a.expect.kind == "spf":
            outcomes.append(await _spf(a, spf_lookup))
            continue
        assert a.expect.from_ is not None
        d = _author_domain(a.expect.from_)
        if live is not None:
            outcomes.append(await _dmarc(a, live.txt, await _exists(d, live)))
        else:
            exists = any(n == d or n.endswith("." + d) for n in existing)
            outcomes.append(await _dmarc(a, specs_txt, exists))
    return outcomes
