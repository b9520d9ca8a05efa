"""``dnsspec dkim``: make a selector's key pair, and show the selectors a spec publishes."""

from __future__ import annotations

import enum
import hashlib
from pathlib import Path
from typing import Annotated

import typer
from pydantic_core import PydanticCustomError

from dnsspec.cli.common import NameserverOption, TimeoutOption, fail, settings
from dnsspec.errors import DnsspecError

dkim_app = typer.Typer(help="DKIM selectors: generate keys, show what the specs publish.")


class KeyTypeOption(enum.StrEnum):
    rsa = "rsa"
    ed25519 = "ed25519"


ZONES = Path("zones")


def _spec_file(zone: str) -> Path:
    file = ZONES / f"{zone.rstrip('.').lower()}.yaml"
    if not file.is_file():
        fail(f"no spec {file} for zone {zone}", hint=f"create it with `dnsspec init {zone}`")
    return file


def _entry(selector: str, key_type: str, public_key_file: str) -> str:
    if key_type == "rsa":
        return f"{selector}: {{public_key_file: {public_key_file}}}"
    return f"{selector}: {{key_type: {key_type}, public_key_file: {public_key_file}}}"


@dkim_app.command("keygen")
def keygen(
    zone: Annotated[str, typer.Argument(help="The zone whose spec gets the selector.")],
    selector: Annotated[str, typer.Argument(help="The new selector (a DNS label: s2026).")],
    private_key: Annotated[
        Path,
        typer.Option(
            "--private-key",
            help="Where to write the private key (PKCS#8 PEM, mode 0600); never inside "
            "zones/, never a path git would track, never an existing file.",
        ),
    ],
    key_type: Annotated[KeyTypeOption, typer.Option("--type")] = KeyTypeOption.rsa,
    bits: Annotated[int, typer.Option("--bits", help="RSA key size.")] = 2048,
    public_key: Annotated[
        Path | None,
        typer.Option(
            "--public-key",
            help="Where to write the public key (default: keys/<selector>.<zone>.pub "
            "beside zones/).",
        ),
    ] = None,
    write: Annotated[
        bool, typer.Option("--write", help="Add the selector to the zone's spec.")
    ] = False,
) -> None:
    """Generate a DKIM key pair and print the spec entry and the record it publishes.

    Examples:

      dnsspec dkim keygen example.com s2026 --private-key /etc/dkim/s2026.key

      dnsspec dkim keygen example.com ed2026 --type ed25519 --private-key ~/ed2026.key --write
    """
    from dnsspec.dkim import keygen as kg
    from dnsspec.dkim.syntax import owner_name, render
    from dnsspec.spec.kinds.dkim import _selector

    file = _spec_file(zone)
    try:
        _selector(selector)
    except PydanticCustomError as error:
        context = error.context or {}
        fail(str(context.get("message", error)), hint=str(context.get("hint") or "") or None)
    problem = kg.private_key_path_problem(private_key, ZONES)
    if problem is not None:
        fail(problem[0], hint=problem[1])
    public = public_key or Path("keys") / f"{selector}.{zone.rstrip('.').lower()}.pub"
    if public.exists():
        fail(f"{public} exists", hint="pick a new selector, or another --public-key path")
    try:
        pair = kg.generate(key_type.value, bits)
        public.parent.mkdir(parents=True, exist_ok=True)
        kg.write_private_key(private_key, pair.private_pem)
        kg.write_public_key(public, pair.public_pem)
    except DnsspecError as error:
        fail(error, hint=getattr(error, "hint", None))
    except OSError as error:
        fail(f"cannot write {error.filename}: {error.strerror}")
    entry = _entry(selector, pair.key_type, public.as_posix())
    fqdn = f"{owner_name(selector)}.{zone.rstrip('.')}."
    size = f"{pair.bits}-bit RSA" if pair.key_type == "rsa" else "Ed25519"
    typer.echo(
        f"Wrote the private key to {private_key} (mode 0600) and the public key to {public}."
    )
    if write:
        _add_to_spec(file, entry)
        typer.echo(f"Added to {file} under dkim:\n  {entry}")
    else:
        typer.echo(f"Add to {file} under dkim:\n  {entry}")
    typer.echo(f'It publishes ({size}):\n  {fqdn} IN TXT "{render(pair.record())}"')
    typer.echo(
        "Keep the old selector published until mail signed with it has been delivered "
        "(days), then mark it `revoked: true`."
    )


def _add_to_spec(file: Path, entry: str) -> None:
    """Add ``entry`` under the spec's ``dkim:`` (appending the key if there is none),
    keeping every other line as it was; the result must load, else the file stays."""
    from dnsspec.spec.load import load_zone

    original = file.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if line.rstrip() == "dkim:"), None)
    if at is None:
        text = original + ("" if original.endswith("\n") or not original else "\n")
        text += f"dkim:\n  {entry}\n"
    else:
        indent = "  "
        for line in lines[at + 1 :]:
            if line.strip() and not line.lstrip().startswith("#"):
                stripped = line.lstrip()
                if len(stripped) < len(line):
                    indent = line[: len(line) - len(stripped)]
                break
        lines.insert(at + 1, f"{indent}{entry}\n")
        text = "".join(lines)
    file.write_text(text, encoding="utf-8")
    try:
        load_zone(file)
    except DnsspecError as error:
        file.write_text(original, encoding="utf-8")
        fail(error)


