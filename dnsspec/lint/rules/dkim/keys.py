"""DKIM1xx: the keys and flags of the selectors a spec publishes.

Key type and size come from :mod:`dnsspec.dkim.keys` (the facts a verifier
learns from ``p=``), flags and hashes from the parsed record of
:mod:`dnsspec.dkim.syntax`: a rule never parses a record again.
"""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.dkim.keys import MIN_RSA_BITS, RECOMMENDED_RSA_BITS
from dnsspec.dkim.syntax import owner_name
from dnsspec.lint.context import LintContext, PolicySite
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.spec.kinds.dkim import DkimSelectorValue, DkimValue
from dnsspec.txtkinds import TXT_TYPES, txt_kind


def _selectors(ctx: LintContext) -> Iterator[tuple[PolicySite, DkimSelectorValue]]:
    for site in ctx.sites_of("dkim"):
        value: DkimValue = site.site.value
        for selector in value.selectors:
            yield site, selector


def _fqdn(site: PolicySite, selector: str) -> str:
    name = owner_name(selector, site.name)
    return f"{name}.{site.zone}"


def _rsa_bits(selector: DkimSelectorValue) -> int | None:
    facts = selector.facts
    if facts is None or facts.revoked or facts.key_type != "rsa":
        return None
    return facts.bits


