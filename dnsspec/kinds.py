"""The kinds table: every mail record kind dnsspec writes, one line each.

A kind is the unit of growth (``docs/architecture.md``, "How to add a record
kind"). Its line says where the spec writes it (the key of
:class:`~dnsspec.spec.policy.MailPolicySpec`), at which owner name its records
live, the TXT tag that identifies its values, and the functions that turn its
sites into values, compile them into records, and describe plan changes.
Functions are named by dotted path (``module:attribute`` below ``dnsspec.``)
and imported on first use, so this module imports nothing of the package: the spec, compile,
lint and sync layers all read it without an import cycle.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Kind:
    """One record kind."""

    name: str  # "spf": the Site.kind, the TXT-kind tag of dnsspec.txtkinds
    spec_key: str  # the key under the apex and subdomains.<name>: `spf:`
    owner: str  # the owner name relative to the policy's name: "{name}", "_dmarc.{name}"
    txt_tag: str | None  # the start of its TXT values (RFC 7208 §4.5: "v=spf1")
    site_value: str  # spec value -> Site.value (a frozen, parsed form)
    generator: str  # (zone, sites of this kind) -> Records
    delta: str | None  # plan delta (dnsspec.sync), None until the kind has one

    def owner_name(self, name: str) -> str:
        """The relative owner name of this kind's records for a policy at ``name``."""
        owner = self.owner.format(name=name)
        return owner.rstrip(".") if name == "" else owner

    def load(self, attribute: str) -> Callable[..., Any]:
        """The function a field of this line names (``"site_value"``, ``"generator"``…)."""
        path = getattr(self, attribute)
        if path is None:
            raise LookupError(f"kind {self.name} has no {attribute}")
        return _resolve(path)


@cache
def _resolve(path: str) -> Callable[..., Any]:
    module, _, attribute = path.partition(":")
    found: Callable[..., Any] = getattr(importlib.import_module(f"dnsspec.{module}"), attribute)
    return found


# fmt: off
KINDS: tuple[Kind, ...] = (
    # name  spec key owner     TXT tag   site value             generator               plan delta
    Kind("spf", "spf", "{name}", "v=spf1", "spec.spf:site_value", "compile.spf:generate", "sync.deltas.spf:SpfDelta"),  # noqa: E501
    Kind("dmarc", "dmarc", "_dmarc.{name}", "v=DMARC1", "spec.kinds.dmarc:site_value", "compile.dmarc:generate", "sync.deltas.dmarc:DmarcDelta"),  # noqa: E501
    Kind("tls_rpt", "tls_rpt", "_smtp._tls.{name}", "v=TLSRPTv1", "spec.kinds.tls_rpt:site_value", "compile.tls_rpt:generate", "sync.deltas.tls_rpt:TlsRptDelta"),  # noqa: E501
    Kind("dkim", "dkim", "_domainkey.{name}", "v=DKIM1", "spec.kinds.dkim:site_value", "compile.dkim:generate", "sync.deltas.dkim:DkimDelta"),  # noqa: E501
    Kind("null_mx", "mx", "{name}", None, "spec.kinds.null_mx:site_value", "compile.null_mx:generate", None),  # noqa: E501
    Kind("mta_sts", "mta_sts", "_mta-sts.{name}", "v=STSv1", "spec.kinds.mta_sts:site_value", "compile.mta_sts:generate", "sync.deltas.mta_sts:MtaStsDelta"),  # noqa: E501
    Kind("tlsa", "tlsa", "_25._tcp.{name}", None, "spec.kinds.tlsa:site_value", "compile.tlsa:generate", "sync.deltas.tlsa:TlsaDelta"),  # noqa: E501
)
# fmt: on

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
