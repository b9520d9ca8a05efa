"""DNS4xx: conflicts between the compiled records at one name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from dnsspec import txtkinds
from dnsspec.lint.context import LintContext
from dnsspec.lint.model import Severity, Violation, check

if TYPE_CHECKING:
    from dnsspec.records import Record


@check(
    severity=Severity.ERROR,
    summary="a name with a CNAME and other records (such as an SPF TXT): DNS forbids it",
    fix="Remove the CNAME, or move the other records (and the SPF policy) to the CNAME's target",
)
def cname_with_other_data(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for names that have a CNAME record and any other record, such as
    the TXT record of an SPF policy.

    ## Why is this bad?
    A CNAME makes a name an alias, and an alias may have no other data
    (RFC 1034 §3.6.2, RFC 2181 §10.1). Providers refuse such a change, or
    serve only the CNAME; receivers then follow the alias and never see the
    SPF policy written for the name.

    ## Example
    ```yaml
    subdomains:
      news:
        spf: none
    records:
      news: {type: CNAME, value: newsletter.provider.example.}
    ```

    Use instead:
    ```yaml
    records:
      news: {type: CNAME, value: newsletter.provider.example.}   # SPF lives at the target
    ```

    ## References
    - [RFC 1034 §3.6.2](https://www.rfc-editor.org/rfc/rfc1034#section-3.6.2)
    - [RFC 2181 §10.1](https://www.rfc-editor.org/rfc/rfc2181#section-10.1)
    """
    for fqdn in ctx.names():
        records = ctx.records_at(fqdn)
        if not any(r.type == "CNAME" for r in records):
            continue
        for record in records:
            if record.type != "CNAME":
                yield ctx.record_violation(
                    record,
                    f"{fqdn.rstrip('.')} has a CNAME and also a {record.type} record: "
                    "DNS allows no other data beside a CNAME",
                )


# what receivers do with more than one record of a kind at a name
_CONSEQUENCE = {
    txtkinds.SPF: ("SPF (v=spf1)", "receivers return permerror"),  # RFC 7208 §4.5
    txtkinds.DMARC: ("DMARC", "receivers apply no DMARC policy"),  # RFC 7489 §6.6.3
    txtkinds.DKIM: ("DKIM key", "verifiers may use either key"),  # RFC 6376 §3.6.2.2
    txtkinds.MTA_STS: ("MTA-STS", "senders treat the domain as having no policy"),  # RFC 8461
    txtkinds.TLS_RPT: ("TLS-RPT", "senders send no reports"),  # RFC 8460 §3
    txtkinds.BIMI: ("BIMI", "receivers show no logo"),
}


@check(
    severity=Severity.ERROR,
    summary="more than one record of a mail-policy kind (`v=spf1`, `v=DMARC1`, …) at a name",
    fix="Merge the policies into one record",
)
def multiple_records(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for names that publish more than one record of a mail-policy kind:
    two `v=spf1` TXT records, for example a policy under `spf:` and another
    `v=spf1` TXT under `records:`, or two `v=DMARC1` records at `_dmarc`. The
    kinds are those of dnsspec's one TXT classifier: SPF, DMARC, DKIM keys,
    MTA-STS, TLS-RPT and BIMI.

    ## Why is this bad?
    Each of these protocols reads exactly one record at a name. RFC 7208 §4.5:
    with more than one SPF record, receivers return `permerror` and no message
    from the name passes; with two DMARC records receivers apply no DMARC
    policy at all (RFC 7489 §6.6.3); MTA-STS and TLS-RPT senders act as if
    there were none (RFC 8461 §3.1, RFC 8460 §3).

    ## Example
    ```yaml
    spf:
      mechanisms: [mx]
      all: fail
    records:
      "": {type: TXT, value: "v=spf1 include:_spf.google.com -all"}
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [mx, include:_spf.google.com]
      all: fail
    ```

    ## References
    - [RFC 7208 §4.5](https://www.rfc-editor.org/rfc/rfc7208#section-4.5)
    - [RFC 7489 §6.6.3](https://www.rfc-editor.org/rfc/rfc7489#section-6.6.3)
    """
    for fqdn in ctx.names():
        by_kind: dict[str, list[tuple[Record, int]]] = {}
        for record in ctx.records_at(fqdn, "TXT"):
            kinds = [txtkinds.txt_kind(fqdn, str(v)) for v in record.values]
            for kind in dict.fromkeys(k for k in kinds if k is not None):
                by_kind.setdefault(kind, []).append((record, kinds.count(kind)))
        for kind, found in by_kind.items():
            count = sum(n for _, n in found)
            if count < 2:
                continue
            # point at the record the user wrote by hand when there is one
            record = next((r for r, _ in found if r.origin == "records"), found[-1][0])
            what, consequence = _CONSEQUENCE.get(kind, (kind, "receivers read only one"))
            yield ctx.record_violation(
                record, f"{fqdn.rstrip('.')} publishes {count} {what} records: {consequence}"
            )


@check(
    severity=Severity.WARNING,
    summary="a record of the obsolete SPF type (99): receivers only read TXT",
    fix="Remove the SPF-type record; publish the policy as TXT (`spf:` does that)",
)
def spf_rr_type(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for records of the DNS type SPF (type 99) under `records:`.

    ## Why is this bad?
    RFC 7208 §3.1 removed the SPF record type: receivers only query TXT. An
    SPF-type record is dead weight that can disagree with the TXT policy and
    mislead whoever reads the zone.

    ## Example
    ```yaml
    records:
      "": {type: SPF, value: "v=spf1 mx -all"}
    ```

    Use instead:
    ```yaml
    spf:
      mechanisms: [mx]
      all: fail
    ```

    ## References
    - [RFC 7208 §3.1](https://www.rfc-editor.org/rfc/rfc7208#section-3.1)
    """
    for record in ctx.records:
        if record.type == "SPF":
            yield ctx.record_violation(
                record, f"{record.fqdn.rstrip('.')} has a record of the obsolete SPF type"
            )