@dkim_app.command("show")
def show(
    ctx: typer.Context,
    zone: Annotated[str, typer.Argument(help="The zone whose selectors to show.")],
    selector: Annotated[str | None, typer.Argument(help="Only this selector.")] = None,
    live: Annotated[
        bool,
        typer.Option(
            "--live",
            help="Also ask DNS what each selector publishes now: revoked, this key, another "
            "key, or nothing (the system resolver, or --nameserver).",
        ),
    ] = False,
    nameserver: NameserverOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Print each selector's record, key type and size, and whether it is revoked.

    With --live, each selector is followed by what DNS serves at its name now:
    revoked, this key, another key, or nothing; so a revocation or a rotation
    can be seen to have reached DNS. Exit status: 0, or 3 when --live could
    not ask DNS about a selector.

    Examples:

      dnsspec dkim show example.com

      dnsspec dkim show example.com s2026 --live --nameserver 192.0.2.53
    """
    from dnsspec.dkim.syntax import owner_name
    from dnsspec.spec.load import load_zone

    try:
        loaded = load_zone(_spec_file(zone))
    except DnsspecError as error:
        fail(error)
    resolver = _live_resolver(ctx, nameserver, timeout) if live else None
    shown = unknown = 0
    for site in loaded.sites:
        if site.kind != "dkim":
            continue
        for value in site.value.selectors:
            if selector is not None and value.selector != selector:
                continue
            shown += 1
            fqdn = f"{owner_name(value.selector, site.name)}.{loaded.zone}"
            key = b""
            if value.form == "unset":
                typer.echo(f"{fqdn} unset (apply deletes the selector dnsspec published)")
            elif value.cname is not None:
                typer.echo(f"{fqdn} CNAME {value.cname} (delegated: the provider's key)")
            else:
                facts = value.facts
                assert facts is not None and value.text is not None
                key = value.record.public_key if value.record is not None else b""
                typer.echo(f"{fqdn} {_describe(facts)}" + _fingerprint(key))
                typer.echo(f'  TXT "{value.text}"')
            if resolver is not None:
                said, failed = _live_state(resolver, fqdn, key)
                unknown += failed
                typer.echo(f"  live: {said}")
    if not shown:
        which = f"selector {selector}" if selector else "no DKIM selector"
        fail(f"{loaded.file} publishes {which}" + (" nowhere" if selector else ""))
    if unknown:
        raise typer.Exit(3)


def _describe(facts: object) -> str:
    from dnsspec.dkim.keys import KeyFacts

    assert isinstance(facts, KeyFacts)
    if facts.revoked:
        return "revoked"
    return f"rsa {facts.bits} bits" if facts.key_type == "rsa" else "ed25519"


def _fingerprint(key: bytes) -> str:
    return f" (key sha256 {hashlib.sha256(key).hexdigest()[:16]}…)" if key else ""


def _live_resolver(
    ctx: typer.Context, nameserver: list[str] | None, timeout: float | None
) -> object:
    from dnsspec.lookups import BlockingResolver

    config = settings(ctx, nameserver, timeout)
    try:
        return BlockingResolver(config.nameservers, timeout=config.timeout)
    except DnsspecError as error:
        fail(error)


def _live_state(resolver: object, fqdn: str, spec_key: bytes) -> tuple[str, int]:
    """What DNS serves at ``fqdn`` in words, and 1 when it could not be asked.

    Read through the one lookups core and the one DKIM parser; every value from DNS is
    escaped before it is printed."""
    from dnsspec.dkim.syntax import is_dkim_record, parse
    from dnsspec.lookups import BlockingResolver, NoData, NxDomain
    from dnsspec.lookups.blocking import run_blocking
    from dnsspec.lookups.errors import ResolveError
    from dnsspec.lookups.printable import printable

    assert isinstance(resolver, BlockingResolver)
    try:
        texts = run_blocking(resolver.txt(fqdn))
    except (NxDomain, NoData):
        return "not published (no TXT record at this name)", 0
    except ResolveError as error:
        return f"unknown: {printable(str(error))}", 1
    records = [t for t in texts if is_dkim_record(t) or "p=" in t]
    if not records:
        return "no DKIM record (the TXT values there are not DKIM keys)", 0
    if len(records) > 1:
        return f"{len(records)} DKIM records (verifiers treat that as an error)", 0
    try:
        record = parse(records[0])
        facts = record.facts
    except DnsspecError as error:
        return f"an unreadable DKIM record ({printable(error.message)})", 0
    if record.revoked:
        return "revoked (p= is empty: verifiers fail mail signed with this selector)", 0
    if spec_key and record.public_key == spec_key:
        return f"this key ({_describe(facts)}), not revoked", 0
    return f"another key ({_describe(facts)}{_fingerprint(record.public_key)}), not revoked", 0
