"""The ``tlsa:`` value: DANE TLSA records of a host's TLS service (RFC 6698, RFC 7672).

```yaml
subdomains:
  mx1:
    tlsa:                                    # _25._tcp.mx1.<zone>
      - {usage: 3, selector: 1, matching: 1, data: 8cb0fc6c…}
      - {usage: 3, selector: 1, matching: 1, cert: certs/mx1-next.pem}
```

``data`` is checked through :mod:`dnsspec.tlsa.syntax` (ranges, hex length per
matching type; matching 0 refused with the hint that octoDNS's AXFR parser cannot
read it back); ``cert:``
is a certificate or public-key file, relative to the directory that holds
``zones/``, read once at validation through :mod:`dnsspec.tlsa.digest` (a private
key is refused and never echoed). ``port`` (25) and ``protocol`` (tcp) name the
service: ``_<port>._<protocol>.<name>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PrivateAttr,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from dnsspec.spec.base import SpecModel, spec_error
from dnsspec.spec.kinds.common import given, spec_file
from dnsspec.tlsa.syntax import (
    DEFAULT_PORT,
    DEFAULT_PROTOCOL,
    Tlsa,
    data_problem,
    field_problem,
    owner_name,
)

MAX_TLSA_RECORDS = 16  # per service; a key rollover needs two or three


def _in_range(field: str) -> Any:
    def check(value: int) -> int:
        problem = field_problem(field, value)
        if problem:
            message, hint = problem
            raise spec_error(message, hint)
        return value

    return AfterValidator(check)


class CertPath(str):
    """A ``cert:`` value that carries the certificate or key it names, read at validation."""

    material: Any

    def __new__(cls, value: str, material: Any) -> CertPath:
        path = super().__new__(cls, value)
        path.material = material
        return path


class TlsaEntrySpec(SpecModel):
    """One TLSA record: the three numbers and either ``data`` (hex) or ``cert`` (a file)."""

    usage: Annotated[StrictInt, _in_range("usage")]
    selector: Annotated[StrictInt, _in_range("selector")]
    matching: Annotated[StrictInt, _in_range("matching")]
    data: str | None = None
    cert: str | None = None
    port: Annotated[StrictInt, Field(ge=1, le=65535)] = DEFAULT_PORT
    protocol: Literal["tcp", "udp", "sctp"] = DEFAULT_PROTOCOL
    _record: Tlsa | None = PrivateAttr(default=None)

    @field_validator("data")
    @classmethod
    def _data(cls, value: str | None, info: ValidationInfo) -> str | None:
        matching = info.data.get("matching")
        if value is None or matching is None:
            return value
        problem = data_problem(matching, value)
        if problem:
            raise spec_error(*problem)
        return value

    @field_validator("cert")
    @classmethod
    def _cert(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        # cryptography's x509 module is imported only for a spec that names a cert: file
        # (~25 ms of `dnsspec lint` start-up otherwise; issue #16)
        from cryptography import x509

        from dnsspec.tlsa.digest import KeyFileError, load_certificate_or_public_key

        try:
            material = load_certificate_or_public_key(spec_file(value, info))
        except KeyFileError as error:  # a private key included: the message never echoes it
            message = error.message.replace(str(error.path), value, 1)
            raise spec_error(message, error.hint) from None
        selector = info.data.get("selector")
        if selector == 0 and not isinstance(material, x509.Certificate):
            raise spec_error(
                f"{value} is a public key; selector 0 hashes a whole certificate",
                "use selector: 1 (SubjectPublicKeyInfo), or point cert: at the certificate",
            )
        return CertPath(value, material)

    @model_validator(mode="after")
    def _one_source(self) -> TlsaEntrySpec:
        if (self.data is None) == (self.cert is None):
            raise spec_error(
                "a TLSA entry takes exactly one of data (hex) or cert (a file)",
                "cert: certs/mx1.pem computes data from the certificate",
            )
        if isinstance(self.cert, CertPath):
            from dnsspec.tlsa.digest import association_data

            digest = association_data(self.cert.material, self.selector, self.matching).hex()
        else:
            assert self.data is not None
            digest = self.data.lower()
        self._record = Tlsa(self.usage, self.selector, self.matching, digest)
        return self

    def record(self) -> Tlsa:
        assert self._record is not None
        return self._record


def _entries(value: list[TlsaEntrySpec]) -> list[TlsaEntrySpec]:
    seen: dict[tuple[int, str, Tlsa], int] = {}
    counts: dict[tuple[int, str], int] = {}
    for index, entry in enumerate(value):
        key = (entry.port, entry.protocol, entry.record())
        if key in seen:
            raise spec_error(
                f"entries {seen[key]} and {index} are the same TLSA record",
                "remove one (a cert: and a data: entry can compute the same digest)",
            )
        seen[key] = index
        service = (entry.port, entry.protocol)
        counts[service] = counts.get(service, 0) + 1
        if counts[service] > MAX_TLSA_RECORDS:
            raise spec_error(
                f"more than {MAX_TLSA_RECORDS} TLSA records for _{entry.port}._{entry.protocol}"
            )
    return value


TlsaSpec = Annotated[list[TlsaEntrySpec], Field(min_length=1), AfterValidator(_entries)]
OptionalTlsaSpec = Annotated[
    TlsaSpec | None,
    BeforeValidator(given("tlsa", "a list such as `[{usage: 3, selector: 1, matching: 1, …}]`")),
]


@dataclass(frozen=True)
class TlsaService:
    """The TLSA rrset of one service at a name: owner ``_<port>._<protocol>.<name>``."""

    port: int
    protocol: str
    records: tuple[Tlsa, ...]

    def owner(self, name: str) -> str:
        return owner_name(name, self.port, self.protocol)


@dataclass(frozen=True)
class TlsaValue:
    """A TLSA site's value: its services in the order first written."""

    services: tuple[TlsaService, ...]


def site_value(spec: list[TlsaEntrySpec]) -> TlsaValue:
    """The :class:`TlsaValue` of a validated ``tlsa:`` list (records grouped by service)."""
    grouped: dict[tuple[int, str], list[Tlsa]] = {}
    for entry in spec:
        grouped.setdefault((entry.port, entry.protocol), []).append(entry.record())
    return TlsaValue(
        tuple(TlsaService(port, proto, tuple(recs)) for (port, proto), recs in grouped.items())
    )
