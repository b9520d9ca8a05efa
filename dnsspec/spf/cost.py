"""The one static DNS-lookup accounting of an SPF policy (RFC 7208 §4.6.4).

Used by the linter (over the compiled specs through ``RecordsLookup``, over
the lock file, over DNS) and by the evaluator (:func:`term_cost`). It counts
as an evaluator would in the worst case, when no mechanism matches:

- each ``include``, ``a``, ``mx``, ``ptr``, ``exists`` term and the
  ``redirect`` modifier cost one lookup; ``exp`` and ``ip4``/``ip6``/``all``
  cost nothing;
- evaluation stops at the first ``all`` (it always matches, §5.1): the terms
  after it cost nothing; include targets are followed; ``redirect`` only
  when the record has no ``all`` (otherwise receivers never reach it, §6.1);
- a void lookup (NXDOMAIN or no data) is counted for ``a`` (no A and no AAAA
  record), ``mx`` (no MX record) and ``exists`` (no A record); ``ptr``'s own
  PTR query depends on the client and is not counted as void (a client
  without reverse DNS meets one void lookup per ``ptr`` term);
- a term's target is :func:`dnsspec.spf.macros.term_target`, the one answer
  to "what does this term query" (lint and the evaluator use it too): a
  domain-spec with ``%{d}`` or ``%{o}`` is expanded, one with a macro that
  depends on the message costs its one lookup and an include/redirect of it
  is an *unknown* node;
- a name the lookup has no data for (:class:`UnknownName`: a third party
  not in the lock) costs its one lookup and makes the total "at least".

Record-level problems (each a permerror for receivers) are kept on the node:
no SPF record at an include/redirect target, several SPF records, a syntax
error, an include loop, nesting deeper than 20, an ``mx`` with more than 10
names. Children are resolved concurrently; the running total is then
replayed in evaluation order to find ``over_limit_path``, the hops at which
the count first exceeds the lookup (or void) limit, ending at the term that
exceeds it (``example.com → include:a.example → a:relay.a.example``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from dnsspec.errors import ResolveError
from dnsspec.lookups import Lookup, NoData, NxDomain, UnknownName
from dnsspec.spf.macros import term_target
from dnsspec.spf.syntax import (
    LOOKUP_MECHANISMS,
    Mechanism,
    Modifier,
    Policy,
    SpfSyntaxError,
    Term,
    is_spf_record,
    parse,
    render,
    render_term,
)

MAX_DEPTH = 20  # include/redirect nesting followed before giving up (a permerror)
MAX_TERMS = 5000  # bound on hostile fan-out: records beyond it are counted, not followed

Via = Literal["root", "include", "redirect"]


@dataclass(frozen=True)
class Limits:
    """RFC 7208 §4.6.4 processing limits."""

    lookups: int = 10
    voids: int = 2
    mx_names: int = 10
    ptr_names: int = 10


def evaluated_terms(policy: Policy) -> list[tuple[int, Term]]:
    """(index in ``policy.terms``, term) of every term an evaluation can reach, in order:
    the mechanisms up to the first ``all``, which always matches, so nothing after it is
    ever evaluated (§5.1), then ``redirect=`` when there is no ``all`` (§6.1)."""
    reached: list[tuple[int, Term]] = []
    redirect: tuple[int, Term] | None = None
    for i, term in enumerate(policy.terms):
        if isinstance(term, Mechanism):
            reached.append((i, term))
            if term.kind == "all":
                return reached
        elif redirect is None and term.name.lower() == "redirect":
            redirect = (i, term)
    return reached if redirect is None else [*reached, redirect]


def term_cost(term: Term) -> int:
    """DNS lookups a term costs toward the limit: 1 for include/a/mx/ptr/exists/redirect."""
    if isinstance(term, Mechanism):
        return 1 if term.kind in LOOKUP_MECHANISMS else 0
    return 1 if term.name.lower() == "redirect" else 0


@dataclass(frozen=True)
class CostNode:
    """One SPF record in the include/redirect tree and what it costs by itself."""

    domain: str  # lower-case, no trailing dot; the domain-spec as written when unknown
    via: Via
    record: str | None  # the SPF record text; None when there is none (or unknown)
    own_lookups: int
    own_voids: int  # the more of own_voids_by_family (what one client family meets)
    children: tuple[CostNode, ...] = ()
    problem: str | None = None  # a permerror receivers would hit here
    unknown: bool = False  # the record could not be known (third party, macro, DNS error)
    # void lookups for (IPv4, IPv6) clients: `a` queries A for one and AAAA for the other
    own_voids_by_family: tuple[int, int] | None = None

    @property
    def lookups(self) -> int:
        """Lookups of this record and everything below it."""
        return self.own_lookups + sum(c.lookups for c in self.children)

    @property
    def voids_by_family(self) -> tuple[int, int]:
        """Void lookups of this record and everything below it, for IPv4 and IPv6 clients."""
        own = self.own_voids_by_family or (self.own_voids, self.own_voids)
        below = [c.voids_by_family for c in self.children]
        return own[0] + sum(v[0] for v in below), own[1] + sum(v[1] for v in below)

    @property
    def voids(self) -> int:
        return max(self.voids_by_family)

    @property
    def hop(self) -> str:
        """This node as a path element: ``example.com``, ``include:x``, ``redirect=y``."""
        return {"root": "", "include": "include:", "redirect": "redirect="}[self.via] + self.domain

    def walk(self) -> Iterator[CostNode]:
        """This node and its descendants, depth first, in evaluation order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Cost:
    """The worst-case lookup cost of a domain's SPF policy."""

    lookups: int
    voids: int  # for the client family that meets more of them (see void_family)
    at_least: bool  # some subtree is unknown: the real count may be higher
    tree: CostNode
    over_limit_path: tuple[str, ...] | None  # hops where a limit is first exceeded
    over_limit_term: int | None = None  # index in the root's Policy.terms of its term on it
    # the same for the void limit alone (SPF203), and which clients exceed it
    void_over_path: tuple[str, ...] | None = None
    void_over_term: int | None = None
    void_family: Literal["IPv4", "IPv6", ""] = ""  # "": both alike
    # the same for the lookup limit alone (SPF201): the path to the 11th lookup, which
    # is not over_limit_path when the void limit is exceeded first
    lookup_over_path: tuple[str, ...] | None = None
    lookup_over_term: int | None = None
    # void lookups for IPv4 and for IPv6 clients (voids is the larger)
    voids_by_family: tuple[int, int] = (0, 0)
    # (lookups, voids) counted when each node's evaluation ends, in evaluation order,
    # by id() of the CostNode (a node's own count spans its includes; `spf tree` shows these)
    running_totals: Mapping[int, tuple[int, int]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def problems(self) -> tuple[tuple[str, str], ...]:
        """(hop, problem) of every node with a problem, in evaluation order."""
        return tuple((n.hop, n.problem) for n in self.tree.walk() if n.problem)


# --- building the tree (concurrent) -------------------------------------------


@dataclass
class _Step:
    """One term in evaluation order: its lookups and voids, then its subtree."""

    lookups: int = 0
    voids: int = 0  # for IPv4 clients
    child: _Tree | None = None
    term: str = ""  # the term as written: the last hop of a path that ends here
    position: int = 0  # its index in the record's Policy.terms
    voids6: int | None = None  # for IPv6 clients, when they differ (None: same as voids)
    failure: str | None = None  # a DNS failure: the evaluator's temperror, count unknown

    @property
    def v6(self) -> int:
        return self.voids if self.voids6 is None else self.voids6


@dataclass
class _Tree:
    node: CostNode
    steps: list[_Step] = field(default_factory=list)
    # What reusing this subtree under another path needs to know: the domains in it,
    # its height, its terms (the fan-out budget), and whether the path it was built on
    # shaped it (a loop or depth-limit cut inside it), which makes it not reusable.
    domains: frozenset[str] = frozenset()
    height: int = 0
    terms: int = 0
    path_dependent: bool = False


class CostCache:
    """Include/redirect subtrees already costed, shared by :func:`lookup_cost` calls.

    A portfolio of a thousand domains that include the same provider trees
    builds each provider subtree once. Valid for one run over one :class:`Lookup`
    (the answers a subtree was built from); a subtree is reused only where a
    fresh build would give the same result (no loop back into the current path,
    no depth or fan-out limit reached).
    """

    def __init__(self) -> None:
        self._trees: dict[tuple[str, Via, Limits], _Tree] = {}

    def get(self, domain: str, via: Via, limits: Limits, path: tuple[str, ...]) -> _Tree | None:
        tree = self._trees.get((domain, via, limits))
        if tree is None or len(path) + tree.height > MAX_DEPTH:
            return None
        return tree if tree.domains.isdisjoint(path) else None

    def put(self, domain: str, via: Via, limits: Limits, tree: _Tree) -> None:
        if not tree.path_dependent:
            self._trees[(domain, via, limits)] = tree


@dataclass
class _Budget:
    terms: int = 0


def _norm(name: str) -> str:
    return name.strip().lower().rstrip(".")


async def _fetch(domain: str, lookup: Lookup) -> tuple[Policy | None, str | None, str | None, bool]:
    """(policy, record text, problem, unknown) of ``domain``'s SPF record."""
    try:
        texts = await lookup.txt(domain)
    except NxDomain:
        return None, None, "does not exist (NXDOMAIN, permerror)", False
    except NoData:
        return None, None, "no SPF record (permerror)", False
    except UnknownName:
        return None, None, None, True
    except ResolveError as e:
        return None, None, f"DNS error: {e.message} (temperror)", True
    records = [t for t in texts if is_spf_record(t)]
    if not records:
        return None, None, "no SPF record (permerror)", False
    if len(records) > 1:
        return None, None, f"{len(records)} SPF records (permerror)", False
    try:
        return parse(records[0]), records[0], None, False
    except SpfSyntaxError as e:
        return None, records[0], f"syntax error: {e.message} (permerror)", False


async def _void(term: Mechanism, target: str, lookup: Lookup, limits: Limits) -> _Step:
    """The step of an a/mx/exists term whose target is known: its voids, if any.

    As the evaluator counts them: `mx` and `exists` ask one question for every
    client, `a` asks A for an IPv4 client and AAAA for an IPv6 one, so a name
    with only A records is a void lookup for IPv6 clients alone.
    """
    step = _Step(lookups=1)
    try:
        if term.kind == "mx":
            names = await lookup.mx(target)
            if len(names) > limits.mx_names:
                raise _TooManyMx(len(names))
            return step
        if term.kind == "exists":
            await lookup.a(target)
            return step
        try:
            await lookup.a(target)
        except NoData:
            step.voids = 1  # and the AAAA question decides for IPv6 clients
        try:
            await lookup.aaaa(target)
            step.voids6 = 0
        except NoData:
            step.voids6 = 1
    except (NxDomain, NoData):  # NXDOMAIN: no data of any type there
        step.voids, step.voids6 = 1, None
    except UnknownName:
        pass  # a name the lock does not have: at least 1 lookup, voids unknown
    except ResolveError as error:
        step.failure = f"`{render_term(term)}`: DNS error: {error.message} (temperror)"
    return step


class _TooManyMx(Exception):
    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


async def _build(
    domain: str,
    via: Via,
    lookup: Lookup,
    limits: Limits,
    path: tuple[str, ...],
    budget: _Budget,
    policy: Policy | None = None,
    cache: CostCache | None = None,
) -> _Tree:
    if domain in path:
        loop = " → ".join((*path[path.index(domain) :], domain))
        node = CostNode(domain, via, None, 0, 0, problem=f"loop: {loop} (permerror)")
        return _Tree(node, path_dependent=True)
    if len(path) > MAX_DEPTH:
        problem = f"nested deeper than {MAX_DEPTH} records (permerror)"
        return _Tree(CostNode(domain, via, None, 0, 0, problem=problem), path_dependent=True)
    if policy is not None or cache is None:
        return await _build_record(domain, via, lookup, limits, path, budget, policy, cache)
    cached = cache.get(domain, via, limits, path)
    if cached is not None and budget.terms + cached.terms <= MAX_TERMS:
        budget.terms += cached.terms
        return cached
    tree = await _build_record(domain, via, lookup, limits, path, budget, None, cache)
    cache.put(domain, via, limits, tree)
    return tree


async def _build_record(
    domain: str,
    via: Via,
    lookup: Lookup,
    limits: Limits,
    path: tuple[str, ...],
    budget: _Budget,
    policy: Policy | None,
    cache: CostCache | None,
) -> _Tree:
    record: str | None
    if policy is None:
        policy, record, fetch_problem, unknown = await _fetch(domain, lookup)
        if policy is None:
            if via == "root" and fetch_problem and fetch_problem.startswith("no SPF"):
                fetch_problem = "no SPF record"
            elif via == "root" and fetch_problem and fetch_problem.startswith("does not exist"):
                fetch_problem = "does not exist (NXDOMAIN)"
            node = CostNode(domain, via, record, 0, 0, problem=fetch_problem, unknown=unknown)
            return _Tree(node, domains=frozenset({domain}))
    else:
        record = render(policy)
    inner = (*path, domain)
    problems: list[str] = []
    # each term's step, or the coroutine that computes it (only those that may query DNS
    # become tasks: a task per ip4: term costs more than the whole term)
    jobs: list[_Step | Coroutine[Any, Any, _Step]] = []

    async def follow(target: str | None, spec: str, kind: Via) -> _Step:
        if target is None:  # a macro only the message can expand
            return _Step(1, 0, _Tree(CostNode(spec, kind, None, 0, 0, unknown=True)))
        return _Step(1, 0, await _build(target, kind, lookup, limits, inner, budget, cache=cache))

    reached = evaluated_terms(policy)
    terms = [t for _, t in reached]
    positions = [i for i, _ in reached]
    budget.terms += len(terms)
    if budget.terms > MAX_TERMS:
        counted = [_Step(term_cost(t)) for t in terms]
        problem = f"not followed: the tree has more than {MAX_TERMS} terms"
        own = sum(s.lookups for s in counted)
        node = CostNode(domain, via, record, own, 0, problem=problem, unknown=True)
        return _Tree(node, counted, path_dependent=True)  # cut by this run's budget
    origin = inner[0]
    uses_origin = False
    for term in terms:
        cost = term_cost(term)
        spec = term.value if isinstance(term, Modifier) else term.domain
        target = term_target(term, domain, origin=origin)
        uses_origin = uses_origin or (spec is not None and "%{o" in spec.lower())
        if isinstance(term, Modifier) or term.kind == "include":
            assert spec is not None
            kind: Via = "redirect" if isinstance(term, Modifier) else "include"
            jobs.append(follow(target, spec, kind))
        elif term.kind in ("a", "mx", "exists") and target is not None:
            jobs.append(_void(term, target, lookup, limits))
        else:
            jobs.append(_Step(cost))
    steps: list[_Step] = []
    results = await _gather_steps(jobs)
    for term, position, result in zip(terms, positions, results, strict=True):
        if isinstance(result, _TooManyMx):
            problems.append(f"mx has {result.count} names, more than {limits.mx_names} (permerror)")
            result = _Step(1)
        elif isinstance(result, BaseException):
            raise result
        result.term, result.position = render_term(term), position
        steps.append(result)
    problems.extend(s.failure for s in steps if s.failure)
    family = (sum(s.voids for s in steps), sum(s.v6 for s in steps))
    built = CostNode(
        domain,
        via,
        record,
        own_lookups=sum(s.lookups for s in steps),
        own_voids=max(family),
        children=tuple(s.child.node for s in steps if s.child is not None),
        problem="; ".join(problems) or None,
        unknown=any(s.failure for s in steps),
        own_voids_by_family=family if family[0] != family[1] else None,
    )
    subtrees = [s.child for s in steps if s.child is not None]
    return _Tree(
        built,
        steps,
        domains=frozenset({domain}).union(*(t.domains for t in subtrees)),
        height=1 + max((t.height for t in subtrees), default=0),
        terms=len(terms) + sum(t.terms for t in subtrees),
        # %{o} names the evaluation's starting domain: such a subtree differs per root
        path_dependent=uses_origin or any(t.path_dependent for t in subtrees),
    )


async def _gather_steps(
    jobs: list[_Step | Coroutine[Any, Any, _Step]],
) -> list[_Step | BaseException]:
    """The steps in order, running the coroutines concurrently (one is simply awaited)."""
    pending = [j for j in jobs if not isinstance(j, _Step)]
    done: list[_Step | BaseException] = []
    if not pending:
        pass
    elif len(pending) == 1:
        try:
            done = [await pending[0]]
        except Exception as exc:  # as gather(return_exceptions=True) would give it
            done = [exc]
    else:
        done = list(await asyncio.gather(*pending, return_exceptions=True))
    answers = iter(done)
    return [j if isinstance(j, _Step) else next(answers) for j in jobs]


# --- replaying the count in evaluation order -----------------------------------


@dataclass
class _Replay:
    limits: Limits
    lookups: int = 0
    voids4: int = 0
    voids6: int = 0
    over: tuple[str, ...] | None = None
    over_term: int | None = None
    void_over: tuple[str, ...] | None = None
    void_over_term: int | None = None
    lookup_over: tuple[str, ...] | None = None
    lookup_over_term: int | None = None
    ends: dict[int, tuple[int, int]] = field(default_factory=dict)

    def run(self, tree: _Tree, path: tuple[str, ...]) -> None:
        for step in tree.steps:
            self.lookups += step.lookups
            self.voids4 += step.voids
            self.voids6 += step.v6
            hop = (step.child.node.hop,) if step.child is not None else ()
            here = path + (hop or (step.term,))
            too_many_voids = max(self.voids4, self.voids6) > self.limits.voids
            if self.over is None and (self.lookups > self.limits.lookups or too_many_voids):
                self.over = here
            if self.void_over is None and too_many_voids:
                self.void_over = here
            if self.lookup_over is None and self.lookups > self.limits.lookups:
                self.lookup_over = here
            if step.child is not None:
                self.run(step.child, path + hop)
            if len(path) == 1:
                if self.over is not None and self.over_term is None:
                    self.over_term = step.position
                if self.void_over is not None and self.void_over_term is None:
                    self.void_over_term = step.position
                if self.lookup_over is not None and self.lookup_over_term is None:
                    self.lookup_over_term = step.position
        self.ends[id(tree.node)] = (self.lookups, max(self.voids4, self.voids6))


async def lookup_cost(
    domain: str,
    lookup: Lookup,
    *,
    policy: Policy | None = None,
    limits: Limits = Limits(),
    cache: CostCache | None = None,
) -> Cost:
    """The worst-case lookup cost of ``domain``'s SPF policy.

    ``policy`` is the domain's policy when known (a spec); otherwise its SPF
    record is looked up. Never raises for DNS or record problems: they are
    marked on the tree's nodes. Calls that share a :class:`CostCache` (over the
    same ``lookup``) build each include subtree once.
    """
    name = _norm(domain)
    tree = await _build(name, "root", lookup, limits, (), _Budget(), policy, cache)
    replay = _Replay(limits)
    replay.run(tree, (name,))
    at_least = any(n.unknown for n in tree.node.walk())
    v4, v6 = replay.voids4, replay.voids6
    return Cost(
        replay.lookups,
        max(v4, v6),
        at_least,
        tree.node,
        replay.over,
        replay.over_term,
        void_over_path=replay.void_over,
        void_over_term=replay.void_over_term,
        void_family="" if v4 == v6 else "IPv4" if v4 > v6 else "IPv6",
        lookup_over_path=replay.lookup_over,
        lookup_over_term=replay.lookup_over_term,
        voids_by_family=(v4, v6),
        running_totals=replay.ends,
    )


async def lookup_costs(
    roots: Sequence[tuple[str, Policy | None]],
    lookup: Lookup,
    *,
    limits: Limits = Limits(),
    concurrency: int = 16,
) -> list[Cost]:
    """:func:`lookup_cost` of many ``(domain, policy)`` roots, sharing one :class:`CostCache`.

    At most ``concurrency`` roots are costed at once, so the shared provider
    subtrees are built by the first few and reused by all the others (DNS
    answers are shared by ``lookup``'s own cache either way).
    """
    cache = CostCache()
    gate = asyncio.Semaphore(concurrency)

    async def one(domain: str, policy: Policy | None) -> Cost:
        async with gate:
            return await lookup_cost(domain, lookup, policy=policy, limits=limits, cache=cache)

    return list(await asyncio.gather(*(one(d, p) for d, p in roots)))
