"""check_host() of RFC 7208 (§4 to §8): the SPF verdict for a client IP and sender.

The core, :func:`evaluate`, is async and does no I/O of its own: every DNS answer comes
through the :class:`dnsspec.lookups.Lookup` protocol (the dnspython resolver, the lock file,
compiled records). :func:`check_host` is the synchronous driver over a
:class:`dnsspec.lookups.DnsResolver`. Parsing, macro expansion and the per-term lookup cost
are the shared ones of :mod:`dnsspec.spf.syntax`, :mod:`~dnsspec.spf.macros` and
:mod:`~dnsspec.spf.cost`.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from typing import Literal

from dnsspec.errors import DnsspecError, ResolveError
from dnsspec.lookups import Lookup, NoData, NxDomain
from dnsspec.spf.cost import Limits, term_cost
from dnsspec.spf.macros import MacroContext, domain_target, expand, uses_ptr_macro
from dnsspec.spf.syntax import (
    Mechanism,
    Modifier,
    Policy,
    SpfSyntaxError,
    is_spf_record,
    parse,
    render_term,
)

Result = Literal["pass", "fail", "softfail", "neutral", "none", "permerror", "temperror"]
IPAddress = IPv4Address | IPv6Address

RESULTS: tuple[Result, ...] = (
    "pass",
    "fail",
    "softfail",
    "neutral",
    "none",
    "permerror",
    "temperror",
)
# The explanation of a fail when the policy gives none (no exp=, or exp= unusable, §6.2).
DEFAULT_EXPLANATION = (
    "The sender's domain does not authorize this host to send its mail (SPF fail)."
)
_QUALIFIER_RESULT: dict[str, Result] = {"+": "pass", "-": "fail", "~": "softfail", "?": "neutral"}
MAX_TIME = 20.0  # seconds for one whole evaluation (§4.6.4: "at least 20 seconds")
_MAX_DEPTH = 64  # a hard stop below the lookup limit's own bound, whatever Limits say
_MAX_RECORD = 65535


class SpfInputError(DnsspecError):
    """The client IP, sender or HELO name given to check_host is malformed."""


@dataclass(frozen=True)
class Evaluation:
    """The verdict of check_host and how it was reached.

    ``mechanism`` is the deciding term as written (``"-all"``, ``"include:_spf.example"``,
    ``"redirect=_spf.example"``), or None when nothing decided (``none``, default
    ``neutral``, errors). ``explanation`` is the expanded ``exp=`` text on ``fail``
    (:data:`DEFAULT_EXPLANATION` when the policy gives none), else None. ``lookups`` and
    ``void_lookups`` count the DNS-querying terms and the void answers (§4.6.4).
    ``trace`` is the evaluation step by step; ``reason`` says why, for errors and none.
    """

    result: Result
    mechanism: str | None
    explanation: str | None
    lookups: int
    void_lookups: int
    trace: tuple[str, ...]
    reason: str | None = None


class _PermError(Exception):
    pass


class _TempError(Exception):
    pass


@dataclass(frozen=True)
class _Outcome:
    result: Result
    term: str | None = None
    reason: str | None = None
    exp: tuple[Policy, str] | None = None  # the record whose exp= explains a fail, its domain


@dataclass
class _Run:
    lookup: Lookup
    limits: Limits
    ip: IPAddress
    sender: str
    local_part: str
    helo: str
    lookups: int = 0
    voids: int = 0
    trace: list[str] = field(default_factory=list)
    _validated: dict[str, str] = field(default_factory=dict)
    upper_hex: bool = False  # the IPv6 client was spelled in upper-case hex (for %{i})

    def ctx(self, domain: str, validated: str = "unknown") -> MacroContext:
        return MacroContext(
            sender=self.sender,
            local_part=self.local_part,
            domain=domain,
            ip=self.ip,
            helo=self.helo,
            validated_domain=validated,
            upper_hex=self.upper_hex,
        )

    def note(self, depth: int, text: str) -> None:
        self.trace.append("  " * depth + text)

    def count(self, term: Mechanism | Modifier, depth: int) -> None:
        self.lookups += term_cost(term)
        if self.lookups > self.limits.lookups:
            raise _PermError(
                f"more than {self.limits.lookups} DNS lookups at {render_term(term)!r} (§4.6.4)"
            )

    def void(self, name: str, depth: int) -> None:
        self.voids += 1
        self.note(depth + 1, f"void lookup {self.voids} ({name})")
        if self.voids > self.limits.voids:
            raise _PermError(f"more than {self.limits.voids} void DNS lookups at {name} (§4.6.4)")


def _dns_reason(name: str, rdtype: str, exc: ResolveError) -> str:
    """The resolver's message, prefixed with the question unless it names it already."""
    return exc.message if exc.message.startswith(name) else f"{name} {rdtype}: {exc.message}"


