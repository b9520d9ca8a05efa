"""The live side of SMTP: ``probe_smtp`` (one server, step by step) and ``probe_mx``
(every MX host of a domain, with the MTA-STS view). Results are frozen values
(:mod:`dnsspec.probe.model`); only the CLI prints them or picks an exit code."""

from __future__ import annotations

from dnsspec.probe.model import EXIT_FAILED, EXIT_OK, EXIT_UNREACHABLE, HostReport, Reply, Step
from dnsspec.probe.mx import MxHost, MxReport, probe_mx
from dnsspec.probe.session import SmtpOptions, probe_smtp

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_UNREACHABLE",
    "HostReport",
    "MxHost",
    "MxReport",
    "Reply",
    "SmtpOptions",
    "Step",
    "probe_mx",
    "probe_smtp",
]
