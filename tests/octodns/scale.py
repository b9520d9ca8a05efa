"""A generated portfolio of zones with a live state: the plan-equivalence fixture's input.

Deterministic (seeded). The mix follows issue 16's realistic portfolio: 60 %
parked, 30 % single-provider senders with subdomains, 10 % multi-provider with
cross-zone includes; a few zones are the providers the others include. The live
state (octoDNS YamlProvider files) gives every kind of change: zones absent
(all new), in sync, with an older policy (update), with stale SPF at names no
spec manages (delete), with foreign TXT values and foreign records (kept).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

CONFIG_HEAD = """\
providers:
  spec:
    class: dnsspec.octodns.SpecSource
    directory: ./zones
  live:
    class: octodns.provider.yaml.YamlProvider
    directory: ./.dnsspec-live
    default_ttl: 3600
    enforce_order: false
    escaped_semicolons: false
    root_ns_warnings: false
zones:
"""
PROVIDERS = 6  # zones 0..5 are sending services the others include


def zone_name(i: int) -> str:
    return f"d{i:04d}.example."


def _spec(i: int, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """(spec text, live zone data) of zone ``i``."""
    name = zone_name(i).rstrip(".")
    net = f"198.{18 + i // 4096}.{i // 16 % 256}.{(i % 16) * 16}/28"  # 198.18.0.0/15
    live: dict[str, Any] = {}
    if i < PROVIDERS:
        inner = f"include:_spf.{zone_name(i - 1).rstrip('.')}" if i % 2 else "a"
        spec = (
            "ttl: 3600\n"
            f"spf: {{mechanisms: [ip4:{net}, include:_spf.{name}], all: softfail}}\n"
            "subdomains:\n"
            f"  _spf: {{spf: {{mechanisms: [ip4:203.0.{i}.0/24, {inner}], all: neutral}}}}\n"
            f'records:\n  "": {{type: A, value: 192.0.2.{i + 1}}}\n'
        )
        return spec, {"": {"type": "A", "value": f"192.0.2.{i + 1}"}}
    roll = rng.random()
    if roll < 0.6:  # parked
        spec = (
            "spf: none\n"
            'subdomains:\n  "*": {spf: none}\n'
            f'records:\n  "": {{type: A, value: 192.0.2.{i % 250 + 1}}}\n'
        )
        live[""] = {"type": "A", "value": f"192.0.2.{i % 250 + 1}"}
    elif roll < 0.9:  # one provider, subdomains
        provider = zone_name(rng.randrange(PROVIDERS)).rstrip(".")
        mechanisms = ["mx", f"ip4:{net}", f"include:_spf.{provider}"]
        spec = (
            "ttl: 3600\n"
            f"spf: {{mechanisms: [{', '.join(mechanisms)}], all: fail}}\n"
            "subdomains:\n"
            f"  news: {{spf: {{mechanisms: [include:_spf.{provider}], all: fail}}}}\n"
            "  www: {spf: none}\n"
            "records:\n"
            '  "": {type: MX, value: {preference: 10, exchange: mx.' + name + ".}}\n"
            f"  mx: {{type: A, value: 192.0.2.{i % 250 + 1}}}\n"
            f"  www: {{type: A, value: 192.0.2.{i % 250 + 1}}}\n"
            "  news: {type: MX, value: {preference: 10, exchange: mx." + name + ".}}\n"
        )
        live["mx"] = {"type": "A", "value": f"192.0.2.{i % 250 + 1}"}
    else:  # several providers, one of them a third party outside the portfolio
        providers = rng.sample(range(PROVIDERS), 2)
        mechanisms = [f"include:_spf.{zone_name(p).rstrip('.')}" for p in providers]
        mechanisms += ["include:_spf.google.com", f"ip6:2001:db8:{i:x}::/48"]
        spec = (
            "ttl: 3600\n"
            f"spf: {{mechanisms: [{', '.join(mechanisms)}], all: softfail}}\n"
            "subdomains:\n"
            f"  bounce: {{spf: {{redirect: {name}}}}}\n"
            "records:\n"
            '  "": {type: MX, value: {preference: 10, exchange: mx.' + name + ".}}\n"
            f"  mx: {{type: A, value: 192.0.2.{i % 250 + 1}}}\n"
            "  bounce: {type: MX, value: {preference: 10, exchange: mx." + name + ".}}\n"
        )
    state = rng.random()
    if state < 0.25:
        return spec, {}  # absent at the provider: everything new
    if state < 0.45:
        live["_dmarc"] = {"type": "TXT", "value": "v=DMARC1; p=none"}  # foreign record
        live[""] = [
            live.get("", {"type": "A", "value": "192.0.2.250"}),
            {"type": "TXT", "values": ["google-site-verification=abc", "v=spf1 a -all"]},
        ]
    elif state < 0.6:
        live["old"] = {"type": "TXT", "value": "v=spf1 ip4:192.0.2.0/24 -all"}  # stale: deleted
        live["mail"] = {"type": "A", "value": "192.0.2.200"}
    return spec, live


def write_portfolio(directory: Path, count: int = 300, *, seed: int = 1600) -> list[str]:
    """Specs under ``directory/zones``, the live state, and ``providers.yaml``; the zones."""
    rng = random.Random(seed)
    (directory / "zones").mkdir(parents=True)
    (directory / ".dnsspec-live").mkdir()
    zones = [zone_name(i) for i in range(count)]
    for i, zone in enumerate(zones):
        spec, live = _spec(i, rng)
        (directory / "zones" / f"{zone}yaml").write_text(spec)
        if live:
            (directory / ".dnsspec-live" / f"{zone}yaml").write_text(yaml.safe_dump(live))
    config = CONFIG_HEAD + "".join(
        f"  {zone}:\n    sources: [spec]\n    targets: [live]\n" for zone in zones
    )
    (directory / "providers.yaml").write_text(config)
    return zones