def _normalize_ip(ip: str | IPAddress) -> IPAddress:
    try:
        address = ip_address(ip.strip() if isinstance(ip, str) else ip)
    except ValueError as exc:
        raise SpfInputError(f"invalid client IP address {ip!r}") from exc
    if isinstance(address, IPv6Address) and address.scope_id is not None:
        raise SpfInputError(
            f"invalid client IP address {ip!r}: a scoped address (%zone) only means something "
            "on one host; pass the address without the %zone"
        )
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # §5: IPv4-mapped IPv6 clients are IPv4 clients
    return address


def _split_sender(sender: str, helo: str | None) -> tuple[str, str, str]:
    """(sender, local-part, domain) per §4.3 / §2.4: empty sender → postmaster@helo."""
    for label, text in (("sender", sender), ("HELO name", helo or "")):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise SpfInputError(f"invalid {label} {text!r}: it is not valid UTF-8") from None
    sender = sender.strip()
    if sender.startswith("<") and sender.endswith(">"):
        raise SpfInputError(
            f"invalid sender {sender!r}: pass the bare address, without the angle brackets"
        )
    if not sender:
        if not helo:
            raise SpfInputError("no identity to check: the sender is empty and no HELO was given")
        sender = "postmaster@" + helo.strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in sender):
        raise SpfInputError(f"invalid sender {sender!r}: it contains control characters")
    local, at, domain = sender.rpartition("@")
    if not at:
        local, domain = "", sender
    if any(c.isspace() for c in domain):
        raise SpfInputError(f"invalid sender {sender!r}: expected local-part@domain or a domain")
    # an empty or malformed domain is not an input error but check_host's "none" (§4.3)
    if not domain.isascii():
        domain = _a_label(domain)
    if not local:
        local = "postmaster"
    return f"{local}@{domain}", local, domain


def _a_label(domain: str) -> str:
    """An internationalized domain as DNS asks for it (RFC 8616 §4: SPF looks the
    A-label form up); one IDNA cannot encode stays as is (and gives "none")."""
    import dns.exception
    import dns.name

    try:
        return str(dns.name.from_unicode(domain).to_text(omit_final_dot=True))
    except (dns.exception.DNSException, UnicodeError, ValueError):
        return domain


# letters, digits, '-' and '_' (RFC 1034 host names plus the underscore of _spf-style
# names): anything else ("example.com>", "[1.2.3.4]", non-ASCII) names no SPF record
_LABEL = re.compile(r"[A-Za-z0-9_-]+")


def _valid_domain(domain: str) -> bool:
    """§4.3: a multi-label FQDN, no empty label, labels ≤ 63, name ≤ 253 octets."""
    name = domain[:-1] if domain.endswith(".") else domain
    labels = name.split(".")
    if len(labels) < 2 or len(name) > 253:
        return False
    return all(0 < len(label) <= 63 and _LABEL.fullmatch(label) for label in labels) and not (
        all(label.isdigit() for label in labels)
    )


