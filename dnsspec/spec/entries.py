"""``records:`` entries as typed values, built once when a spec is validated.

The YAML form (a mapping, or a list of mappings, per name; ``value`` or
``values``; TXT ``;`` escaped as ``\\;``) is read here and nowhere else: every
later step (the sites, compile, lint, the lock) reads :class:`RecordEntry`.
octoDNS's own validation of the data is :func:`dnsspec.spec.records.check_records`;
a spec that fails it is never used, so the builder here only normalises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, ValidatorFunctionWrapHandler, WrapValidator
from pydantic_core import core_schema

from dnsspec.records import unescape_octodns_txt
from dnsspec.txtkinds import TXT_TYPES

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class RecordEntry:
    """One entry of ``records.<name>``: an rrset passed through to octoDNS.

    ``values`` are what a receiver sees: a TXT/SPF value is its logical text
    (``\\;`` unescaped), other values are octoDNS's value data (a string, or a
    mapping with sorted keys). ``ttl`` is ``None`` when the entry has none
    (the zone's ``ttl`` applies).
    """

    type: str
    ttl: int | None
    values: tuple[Any, ...]
    # where it was written: None for `name: {…}`, the list index for `name: [{…}, …]`
    index: int | None = None
    # how the values were written: "value", "values" (a list) or "values1" (`values: x`)
    key: str = "value"

    def path(self, name: str) -> Path_:
        """The YAML path of the entry (``("records", name)`` or ``("records", name, i)``)."""
        return ("records", name) if self.index is None else ("records", name, self.index)

    def value_path(self, name: str, i: int) -> Path_:
        """The YAML path of the ``i``-th value."""
        if self.key == "values":
            return (*self.path(name), "values", i)
        return (*self.path(name), "values" if self.key == "values1" else "value")

    def ttl_or(self, default: int) -> int:
        return default if self.ttl is None else self.ttl

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> RecordEntry:
        """The entry of an octoDNS record mapping (``type``, ``ttl``, ``value``/``values``)."""
        rtype = str(data.get("type", ""))
        if "values" in data:
            raw = data["values"]
            listed = isinstance(raw, list)
            items = list(raw) if listed else [raw]
            key = "values" if listed else "values1"
        else:
            items = [data["value"]] if "value" in data else []
            key = "value"
        txt = rtype in TXT_TYPES
        values = tuple(_value(txt, v) for v in items)
        ttl = data.get("ttl")
        return cls(rtype, ttl if type(ttl) is int else None, values, None, key)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # the mapping is checked by pydantic (a located "expected a mapping" otherwise);
        # its content by check_records, with octoDNS's validators
        return core_schema.no_info_after_validator_function(
            cls.from_data,
            core_schema.dict_schema(core_schema.str_schema(), core_schema.any_schema()),
        )


def _value(txt: bool, value: Any) -> Any:
    if txt:
        return unescape_octodns_txt(str(value))
    if isinstance(value, Mapping):
        return {str(k): value[k] for k in sorted(value, key=str)}
    return value


def _entries(value: Any, handler: ValidatorFunctionWrapHandler) -> tuple[RecordEntry, ...]:
    if isinstance(value, dict):
        return tuple(handler([value]))
    entries: tuple[RecordEntry, ...] = handler(value)
    return tuple(RecordEntry(e.type, e.ttl, e.values, i, e.key) for i, e in enumerate(entries))


#: ``records.<name>``: one mapping or a list of them, as a tuple of entries
RecordEntries = Annotated[tuple[RecordEntry, ...], WrapValidator(_entries)]
