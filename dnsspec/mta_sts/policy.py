"""The MTA-STS policy file ⇄ :class:`StsPolicy` (RFC 8461 §3.2), and its id.

``render`` gives the exact bytes to serve at
``https://mta-sts.<domain>/.well-known/mta-sts.txt``::

    version: STSv1\r\n
    mode: enforce\r\n
    mx: mx1.example.com\r\n          (one line per pattern, in order)
    max_age: 604800\r\n
    (extension fields, as written)

with CRLF line endings (RFC 8461 §3.2). ``parse`` is its inverse and also reads LF
endings and any field order, as senders must. :func:`policy_id` is the first 32 hex
digits of the SHA-256 of those exact bytes, so the ``_mta-sts`` record's ``id``
changes exactly when a byte of the policy does (RFC 8461 §3.1 allows 1–32
alphanumerics).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from dnsspec.mta_sts.mx import mx_pattern_problem
from dnsspec.taglist import RecordSyntaxError

Mode = Literal["enforce", "testing", "none"]
MODES: tuple[Mode, ...] = ("enforce", "testing", "none")
VERSION = "STSv1"
MAX_MAX_AGE = 31_557_600  # RFC 8461 §3.2: about one year
DEFAULT_MAX_AGE = 604_800  # one week
ONE_DAY = 86_400
MAX_POLICY_BYTES = 64 * 1024  # RFC 8461 §3.3: senders may refuse larger policies
MAX_MX = 64
ID_LENGTH = 32
CRLF = "\r\n"
WELL_KNOWN_PATH = ".well-known/mta-sts.txt"

_EXT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}")
_EXT_VALUE = re.compile(r"[!-:<>-~ \t]+")


class StsPolicySyntaxError(RecordSyntaxError):
    """The MTA-STS policy file is malformed (``column`` is the 0-based line number here)."""

    def __init__(self, message: str, *, line: int = 0, hint: str | None = None) -> None:
        self.line = line  # 0-based
        super().__init__(message, column=line, hint=hint)


@dataclass(frozen=True)
class StsPolicy:
    """An MTA-STS policy: mode, MX patterns in order, max_age, extension fields."""

    mode: Mode
    mx: tuple[str, ...]
    max_age: int = DEFAULT_MAX_AGE
    extra: tuple[tuple[str, str], ...] = ()


def max_age_problem(value: int) -> str | None:
    """Why ``max_age`` is out of range (0 … 31557600 seconds, RFC 8461 §3.2)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"max_age must be a whole number of seconds, got {value!r}"
    if not 0 <= value <= MAX_MAX_AGE:
        return f"max_age {value} is out of range (0 … {MAX_MAX_AGE} seconds, RFC 8461 §3.2)"
    return None


def render(policy: StsPolicy) -> bytes:
    """The exact policy file bytes; inverse of :func:`parse`."""
    lines = [f"version: {VERSION}", f"mode: {policy.mode}"]
    lines.extend(f"mx: {pattern}" for pattern in policy.mx)
    lines.append(f"max_age: {policy.max_age}")
    lines.extend(f"{name}: {value}" for name, value in policy.extra)
    return "".join(line + CRLF for line in lines).encode("ascii")


def policy_id(policy: StsPolicy | bytes) -> str:
    """First 32 hex digits of the SHA-256 of the exact policy bytes."""
    data = render(policy) if isinstance(policy, StsPolicy) else policy
    return hashlib.sha256(data).hexdigest()[:ID_LENGTH]


