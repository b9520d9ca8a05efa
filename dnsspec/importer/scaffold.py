"""The files ``dnsspec init`` writes: a repository that plans and applies as it is.

:func:`scaffold_files` returns every file as ``{relative path: text}``;
:func:`write_scaffold` writes them into a directory, refusing (and writing
nothing) when any of them exists unless ``force``. The zone list in
``providers.yaml`` is octoDNS's dynamic ``'*'`` entry, fed by
:meth:`dnsspec.octodns.SpecSource.list_zones`: a new ``zones/<zone>.yaml`` is
a new zone with no second edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dnsspec.errors import DnsspecError

DEFAULT_ZONE = "example.com."
#: where ``init`` puts the spec language's JSON Schema; the specs' modeline points here
SCHEMA_PATH = "schema/dnsspec.schema.json"
SCHEMA_MODELINE = f"# yaml-language-server: $schema=../{SCHEMA_PATH}"


class ScaffoldExists(DnsspecError):
    """A file ``dnsspec init`` would write already exists; nothing was written."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = tuple(paths)
        named = ", ".join(str(p) for p in self.paths)
        super().__init__(f"{named} already exist{'s' if len(self.paths) == 1 else ''}")


class InvalidZoneName(DnsspecError):
    """A ``--zone`` is not a domain name."""


def zone_name(text: str) -> str:
    """``"Example.COM"`` → ``"example.com."``, or InvalidZoneName."""
    from dnsspec.spec.names import domain_problem, name_length_problem

    name = text.strip().lower().rstrip(".")
    problem = domain_problem(name) or name_length_problem(name)
    if problem or "." not in name:
        raise InvalidZoneName(
            f"--zone {text!r} is not a zone name ({problem or 'needs at least two labels'}); "
            "write it as example.com"
        )
    return f"{name}."


def example_spec(zone: str) -> str:
    """A commented, lint-clean spec for ``zone`` that plans and applies as it is."""
    domain = zone.rstrip(".")
    return f"""{SCHEMA_MODELINE}
# {domain}: this zone's mail-authentication DNS, as code (written by `dnsspec init`).
#   dnsspec lint      check it        dnsspec compile   the exact records it produces
#   dnsspec plan      what would change at the providers in providers.yaml
#   dnsspec apply     push that change
# The language: docs/spec-language.md in dnsspec's repository. The addresses below are
# documentation examples (192.0.2.0/24, 2001:db8::/32): replace them with yours, or
# start from the live zone with `dnsspec import {domain} --force`.

ttl: 3600                                 # TTL of the records dnsspec generates

# Who may send mail as @{domain} (SPF, RFC 7208): the MX hosts and one relay network.
spf:
  mechanisms:
    - mx                                  # the inbound MX hosts also send
    - ip4:192.0.2.0/25                    # an outbound relay network
  all: fail                               # everything else: -all

# SPF is not inherited: every name with A, AAAA or MX records and no policy of its own
# gets an explicit "v=spf1 -all".
subdomain_default: none

subdomains:
  www:
    spf: none                             # a web name that never sends: "v=spf1 -all"

# Every other record of the zone, in octoDNS's record format ('' is the apex).
# dnsspec never deletes records it does not manage (manage: owned, the default).
records:
  "":
    - {{type: MX, values: [{{preference: 10, exchange: mx1.{domain}.}}]}}
  mx1: {{type: A, value: 192.0.2.25}}
  www: {{type: A, value: 192.0.2.80}}
"""


