"""The keys beside ``profile: parked`` that let mail through: SPF, MX, DKIM, DMARC."""

from __future__ import annotations

from collections.abc import Iterator

from dnsspec.dkim.keys import DkimKeyError
from dnsspec.dkim.syntax import DkimSyntaxError
from dnsspec.dkim.syntax import parse as parse_dkim
from dnsspec.dmarc.syntax import DmarcRecord, DmarcSyntaxError
from dnsspec.dmarc.syntax import parse as parse_dmarc
from dnsspec.lint.context import LintContext
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.lint.rules.parked import own_sites, parked_zones, unset_of, where
from dnsspec.spec.kinds.dkim import DkimValue
from dnsspec.spec.kinds.dmarc import DmarcValue
from dnsspec.spec.load import LoadedZone
from dnsspec.spec.spf import NONE_RECORD, SpfValue
from dnsspec.txtkinds import TXT_TYPES, txt_kind


def _violation(loaded: LoadedZone, path: tuple[str | int, ...], name: str, text: str) -> Violation:
    return Violation(text, loaded.source_map.locate(path), loaded.zone, name)


@check(
    severity=Severity.ERROR,
    summary="an SPF policy other than `none` (v=spf1 -all) in a `profile: parked` zone",
    fix="Write `spf: none` (or remove the key: the profile writes it), or remove "
    "`profile: parked` if the name sends mail",
)
def permissive_spf(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for `profile: parked` zones where a name's SPF policy (a `spf:`
    key, a `v=spf1` TXT under `records:`, or `spf: unset`) is anything but
    `v=spf1 -all`.

    ## Why is this bad?
    A parked domain sends no mail, so no host may pass SPF for it. The profile
    never overrides a policy the spec writes: a permissive one stays, and
    whoever it authorizes can send as the domain while the spec claims it is
    parked. `spf: unset` publishes nothing, and without SPF receivers cannot
    tell forged mail from real (RFC 7208 §2.6.1).

    ## Example
    ```yaml
    profile: parked
    spf: {mechanisms: [mx], all: softfail}
    ```

    Use instead:
    ```yaml
    profile: parked
    ```

    ## References
    - [RFC 7208 §10.1.2](https://www.rfc-editor.org/rfc/rfc7208#section-10.1.2)
    """
    for loaded in parked_zones(ctx):
        for site in own_sites(loaded, "spf"):
            value: SpfValue = site.value
            if value.text != NONE_RECORD:
                yield _violation(
                    loaded,
                    site.path,
                    site.name,
                    f"profile: parked, but {where(site.name)} publishes '{value.text}': "
                    "it authorizes senders for a domain that sends no mail",
                )
        for site in unset_of(loaded, "spf"):
            yield _violation(
                loaded,
                site.path,
                site.name,
                f"profile: parked, but {where(site.name)} has `spf: unset`: it publishes no "
                "SPF record, so receivers cannot tell forged mail from real",
            )


@check(
    severity=Severity.ERROR,
    summary="an MX record (or `mx: unset`) in a `profile: parked` zone",
    fix="Remove the MX records (the profile publishes the null MX `MX 0 .`), or remove "
    "`profile: parked` if the domain receives mail",
)
def accepts_mail(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for `profile: parked` zones that publish MX records under
    `records:` (other than a null MX `0 .`), or say `mx: unset` at the apex.

    ## Why is this bad?
    A parked domain receives no mail: its null MX (RFC 7505) tells senders so
    at once. An MX record beside it is refused by RFC 7505 §3, and at the apex
    it takes the null MX's place: mail is accepted for a domain whose spec
    says it takes none. Without any MX (`mx: unset`), senders fall back to the
    domain's address records (RFC 5321 §5.1) and retry for days.

    ## Example
    ```yaml
    profile: parked
    records:
      "": {type: MX, value: {preference: 10, exchange: mx1.example.com.}}
    ```

    Use instead:
    ```yaml
    profile: parked
    ```

    ## References
    - [RFC 7505 §3](https://www.rfc-editor.org/rfc/rfc7505#section-3)
    - [RFC 5321 §5.1](https://www.rfc-editor.org/rfc/rfc5321#section-5.1)
    """
    for loaded in parked_zones(ctx):
        for name in sorted(loaded.spec.records):
            for entry in loaded.spec.records[name]:
                if entry.type != "MX":
                    continue
                hosts = [_exchange(v) for v in entry.values if _exchange(v) != "."]
                if hosts:
                    yield _violation(
                        loaded,
                        entry.path(name),
                        name,
                        f"profile: parked, but {where(name)} has MX records "
                        f"({', '.join(hosts)}): the domain is to receive no mail",
                    )
        for site in unset_of(loaded, "null_mx"):
            yield _violation(
                loaded,
                site.path,
                site.name,
                f"profile: parked, but {where(site.name)} has `mx: unset`: without the "
                "null MX, senders try the address records and retry for days",
            )


def _exchange(value: object) -> str:
    found = value.get("exchange", "") if isinstance(value, dict) else ""
    return str(found)


@check(
    severity=Severity.ERROR,
    summary="a DKIM selector with a key (or a delegated one) in a `profile: parked` zone",
    fix="Revoke the selector (`revoked: true`) or remove it (the profile revokes every "
    "selector), or remove `profile: parked` if the domain signs mail",
)
def dkim_key(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for `profile: parked` zones whose `dkim:` selectors publish a key
    (or delegate the selector to a provider with `cname:`), and for DKIM key
    records with a key under `records:`.

    ## Why is this bad?
    A parked domain signs no mail. A published key lets whoever holds the
    private key (an old provider, a leaked key) sign mail that passes DKIM and
    aligns with DMARC, and `p=reject` no longer stops it. The profile revokes
    every selector with `*._domainkey` `v=DKIM1; p=`, but a selector with its
    own record is not covered by the wildcard (RFC 4592).

    ## Example
    ```yaml
    profile: parked
    dkim:
      s2024: {key_type: ed25519, public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=}
    ```

    Use instead:
    ```yaml
    profile: parked
    dkim:
      s2024: {revoked: true}
    ```

    ## References
    - [RFC 6376 §3.6.1, `p=` empty: revoked](https://www.rfc-editor.org/rfc/rfc6376#section-3.6.1)
    """
    for loaded in parked_zones(ctx):
        for site in own_sites(loaded, "dkim"):
            value: DkimValue = site.value
            for selector in value.selectors:
                if selector.form in ("revoked", "unset"):
                    continue
                if selector.record is not None and selector.record.revoked:
                    continue  # a raw "v=DKIM1; p="
                what = f"is delegated to {selector.cname}" if selector.cname else "has a key"
                yield _violation(
                    loaded,
                    (*site.path, selector.selector),
                    site.name,
                    f"profile: parked, but DKIM selector '{selector.selector}' {what}: "
                    "mail signed with it passes DKIM for a domain that sends none",
                )
        for name in sorted(loaded.spec.records):
            for entry in loaded.spec.records[name]:
                if entry.type not in TXT_TYPES:
                    continue
                for index, text in enumerate(entry.values):
                    if txt_kind(name, str(text)) != "dkim" or _revoked(str(text)):
                        continue
                    yield _violation(
                        loaded,
                        entry.value_path(name, index),
                        name,
                        f"profile: parked, but records.{name} publishes a DKIM key: mail "
                        "signed with it passes DKIM for a domain that sends none",
                    )


def _revoked(text: str) -> bool:
    try:
        return parse_dkim(text).revoked
    except (DkimSyntaxError, DkimKeyError):
        return False


@check(
    severity=Severity.ERROR,
    summary="a DMARC policy weaker than reject (p, sp or np), or `dmarc: unset`, in a "
    "`profile: parked` zone",
    fix="Remove the `dmarc:` key (the profile writes p=reject; sp=reject; np=reject), or "
    "set policy, subdomain_policy and nonexistent_policy to reject",
)
def weaker_dmarc(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks for `profile: parked` zones whose own DMARC record (a `dmarc:` key,
    or a `v=DMARC1` TXT under `records:`) applies anything but `reject` to the
    domain (`p`), its subdomains (`sp`, which defaults to `p`) or its
    non-existent subdomains (`np`, which defaults to `sp`), and for
    `dmarc: unset`.

    ## Why is this bad?
    All mail from a parked domain is forged, so receivers should reject all of
    it. The profile writes its own DMARC record only when the spec has none: a
    weaker `dmarc:` wins, and mail that fails DMARC is delivered (or only sent
    to spam) where the spec claims the domain is parked.

    ## Example
    ```yaml
    profile: parked
    dmarc: {policy: quarantine, rua: [mailto:dmarc@example.net]}
    ```

    Use instead:
    ```yaml
    profile: parked
    dmarc: {policy: reject, rua: [mailto:dmarc@example.net]}
    ```

    ## References
    - [RFC 9989 §4.7](https://www.rfc-editor.org/rfc/rfc9989#section-4.7)
    """
    for loaded in parked_zones(ctx):
        for site in own_sites(loaded, "dmarc"):
            value: DmarcValue = site.value
            weaker = _weaker(value.record)
            if weaker:
                yield _violation(
                    loaded,
                    site.path,
                    site.name,
                    f"profile: parked, but _dmarc at {where(site.name)} says {weaker}: "
                    "receivers deliver some of the mail that fails DMARC",
                )
        for site in unset_of(loaded, "dmarc"):
            yield _violation(
                loaded,
                site.path,
                site.name,
                f"profile: parked, but {where(site.name)} has `dmarc: unset`: no DMARC "
                "record, so receivers apply no policy to forged mail",
            )
        for name in sorted(loaded.spec.records):
            for entry in loaded.spec.records[name]:
                if entry.type not in TXT_TYPES:
                    continue
                for index, text in enumerate(entry.values):
                    if txt_kind(name, str(text)) != "dmarc":
                        continue
                    try:
                        weaker = _weaker(parse_dmarc(str(text)))
                    except DmarcSyntaxError:
                        continue
                    if weaker:
                        yield _violation(
                            loaded,
                            entry.value_path(name, index),
                            name,
                            f"profile: parked, but records.{name} says {weaker}: "
                            "receivers deliver some of the mail that fails DMARC",
                        )


def _weaker(record: DmarcRecord) -> str:
    """``p=none, np=none``: the effective policies that are not reject ('' when none)."""
    p = record.effective_policy
    sp = record.subdomain_policy or p
    np = record.nonexistent_policy or sp
    return ", ".join(
        f"{tag}={value}" for tag, value in (("p", p), ("sp", sp), ("np", np)) if value != "reject"
    )
