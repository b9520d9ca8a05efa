"""What the kinds' spec models share: empty keys, files relative to the spec root, URIs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, ValidationInfo

from dnsspec.dmarc.uris import uri_problem
from dnsspec.spec.base import spec_error


def given(
    key: str, example: str, *, expected: str | None = None, forms: tuple[type, ...] = ()
) -> Any:
    """A ``BeforeValidator`` refusing an empty ``key:`` (YAML null), which says nothing.

    With ``forms``, a value of another type is refused as ``expected`` (the message),
    with ``example`` as the hint.
    """

    def check(value: Any) -> Any:
        if value is None:
            raise spec_error(
                "no value given", f"write {example}; to publish nothing, remove the `{key}:` key"
            )
        if forms and not isinstance(value, forms):
            raise spec_error(f"expected {expected}, got {_describe(value)}", f"e.g. {example}")
        return value

    return check


def _describe(value: Any) -> str:
    from dnsspec.spec.errors import describe

    return describe(value)


def spec_root(info: ValidationInfo) -> Path:
    """The directory that holds ``zones/``: the context's ``"root"``, else the working dir."""
    context = info.context
    root = context.get("root") if isinstance(context, dict) else None
    return Path(root) if isinstance(root, str | Path) else Path.cwd()


def spec_file(path: str, info: ValidationInfo) -> Path:
    """``path`` resolved against :func:`spec_root` (absolute paths as they are)."""
    candidate = Path(path)
    return candidate if candidate.is_absolute() else spec_root(info) / candidate


def _report_uri(text: str) -> str:
    problem = uri_problem(text)
    if problem:
        message, hint, offset = problem
        raise spec_error(message, hint, offset=offset)
    return text


def _tlsrpt_uri(text: str) -> str:
    problem = uri_problem(text, size_suffix=False)
    if problem:
        message, hint, offset = problem
        raise spec_error(message, hint, offset=offset)
    return text


ReportUriText = Annotated[str, AfterValidator(_report_uri)]
TlsRptUriText = Annotated[str, AfterValidator(_tlsrpt_uri)]


def form_of(model: type, value: Any) -> str | None:
    """Discriminator for "mapping or raw text" unions: ``(mapping)``, ``(text)`` or ``None``."""
    if isinstance(value, dict | model):
        return "(mapping)"
    if isinstance(value, str):
        return "(text)"
    return None