PROVIDERS_YAML = """\
# providers.yaml: a plain octoDNS configuration (https://github.com/octodns/octodns),
# written by `dnsspec init`. `dnsspec plan` shows what would change, `dnsspec apply`
# pushes it; records the specs do not manage are never deleted.
providers:
  spec:                                   # the zone specs under zones/, compiled
    class: dnsspec.octodns.SpecSource
    directory: ./zones
  live:                                   # the embedded default target: no account needed.
    class: octodns.provider.yaml.YamlProvider
    directory: ./.dnsspec-live            # the "live" zones, one YAML file each (git-ignored)
    default_ttl: 3600
    enforce_order: false
    escaped_semicolons: false             # write TXT values as receivers see them
    root_ns_warnings: false
  # A real provider instead (docs/providers.md has BIND, Route 53, Cloudflare, PowerDNS);
  # credentials only as env/VARIABLE references, never in this file:
  # route53:
  #   class: octodns_route53.Route53Provider
  #   access_key_id: env/AWS_ACCESS_KEY_ID
  #   secret_access_key: env/AWS_SECRET_ACCESS_KEY

zones:
  # Every zones/<zone>.yaml is a zone: adding a spec file needs no edit here.
  '*':
    sources: [spec]
    targets: [live]                       # e.g. [route53] once it is configured
  # An explicit entry overrides '*' for its zone (here: other targets):
  # example.org.:
  #   sources: [spec]
  #   targets: [route53]
"""

PRE_COMMIT_CONFIG = """\
# pre-commit (https://pre-commit.com): `pre-commit install`, then every commit that
# touches a spec, dnsspec.lock or providers.yaml runs `dnsspec lint` on the whole zones/.
# The hook uses the dnsspec installed here; to pin a version instead, use the repository's
# own hook: `- repo: <where you host dnsspec>`, `rev: <tag>`, `hooks: [{id: dnsspec-lint}]`.
repos:
  - repo: local
    hooks:
      - id: dnsspec-lint
        name: dnsspec lint
        entry: dnsspec lint
        language: system
        pass_filenames: false
        files: ^(zones/.*\\.ya?ml|dnsspec\\.lock|providers\\.yaml)$
"""

GITIGNORE = """\
# the embedded default target's "live" state (providers.yaml: live)
.dnsspec-live/
# private keys (DKIM signing keys, TLS keys) never belong in the repository
*.key
*.pem
*.private
.venv/
"""

WORKFLOW = """\
# dnsspec on pull requests: lint as annotations, the plan in the job summary.
# Provider credentials come from the repository's secrets, as env/VARIABLE references
# in providers.yaml read them (add them under env: below).
name: dnsspec
on:
  pull_request:
    paths: ["zones/**", "providers.yaml", "dnsspec.lock", ".github/workflows/dnsspec.yml"]
permissions:
  contents: read
jobs:
  dnsspec:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install "dnsspec=={version}"
      - name: lint
        run: dnsspec lint --format github
      - name: plan
        run: dnsspec plan --format markdown >> "$GITHUB_STEP_SUMMARY"
"""


def scaffold_files(zones: Sequence[str] = ()) -> dict[str, str]:
    """Every file ``init`` writes, ``{relative path: text}``, zones first."""
    from dnsspec import __version__
    from dnsspec.schema import schema_json

    names = [zone_name(z) for z in zones] or [DEFAULT_ZONE]
    files = {f"zones/{zone}yaml": example_spec(zone) for zone in dict.fromkeys(names)}
    files[SCHEMA_PATH] = schema_json()
    files["providers.yaml"] = PROVIDERS_YAML
    files[".pre-commit-config.yaml"] = PRE_COMMIT_CONFIG
    files[".gitignore"] = GITIGNORE
    files[".github/workflows/dnsspec.yml"] = WORKFLOW.replace("{version}", __version__)
    return files


def write_scaffold(
    directory: Path, zones: Sequence[str] = (), *, force: bool = False
) -> list[Path]:
    """Write the scaffold into ``directory``; the written paths.

    When any file exists and not ``force``, raises :class:`ScaffoldExists`
    naming them all, and writes nothing.
    """
    files = scaffold_files(zones)
    targets = [directory / rel for rel in files]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise ScaffoldExists(existing)
    for path, text in zip(targets, files.values(), strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return targets