async def evaluate(
    ip: str | IPAddress,
    sender: str,
    helo: str | None = None,
    *,
    lookup: Lookup,
    limits: Limits | None = None,
    max_time: float = MAX_TIME,
) -> Evaluation:
    """RFC 7208 check_host() for ``ip`` and ``sender`` (``postmaster@helo`` when empty).

    Raises :class:`SpfInputError` for a malformed IP or sender; every DNS problem
    becomes ``temperror`` or ``permerror`` with a reason in the result. An evaluation
    longer than ``max_time`` seconds is a ``temperror`` (§4.6.4).
    """
    address = _normalize_ip(ip)
    full, local, domain = _split_sender(sender, helo)
    run = _Run(lookup, limits or Limits(), address, full, local, (helo or "unknown").strip())
    if isinstance(ip, str) and isinstance(address, IPv6Address):
        run.upper_hex = any(c in "ABCDEF" for c in ip) and not any(c in "abcdef" for c in ip)
    run.note(0, f"check_host({address}, {domain}, {full})")
    if not _valid_domain(domain):
        outcome = _Outcome("none", reason=f"{domain!r} is not a valid domain name (§4.3)")
    else:
        try:
            checked = _check_host(run, domain.rstrip("."), 0)
            if getattr(lookup, "blocking", False):  # never suspends; bounded by its deadline
                outcome = await checked
            else:
                outcome = await asyncio.wait_for(checked, max_time)
        except TimeoutError:
            reason = f"the evaluation took longer than {max_time:g}s (§4.6.4)"
            outcome = _Outcome("temperror", reason=reason)
        except _PermError as exc:
            outcome = _Outcome("permerror", reason=str(exc))
        except _TempError as exc:
            outcome = _Outcome("temperror", reason=str(exc))
    explanation = None
    if outcome.result == "fail":
        explanation = DEFAULT_EXPLANATION
        if outcome.exp is not None:
            # the explanation's own queries (exp=, a %{p} PTR walk) count toward no limit:
            # the result is decided (§6.2)
            counted = run.lookups, run.voids
            explanation = await _explain(run, *outcome.exp) or DEFAULT_EXPLANATION
            run.lookups, run.voids = counted
    if outcome.reason and outcome.result in ("permerror", "temperror", "none"):
        run.note(0, f"{outcome.result}: {outcome.reason}")
    run.note(0, f"result: {outcome.result}" + (f" ({outcome.term})" if outcome.term else ""))
    return Evaluation(
        result=outcome.result,
        mechanism=outcome.term,
        explanation=explanation,
        lookups=run.lookups,
        void_lookups=run.voids,
        trace=tuple(run.trace),
        reason=outcome.reason,
    )


async def _check_host(run: _Run, domain: str, depth: int) -> _Outcome:
    if depth > _MAX_DEPTH:
        raise _PermError(f"SPF evaluation nested deeper than {_MAX_DEPTH} records")
    if not _valid_domain(domain):
        return _Outcome("none", reason=f"{domain!r} is not a valid domain name (§4.3)")
    text_or_outcome = await _select_record(run, domain, depth)
    if isinstance(text_or_outcome, _Outcome):
        return text_or_outcome
    try:
        policy = parse(text_or_outcome)
    except SpfSyntaxError as exc:
        raise _PermError(f"{domain}: {exc.message}") from None
    for term in policy.mechanisms:
        if term_cost(term):
            run.count(term, depth)
        if await _matches(run, term, domain, depth):
            text = render_term(term)
            result = _QUALIFIER_RESULT[term.qualifier]
            run.note(depth + 1, f"{text} matches: {result}")
            return _Outcome(result, text, exp=(policy, domain))
        if term.kind not in ("ip4", "ip6"):
            run.note(depth + 1, f"{render_term(term)}: no match")
    redirect = policy.modifier("redirect")
    if redirect is not None:
        run.count(redirect, depth)
        target = _target(run, redirect.value, domain)
        run.note(depth + 1, f"redirect={target}")
        inner = await _check_host(run, target, depth + 1)
        if inner.result == "none":
            raise _PermError(f"redirect={target}: {inner.reason or 'no SPF record'} (§6.1)")
        return _Outcome(inner.result, inner.term or render_term(redirect), inner.reason, inner.exp)
    run.note(depth + 1, "no mechanism matched: neutral")
    return _Outcome("neutral")


async def _select_record(run: _Run, domain: str, depth: int) -> str | _Outcome:
    """§4.4/§4.5: the one ``v=spf1`` TXT record of ``domain``, or the outcome without one."""
    try:
        texts = await run.lookup.txt(domain)
    except (NxDomain, NoData):
        run.note(depth, f"{domain}: no TXT record")
        return _Outcome("none", reason=f"{domain} has no SPF record")
    except ResolveError as exc:
        raise _TempError(_dns_reason(domain, "TXT", exc)) from None
    records = [t for t in texts if is_spf_record(t)]
    if not records:
        run.note(depth, f"{domain}: no v=spf1 record")
        return _Outcome("none", reason=f"{domain} has no SPF record")
    if len(records) > 1:
        raise _PermError(f"{domain} publishes {len(records)} SPF records (§4.5)")
    text = records[0]
    if len(text) > _MAX_RECORD:
        raise _PermError(f"{domain}: SPF record of {len(text)} characters is too long")
    shown = text if len(text) <= 300 else text[:300] + f"… ({len(text)} characters)"
    run.note(depth, f"{domain}: {shown}")
    return text


