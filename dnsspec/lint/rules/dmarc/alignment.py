"""DMARC alignment: whether any message can pass the DMARC policy a spec publishes.

What counts, decided without DNS from the compiled records of every spec:

- an **SPF route** is a name whose one SPF policy authorizes some sender
  (:func:`dnsspec.spf.senders.authorizes_senders`: ``spf: none`` and ``-all``
  alone authorize nobody);
- a **DKIM route** is a live key at ``<selector>._domainkey.<name>``: a key
  record that is not revoked (``p=`` empty), or a selector delegated by CNAME;
- a route at a name *aligns* with the policy's domain when it is that domain,
  when alignment is relaxed (the default) and both share an Organizational
  Domain (by RFC 9989's DNS Tree Walk over the specs' records, or by the
  public-suffix guess of :mod:`dnsspec.dmarc.reports`), or when the route's name
  has no ``_dmarc`` of its own and the walk finds this policy for it (mail
  ``From:`` that name is then judged by this record's ``sp=``, and a route at
  a name always aligns with the name itself).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cached_property

from dnsspec.dkim.syntax import parse as parse_dkim
from dnsspec.dmarc.discovery import discover_policy, organizational_domain
from dnsspec.dmarc.reports import organizational_domain_guess
from dnsspec.errors import DnsspecError
from dnsspec.lint.context import LintContext
from dnsspec.lint.model import Severity, Violation, check
from dnsspec.lint.rules.dmarc import dmarc_sites
from dnsspec.spf.senders import authorizes_senders, refuses_everything
from dnsspec.txtkinds import DKIM, txt_kind

_DOMAINKEY = "._domainkey."


def _bare(fqdn: str) -> str:
    return fqdn.lower().rstrip(".")


class _Routes:
    """The SPF and DKIM routes of one lint run, and alignment between names."""

    def __init__(self, ctx: LintContext) -> None:
        self.ctx = ctx
        self._orgs: dict[str, tuple[str, str]] = {}

    def txt(self, name: str) -> Sequence[str]:
        return [str(v) for r in self.ctx.records_at(name, "TXT") for v in r.values]

    @cached_property
    def spf(self) -> tuple[str, ...]:
        """Names (bare) whose SPF policy authorizes a sender."""
        found = []
        for fqdn in self.ctx.names():
            policy = self.ctx.spf_policy(fqdn)
            if policy is not None and authorizes_senders(policy):
                found.append(_bare(fqdn))
        return tuple(found)

    @cached_property
    def dkim(self) -> tuple[str, ...]:
        """Signing domains (bare) with a live DKIM key: ``d=`` of a signature that verifies."""
        found: dict[str, None] = {}
        for record in self.ctx.records:
            fqdn = record.fqdn.lower()
            if _DOMAINKEY not in fqdn or fqdn.startswith("_domainkey."):
                continue
            if record.type == "CNAME" or (record.type == "TXT" and _live_key(fqdn, record.values)):
                found[_bare(fqdn.split(_DOMAINKEY, 1)[1])] = None
        return tuple(found)

    def _org(self, name: str) -> tuple[str, str]:
        if name not in self._orgs:
            self._orgs[name] = (
                organizational_domain(name, self.txt),
                organizational_domain_guess(name),
            )
        return self._orgs[name]

    def aligned(self, route: str, domain: str, mode: str | None) -> bool:
        """Whether a route at ``route`` can make mail pass the policy at ``domain``."""
        if route == domain:
            return True
        if mode != "s":
            (walk_a, guess_a), (walk_b, guess_b) = self._org(route), self._org(domain)
            if walk_a == walk_b or guess_a == guess_b:
                return True
        found = discover_policy(route, self.txt)
        return found is not None and found.policy_domain == domain


def _live_key(fqdn: str, values: Sequence[object]) -> bool:
    for value in values:
        text = str(value)
        if txt_kind(fqdn, text) != DKIM:
            continue
        try:
            if not parse_dkim(text).revoked:
                return True
        except DnsspecError:
            continue
    return False


@check(
    severity=Severity.WARNING,
    summary="a DMARC policy no SPF policy or DKIM key in the specs can align with: "
    "every message fails DMARC",
    fix="List the domain's senders under `spf:` or publish its signing key under `dkim:`; "
    "for a domain that sends no mail, write `spf: none`",
)
def nothing_can_align(ctx: LintContext) -> Iterator[Violation]:
    """## What it does
    Checks that mail can pass each DMARC policy the specs publish: some SPF
    policy that authorizes a sender, or some live DKIM key, must align with
    the policy's domain. One rule sees both: a spec with either is fine.

    What aligns, precisely:

    - SPF: a name whose SPF policy authorizes a sender. `spf: none` and any
      policy that only fails, softfails or is neutral (`-all`, `~all`, `?all`)
      authorize nobody; mechanisms after `all` count for nothing; a
      `redirect=` counts (its target decides).
    - DKIM: a selector with a key (`dkim:` or a `v=DKIM1` TXT under
      `records:`), or a selector delegated by `cname:`. A revoked selector
      (`revoked: true`, `p=` empty) aligns nothing.
    - Relaxed alignment (the default `aspf`/`adkim`): such a name anywhere in
      the domain's Organizational Domain counts (`bounce.example.com` for
      mail from `example.com`). Strict (`aspf: strict`, `adkim: strict`): only
      the domain itself.
    - DMARC, unlike SPF, falls back to the Organizational Domain: a subdomain
      without a `_dmarc` record of its own is governed by the apex's record
      (its `sp=`), so a route at such a subdomain (mail `From:` it) counts for
      the apex's policy in either mode. A subdomain needs no `_dmarc` of its
      own, but it does need its own SPF policy: SPF is never inherited (SPF303).
    - A domain whose own SPF policy authorizes nobody and ends in `-all`
      (`spf: none`, `profile: parked`) says it sends no mail: every message
      failing DMARC is then the intent, and the rule stays quiet.

    Only the specs are seen: a sender's name delegated to another zone (NS
    records) or served from elsewhere is not; suppress the finding there with
    `ignore: [DMARC109]`.

    ## Why is this bad?
    A message passes DMARC only when SPF or DKIM passes for a domain aligned
    with its `From:` domain (RFC 9989 §4.4). With neither, every message from
    the domain fails, legitimate or not: with `p=reject` or `quarantine`
    receivers drop or junk all of it, and with `p=none` the reports show only
    failures.

    ## Example
    ```yaml
    dmarc: {policy: reject, rua: [mailto:dmarc@example.com]}
    subdomains:
      www: {spf: none}
    ```

    Use instead:
    ```yaml
    spf: {mechanisms: [include:_spf.google.com], all: fail}
    dmarc: {policy: reject, rua: [mailto:dmarc@example.com]}
    subdomains:
      www: {spf: none}
    ```

    ## References
    - [RFC 9989 §4.4 (identifier alignment)](https://www.rfc-editor.org/rfc/rfc9989#section-4.4)
    - [RFC 9989 §4.10 (policy discovery, the DNS Tree Walk)](https://www.rfc-editor.org/rfc/rfc9989#section-4.10)
    """
    routes = _Routes(ctx)
    for site in dmarc_sites(ctx):
        domain = site.domain.lower()
        own = ctx.spf_policy(f"{domain}.")
        if own is not None and refuses_everything(own):
            continue  # a domain that sends no mail
        record = site.value.record
        if any(routes.aligned(n, domain, record.aspf) for n in routes.spf):
            continue
        if any(routes.aligned(n, domain, record.adkim) for n in routes.dkim):
            continue
        strict = [f"{tag}=s" for tag in ("aspf", "adkim") if getattr(record, tag) == "s"]
        where = f"{domain} ({', '.join(strict)})" if strict else f"{domain}'s organization"
        yield site.violation(
            f"{site.fqdn.rstrip('.')}: nothing can align: no SPF policy in the specs "
            f"authorizes a sender and no DKIM key is published for {where}: "
            "every message fails DMARC"
        )
