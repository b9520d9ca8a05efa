"""``probe_mx``: every MX host of a domain probed in parallel (bounded), with the
MTA-STS view: does the served policy's ``mx:`` cover each host, and does each host's
certificate match its name as MTA-STS requires (RFC 8461 §4.1)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from dnsspec.errors import ResolveError
from dnsspec.lookups import NoData, NxDomain
from dnsspec.probe.lookup import ProbeLookup
from dnsspec.probe.model import EXIT_FAILED, EXIT_OK, HostReport, Step, worst_exit
from dnsspec.probe.policy import MtaSts, host_view, mta_sts_view
from dnsspec.probe.session import SmtpOptions, probe_smtp
from dnsspec.probe.wire import Clock

MAX_PARALLEL = 4


@dataclass(frozen=True)
class MxHost:
    """One MX host: its preference, its probe, and the MTA-STS view of it."""

    preference: int
    report: HostReport
    mta_sts: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        if self.mta_sts.get("error") and self.report.exit_code == EXIT_OK:
            return EXIT_FAILED
        return self.report.exit_code

    def as_json(self) -> dict[str, Any]:
        data = self.report.as_json()
        data["preference"] = self.preference
        data["mta_sts"] = dict(self.mta_sts)
        data["exit"] = self.exit_code
        data["ok"] = self.exit_code == EXIT_OK
        return data


@dataclass(frozen=True)
class MxReport:
    """The domain's steps (MX lookup, MTA-STS record and policy) and each host's probe."""

    domain: str
    steps: tuple[Step, ...]
    hosts: tuple[MxHost, ...]
    unreachable: bool = False

    @property
    def exit_code(self) -> int:
        if self.unreachable:
            return 3
        own = EXIT_OK if all(s.ok for s in self.steps) else EXIT_FAILED
        return worst_exit([own, *(h.exit_code for h in self.hosts)])

    def as_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "ok": self.exit_code == EXIT_OK,
            "exit": self.exit_code,
            "steps": [s.as_json() for s in self.steps],
            "hosts": [h.as_json() for h in self.hosts],
        }


def probe_mx(
    domain: str,
    template: SmtpOptions,
    *,
    mta_sts_port: int = 443,
    parallel: int = MAX_PARALLEL,
) -> MxReport:
    """Probe every MX host of ``domain`` with ``template``'s options (its ``host`` is
    replaced by each MX host), at most ``parallel`` at a time, within its deadline."""
    clock = Clock.start(template.timeout, template.deadline)
    lookup = ProbeLookup(template.nameservers, template.timeout, clock.deadline)
    start = time.monotonic()
    try:
        mx = lookup.mx(domain)
        implicit = False
    except (NxDomain, NoData) as exc:
        if isinstance(exc, NxDomain):
            step = Step("mx", False, _ms(start), "", {"error": exc.message})
            return MxReport(domain, (step,), (), unreachable=True)
        mx, implicit = [(0, domain)], True  # RFC 5321 §5.1: the domain itself
    except ResolveError as exc:
        step = Step("mx", False, _ms(start), "", {"error": exc.message})
        return MxReport(domain, (step,), (), unreachable=True)
    if mx == [(0, "")] or mx == [(0, ".")]:
        null = {"result": "null MX (RFC 7505): the domain accepts no mail"}
        return MxReport(domain, (Step("mx", True, _ms(start), "0 .", null),), ())
    detail: dict[str, Any] = {"hosts": [f"{p} {h}" for p, h in mx]}
    if implicit:
        detail["result"] = "no MX record: mail goes to the domain's own address (RFC 5321 §5.1)"
    mx_step = Step("mx", True, _ms(start), "", detail)
    view = mta_sts_view(domain, lookup, clock, ca_file=template.ca_file, port=mta_sts_port)

    def probe(host: str) -> HostReport:  # the run's deadline, whenever this host's turn comes
        left = max(0.05, clock.deadline - time.monotonic())
        return probe_smtp(replace(template, host=host, deadline=left))

    with ThreadPoolExecutor(max_workers=max(1, min(parallel, len(mx)))) as pool:
        reports = list(pool.map(probe, [host for _, host in mx]))
    hosts = tuple(
        MxHost(pref, report, _host_view(view, report))
        for (pref, _), report in zip(mx, reports, strict=True)
    )
    return MxReport(domain, (mx_step, *view.steps), hosts)


def _host_view(view: MtaSts, report: HostReport) -> dict[str, Any]:
    return host_view(view.policy, report.host, report.step("certificate"))


def _ms(start: float) -> float:
    return (time.monotonic() - start) * 1000