def _target(run: _Run, spec: str | None, domain: str, *, validated: str = "unknown") -> str:
    try:
        return domain_target(spec, domain, run.ctx(domain, validated))
    except SpfSyntaxError as exc:
        raise _PermError(f"{domain}: {exc.message}") from None


async def _domain_target(run: _Run, spec: str | None, domain: str) -> str:
    validated = "unknown"
    if spec is not None and uses_ptr_macro(spec):
        validated = await _validated_domain(run, domain)
    return _target(run, spec, domain, validated=validated)


async def _matches(run: _Run, term: Mechanism, domain: str, depth: int) -> bool:
    kind = term.kind
    if kind == "all":
        return True
    if kind in ("ip4", "ip6"):
        assert term.address is not None
        if term.address.version != run.ip.version:
            return False
        prefix = term.prefix if term.prefix is not None else run.ip.max_prefixlen
        return run.ip in ip_network((term.address, prefix), strict=False)
    target = await _domain_target(run, term.domain, domain)
    if kind == "include":
        run.note(depth + 1, f"include:{target}")
        inner = await _check_host(run, target, depth + 1)
        if inner.result in ("none", "permerror"):
            reason = inner.reason or "no SPF record"
            raise _PermError(f"include:{target}: {inner.result}: {reason} (§5.2)")
        if inner.result == "temperror":
            raise _TempError(f"include:{target}: {inner.reason}")
        return inner.result == "pass"
    if kind == "exists":
        addresses = await _addresses(run, target, 4, depth)
        return bool(addresses)
    if kind == "a":
        return _in_networks(run, term, await _addresses(run, target, run.ip.version, depth))
    if kind == "mx":
        return await _mx_matches(run, term, target, depth)
    return await _ptr_matches(run, target, depth)


def _in_networks(run: _Run, term: Mechanism, addresses: Sequence[IPAddress]) -> bool:
    cidr = term.cidr4 if run.ip.version == 4 else term.cidr6
    prefix = cidr if cidr is not None else run.ip.max_prefixlen
    return any(
        a.version == run.ip.version and run.ip in ip_network((a, prefix), strict=False)
        for a in addresses
    )


async def _addresses(run: _Run, name: str, version: int, depth: int) -> list[IPAddress]:
    """A or AAAA of ``name``; a void answer counts, errors are temperror."""
    try:
        if version == 4:
            return list(await run.lookup.a(name))
        return list(await run.lookup.aaaa(name))
    except (NxDomain, NoData):
        run.void(name, depth)
        return []
    except ResolveError as exc:
        raise _TempError(_dns_reason(name, "A" if version == 4 else "AAAA", exc)) from None


async def _mx_matches(run: _Run, term: Mechanism, target: str, depth: int) -> bool:
    try:
        exchanges = await run.lookup.mx(target)
    except (NxDomain, NoData):
        run.void(target, depth)
        return False
    except ResolveError as exc:
        raise _TempError(_dns_reason(target, "MX", exc)) from None
    hosts = [host for _, host in sorted(exchanges) if host not in ("", ".")]
    if len(hosts) > run.limits.mx_names:
        raise _PermError(
            f"mx:{target} has {len(hosts)} MX names, more than {run.limits.mx_names} (§4.6.4)"
        )
    # concurrently, but decided in MX order as a sequential evaluation would be
    for host, answer in zip(hosts, await _address_sets(run, hosts), strict=True):
        if isinstance(answer, NxDomain | NoData):
            continue
        if isinstance(answer, ResolveError):
            raise _TempError(f"mx:{target}: {_dns_reason(host, 'A', answer)}")
        if _in_networks(run, term, answer):
            return True
    return False


async def _address_sets(run: _Run, names: Sequence[str]) -> list[list[IPAddress] | ResolveError]:
    """The client's address family records of each name, queried concurrently."""
    get = run.lookup.a if run.ip.version == 4 else run.lookup.aaaa

    async def one(name: str) -> list[IPAddress] | ResolveError:
        try:
            return list(await get(name))
        except ResolveError as exc:
            return exc

    if getattr(run.lookup, "blocking", False):  # one at a time, without an event loop
        return [await one(n) for n in names]
    return list(await asyncio.gather(*(one(n) for n in names)))


