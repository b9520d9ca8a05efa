"""``dnsspec probe smtp`` and ``dnsspec probe mx``: the telnet session and the TLS audit.

Exit codes: 0 every check passed, 1 a check failed, 2 invalid input, 3 a host could
not be reached (with several hosts: 3 over 1 over 0).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from dnsspec.cli.common import (
    CaFileOption,
    MtaStsPortOption,
    NameserverOption,
    check_ca_file,
    fail,
    settings,
)

if TYPE_CHECKING:
    from dnsspec.probe.lookup import Tlsa
    from dnsspec.probe.model import HostReport, Step
    from dnsspec.probe.mx import MxReport

probe_app = typer.Typer(
    name="probe",
    no_args_is_help=True,
    help="Probe SMTP servers: the telnet session, STARTTLS, certificate, DANE, TLS versions.",
)


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"


PortOption = Annotated[
    int, typer.Option("--port", help="TCP port of the SMTP server.", min=1, max=65535)
]
HeloOption = Annotated[str, typer.Option("--helo", help="The name this client gives in EHLO/HELO.")]
StepTimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        help="Seconds each step may take (a reply, the TLS handshake, a DNS question).",
        min=0.05,
    ),
]
DeadlineOption = Annotated[
    float,
    typer.Option("--deadline", help="Seconds the whole run may take.", min=0.1),
]
TlsVersionsOption = Annotated[
    bool,
    typer.Option(
        "--tls-versions",
        help="Try SSLv3 and TLS 1.0-1.3 one by one: accepted / refused / untestable "
        "(sslyze, from `pip install 'dnsspec\\[probe]'`, tests the old ones).",
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]

_HOST = re.compile(r"(?=.{1,253}\.?$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.?)+")
_ADDRESS = re.compile(r"[^\s<>()\[\],;:\\\"@]+@[^\s<>()\[\],;:\\\"@]+")


def smtp_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Argument(help="The SMTP server's host name (or IP address).")],
    port: PortOption = 25,
    helo: HeloOption = "dnsspec.invalid",
    mail_from: Annotated[
        str | None,
        typer.Option(
            "--from", help="MAIL FROM address ('' for the null sender <>).", show_default=False
        ),
    ] = None,
    rcpt: Annotated[
        str | None,
        typer.Option("--rcpt", help="RCPT TO address (needs --from).", show_default=False),
    ] = None,
    send_test: Annotated[
        bool,
        typer.Option("--send-test", help="After RCPT TO, send a short test message (DATA)."),
    ] = False,
    tls_versions: TlsVersionsOption = False,
    timeout: StepTimeoutOption = 10.0,
    deadline: DeadlineOption = 60.0,
    ca_file: CaFileOption = None,
    fmt: FormatOption = Format.TEXT,
    nameserver: NameserverOption = None,
    from_specs: Annotated[
        bool,
        typer.Option(
            "--from-specs",
            help="Match the certificate against the TLSA records the specs in zones/ write "
            "for _PORT._tcp.HOST instead of those in DNS (before they are published).",
        ),
    ] = False,
) -> None:
    """Probe one SMTP server step by step: banner, EHLO, STARTTLS, certificate, DANE,
    then MAIL FROM / RCPT TO (never DATA unless --send-test) and QUIT.

    Examples:

      dnsspec probe smtp mx1.example.com

      dnsspec probe smtp mx1.example.com --tls-versions --format json

      dnsspec probe smtp mx1.example.com --from me@example.org --rcpt postmaster@example.com
    """
    from dnsspec.probe import SmtpOptions, probe_smtp

    _check_host(host, "HOST")
    _check_host(helo, "--helo")
    if mail_from is not None and mail_from != "" and not _ADDRESS.fullmatch(mail_from):
        fail(f"--from {mail_from!r} is not a mail address", hint="--from probe@example.org")
    if rcpt is not None and not _ADDRESS.fullmatch(rcpt):
        fail(f"--rcpt {rcpt!r} is not a mail address", hint="--rcpt postmaster@example.com")
    if rcpt is not None and mail_from is None:
        fail("--rcpt needs --from (RCPT TO follows MAIL FROM)", hint="--from probe@example.org")
    if send_test and rcpt is None:
        fail("--send-test needs --from and --rcpt", hint="--from me@example.org --rcpt you@...")
    check_ca_file(ca_file)
    config = settings(ctx, nameserver, None)
    tlsa = _spec_tlsa(host, port) if from_specs else None
    report = probe_smtp(
        SmtpOptions(
            host=host.rstrip(".") or host,
            port=port,
            helo=helo,
            mail_from=mail_from,
            rcpt_to=rcpt,
            send_test=send_test,
            tls_versions=tls_versions,
            timeout=timeout,
            deadline=deadline,
            ca_file=ca_file,
            nameservers=tuple(config.nameservers),
            tlsa=tlsa,
        )
    )
    if fmt is Format.JSON:
        typer.echo(json.dumps(report.as_json(), indent=2))
    else:
        typer.echo(render_host(report))
    raise typer.Exit(report.exit_code)


def _spec_tlsa(host: str, port: int) -> tuple[Tlsa, ...]:
    """The TLSA records the specs in zones/ compile at ``_PORT._tcp.HOST`` (may be none)."""
    from dnsspec.compile import compile_zones
    from dnsspec.errors import DnsspecError
    from dnsspec.probe.lookup import Tlsa
    from dnsspec.spec.load import load_zones

    try:
        records = compile_zones(load_zones(["zones"]))
    except DnsspecError as error:
        fail(error)
    owner = f"_{port}._tcp.{host.rstrip('.').lower()}."
    return tuple(
        Tlsa(
            int(v["certificate_usage"]),
            int(v["selector"]),
            int(v["matching_type"]),
            bytes.fromhex(str(v["certificate_association_data"])),
        )
        for r in records
        if r.type == "TLSA" and r.fqdn.lower() == owner
        for v in r.values
    )


def _check_host(name: str, what: str) -> None:
    from ipaddress import ip_address

    try:
        ip_address(name)
        return
    except ValueError:
        pass
    if not _HOST.fullmatch(name):
        fail(f"{what} {name!r} is not a host name", hint=f"{what} mx1.example.com")


# -- text output ----------------------------------------------------------------------------


def render_host(report: HostReport) -> str:
    """A host's steps as lines: mark, step, time, the server's reply and the facts."""
    lines = [f"{report.host}:{report.port}", *_step_lines(report.steps), _verdict(report)]
    return "\n".join(lines)


def _step_lines(steps: Sequence[Step]) -> list[str]:
    lines = []
    for step in steps:
        mark = "ok  " if step.ok else "FAIL"
        head = f"  {mark} {step.step:<14} {step.ms:7.1f} ms"
        reply = step.reply.splitlines()
        lines.append(f"{head}  {reply[0]}" if reply else head)
        lines.extend(f"{'':34}{more}" for more in reply[1:])
        lines.extend(f"{'':9}{fact}" for fact in _facts(step))
    return lines


def _facts(step: Step) -> list[str]:
    d = step.detail
    out: list[str] = []
    if step.step in ("resolve", "connect") and "address" in d:
        out.append(f"address {d['address']}" + (f" port {d['port']}" if "port" in d else ""))
    elif step.step == "banner" and "names_host" in d:
        out.append("names the host" if d["names_host"] else "does not name the host")
    elif step.step == "tls" and "version" in d:
        out.append(f"{d['version']} {d['cipher']}")
    elif step.step == "certificate" and "names" in d:
        out.append(f"names {', '.join(d['names']) or '(none)'}")
        out.append(f"issuer {d['issuer']}")
        out.append(
            f"valid {d['not_before'][:10]} .. {d['not_after'][:10]} ({d['days_left']} days left)"
        )
        out.append("chain trusted" if d["trusted"] else "chain NOT trusted")
    elif step.step == "dane" and "result" in d:
        out.append(f"{d['result']} at {d['name']} ({d['source']})")
        out.extend(f"TLSA {r}" for r in d.get("records", []))
    elif step.step == "tls_versions":
        for version in ("SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"):
            if version in d:
                note = d.get("notes", {}).get(version, "")
                out.append(f"{version:<8} {d[version]:<10} {note}".rstrip())
    elif step.step in ("mx", "mta_sts_record", "mta_sts_policy"):
        if "hosts" in d:
            out.append(f"MX {', '.join(d['hosts'])}")
        out.extend(f"{key} {d[key]}" for key in ("name", "url") if key in d)
        if "result" in d:
            out.append(str(d["result"]))
    if "error" in d:
        out.append(f"error: {d['error']}")
    return out


def _verdict(report: HostReport) -> str:
    if report.unreachable:
        return f"unreachable: {report.host} could not be reached (exit 3)"
    failed = report.failed
    if not failed:
        return "every check passed (exit 0)"
    names = ", ".join(s.step for s in failed)
    return f"{len(failed)} check{'s' if len(failed) > 1 else ''} failed: {names} (exit 1)"


def mx_command(
    ctx: typer.Context,
    domain: Annotated[str, typer.Argument(help="The mail domain whose MX hosts to probe.")],
    port: PortOption = 25,
    helo: HeloOption = "dnsspec.invalid",
    tls_versions: TlsVersionsOption = False,
    timeout: StepTimeoutOption = 10.0,
    deadline: DeadlineOption = 120.0,
    ca_file: CaFileOption = None,
    mta_sts_port: MtaStsPortOption = 443,
    parallel: Annotated[
        int, typer.Option("--parallel", help="MX hosts probed at once.", min=1, max=16)
    ] = 4,
    fmt: FormatOption = Format.TEXT,
    nameserver: NameserverOption = None,
) -> None:
    """Probe every MX host of DOMAIN in parallel, with the MTA-STS view: does the
    served policy's mx: cover each host, does each host's certificate match its name.

    Examples:

      dnsspec probe mx example.com

      dnsspec probe mx example.com --tls-versions --format json
    """
    from dnsspec.probe import SmtpOptions, probe_mx

    _check_host(domain, "DOMAIN")
    _check_host(helo, "--helo")
    check_ca_file(ca_file)
    config = settings(ctx, nameserver, None)
    template = SmtpOptions(
        host=domain,
        port=port,
        helo=helo,
        tls_versions=tls_versions,
        timeout=timeout,
        deadline=deadline,
        ca_file=ca_file,
        nameservers=tuple(config.nameservers),
    )
    report = probe_mx(
        domain.rstrip(".") or domain, template, mta_sts_port=mta_sts_port, parallel=parallel
    )
    if fmt is Format.JSON:
        typer.echo(json.dumps(report.as_json(), indent=2))
    else:
        typer.echo(render_mx(report))
    raise typer.Exit(report.exit_code)


def render_mx(report: MxReport) -> str:
    """The domain's own steps, each host's session, then one summary line per host."""
    lines = [report.domain]
    lines.extend(_step_lines(report.steps))
    for host in report.hosts:
        lines.append("")
        lines.append(f"{host.report.host}:{host.report.port} (MX {host.preference})")
        lines.extend(_step_lines(host.report.steps))
        if host.mta_sts:
            covered = (
                "covered by the policy" if host.mta_sts["covered"] else "NOT covered by the policy"
            )
            cert = (
                "certificate valid for MTA-STS"
                if host.mta_sts["certificate_valid"]
                else "certificate NOT valid for MTA-STS"
            )
            lines.append(f"  MTA-STS: {covered}; {cert}")
            if "error" in host.mta_sts:
                lines.append(f"         error: {host.mta_sts['error']}")
    lines.append("")
    lines.append("summary:")
    for host in report.hosts:
        verdict = {0: "ok", 1: "FAILED", 3: "unreachable"}[host.exit_code]
        failed = [s.step for s in host.report.failed] + (
            ["mta_sts"] if host.mta_sts.get("error") else []
        )
        lines.append(
            f"  {host.preference:>5} {host.report.host:<40} {verdict}"
            + (f" ({', '.join(failed)})" if failed else "")
        )
    lines.append(f"exit {report.exit_code}")
    return "\n".join(lines)


probe_app.command("smtp")(smtp_command)
probe_app.command("mx")(mx_command)
