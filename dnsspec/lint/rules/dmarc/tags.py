"""DMARC tags receivers no longer read: RFC 7489's pct/rf/ri, unknown tags, the !size suffix."""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.lint.context import LintContext
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.lint.rules.dmarc import dmarc_sites


@check(
    severity=Severity.WARNING,
    summary="an RFC 7489 tag (pct, rf, ri) that RFC 9989 removed, in a raw DMARC record",
    fix="Remove the tag (for pct below 100, write t=y instead)",
)
def legacy_tag(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks raw DMARC records for the tags `pct`, `rf` and `ri`.

    ## Why is this bad?
    RFC 9989 removed them: receivers that follow it ignore them, older ones
    may still act on them, so the record means different things to different
    receivers. (The mapping form does not accept them at all.)

    ## Example
    ```yaml
    dmarc: "v=DMARC1; p=reject; pct=100; ri=86400"
    ```

    Use instead:
    ```yaml
    dmarc: "v=DMARC1; p=reject"
    ```

    ## References
    - [RFC 9989, Appendix C (changes from RFC 7489)](https://www.rfc-editor.org/rfc/rfc9989)
    """
    for site in dmarc_sites(ctx):
        for name, value in site.value.record.legacy_tags:
            yield site.violation(
                f"{site.fqdn}: {name}={value} is an RFC 7489 tag that RFC 9989 removed", name
            )


@check(
    severity=Severity.WARNING,
    summary="a tag DMARC does not define, in a raw DMARC record",
    fix="Remove the tag, or fix its name (receivers ignore unknown tags)",
)
def unknown_tag(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks raw DMARC records for tags that neither RFC 9989 nor RFC 7489
    defines.

    ## Why is this bad?
    Receivers must ignore unknown tags (RFC 9989 §4.7), so a typo such as
    `sp_=reject` silently does nothing.

    ## Example
    ```yaml
    dmarc: "v=DMARC1; p=reject; sub=reject"
    ```

    Use instead:
    ```yaml
    dmarc: "v=DMARC1; p=reject; sp=reject"
    ```

    ## References
    - [RFC 9989 §4.7](https://www.rfc-editor.org/rfc/rfc9989#section-4.7)
    """
    for site in dmarc_sites(ctx):
        for name, _ in site.value.record.unknown_tags:
            yield site.violation(f"{site.fqdn}: {name}= is no DMARC tag: receivers ignore it", name)


@check(
    severity=Severity.INFO,
    summary="a DMARC record without rua=: nobody receives the aggregate reports",
    fix="Add rua: [mailto:dmarc-reports@your-domain] (or a report service's address)",
)
def missing_rua(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for DMARC records with no `rua=` aggregate-report address.

    ## Why is this bad?
    Without `rua` receivers send no aggregate reports (RFC 9989 §4.7,
    `rua`): you never learn who sends mail as your domain, legitimately or
    not, and cannot tell whether a stricter policy would drop real mail.

    ## Example
    ```yaml
    dmarc: {policy: reject}
    ```

    Use instead:
    ```yaml
    dmarc: {policy: reject, rua: [mailto:dmarc@example.com]}
    ```

    ## References
    - [RFC 9989 §4.7](https://www.rfc-editor.org/rfc/rfc9989#section-4.7)
    - [RFC 9990 (aggregate reports)](https://www.rfc-editor.org/rfc/rfc9990)
    """
    for site in dmarc_sites(ctx):
        if not site.value.record.rua:
            yield site.violation(f"{site.fqdn}: no rua=: no aggregate reports are sent")


@check(
    severity=Severity.INFO,
    summary="a report URI with the obsolete !size suffix (such as !10m)",
    fix="Remove the !size suffix: RFC 9989 tells reporters to ignore it",
)
def report_size_suffix(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks `rua`/`ruf` URIs for the RFC 7489 maximum-size suffix (`!10m`).

    ## Why is this bad?
    RFC 9989 made the suffix obsolete syntax that reporters should ignore;
    it no longer limits anything, and a `!` elsewhere in a URI must be
    written `%21`.

    ## Example
    ```yaml
    dmarc: {policy: reject, rua: ["mailto:dmarc@example.com!10m"]}
    ```

    Use instead:
    ```yaml
    dmarc: {policy: reject, rua: [mailto:dmarc@example.com]}
    ```

    ## References
    - [RFC 9989 §4.8 (obs-dmarc-uri)](https://www.rfc-editor.org/rfc/rfc9989#section-4.8)
    """
    for site in dmarc_sites(ctx):
        record = site.value.record
        for tag, uris in (("rua", record.rua), ("ruf", record.ruf)):
            for index, uri in enumerate(uris):
                if uri.size is not None:
                    yield site.violation(
                        f"{site.fqdn}: {tag} URI {uri} has the obsolete size suffix !{uri.size}",
                        tag,
                        index=index,
                    )
