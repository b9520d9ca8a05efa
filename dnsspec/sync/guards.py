"""The policy-removal guard: a plan that strips a name's mail policy says so.

An emptied or truncated spec (a bad merge, an editor slip) compiles to fewer
records, and the ownership merge then deletes the policies it no longer writes:
the plan would silently remove a zone's SPF. So the plan lists every name that
loses its last record of a mail-policy kind (:func:`dnsspec.txtkinds.txt_kind`:
SPF, DMARC, DKIM, MTA-STS, TLS-RPT, BIMI) in its own section, and apply refuses
the plan without ``--allow-policy-removal`` unless the spec says so
(``spf: unset`` at that name). A name that keeps A, AAAA or MX records and
loses its SPF is refused even then: without SPF, anyone may send as it.

A null MX (``MX 0 .``, RFC 7505: the name accepts no mail) is a mail policy too:
a name that loses it and keeps no MX accepts mail again (at its A/AAAA address,
RFC 5321 §5.1), so its removal is listed and refused alike (``mx: unset`` is the
spec's consent). A null MX replaced by MX hosts the spec writes is an ordinary change.

A DMARC report authorization (``<policy>._report._dmarc.<report-domain> TXT
"v=DMARC1"``, which compile writes for a ``rua``/``ruf`` in another zone of the
run) is not a policy of its name but the report domain's consent to receive
the policy domain's reports. Its removal is an ordinary change when the
policy domain's spec is in the run and still says what its DMARC is
(``dmarc:`` a policy, or ``unset``): taking the address out of ``rua``/``ruf``
is the consent. Otherwise (the policy domain has no spec in the run, or its
spec lost its ``dmarc:``) it is a DMARC removal like any other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence

from dnsspec.dmarc.reports import split_authorization_name
from dnsspec.records import Record
from dnsspec.sync.model import PolicyRemoval, RecordChange
from dnsspec.txtkinds import DMARC, SPF, TXT_TYPES, txt_kind

MAIL_HOST_TYPES = ("A", "AAAA", "MX")
NULL_MX = "null_mx"  # the kinds table's name for what `mx: none` writes
NULL_MX_VALUE = "0 ."  # RFC 7505 §3, as the plan shows an MX value


def _policies(records: Iterable[Record], names: Collection[str]) -> dict[str, dict[str, list[str]]]:
    """fqdn -> kind -> the values of that kind there (only at ``names``): TXT values
    of a mail-policy kind, and a null MX."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        if record.fqdn not in names:
            continue
        if record.type in TXT_TYPES:
            for value in record.values:
                kind = txt_kind(record.name, str(value))
                if kind is not None:
                    out[record.fqdn][kind].append(str(value))
        elif record.type == "MX" and _exchanges(record.values) == ["."]:
            out[record.fqdn][NULL_MX].append(NULL_MX_VALUE)
    return out


def policy_removals(
    changes: Sequence[RecordChange],
    before: Iterable[Record],
    after: Iterable[Record],
    consent: Collection[tuple[str, str]] = (),
    report_policies: Collection[str] = (),
) -> tuple[PolicyRemoval, ...]:
    """The names whose last record of a mail-policy kind ``changes`` remove.

    ``before``/``after``: the zone's records live and once applied (foreign ones
    merged in); ``consent``: the (kind, fqdn) the spec deliberately unsets;
    ``report_policies``: the domains (no trailing dot, lower case) whose spec in
    the run writes ``dmarc:``: their report authorizations come and go with their
    ``rua``/``ruf`` (see the module docs).
    """
    names = list(dict.fromkeys(c.fqdn for c in changes if c.type in (*TXT_TYPES, "MX")))
    if not names:
        return ()
    after = list(after)
    had, has = _policies(before, names), _policies(after, names)
    hosts: dict[str, set[str]] = defaultdict(set)
    for record in after:
        if record.type in MAIL_HOST_TYPES and record.fqdn in names:
            hosts[record.fqdn].add(record.type)
    out = []
    for fqdn in names:
        for kind, values in had.get(fqdn, {}).items():
            if has.get(fqdn, {}).get(kind):
                continue
            if kind == DMARC and _decided_by(fqdn, report_policies):
                continue
            if kind == NULL_MX and "MX" in hosts[fqdn]:
                continue  # MX hosts replace it: the spec writes them
            left = tuple(t for t in MAIL_HOST_TYPES if t in hosts[fqdn]) if kind == SPF else ()
            out.append(PolicyRemoval(fqdn, kind, tuple(values), (kind, fqdn) in consent, left))
    return tuple(out)


def _exchanges(values: Iterable[object]) -> list[object]:
    """The exchange of each MX value (octoDNS's values are mappings)."""
    return [v.get("exchange") if isinstance(v, Mapping) else v for v in values]


def _decided_by(fqdn: str, report_policies: Collection[str]) -> bool:
    """Whether ``fqdn`` is a report authorization whose policy domain's spec decides it."""
    parts = split_authorization_name(fqdn)
    return parts is not None and parts[0] in report_policies
