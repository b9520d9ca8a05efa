"""``dnsspec check``'s MTA-STS policy rows: the file served at
``https://mta-sts.<name>/.well-known/mta-sts.txt`` against the compiled one, byte for byte.

One :class:`~dnsspec.drift.Drift` row of type ``MTA-STS-POLICY`` per name the specs give
``mta_sts:``, named after the policy host (``mta-sts.example.com``):

- ``in-sync``: the served bytes are the compiled bytes (so the ``_mta-sts`` id, the
  first 32 hex digits of their SHA-256, is the served file's by construction);
- ``different``: another file is served; ``detail`` names the first line that differs;
- ``missing``: HTTP 404, or the policy host has no address (NXDOMAIN, NODATA);
- ``error``: the policy could not be read: no answer for the host's address, a
  connection or TLS failure (a certificate the trust store or ``--ca-file`` does not
  verify for the host), a timeout, a status other than 200 or 404 (redirects are not
  followed), a body over 64 KiB, a media type other than ``text/plain``.

The GET is the fetcher ``probe mx`` uses (:func:`dnsspec.probe.policy.fetch_policy_bytes`,
bounded by the check's ``--timeout`` as a whole: connect, handshake and read). The host's
address is asked of the resolver a sender would use (``--nameserver``, or the system's):
the policy host is often a CNAME to a web host outside the zone, which the zone's own
servers do not follow. When the ``_mta-sts`` record DNS serves names an id that is not the
id of the served bytes, ``detail`` says so: senders that cached a policy under that id do
not fetch the new file.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from pathlib import Path

from dnsspec.drift import Drift, Status
from dnsspec.errors import ResolveError
from dnsspec.lookups import Lookup, NoData, NxDomain, normalize_name
from dnsspec.lookups.nameservers import format_server

POLICY_TYPE = "MTA-STS-POLICY"
MAX_CNAME_HOPS = 8
_ESCAPES = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r", 0x5C: "\\\\"}


def escaped(data: bytes) -> str:
    """``data`` as one printable line: ``\\r``, ``\\n``, ``\\t``, ``\\\\`` and ``\\xHH`` for
    every other byte outside printable ASCII, so a CR or a stray byte shows."""
    return "".join(_ESCAPES.get(b) or (chr(b) if 0x20 <= b < 0x7F else f"\\x{b:02x}") for b in data)


def _lines(data: bytes) -> list[bytes]:
    """The lines of ``data``, each with its ending (split after every LF)."""
    return [line for line in re.split(rb"(?<=\n)", data) if line]


def first_difference(expected: bytes, served: bytes) -> str:
    """Where ``served`` first departs from ``expected``, in words (1-based line)."""
    want, got = _lines(expected), _lines(served)
    for number, (a, b) in enumerate(zip(want, got, strict=False), start=1):
        if a != b:
            return f"line {number} differs: expected '{escaped(a)}', served '{escaped(b)}'"
    if len(got) < len(want):
        return f"the served file ends after line {len(got)}: expected '{escaped(want[len(got)])}'"
    return f"the served file goes on after line {len(want)}: '{escaped(got[len(want)])}'"


def _live_ids(texts: Sequence[str]) -> list[str]:
    from dnsspec.mta_sts import syntax

    ids = []
    for text in texts:
        if syntax.is_sts_record(text):
            try:
                ids.append(syntax.parse(text).id)
            except syntax.StsRecordSyntaxError:
                continue
    return ids


def _id_note(served: bytes, live_record: Sequence[str]) -> str | None:
    from dnsspec.mta_sts.policy import policy_id

    ids = _live_ids(live_record)
    if len(ids) != 1 or ids[0] == policy_id(served):
        return None
    return (
        f"the _mta-sts record's id={ids[0]} is not the served file's id={policy_id(served)}: "
        "senders that cached a policy under that id do not fetch this one"
    )


async def _address(host: str, lookup: Lookup) -> tuple[str | None, list[str]]:
    """The first IPv4 (else IPv6) address of ``host`` (None: it has none), and the names
    followed to it: a CNAME chain the asked server leaves unfinished (an authoritative
    server answers a CNAME out of its zone alone) is followed by asking for each target."""
    chain = [host]
    while len(chain) <= MAX_CNAME_HOPS:
        for query in (lookup.a, lookup.aaaa):
            try:
                found = await query(chain[-1])
            except (NxDomain, NoData):
                continue
            if found:
                return str(found[0]), chain
        try:
            targets = await lookup.query(chain[-1], "CNAME")
        except (NxDomain, NoData):
            break
        target = normalize_name(targets[0]) if targets else ""
        if not target or target in chain:
            break
        chain.append(target)
    return None, chain


async def policy_row(
    zone: str,
    domain: str,
    compiled: bytes,
    lookup: Lookup,
    live_record: Sequence[str],
    *,
    port: int = 443,
    timeout: float = 2.0,
    ca_file: Path | None = None,
) -> Drift:
    """The ``MTA-STS-POLICY`` row of ``domain`` (``live_record``: the TXT values DNS
    serves at ``_mta-sts.<domain>``, for the id note)."""
    from dnsspec.probe.policy import PolicyNotFound, fetch_policy_bytes
    from dnsspec.probe.wire import Clock, ProbeError

    host = f"mta-sts.{domain}"
    expected = (escaped(compiled),)

    def row(status: Status, actual: tuple[str, ...], server: str, detail: str | None) -> Drift:
        return Drift(zone, host, POLICY_TYPE, status, expected, actual, server, detail=detail)

    try:
        address, chain = await _address(host, lookup)
    except ResolveError as error:
        return row("error", (), "", f"the address of {host}: {error.message}")
    if address is None:
        if len(chain) > 1:
            hops = " → ".join(chain)
            return row("missing", (), "", f"{host} has no address: {hops} (CNAME) ends there")
        return row("missing", (), "", f"{host} has no address (A or AAAA)")
    server = format_server((address, port))
    clock = Clock.start(timeout, 2 * timeout)  # the GET reads within one step: timeout
    try:
        served = await asyncio.to_thread(
            fetch_policy_bytes, host, address, port, clock, ca_file=ca_file
        )
    except PolicyNotFound as error:
        return row("missing", (), server, error.message)
    except ProbeError as error:
        return row("error", (), server, f"https://{host}/.well-known/mta-sts.txt: {error.message}")
    note = _id_note(served, live_record)
    if served == compiled:
        return row("in-sync", expected, server, note)
    detail = first_difference(compiled, served)
    return row("different", (escaped(served),), server, f"{detail}; {note}" if note else detail)
