"""TLSA1xx: the DANE TLSA records a spec publishes for a mail host (RFC 7672)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from dnsspec.lint.context import LintContext, PolicySite
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.spec.kinds.tlsa import TlsaService, TlsaValue


def _services(ctx: LintContext) -> Iterator[tuple[PolicySite, TlsaService]]:
    for site in ctx.sites_of("tlsa"):
        value: TlsaValue = site.site.value
        for service in value.services:
            yield site, service


def _host(site: PolicySite) -> str:
    return f"{site.name}.{site.zone}" if site.name else site.zone


@check(
    severity=Severity.ERROR,
    summary="TLSA usage 0 or 1 (PKIX) for SMTP: SMTP clients ignore these records",
    fix="Use usage 3 (DANE-EE, the server's own key) or 2 (DANE-TA, its issuer)",
)
def pkix_usage(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for TLSA records with usage 0 (PKIX-TA) or 1 (PKIX-EE) at port 25.

    ## Why is this bad?
    RFC 7672 §3.1.3: SMTP clients treat PKIX usages as unusable, so a host
    published with only those has no usable DANE record, and with a mix the
    PKIX ones are dead weight.

    ## Example
    ```yaml
    subdomains:
      mx1:
        tlsa: [{usage: 1, selector: 1, matching: 1, data: 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1}]
    ```

    Use instead:
    ```yaml
    subdomains:
      mx1:
        tlsa: [{usage: 3, selector: 1, matching: 1, data: 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1}]
    ```
    """  # noqa: E501
    for site, service in _services(ctx):
        if service.port != 25:
            continue
        for record in service.records:
            if record.usage in (0, 1):
                yield site.violation_at(
                    f"{service.owner(site.name)}: TLSA usage {record.usage} is ignored by SMTP "
                    "clients (RFC 7672 §3.1.3)"
                )


@check(
    severity=Severity.WARNING,
    summary="a single TLSA record: nothing is published for the next key",
    fix="Publish the next key's record too (`dnsspec tlsa next.pub.pem`) before renewing",
)
def no_next_key(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for a service with exactly one TLSA record of usage 3.

    ## Why is this bad?
    A certificate renewal that makes a new key (Let's Encrypt clients do,
    unless told to reuse the key) stops matching the one record, and DANE
    senders then refuse to deliver. RFC 7671 §8.1: publish the next key's
    record before the renewal, then remove the old one.

    ## Example
    ```yaml
    subdomains:
      mx1:
        tlsa: [{usage: 3, selector: 1, matching: 1, data: 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1}]
    ```

    Use instead:
    ```yaml
    subdomains:
      mx1:
        tlsa:
          - {usage: 3, selector: 1, matching: 1, data: 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1}
          - {usage: 3, selector: 1, matching: 1, data: 01fe0b0f172727e466e9091279d28871969f1d763dddc969066ec63828f0f0cd}
    ```
    """  # noqa: E501
    for site, service in _services(ctx):
        if len(service.records) == 1 and service.records[0].usage == 3:
            yield site.violation_at(
                f"{service.owner(site.name)}: one TLSA record and none for the next key"
            )


def _mx_targets(ctx: LintContext) -> set[str]:
    targets: set[str] = set()
    for record in ctx.records:
        if record.type != "MX":
            continue
        for value in record.values:
            exchange = value.get("exchange", "") if isinstance(value, Mapping) else ""
            if exchange:
                host = exchange if exchange.endswith(".") else f"{exchange}.{record.zone}"
                targets.add(host.lower())
    return targets


@check(
    severity=Severity.WARNING,
    summary="TLSA at a host that is no MX target of any spec",
    fix="Put `tlsa:` under the MX host's own name (the exchange of an MX record)",
)
def not_an_mx(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks that a host with port-25 TLSA records is the exchange of an MX
    record in some spec.

    ## Why is this bad?
    SMTP clients look up TLSA at the MX host they connect to (RFC 7672 §2.2):
    records at any other name are never read, usually because they were put
    under the mail domain instead of under its MX host.

    ## Example
    ```yaml
    tlsa: [{usage: 3, selector: 1, matching: 1, data: 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1}]
    records:
      "": {type: MX, value: {preference: 10, exchange: mx1.example.com.}}
    ```

    Use instead:
    ```yaml
    records:
      "": {type: MX, value: {preference: 10, exchange: mx1.example.com.}}
    subdomains:
      mx1:
        tlsa: [{usage: 3, selector: 1, matching: 1, data: 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1}]
    ```
    """  # noqa: E501
    targets = _mx_targets(ctx)
    for site, service in _services(ctx):
        if service.port == 25 and _host(site).lower() not in targets:
            yield site.violation_at(
                f"{service.owner(site.name)}: {_host(site)} is no MX target of any spec"
            )


@check(
    severity=Severity.WARNING,
    summary="TLSA records in a zone not declared signed: DANE is ignored without DNSSEC",
    fix="Sign the zone at its provider, then declare it with `dnssec: true` at the top level",
)
def unsigned_zone(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks that a zone with TLSA records (under `tlsa:` or `records:`)
    declares `dnssec: true` at its top level.

    ## Why is this bad?
    RFC 7672 §2.2: SMTP clients use TLSA records only when the answer is
    DNSSEC-validated; in an unsigned zone they are never used, and senders
    deliver as if no DANE record were published. dnsspec does not sign
    zones: `dnssec: true` declares that the zone is signed where it is
    served, so this warning only says that the declaration is missing.

    ## Example
    ```yaml
    records:
      "": {type: MX, value: {preference: 10, exchange: mx1.example.com.}}
    subdomains:
      mx1:
        tlsa:
          - {usage: 3, selector: 1, matching: 1, data: 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1}
          - {usage: 3, selector: 1, matching: 1, data: 01fe0b0f172727e466e9091279d28871969f1d763dddc969066ec63828f0f0cd}
    ```

    Use instead:
    ```yaml
    dnssec: true                 # the zone is signed at its provider
    records:
      "": {type: MX, value: {preference: 10, exchange: mx1.example.com.}}
    subdomains:
      mx1:
        tlsa:
          - {usage: 3, selector: 1, matching: 1, data: 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1}
          - {usage: 3, selector: 1, matching: 1, data: 01fe0b0f172727e466e9091279d28871969f1d763dddc969066ec63828f0f0cd}
    ```

    ## References
    - RFC 7672 §2.2
    """  # noqa: E501
    unsigned = {z.zone for z in ctx.zones if not z.spec.dnssec}
    for site in ctx.sites_of("tlsa"):
        if site.zone in unsigned:
            yield site.violation_at(
                f"{site.display}: TLSA records in {site.zone.rstrip('.')}, a zone not declared "
                "signed (`dnssec: true`): DANE needs DNSSEC (RFC 7672 §2.2)"
            )
    for record in ctx.records:
        if record.type == "TLSA" and record.origin == "records" and record.zone in unsigned:
            location = record.location
            if location is not None:
                yield Violation(
                    f"{record.fqdn.rstrip('.')}: TLSA records in {record.zone.rstrip('.')}, a "
                    "zone not declared signed (`dnssec: true`): DANE needs DNSSEC (RFC 7672 §2.2)",
                    location,
                    record.zone,
                    record.name,
                )
