"""The DANE step: the TLSA records for ``_PORT._tcp.HOST`` against the presented chain.

RFC 7672 §3.1: SMTP clients use only usages 2 (DANE-TA: an issuer the server sent) and
3 (DANE-EE: the server's own certificate or key); records with a PKIX usage or an
unknown selector or matching type are unusable, and a host whose records are all
unusable is treated as having none. Digests come from :mod:`dnsspec.tlsa.digest`, the
same code that computes the records the specs publish.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from dnsspec.errors import ResolveError
from dnsspec.probe.lookup import ProbeLookup, Tlsa, is_ip_address
from dnsspec.probe.model import Step
from dnsspec.tlsa.digest import match_position

if TYPE_CHECKING:
    from dnsspec.probe.session import SmtpOptions


def usable(record: Tlsa) -> bool:
    """Whether an SMTP client uses this record (RFC 7672 §3.1)."""
    return record.usage in (2, 3) and record.selector in (0, 1) and record.matching in (0, 1, 2)


def matching_records(records: Sequence[Tlsa], chain: Sequence[bytes]) -> list[Tlsa]:
    """The usable records that match ``chain`` (DER, leaf first). A DANE-TA match also
    needs the signatures from the leaf up to that issuer to verify."""
    found = []
    for record in records:
        if not usable(record) or not chain:
            continue
        try:
            index = match_position(
                record.usage, record.selector, record.matching, record.data, chain
            )
        except ValueError:
            continue
        if index is not None and (index == 0 or _issued_along(chain, index)):
            found.append(record)
    return found


def _issued_along(chain: Sequence[bytes], top: int) -> bool:
    try:
        certs = [x509.load_der_x509_certificate(der) for der in chain[: top + 1]]
        for child, issuer in itertools.pairwise(certs):
            child.verify_directly_issued_by(issuer)
    except (InvalidSignature, ValueError, TypeError):  # a bad signature, an unusual key
        return False
    return True


def dane_step(options: SmtpOptions, lookup: ProbeLookup, chain: Sequence[bytes]) -> Step:
    """Match the published (or given) TLSA records; ``no TLSA`` is not a failure."""
    start = time.monotonic()
    name = f"_{options.port}._tcp.{options.host.rstrip('.')}"
    detail: dict[str, Any] = {
        "name": name,
        "source": "specs" if options.tlsa is not None else "dns",
    }
    if options.tlsa is not None:
        records = list(options.tlsa)
    elif is_ip_address(options.host):
        detail["result"] = "no TLSA: DANE needs the host's name, not an IP address"
        return Step("dane", True, _ms(start), "", detail)
    else:
        try:
            records = lookup.tlsa(name)
        except ResolveError as exc:
            detail["error"] = f"TLSA lookup failed: {exc.message}"
            return Step("dane", False, _ms(start), "", detail)
    detail["records"] = [str(r) for r in records]
    if not any(usable(r) for r in records):
        detail["result"] = "no TLSA" if not records else "no usable TLSA"
        return Step("dane", True, _ms(start), "", detail)
    matched = matching_records(records, chain)
    detail["matched"] = [str(r) for r in matched]
    detail["result"] = "match" if matched else "no match"
    if not matched:
        detail["error"] = (
            f"no TLSA record at {name} matches the presented certificate: senders that "
            "use DANE will not deliver to this host"
        )
    return Step("dane", bool(matched), _ms(start), "", detail)


def _ms(start: float) -> float:
    return (time.monotonic() - start) * 1000
