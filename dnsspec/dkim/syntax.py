"""DKIM key record text ⇄ :class:`DkimRecord` (RFC 6376 §3.6.1, RFC 8463).

The only DKIM record grammar in dnsspec. ``parse`` and ``render`` are inverses:
``parse(render(r)) == r`` for every :class:`DkimRecord`, and ``render(parse(t)) == t``
for every canonical text::

    v=DKIM1; k=<type>; [h=…; ][s=…; ][t=…; ][n=…; ][other tags; ]p=<base64>

(``h``, ``s``, ``t`` colon-joined, ``n`` DKIM-Quoted-Printable, ``p`` base64 with
no whitespace). Tag names are case-sensitive (RFC 6376 §3.2); ``v``, if present,
must be first and ``DKIM1``; ``k`` defaults to ``rsa`` (and render leaves ``k=rsa``
out only for a revoked key: ``v=DKIM1; p=``). Unknown tags are kept as
written (verifiers ignore them). An empty ``p=`` is a revoked key. Values of
``h``/``s``/``t`` that RFC 6376 and RFC 8301 do not define are refused: a verifier
would ignore them, so they are typos more often than intent. Errors carry the
column of the bad tag and never quote ``p=``.
"""

from __future__ import annotations

from dataclasses import dataclass

from dnsspec.dkim import qp
from dnsspec.dkim.keys import (
    KEY_TYPES,
    DkimKeyError,
    DkimPrivateKeyError,
    KeyFacts,
    KeyType,
    check_key,
    decode_p,
    private_key_refusal,
)
from dnsspec.dkim.keys import encode_p as _encode_p
from dnsspec.dkim.published import DOMAINKEY
from dnsspec.taglist import RecordSyntaxError, Tag, split_tags

VERSION = "DKIM1"
HASHES = ("sha1", "sha256")
SERVICES = ("*", "email")
FLAGS = ("y", "s")
MAX_RECORD = 4096  # characters; an 8192-bit RSA key's record is ~1,450


class DkimSyntaxError(RecordSyntaxError):
    """The DKIM key record is malformed."""


@dataclass(frozen=True)
class DkimRecord:
    """A DKIM key record. ``public_key`` is the decoded ``p=`` (empty: revoked).

    ``hashes`` (``h=``), ``services`` (``s=``), ``flags`` (``t=``) are ``()`` when the
    tag is absent; ``notes`` (``n=``, decoded) ``None``; ``extra`` keeps unknown tags.
    """

    key_type: KeyType = "rsa"
    public_key: bytes = b""
    hashes: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    notes: str | None = None
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def revoked(self) -> bool:
        return not self.public_key

    @property
    def testing(self) -> bool:
        """``t=y``: verifiers must not treat failures differently (RFC 6376 §3.6.1)."""
        return "y" in self.flags

    @property
    def facts(self) -> KeyFacts:
        """Key type and size, checked (raises :class:`DkimKeyError` for a bad key)."""
        return check_key(self.key_type, self.public_key)

    @property
    def p(self) -> str:
        return _encode_p(self.public_key)


def is_dkim_record(text: str) -> bool:
    """Whether a TXT string starts with ``v=DKIM1`` (records without ``v=`` are DKIM too
    when they sit at a ``_domainkey`` name; that is the caller's knowledge)."""
    first = text.split(";", 1)[0]
    name, eq, value = first.partition("=")
    return bool(eq) and name.strip(" \t") == "v" and value.strip(" \t") == VERSION


def _colon_list(tag: Tag, allowed: tuple[str, ...], what: str, hint: str) -> tuple[str, ...]:
    values = tuple(v.strip(" \t") for v in tag.value.split(":"))
    for value in values:
        if value not in allowed:
            raise DkimSyntaxError(
                f"{tag.name}={tag.value}: unknown {what} {value!r} (expected "
                f"{', '.join(allowed)}, joined by ':')",
                column=tag.column,
                hint=hint,
            )
    if len(set(values)) != len(values):
        raise DkimSyntaxError(
            f"{tag.name}={tag.value}: a value is listed twice", column=tag.column, hint=hint
        )
    return values