@check(
    severity=Severity.ERROR,
    summary="an RSA key under 1024 bits: verifiers must reject its signatures",
    fix="Generate a 2048-bit key (`dnsspec dkim keygen ZONE SELECTOR`) under a new selector",
)
def key_too_short(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for RSA selectors whose key is shorter than 1024 bits.

    ## Why is this bad?
    RFC 8301 §3.2: verifiers must not consider signatures made with RSA keys
    of fewer than 1024 bits valid. Mail signed with such a key carries no DKIM
    pass, and DMARC falls back to SPF alone, which forwarding breaks.

    ## Example
    ```yaml
    dkim:
      old: "v=DKIM1; k=rsa; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBA…"   # 512 bits
    ```

    Use instead:
    ```yaml
    dkim:
      s2026: {public_key_file: keys/s2026.example.com.pub}   # 2048 bits
    ```
    """
    for site, selector in _selectors(ctx):
        bits = _rsa_bits(selector)
        if bits is not None and bits < MIN_RSA_BITS:
            yield site.violation_at(
                f"{_fqdn(site, selector.selector)}: a {bits}-bit RSA key; verifiers reject "
                f"keys under {MIN_RSA_BITS} bits (RFC 8301 §3.2)",
                (selector.selector,),
            )


@check(
    severity=Severity.WARNING,
    summary="an RSA key under 2048 bits",
    fix="Generate a 2048-bit key under a new selector and sign with it; keep the old "
    "selector until mail signed with it has been delivered",
)
def key_short(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for RSA selectors whose key has at least 1024 but fewer than 2048 bits.

    ## Why is this bad?
    RFC 8301 §3.2 asks signers to use keys of at least 2048 bits; 1024-bit RSA
    is within reach of a well-funded attacker, who could then sign mail as the
    domain.

    ## Example
    ```yaml
    dkim:
      s2019: {public_key_file: keys/s2019-1024.pub}
    ```

    Use instead:
    ```yaml
    dkim:
      s2026: {public_key_file: keys/s2026.example.com.pub}   # made with --bits 2048
    ```
    """
    for site, selector in _selectors(ctx):
        bits = _rsa_bits(selector)
        if bits is not None and MIN_RSA_BITS <= bits < RECOMMENDED_RSA_BITS:
            yield site.violation_at(
                f"{_fqdn(site, selector.selector)}: a {bits}-bit RSA key "
                f"(at least {RECOMMENDED_RSA_BITS} recommended, RFC 8301 §3.2)",
                (selector.selector,),
            )


@check(
    severity=Severity.WARNING,
    summary="t=y (testing) left on: verifiers may treat failed signatures as unsigned",
    fix="Remove `testing: true` (or `t=y` from the raw record) once signing works",
)
def testing_flag(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for selectors that publish `t=y`.

    ## Why is this bad?
    `t=y` says the domain is testing DKIM: verifiers must not treat a signed
    message differently from an unsigned one (RFC 6376 §3.6.1), so a forged
    or broken signature costs the sender nothing. It is meant for days, and is
    often left on for years.

    ## Example
    ```yaml
    dkim:
      s2026: {public_key_file: keys/s2026.example.com.pub, testing: true}
    ```

    Use instead:
    ```yaml
    dkim:
      s2026: {public_key_file: keys/s2026.example.com.pub}
    ```
    """
    for site, selector in _selectors(ctx):
        if selector.record is not None and selector.record.testing:
            yield site.violation_at(
                f"{_fqdn(site, selector.selector)}: t=y (testing) is on", (selector.selector,)
            )


@check(
    severity=Severity.ERROR,
    summary="h=sha1 only: verifiers must reject rsa-sha1 signatures",
    fix="Write `hashes: [sha256]`, or remove `hashes:` (every hash is then allowed)",
)
def sha1_only(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for selectors whose `h=` tag allows SHA-1 only.

    ## Why is this bad?
    RFC 8301 §3.1: signers must sign with SHA-256 and verifiers must not
    consider rsa-sha1 signatures valid. A key restricted to SHA-1 therefore
    verifies nothing.

    ## Example
    ```yaml
    dkim:
      s2026: {public_key_file: keys/s2026.example.com.pub, hashes: [sha1]}
    ```

    Use instead:
    ```yaml
    dkim:
      s2026: {public_key_file: keys/s2026.example.com.pub, hashes: [sha256]}
    ```
    """
    for site, selector in _selectors(ctx):
        record = selector.record
        if record is not None and record.hashes and set(record.hashes) == {"sha1"}:
            yield site.violation_at(
                f"{_fqdn(site, selector.selector)}: h=sha1 allows only SHA-1, which verifiers "
                "reject (RFC 8301 §3.1)",
                (selector.selector,),
            )


@check(
    severity=Severity.WARNING,
    summary="the same public key under two selectors: the rotation did not rotate the key",
    fix="Generate a new key for the new selector (`dnsspec dkim keygen ZONE SELECTOR`)",
)
def reused_key(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for one public key published under two or more selectors (of any
    name of any spec).

    ## Why is this bad?
    A new selector exists to move signing to a new key, so that the old one
    can be revoked. With the same key under both, revoking the old selector
    revokes nothing: whoever holds the old private key still signs.

    ## Example
    ```yaml
    dkim:
      s2025: {public_key_file: keys/s2025.pub}
      s2026: {public_key_file: keys/s2025.pub}
    ```

    Use instead:
    ```yaml
    dkim:
      s2025: {public_key_file: keys/s2025.pub}
      s2026: {public_key_file: keys/s2026.pub}
    ```
    """
    first: dict[bytes, str] = {}
    for site, selector in _selectors(ctx):
        record = selector.record
        if record is None or record.revoked:
            continue
        fqdn = _fqdn(site, selector.selector)
        if record.public_key in first:
            yield site.violation_at(
                f"{fqdn}: the same public key as {first[record.public_key]}",
                (selector.selector,),
            )
        else:
            first[record.public_key] = fqdn


@check(
    severity=Severity.ERROR,
    summary="a `_domainkey` TXT under records: for a selector `dkim:` also publishes",
    fix="Remove the entry from `records:`; `dkim:` publishes the selector",
)
def selector_in_records(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for a TXT entry under `records:` at `<selector>._domainkey.<name>`
    when the name's `dkim:` also has that selector.

    ## Why is this bad?
    The compiler merges both into one TXT rrset: the selector then publishes
    two key records, and verifiers use one of them at random (RFC 6376
    §3.6.2.2), so signatures fail for part of the mail.

    ## Example
    ```yaml
    dkim:
      s2026: {public_key_file: keys/s2026.example.com.pub}
    records:
      s2026._domainkey: {type: TXT, value: "v=DKIM1; k=rsa; p=MIIBIjAN…"}
    ```

    Use instead:
    ```yaml
    dkim:
      s2026: {public_key_file: keys/s2026.example.com.pub}
    ```
    """
    for site, selector in _selectors(ctx):
        owner = owner_name(selector.selector, site.name)
        spec = site.loaded.spec
        for entry in spec.records.get(owner, ()):
            if entry.type not in TXT_TYPES:
                continue
            for index, text in enumerate(entry.values):
                if txt_kind(owner, str(text)) != "dkim":
                    continue
                path = site.loaded.source_map.nearest(entry.value_path(owner, index))
                yield Violation(
                    f"records.{owner}: a DKIM key record for selector {selector.selector}, "
                    f"which `dkim:` publishes (line {site.location((selector.selector,)).line})",
                    site.loaded.source_map.locate(path),
                    site.zone,
                    owner,
                )
