"""A null MX must be alone (RFC 7505 §3) and belongs to a name that sends no mail (§4.2)."""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.lint.context import LintContext
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.lint.rules.null_mx import is_null_mx
from dnsspec.spf.senders import authorizes_senders


@check(
    severity=Severity.ERROR,
    summary="a null MX (`MX 0 .`) beside other MX records at the same name",
    fix="Keep only the null MX (write `mx: none`) if the name accepts no mail; otherwise "
    "remove the `{preference: 0, exchange: .}` value",
)
def null_mx_beside_mx(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for MX record sets under `records:` that hold a null MX (exchange
    `.`) and other MX hosts. (`mx: none` beside MX records under `records:` is
    refused as invalid input before lint runs.)

    ## Why is this bad?
    A domain that advertises a null MX must advertise no other MX (RFC 7505
    §3). With both, some senders give up at once and others try the real
    hosts: the name neither reliably accepts mail nor reliably refuses it.

    ## Example
    ```yaml
    records:
      "":
        type: MX
        values: [{preference: 0, exchange: .}, {preference: 10, exchange: mx1.example.com.}]
    ```

    Use instead:
    ```yaml
    records:
      "": {type: MX, values: [{preference: 10, exchange: mx1.example.com.}]}
    ```

    ## References
    - [RFC 7505 §3](https://www.rfc-editor.org/rfc/rfc7505#section-3)
    """
    for record in ctx.records:
        if record.type != "MX":
            continue
        nulls = sum(1 for value in record.values if is_null_mx(value))
        others = len(record.values) - nulls
        if nulls and others:
            yield ctx.record_violation(
                record,
                f"{record.fqdn.rstrip('.')}: a null MX beside {others} other MX "
                f"record{'s' if others > 1 else ''} (RFC 7505 §3: a null MX is alone)",
            )


@check(
    severity=Severity.WARNING,
    summary="a null MX at a name whose SPF policy authorizes senders: its mail is refused",
    fix="Write `spf: none` if the name sends no mail; if it does, remove `mx: none` and "
    "publish MX hosts that accept its bounces",
)
def null_mx_sender(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for names that publish a null MX (they accept no mail) and an SPF
    policy that authorizes some sender (a `+` mechanism before `all`, or a
    `redirect=`).

    ## Why is this bad?
    Mail sent from such a name has a return address that cannot receive the
    bounces: RFC 7505 §4.2 tells domains not to use a null-MX name as a
    sender, and receivers may refuse its mail (reply code 550 5.7.27). A name
    that sends mail needs MX hosts for the replies; a name that accepts no mail
    usually sends none either (`spf: none`).

    ## Example
    ```yaml
    mx: none
    spf: {mechanisms: [include:_spf.provider.example], all: fail}
    ```

    Use instead:
    ```yaml
    mx: none
    spf: none
    ```

    ## References
    - [RFC 7505 §4.2](https://www.rfc-editor.org/rfc/rfc7505#section-4.2)
    """
    for record in ctx.records:
        if record.type != "MX" or not any(is_null_mx(value) for value in record.values):
            continue
        policy = ctx.spf_policy(record.fqdn)
        if policy is None or not authorizes_senders(policy):
            continue
        message = (
            f"{record.fqdn.rstrip('.')} publishes a null MX (it accepts no mail) and an SPF "
            "policy that authorizes senders: bounces to its mail cannot be delivered, and "
            "receivers may refuse it (RFC 7505 §4.2)"
        )
        site = ctx.site_at(record.fqdn)
        yield site.violation(message) if site is not None else ctx.record_violation(record, message)
