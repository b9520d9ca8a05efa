"""The ``dkim:`` value: selectors, each a key, a delegation, a revocation or a raw record.

```yaml
dkim:
  s2026: {key_type: rsa, public_key_file: keys/s2026.example.com.pub}
  ed2026: {key_type: ed25519, public_key: 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=}
  sendgrid: {cname: s1.domainkey.u1234.wl.sendgrid.net.}
  s2024: {revoked: true}
  legacy: "v=DKIM1; k=rsa; p=MIIBIjANBg…"
  s2023: unset      # publish nothing: consent to delete the selector dnsspec published
  "*": {revoked: true}  # every selector with no record of its own is revoked (revoked only)
```

Keys are checked through :mod:`dnsspec.dkim.keys` (size, type, the Ed25519 raw
form, private keys refused unechoed) and records through :mod:`dnsspec.dkim.syntax`.
A key file is read once, while the spec is validated: its bytes are part of the
validated value, so nothing downstream touches the file again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    PrivateAttr,
    StrictBool,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from dnsspec.dkim.keys import (
    MAX_KEY_FILE_BYTES,
    DkimKeyError,
    KeyFacts,
    KeyType,
    check_key,
    decode_p,
    dns_key_from_pem,
    looks_like_private_key,
    private_key_refusal,
)
from dnsspec.dkim.syntax import DkimRecord, DkimSyntaxError, parse, render
from dnsspec.spec.base import UNSET, SpecModel, spec_error
from dnsspec.spec.kinds.common import form_of, given, spec_file
from dnsspec.spec.names import domain_problem, label_problem

DkimForm = Literal["key", "cname", "revoked", "raw", "unset"]
#: the selector that answers for every selector with no record of its own (RFC 4592)
WILDCARD = "*"
_ONE_OF = "exactly one of public_key_file, public_key, cname or revoked: true"


def _selector(name: str) -> str:
    if name == WILDCARD:
        return name  # `"*": {revoked: true}`: every selector revoked (checked by _wildcard_revoked)
    for label in name.split("."):
        problem = label_problem(label) or (
            "'_' is not allowed in a selector (RFC 6376 3.1)" if "_" in label else None
        )
        if problem or label == "*":
            raise spec_error(
                f"invalid DKIM selector '{name}': {problem or 'a selector is no wildcard'}",
                "a selector is a DNS label such as s2026 (letters, digits, '-')",
            )
    return name


def _cname(target: str) -> str:
    problem = domain_problem(target)
    if problem:
        raise spec_error(f"invalid cname target '{target}': {problem}")
    return target


class KeyFilePath(str):
    """A ``public_key_file:`` value that carries the key it names, read at validation."""

    key: bytes

    def __new__(cls, value: str, key: bytes) -> KeyFilePath:
        path = super().__new__(cls, value)
        path.key = key
        return path


class DkimSelectorSpec(SpecModel):
    """One selector written as a mapping."""

    key_type: KeyType = "rsa"
    public_key_file: str | None = None
    public_key: str | None = None
    cname: Annotated[str, AfterValidator(_cname)] | None = None
    revoked: StrictBool = False
    testing: StrictBool = False  # t=y
    strict_subdomains: StrictBool = False  # t=s
    hashes: tuple[Literal["sha1", "sha256"], ...] = ()
    service: tuple[Literal["*", "email"], ...] = ()
    notes: str | None = None
    _key: bytes = PrivateAttr(default=b"")

    @field_validator("public_key")
    @classmethod
    def _public_key(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or "key_type" not in info.data:  # a bad key_type is its own error
            return value
        if not value.strip():
            raise spec_error("public_key is empty", "to withdraw the key, write `revoked: true`")
        try:
            check_key(info.data["key_type"], decode_p(value))
        except DkimKeyError as error:  # the private-key refusal included: never echoed
            raise spec_error(error.message, error.hint) from None
        return value

    @field_validator("public_key_file")
    @classmethod
    def _public_key_file(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or "key_type" not in info.data:
            return value
        return KeyFilePath(value, _read_key_file(value, info.data["key_type"], info))

    @model_validator(mode="after")
    def _one_source(self) -> DkimSelectorSpec:
        given_sources = [
            key
            for key, present in (
                ("public_key_file", self.public_key_file is not None),
                ("public_key", self.public_key is not None),
                ("cname", self.cname is not None),
                ("revoked", self.revoked),
            )
            if present
        ]
        if len(given_sources) != 1:
            what = " and ".join(given_sources) if given_sources else "none of them"
            raise spec_error(
                f"a selector takes {_ONE_OF}; this one has {what}",
                "a revoked selector publishes no key, and a delegated one (cname) is the "
                "provider's record",
            )
        if self.cname is not None and (
            self.testing or self.strict_subdomains or self.hashes or self.service or self.notes
        ):
            raise spec_error(
                "a cname selector is the provider's record: testing, strict_subdomains, "
                "hashes, service and notes do not apply",
                "remove them, or publish the key yourself with public_key_file",
            )
        if isinstance(self.public_key_file, KeyFilePath):
            self._key = self.public_key_file.key  # read once, by the field's validator
        elif self.public_key is not None:
            self._key = decode_p(self.public_key)
        return self

    def record(self) -> DkimRecord | None:
        """The key record (``None`` for a cname selector)."""
        if self.cname is not None:
            return None
        flags = tuple(f for f, on in (("y", self.testing), ("s", self.strict_subdomains)) if on)
        return DkimRecord(
            key_type=self.key_type,
            public_key=b"" if self.revoked else self._key,
            hashes=self.hashes,
            services=self.service,
            flags=flags,
            notes=self.notes,
        )


def _read_key_file(value: str, key_type: str, info: ValidationInfo) -> bytes:
    path = spec_file(value, info)
    try:
        size = path.stat().st_size
        if size > MAX_KEY_FILE_BYTES:
            raise spec_error(
                f"public_key_file {value}: {size} bytes is no public key "
                f"(at most {MAX_KEY_FILE_BYTES})"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise spec_error(
            f"public_key_file {value}: no such file",
            "paths are relative to the directory that holds zones/; "
            "`dnsspec dkim keygen` writes the key files",
        ) from None
    except IsADirectoryError:
        raise spec_error(f"public_key_file {value}: is a directory") from None
    except PermissionError:
        raise spec_error(f"public_key_file {value}: permission denied") from None
    if looks_like_private_key(data):
        error = private_key_refusal(f"public_key_file {value}")
        raise spec_error(error.message, error.hint)
    try:
        return dns_key_from_pem(data, key_type, where=f"public_key_file {value}")
    except DkimKeyError as error:
        raise spec_error(error.message, error.hint) from None


def _check_text(text: str) -> str:
    if text == UNSET:
        return text
    try:
        parse(text)
    except DkimSyntaxError as error:
        raise spec_error(
            f"invalid DKIM record at column {error.column + 1}: {error.message}",
            error.hint,
            offset=error.column,
        ) from None
    except DkimKeyError as error:  # a private key: never echoed, not located inside
        raise spec_error(error.message, error.hint) from None
    return text


DkimText = Annotated[str, AfterValidator(_check_text)]
DkimSelector = Annotated[
    Annotated[DkimSelectorSpec, Tag("(mapping)")] | Annotated[DkimText, Tag("(text)")],
    Discriminator(
        lambda value: form_of(DkimSelectorSpec, value),
        custom_error_type="kind_form",
        custom_error_message="expected a selector mapping, a raw 'v=DKIM1; …' record or unset",
    ),
]
SelectorName = Annotated[str, AfterValidator(_selector)]
DkimSpec = dict[SelectorName, DkimSelector]


def _wildcard_revoked(spec: dict[str, DkimSelectorSpec | str]) -> dict[str, DkimSelectorSpec | str]:
    """``"*"`` may only revoke: a wildcard key would sign for every selector anyone names."""
    wildcard = spec.get(WILDCARD)
    if wildcard is None or wildcard == UNSET:
        return spec
    revoked = (
        wildcard.revoked if isinstance(wildcard, DkimSelectorSpec) else parse(wildcard).revoked
    )
    if not revoked:
        raise spec_error(
            "the wildcard selector '*' can only be revoked (it answers for every selector "
            "without a record of its own)",
            '`"*": {revoked: true}` revokes every other selector; a key needs a selector name '
            "such as s2026",
        )
    return spec


def _dkim_given(value: Any) -> Any:
    value = given("dkim", "a mapping of selectors such as `{s2026: {public_key_file: …}}`")(value)
    if isinstance(value, dict) and not value:
        raise spec_error(
            "no selectors given", "add a selector, or remove the `dkim:` key to publish none"
        )
    return value


OptionalDkimSpec = Annotated[
    Annotated[DkimSpec, AfterValidator(_wildcard_revoked)] | None, BeforeValidator(_dkim_given)
]


@dataclass(frozen=True)
class DkimSelectorValue:
    """One selector: its record (``None`` when delegated) or CNAME target, and the text.

    An ``unset`` selector has neither: it publishes nothing, and is the spec's consent
    that plan and apply delete the selector dnsspec published there.
    """

    selector: str
    form: DkimForm
    record: DkimRecord | None
    cname: str | None
    text: str | None  # the TXT published (raw strings byte for byte); None for a cname

    @property
    def facts(self) -> KeyFacts | None:
        return None if self.record is None else self.record.facts


@dataclass(frozen=True)
class DkimValue:
    """A DKIM site's value: its selectors in the order written."""

    selectors: tuple[DkimSelectorValue, ...]

    @property
    def unset_selectors(self) -> tuple[str, ...]:
        """The selectors written ``unset``: to be deleted, not published."""
        return tuple(s.selector for s in self.selectors if s.form == "unset")


def selector_value(selector: str, spec: DkimSelectorSpec | str) -> DkimSelectorValue:
    if spec == UNSET:
        return DkimSelectorValue(selector, "unset", None, None, None)
    if isinstance(spec, str):
        return DkimSelectorValue(selector, "raw", parse(spec), None, spec)
    record = spec.record()
    if record is None:
        return DkimSelectorValue(selector, "cname", None, spec.cname, None)
    form: DkimForm = "revoked" if spec.revoked else "key"
    return DkimSelectorValue(selector, form, record, None, render(record))


def site_value(spec: dict[str, DkimSelectorSpec | str]) -> DkimValue:
    """The :class:`DkimValue` of a validated ``dkim:`` value (the kinds table's site_value)."""
    return DkimValue(tuple(selector_value(name, value) for name, value in spec.items()))