def parse(data: bytes | str) -> StsPolicy:
    """Parse a policy file (CRLF or LF endings, any field order); inverse of :func:`render`.

    Raises :class:`StsPolicySyntaxError` with the 0-based line of the problem.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_POLICY_BYTES:
        raise StsPolicySyntaxError(
            f"the policy is {len(raw)} bytes (at most {MAX_POLICY_BYTES}, RFC 8461 §3.3)"
        )
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as error:
        at = raw[: error.start].count(b"\n")
        raise StsPolicySyntaxError("the policy must be ASCII", line=at) from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final line ending
    fields: dict[str, tuple[str, int]] = {}
    mx: list[str] = []
    extra: list[tuple[str, str]] = []
    for number, ending in enumerate(lines):
        line = ending.removesuffix("\r")
        name, colon, value = line.partition(":")
        value = value.strip(" \t")
        if not colon or not _EXT_NAME.fullmatch(name):
            raise StsPolicySyntaxError(
                f"line {number + 1} is not 'name: value': {line[:40]!r}",
                line=number,
                hint="e.g. 'mode: enforce'",
            )
        if name == "mx":
            problem = mx_pattern_problem(value)
            if problem:
                raise StsPolicySyntaxError(f"mx: {problem}", line=number)
            mx.append(value)
        elif name in ("version", "mode", "max_age"):
            if name in fields:
                raise StsPolicySyntaxError(f"{name}: appears twice", line=number)
            fields[name] = (value, number)
        else:
            if not _EXT_VALUE.fullmatch(value):
                raise StsPolicySyntaxError(f"{name}: has no valid value", line=number)
            extra.append((name, value))
    version = fields.get("version")
    if version is None or version[0] != VERSION:
        raise StsPolicySyntaxError(
            f"the policy needs 'version: {VERSION}' (RFC 8461 §3.2)",
            line=version[1] if version else 0,
            hint=f"version: {VERSION}",
        )
    mode = fields.get("mode")
    if mode is None or mode[0] not in MODES:
        raise StsPolicySyntaxError(
            "the policy needs 'mode: enforce', 'testing' or 'none'",
            line=mode[1] if mode else 0,
            hint="mode: testing",
        )
    age = fields.get("max_age")
    if age is None or not (age[0].isascii() and age[0].isdigit()) or len(age[0]) > 10:
        raise StsPolicySyntaxError(
            "the policy needs 'max_age: <seconds>' (up to 10 digits)",
            line=age[1] if age else 0,
            hint=f"max_age: {DEFAULT_MAX_AGE}",
        )
    problem = max_age_problem(int(age[0]))
    if problem:
        raise StsPolicySyntaxError(problem, line=age[1], hint=f"max_age: {MAX_MAX_AGE}")
    if mode[0] != "none" and not mx:
        raise StsPolicySyntaxError(
            f"mode {mode[0]} needs at least one 'mx:' line (RFC 8461 §3.2)",
            line=mode[1],
            hint="mx: mx1.example.com",
        )
    if len(mx) > MAX_MX:
        raise StsPolicySyntaxError(f"{len(mx)} mx: lines (at most {MAX_MX})")
    return StsPolicy(mode[0], tuple(mx), int(age[0]), tuple(extra))


def policy_path(domain: str) -> str:
    """Where the policy file is written for ``domain`` under an output directory."""
    return f"{domain.rstrip('.').lower()}/{WELL_KNOWN_PATH}"


def policy_url(domain: str) -> str:
    """``https://mta-sts.<domain>/.well-known/mta-sts.txt`` (RFC 8461 §3.3)."""
    return f"https://mta-sts.{domain.rstrip('.').lower()}/{WELL_KNOWN_PATH}"


def write_policy_file(out_dir: Path, domain: str, data: bytes) -> Path:
    """Write ``out_dir/<domain>/.well-known/mta-sts.txt`` (what ``--out DIR`` produces).

    ``domain`` must be a DNS name (no path separators can sneak in); the file is
    replaced when it exists, since it is derived from the specs.
    """
    name = domain.rstrip(".").lower()
    from dnsspec.spec.names import domain_problem  # here: spec imports this package

    problem = domain_problem(name)
    if problem or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"{domain!r} is not a domain name: {problem or 'bad characters'}")
    target = out_dir / policy_path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target