def parse(text: str) -> DkimRecord:
    """Parse a DKIM key record; inverse of :func:`render`.

    Raises :class:`DkimSyntaxError` (column of the bad tag) for the grammar and
    for a key that does not decode or does not match ``k=``; a private key raises
    :class:`~dnsspec.dkim.keys.DkimPrivateKeyError` (never echoed).
    """
    if len(text) > MAX_RECORD:
        raise DkimSyntaxError(
            f"the record is {len(text)} characters long (at most {MAX_RECORD})",
            column=MAX_RECORD,
        )
    if "PRIVATE KEY" in text:
        raise private_key_refusal("the record")
    tags = split_tags(
        text,
        error=DkimSyntaxError,
        example="v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
    )
    by_name = {tag.name: tag for tag in tags}
    version = by_name.get("v")
    if version is not None and (version is not tags[0] or version.value != VERSION):
        raise DkimSyntaxError(
            "v= must be the first tag and read DKIM1 (RFC 6376 §3.6.1)"
            if version.value == VERSION
            else f"v={version.value} is not DKIM1 (RFC 6376 §3.6.1)",
            column=version.column,
            hint="start the record with v=DKIM1",
        )
    p_tag = by_name.get("p")
    if p_tag is None:
        raise DkimSyntaxError(
            "the record has no p= (RFC 6376 §3.6.1: it is required; an empty p= revokes)",
            column=tags[0].column,
            hint="add p=<base64 public key>, or p= to revoke the selector",
        )
    k_tag = by_name.get("k")
    key_type = k_tag.value if k_tag else "rsa"
    if key_type not in KEY_TYPES:
        assert k_tag is not None
        raise DkimSyntaxError(
            f"k={key_type} is not a DKIM key type dnsspec accepts (rsa, ed25519)",
            column=k_tag.column,
            hint="k=rsa" if key_type.lower() != "ed25519" else "k=ed25519",
        )
    try:
        public_key = decode_p(p_tag.value)
        check_key(key_type, public_key)
    except DkimPrivateKeyError:
        raise
    except DkimKeyError as error:
        raise DkimSyntaxError(error.message, column=p_tag.column, hint=error.hint) from None
    hashes: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    notes: str | None = None
    extra: list[tuple[str, str]] = []
    for tag in tags:
        if tag.name in ("v", "k", "p"):
            continue
        if tag.name == "h":
            hashes = _colon_list(tag, HASHES, "hash algorithm", "h=sha256")
        elif tag.name == "s":
            services = _colon_list(tag, SERVICES, "service type", "s=email")
        elif tag.name == "t":
            flags = _colon_list(tag, FLAGS, "flag", "t=s (or no t= at all)")
        elif tag.name == "n":
            try:
                notes = qp.decode(tag.value)
            except qp.QpError as error:
                raise DkimSyntaxError(
                    str(error), column=tag.value_column + error.offset, hint="write ';' as =3B"
                ) from None
        else:
            extra.append((tag.name, tag.value))
    return DkimRecord(
        key_type,  # narrowed by the KEY_TYPES check above
        public_key,
        hashes,
        services,
        flags,
        notes,
        tuple(extra),
    )


def render(record: DkimRecord) -> str:
    """The canonical record text; inverse of :func:`parse`."""
    parts = [f"v={VERSION}"]
    if not (record.revoked and record.key_type == "rsa"):  # a revoked key: "v=DKIM1; p="
        parts.append(f"k={record.key_type}")
    if record.hashes:
        parts.append("h=" + ":".join(record.hashes))
    if record.services:
        parts.append("s=" + ":".join(record.services))
    if record.flags:
        parts.append("t=" + ":".join(record.flags))
    if record.notes is not None:
        parts.append("n=" + qp.encode(record.notes))
    parts.extend(f"{name}={value}" for name, value in record.extra)
    parts.append("p=" + record.p)
    return "; ".join(parts)


def owner_name(selector: str, name: str = "") -> str:
    """``<selector>._domainkey[.<name>]`` relative to the zone (``""`` is the apex)."""
    return f"{selector}.{DOMAINKEY}.{name}" if name else f"{selector}.{DOMAINKEY}"


REVOKED_RECORD = "v=DKIM1; p="
