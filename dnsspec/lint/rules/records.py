"""DNS4xx: conflicts between the compiled records at one name."""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.lint.context import LintContext
from dnsspec.lint.registry import Severity, Violation, rule
from dnsspec.spf.syntax import is_spf_record


@rule(
    "DNS401",
    "cname-with-other-data",
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


@rule(
    "DNS402",
    "spf-multiple-records",
    severity=Severity.ERROR,
    summary="more than one `v=spf1` record at a name: receivers return permerror",
    fix="Merge the policies into one record",
)
def multiple_records(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for names that publish more than one `v=spf1` TXT record, for
    example a policy under `spf:` and another `v=spf1` TXT under `records:`.

    ## Why is this bad?
    RFC 7208 §4.5: with more than one SPF record at a name, receivers return
    `permerror` and no message from the name passes.

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
    """
    for fqdn in ctx.names():
        txt = [
            r for r in ctx.records_at(fqdn, "TXT") if any(is_spf_record(str(v)) for v in r.values)
        ]
        count = sum(1 for r in txt for v in r.values if is_spf_record(str(v)))
        if count > 1:
            # point at the record the user wrote by hand when there is one
            record = next((r for r in txt if r.origin == "records"), txt[-1])
            yield ctx.record_violation(
                record,
                f"{fqdn.rstrip('.')} publishes {count} SPF (v=spf1) records: "
                "receivers return permerror",
            )


@rule(
    "DNS403",
    "spf-rr-type",
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
