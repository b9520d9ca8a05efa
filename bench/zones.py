"""Generated zone portfolios for the scale benchmark (plan, apply, offline lint).

Deterministic (seeded) and valid at any size. The mix is issue 16's realistic
portfolio:

* 60 % parked: ``spf: none``, a ``"*"`` wildcard that never sends, one A record;
* 30 % single-provider senders with subdomains: ``mx``, an own ``ip4`` range and
  one provider include at the apex, a ``news`` subdomain including the same
  provider, ``www`` that never sends; MX and A records;
* 10 % multi-provider with cross-zone includes: two provider zones of the
  portfolio plus a third party outside it, an ``ip6`` range, a ``bounce``
  subdomain that redirects to the apex.

The first :data:`PROVIDERS` zones are the sending services the others include
(``include:_spf.d00002.example``): that is what makes includes cross zones.

:func:`write_portfolio` writes ``zones/`` (the specs), ``providers.yaml`` (the
specs as source of a YamlProvider target, what ``dnsspec plan``/``apply`` read)
and ``octodns.yaml`` (plain octoDNS: the *compiled* specs, ``dnsspec compile
--format octodns``, as YamlProvider source of an identical target), so both
tools sync the same records into a directory of their own.
"""

from __future__ import annotations

import random
from pathlib import Path

PROVIDERS = 6
PARKED, SINGLE = 0.6, 0.9  # cumulative shares: parked, then single-provider, then multi

TARGET = """\
    class: octodns.provider.yaml.YamlProvider
    directory: {directory}
    default_ttl: 3600
    enforce_order: false
    escaped_semicolons: false
    root_ns_warnings: false
"""


def zone_name(i: int) -> str:
    return f"d{i:05d}.example."


def _host(i: int) -> str:
    """An address per zone, distinct for the first 65,536 zones (10.x.y.z)."""
    return f"10.{(i >> 8) & 255}.{i & 255}.1"


def _net(i: int) -> str:
    """A /28 per zone, distinct for the first million zones."""
    return f"100.{64 + ((i >> 12) & 63)}.{(i >> 4) & 255}.{(i & 15) * 16}/28"


def spec(i: int, rng: random.Random) -> tuple[str, str]:
    """(kind, spec text) of zone ``i``."""
    name = zone_name(i).rstrip(".")
    if i < PROVIDERS:
        inner = f"include:_spf.{zone_name(i - 1).rstrip('.')}" if i % 2 else "a"
        return "provider", (
            "ttl: 3600\n"
            f"spf: {{mechanisms: [ip4:{_net(i)}, include:_spf.{name}], all: softfail}}\n"
            "subdomains:\n"
            f"  _spf: {{spf: {{mechanisms: [ip4:203.0.{i}.0/24, {inner}], all: neutral}}}}\n"
            f'records:\n  "": {{type: A, value: {_host(i)}}}\n'
        )
    roll = rng.random()
    if roll < PARKED:
        return "parked", (
            'spf: none\nsubdomains:\n  "*": {spf: none}\n'
            f'records:\n  "": {{type: A, value: {_host(i)}}}\n'
        )
    mx = "{type: MX, value: {preference: 10, exchange: mx." + name + ".}}"
    if roll < SINGLE:
        provider = zone_name(rng.randrange(PROVIDERS)).rstrip(".")
        return "single", (
            "ttl: 3600\n"
            f"spf: {{mechanisms: [mx, ip4:{_net(i)}, include:_spf.{provider}], all: fail}}\n"
            "subdomains:\n"
            f"  news: {{spf: {{mechanisms: [include:_spf.{provider}], all: fail}}}}\n"
            "  www: {spf: none}\n"
            "records:\n"
            f'  "": {mx}\n'
            f"  mx: {{type: A, value: {_host(i)}}}\n"
            f"  www: {{type: A, value: {_host(i)}}}\n"
            f"  news: {mx}\n"
        )
    first, second = (zone_name(p).rstrip(".") for p in rng.sample(range(PROVIDERS), 2))
    mechanisms = (
        f"include:_spf.{first}, include:_spf.{second}, include:_spf.google.com, "
        f"ip6:2001:db8:{i:x}::/48"
    )
    return "multi", (
        "ttl: 3600\n"
        f"spf: {{mechanisms: [{mechanisms}], all: softfail}}\n"
        "subdomains:\n"
        f"  bounce: {{spf: {{redirect: {name}}}}}\n"
        "records:\n"
        f'  "": {mx}\n'
        f"  mx: {{type: A, value: {_host(i)}}}\n"
        f"  bounce: {mx}\n"
    )


def write_portfolio(directory: Path, count: int, *, seed: int = 1600) -> dict[str, int]:
    """Write the specs and both configurations under ``directory``; the count per kind."""
    rng = random.Random(seed)
    zones_dir = directory / "zones"
    zones_dir.mkdir(parents=True, exist_ok=True)
    kinds: dict[str, int] = {}
    names = [zone_name(i) for i in range(count)]
    for i, zone in enumerate(names):
        kind, text = spec(i, rng)
        kinds[kind] = kinds.get(kind, 0) + 1
        (zones_dir / f"{zone}yaml").write_text(text)
    listing = "".join(f"  {z}:\n    sources: [spec]\n    targets: [live]\n" for z in names)
    (directory / "providers.yaml").write_text(
        "providers:\n"
        "  spec:\n    class: dnsspec.octodns.SpecSource\n    directory: ./zones\n"
        "  live:\n" + TARGET.format(directory="./live-dnsspec") + "zones:\n" + listing
    )
    (directory / "octodns.yaml").write_text(
        "providers:\n"
        "  spec:\n    class: octodns.provider.yaml.YamlProvider\n    directory: ./compiled\n"
        "    default_ttl: 3600\n    enforce_order: false\n"
        "  live:\n" + TARGET.format(directory="./live-octodns") + "zones:\n" + listing
    )
    return kinds