async def _validated_names(run: _Run, depth: int) -> list[str]:
    """§5.5: the PTR names of the client IP whose A/AAAA lead back to it (first 10 only)."""
    try:
        names = await run.lookup.ptr(run.ip)
    except (NxDomain, NoData):
        run.void(f"PTR {run.ip}", depth)
        return []
    except ResolveError:
        return []  # §5.5: a DNS error on the PTR lookup makes ptr fail to match
    names = names[: run.limits.ptr_names]
    # §5.5: a DNS error on a name's address lookup skips that name
    answers = await _address_sets(run, names)
    return [
        n
        for n, a in zip(names, answers, strict=True)
        if not isinstance(a, Exception) and run.ip in a
    ]


async def _ptr_matches(run: _Run, target: str, depth: int) -> bool:
    wanted = target.rstrip(".").lower()
    for name in await _validated_names(run, depth):
        low = name.rstrip(".").lower()
        if low == wanted or low.endswith("." + wanted):
            return True
    return False


async def _validated_domain(run: _Run, domain: str) -> str:
    """%{p} (§7.3): a validated name, preferring <domain> and its subdomains; "unknown"."""
    if domain in run._validated:
        return run._validated[domain]
    names = await _validated_names(run, 0)
    wanted = domain.lower()
    best = next((n for n in names if n.lower() == wanted), None)
    best = best or next((n for n in names if n.lower().endswith("." + wanted)), None)
    result = best or (names[0] if names else "unknown")
    run._validated[domain] = result
    return result


async def _explain(run: _Run, policy: Policy, domain: str) -> str | None:
    """§6.2: the expanded exp= text, or None when it is unusable (then the default)."""
    exp = policy.modifier("exp")
    if exp is None:
        return None
    try:
        target = await _domain_target(run, exp.value, domain)
        texts = await run.lookup.txt(target)
    except (ResolveError, _PermError, _TempError):
        run.note(0, f"exp={exp.value}: no usable explanation record")
        return None
    if len(texts) != 1:
        run.note(0, f"exp={target}: {len(texts)} TXT records, need exactly one")
        return None
    text = texts[0]
    try:
        validated = await _validated_domain(run, domain) if uses_ptr_macro(text) else "unknown"
        return expand(text, run.ctx(domain, validated), explanation=True)
    except (SpfSyntaxError, _PermError, _TempError) as exc:
        run.note(0, f"exp={target}: explanation text unusable ({exc})")
        return None


def check_host(
    ip: str | IPAddress,
    sender: str,
    helo: str | None = None,
    *,
    nameservers: Sequence[str] | None = None,
    timeout: float = 2.0,
) -> Evaluation:
    """Evaluate SPF for a client IP and a sender with real DNS (RFC 7208 check_host).

    >>> r = check_host("192.0.2.1", "user@example.com", helo="mx.example.com")
    >>> r.result, r.mechanism, r.explanation

    ``nameservers``: ``"HOST"``/``"HOST:PORT"`` strings (default: the system resolver);
    ``timeout``: seconds per DNS question. An empty sender checks ``postmaster@helo``.
    Raises :class:`SpfInputError` for a malformed IP or sender.
    """
    import time

    from dnsspec.lookups import BlockingResolver, run_blocking

    # One evaluation asks its questions one after another (a, mx hosts and ptr names
    # included): blocking queries and no event loop cost less than asyncio here.
    # MAX_TIME bounds the whole evaluation (§4.6.4), as wait_for does for evaluate().
    deadline = time.monotonic() + MAX_TIME
    resolver = BlockingResolver(nameservers or (), timeout=timeout, deadline=deadline)
    return run_blocking(evaluate(ip, sender, helo, lookup=resolver))


@dataclass(frozen=True)
class Query:
    """One check_host question of a batch."""

    ip: str
    sender: str
    helo: str | None = None


async def evaluate_all(
    queries: Sequence[Query], *, lookup: Lookup, limits: Limits | None = None, concurrency: int = 64
) -> list[Evaluation | SpfInputError]:
    """Evaluate many queries concurrently over one (caching) lookup, results in input order.

    A malformed query's place holds its :class:`SpfInputError` instead of an Evaluation.
    """
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(query: Query) -> Evaluation | SpfInputError:
        async with gate:
            try:
                return await evaluate(
                    query.ip, query.sender, query.helo, lookup=lookup, limits=limits
                )
            except SpfInputError as exc:
                return exc

    return list(await asyncio.gather(*(one(q) for q in queries)))
