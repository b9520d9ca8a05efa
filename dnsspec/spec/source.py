"""YAML with node positions: plain values plus a :class:`SourceMap`.

Like dagster's position tree (``parse_yamls_with_source_positions``), but the
map keeps the key span *and* the value span of every node, keyed by the same
``str | int`` path segments pydantic uses in an error's ``loc``. The loader
refuses duplicate keys and drops YAML 1.1's traps: only ``true``/``false`` are
booleans, and there are no sexagesimal numbers (``1:00``), no leading-zero
octals (``0644``) and no timestamps; such scalars stay strings, so a typed
field rejects them instead of silently reading ``60`` or ``420``.
"""

from __future__ import annotations

import gc
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dnsspec.errors import Location, SpecError, SpecProblem

Path_ = tuple[str | int, ...]

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"


class SpecLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars (no 1.1 traps)."""


SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _INT, _FLOAT, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
SpecLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_DECIMAL = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
SpecLoader.add_implicit_resolver(_INT, _DECIMAL, list("-+0123456789"))
SpecLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)\.[0-9]*)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)

_CSafeLoader: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)
_CParser: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None)  # libyaml's parser
FastSpecLoader: type[yaml.SafeLoader] = SpecLoader
if _CSafeLoader is not None:

    class _FastSpecLoader(_CSafeLoader):  # type: ignore[misc,valid-type]
        """The same schema on libyaml's parser: several times faster, same nodes and marks.

        Its syntax error messages are terser than PyYAML's own, so a file it
        rejects is parsed again with :class:`SpecLoader` for the message; so is
        one with an empty value, which the two place differently.
        """

        yaml_implicit_resolvers = SpecLoader.yaml_implicit_resolvers

    FastSpecLoader = _FastSpecLoader


class Span(NamedTuple):
    """Where a node starts and ends (1-based line and column; end is exclusive)."""

    # NamedTuples, not dataclasses: a spec of a few dozen lines has hundreds of nodes,
    # and lint loads thousands of specs per run

    line: int
    col: int
    end_line: int
    end_col: int

    @classmethod
    def of(cls, node: Node) -> Span:
        start, end = node.start_mark, node.end_mark
        return cls(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class NodePosition(NamedTuple):
    """The value's span, and the key's span when the node is a mapping value."""

    value: Span
    key: Span | None = None


class SourceMap:
    """Positions of every YAML node of one file, keyed by model path.

    A file read by :func:`read_yaml`'s event fast path keeps only its text: the
    positions are computed the first time something asks for one (a finding, an
    error), by parsing the text again the way :func:`read_yaml` otherwise would,
    so they are the same positions. A file that produces no finding never holds
    them (issue 16: loading a 5 MB spec took 95× its size in memory with them).
    """

    __slots__ = ("_loader", "_nodes", "_text", "file")

    def __init__(
        self,
        file: Path,
        nodes: dict[Path_, NodePosition] | None = None,
        *,
        text: str | None = None,
        loader: type[yaml.SafeLoader] | None = None,
    ) -> None:
        self.file = file
        self._nodes = nodes if nodes is not None or text is None else None
        if self._nodes is None and text is None:
            self._nodes = {}
        self._text = text
        self._loader = loader

    @property
    def nodes(self) -> dict[Path_, NodePosition]:
        """Every node's :class:`NodePosition`, computed on first use."""
        if self._nodes is None:
            assert self._text is not None and self._loader is not None
            text, loader = self._text, self._loader
            with _no_cyclic_gc():
                _, full = _read(self.file, text, loader(text))
            self._nodes, self._text = full.nodes, None
        return self._nodes

    def __contains__(self, path: Path_) -> bool:
        return path in self.nodes

    @property
    def computed(self) -> bool:
        """Whether the positions are held (read eagerly, or asked for since)."""
        return self._nodes is not None

    def _at(self, span: Span | None) -> Location:
        return Location(self.file, span.line, span.col) if span else Location(self.file, 1, 1)

    def nearest(self, path: Path_) -> Path_:
        """The longest prefix of ``path`` that is a node of the file."""
        while path and path not in self.nodes:
            path = path[:-1]
        return path

    def locate(self, path: Path_) -> Location:
        """Position of the value at ``path``; the nearest ancestor's if it is absent.

        Deferred while the positions are not held: found when the location is read."""
        if self._nodes is None:
            return Location.deferred(self.file, partial(self._locate, path))
        return self._locate(path)

    def _locate(self, path: Path_) -> Location:
        found = self.nodes.get(self.nearest(path))
        return self._at(found.value if found else None)

    def locate_in_string(self, path: Path_, text: str, offset: int) -> Location:
        """Position of character ``offset`` of the string value ``text`` at ``path``.

        Exact when the file shows the string verbatim on one line (plain, or quoted
        with no escapes); otherwise the string's own position.
        """
        found = self.nodes.get(path)
        if found is None:
            return self.locate(path)
        span = found.value
        width = span.end_col - span.col
        quote = 0 if width == len(text) else 1 if width == len(text) + 2 else None
        if span.line != span.end_line or quote is None or not 0 <= offset <= len(text):
            return self._at(span)
        return Location(self.file, span.line, span.col + quote + offset)

    def locate_key(self, path: Path_) -> Location:
        """Position of the mapping key of ``path`` (the value's for list items and the root)."""
        found = self.nodes.get(self.nearest(path))
        if found is None:
            return self._at(None)
        return self._at(found.key or found.value)

    def resolve(self, loc: Path_) -> Path_:
        """Map a pydantic ``loc`` to a file path, skipping segments with no YAML child.

        Union and validator tags (``'int'``, ``'function-after[…]'``, a
        discriminator's tag) appear in ``loc`` but not in the file: they are
        skipped and the walk goes on with the next segment.
        """
        path: Path_ = ()
        for segment in loc:
            if (*path, segment) in self.nodes:
                path = (*path, segment)
        return path


_new_span = tuple.__new__
MAX_NODES = 100_000  # values of one document once aliases are expanded
MAX_DEPTH = 32  # nested mappings and lists (a spec needs about 8: records.NAME[0].value.…)


class YamlProblems(SpecError):
    """Problems found while reading one YAML file (all of them)."""


def read_yaml(file: Path, text: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain values and its :class:`SourceMap`.

    Raises :class:`YamlProblems` with every problem found (syntax errors stop
    at the first, as the parser cannot go on; duplicate keys are all listed).
    """
    try:
        # libyaml accepts tabs where PyYAML (rightly) refuses them: those files go to PyYAML
        if "\t" not in text and FastSpecLoader is not SpecLoader:
            if _CParser is not None:
                with _no_cyclic_gc():
                    built = _EventBuilder(text).build()
                if built is not None:  # a plain document: positions only when asked
                    return built[0], SourceMap(file, text=text, loader=FastSpecLoader)
            try:
                return _read(file, text, FastSpecLoader(text))
            except (yaml.YAMLError, _EmptyPlainScalar):
                pass  # PyYAML says it better, and places an empty value where it belongs
        return _read(file, text, SpecLoader(text))
    except RecursionError:  # the composer recurses per level, before the builder can count
        raise YamlProblems([_too_deep(file, text)]) from None
    except yaml.MarkedYAMLError as error:
        raise YamlProblems([_syntax_problem(file, error)]) from None
    except yaml.YAMLError as error:  # ReaderError: a control character, etc.
        raise YamlProblems([_reader_problem(file, text, error)]) from None


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Loading builds millions of small acyclic objects (nodes, spans, dicts): the cyclic
    collector would walk the growing heap again and again for nothing (a 7 MB spec took
    48 s with it, 17 s without). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


no_cyclic_gc = _no_cyclic_gc


class _Bail(Exception):
    """The document is not plain: :class:`_Builder` reads it, with every position."""


# plain scalars' tags by first character, as the loader's resolver finds them
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: list(resolvers) for first, resolvers in SpecLoader.yaml_implicit_resolvers.items()
}
_CONSTRUCTORS = SpecLoader.yaml_constructors
_NO_RESOLVERS: list[tuple[str, re.Pattern[str]]] = []


class _EventBuilder:
    """Plain values straight from libyaml's parse events: no node graph, no positions.

    The fast path for the common document (no anchor, alias or tag, no duplicate or
    complex key, no empty plain value, not too deep, one document): the values are those
    :class:`_Builder` makes of the same text. Anything else raises :class:`_Bail` and
    the document goes the node way, which reports it with its position. A 5 MB spec's
    node graph alone took 50 times the file's size.
    """

    def __init__(self, text: str) -> None:
        self._next = _CParser(text).get_event
        self._helper: yaml.SafeLoader | None = None

    def build(self) -> tuple[Any] | None:
        """``(value,)``, or None when the document must go the node way."""
        try:
            return (self._document(),)
        except (_Bail, yaml.YAMLError, ValueError):
            return None

    def _document(self) -> Any:
        get = self._next
        get()  # StreamStartEvent
        event = get()
        if event.__class__ is StreamEndEvent:
            return None
        if event.__class__ is not DocumentStartEvent:
            raise _Bail
        value = self._value(get())
        if get().__class__ is not DocumentEndEvent or get().__class__ is not StreamEndEvent:
            raise _Bail  # a second document: the composer's error, with its position
        return value

    def _value(self, first: Any) -> Any:
        """The value that ``first`` starts (iterative: a stack of open collections)."""
        get, scalar, intern = self._next, self._scalar, sys.intern
        stack: list[tuple[Any, Any]] = []  # (open collection, its pending key or None)
        container: Any = None
        key: Any = None
        event = first
        while True:
            kind = event.__class__
            if kind is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _Bail
                if container.__class__ is dict and key is None:
                    text = event.value
                    if (not text and not event.style) or text in container:
                        raise _Bail  # an empty key, or a duplicate: said by _Builder
                    key = intern(text)  # the same few field names in every record
                    event = get()
                    continue
                value = scalar(event)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _Bail
                if container is not None and container.__class__ is dict and key is None:
                    raise _Bail  # a mapping or list as a key
                if len(stack) >= MAX_DEPTH:
                    raise _Bail
                stack.append((container, key))
                container, key = ({} if kind is MappingStartEvent else []), None
                event = get()
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value = container
                container, key = stack.pop()
            else:  # an alias
                raise _Bail
            if container is None:
                return value
            if key is None:
                container.append(value)
            else:
                container[key] = value
                key = None
            event = get()

    def _scalar(self, event: Any) -> Any:
        text: str = event.value
        if not event.implicit[0]:  # quoted, literal or folded: a string
            return text
        if not text and not event.style:
            raise _Bail  # an empty plain value: _Builder places it
        for candidate, pattern in _RESOLVERS.get(text[0], _NO_RESOLVERS):
            if pattern.match(text):
                tag = candidate
                break
        else:
            return text
        if tag == _INT:
            return int(text)
        construct = _CONSTRUCTORS.get(tag)
        if construct is None:
            raise _Bail  # `<<`, `=`: no constructor, _Builder says so
        if self._helper is None:
            self._helper = SpecLoader("")
        return construct(self._helper, ScalarNode(tag, text))


class _EmptyPlainScalar(Exception):
    """libyaml read a value left empty (``spf:``): it puts such a null at the next token,
    PyYAML right after its key, where an error about it should point."""


def _read(file: Path, text: str, loader: yaml.SafeLoader) -> tuple[Any, SourceMap]:
    source_map = SourceMap(file)
    root = loader.get_single_node()
    if root is None:
        return None, source_map
    # aliases need an anchor (`&name`); without one no node can be reached twice
    builder = _Builder(file, loader, source_map, aliases="&" in text)
    value = builder.build(root, (), None)
    if builder.problems:
        raise YamlProblems(builder.problems)
    return value, source_map


def _too_deep_problem(file: Path, line: int, col: int) -> SpecProblem:
    return SpecProblem(
        Location(file, line, col),
        f"invalid YAML: nested more than {MAX_DEPTH} levels deep",
        hint="a zone spec nests a few levels (records.NAME.value…); remove the extra brackets",
    )


def _too_deep(file: Path, text: str) -> SpecProblem:
    """Where the document first nests deeper than MAX_DEPTH (found from the parser's
    events, which come without recursion)."""
    loader = SpecLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event: Any = loader.get_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the root collection is at depth 1
                    mark: Any = event.start_mark
                    return _too_deep_problem(file, mark.line + 1, mark.column + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return _too_deep_problem(file, 1, 1)


def _syntax_problem(file: Path, error: yaml.MarkedYAMLError) -> SpecProblem:
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or "invalid YAML"
    context = f" ({error.context})" if error.context else ""
    hint = "check the indentation and quoting near here; quote values containing ': ' or '#'"
    if "'\\t'" in problem:
        hint = "YAML allows no tabs here: indent and separate with spaces"
    elif "unknown escape character" in problem:
        hint = (
            "in double quotes a backslash starts an escape: write \\\\ for one backslash "
            '("v=DMARC1\\\\; p=reject"), or use single quotes, where \\ is literal '
            "('v=DMARC1\\; p=reject')"
        )
    return SpecProblem(Location(file, line, col), f"invalid YAML: {problem}{context}", hint=hint)


def _reader_problem(file: Path, text: str, error: yaml.YAMLError) -> SpecProblem:
    position = getattr(error, "position", 0)
    before = text[:position]
    line = before.count("\n") + 1
    col = position - (before.rfind("\n") + 1) + 1
    return SpecProblem(
        Location(file, line, col),
        f"invalid YAML: {getattr(error, 'reason', error)}",
        hint="remove the control or non-printable character",
    )


class _Builder:
    """Turns a composed node graph into plain values, recording every position."""

    def __init__(
        self, file: Path, loader: yaml.SafeLoader, source_map: SourceMap, *, aliases: bool = True
    ) -> None:
        self.file = file
        self.loader = loader
        self.source_map = source_map
        self.problems: list[SpecProblem] = []
        self._stack: set[int] | None = set() if aliases else None
        self._fast = not isinstance(loader, SpecLoader)
        self._nodes = source_map.nodes
        self._built = 0
        self._too_deep = False

    def _problem(self, span: Span, message: str, hint: str | None, path: Path_) -> None:
        self.problems.append(
            SpecProblem(Location(self.file, span.line, span.col), message, path, hint)
        )

    def _count(self, span: Span, path: Path_) -> bool:
        """Whether the alias-expanded document is still under MAX_NODES nodes."""
        self._built += 1
        if self._built <= MAX_NODES:
            return True
        if self._built == MAX_NODES + 1:
            self._problem(
                span,
                f"invalid YAML: aliases expand this document to more than {MAX_NODES} values",
                "write the values out; a spec has no use for nested aliases",
                path,
            )
        return False

    def build(self, node: Node, path: Path_, key: Span | None) -> Any:
        # the hot loop of loading specs: spans made with tuple.__new__ (no Python-level
        # NamedTuple __new__), node kinds compared by class
        start, end = node.start_mark, node.end_mark
        span = _new_span(Span, (start.line + 1, start.column + 1, end.line + 1, end.column + 1))
        if len(path) > MAX_DEPTH:
            if not self._too_deep:
                self._too_deep = True
                self.problems.append(_too_deep_problem(self.file, span.line, span.col))
            return None
        self._nodes[path] = _new_span(NodePosition, (span, key))
        if self._stack is None:
            return self._node(node, path)
        if not self._count(span, path):  # an alias bomb: 9 levels of 9 aliases are 400 bytes
            return None
        if id(node) in self._stack:
            self._problem(span, "invalid YAML: an alias refers to itself", None, path)
            return None
        self._stack.add(id(node))
        try:
            return self._node(node, path)
        finally:
            self._stack.discard(id(node))

    def _node(self, node: Node, path: Path_) -> Any:
        kind = node.__class__
        if kind is MappingNode:
            return self._mapping(node, path)  # type: ignore[arg-type]
        if kind is SequenceNode:
            build = self.build
            return [build(item, (*path, i), None) for i, item in enumerate(node.value)]
        if kind is ScalarNode:
            return self._scalar(node, path)
        return self._node_slow(node, path)

    def _node_slow(self, node: Node, path: Path_) -> Any:
        """Subclasses of the node classes (none from PyYAML's own composer)."""
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), None) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: Node, path: Path_) -> Any:
        # the common tags without the constructor's machinery (same values)
        if self._fast and node.value == "" and not getattr(node, "style", None):
            raise _EmptyPlainScalar  # plain: None to PyYAML, "" to libyaml
        if node.tag == _STR:
            return node.value
        if node.tag == _INT and _DECIMAL.match(node.value):
            return int(node.value)
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            self._problem(
                Span.of(node),
                f"invalid YAML value: {getattr(error, 'problem', error)}",
                "remove the '!tag'; dnsspec reads plain YAML values only",
                path,
            )
            return None

    def _mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, Span] = {}
        for key_node, value_node in node.value:
            start, end = key_node.start_mark, key_node.end_mark
            key_span = _new_span(
                Span, (start.line + 1, start.column + 1, end.line + 1, end.column + 1)
            )
            if not isinstance(key_node, ScalarNode):
                self._problem(
                    key_span,
                    "a mapping key must be a plain name, not a list or a mapping",
                    "write 'name: value'",
                    path,
                )
                continue
            if self._fast and key_node.value == "" and not key_node.style:
                raise _EmptyPlainScalar
            # Keys are names (fields, DNS labels): keep their text, so `123:`
            # and `true:` stay the strings the user wrote.
            key = str(key_node.value)
            if key in seen:
                first = seen[key]
                self._problem(
                    key_span,
                    f"duplicate key '{key}' "
                    f"(first defined at line {first.line}, column {first.col})",
                    "YAML keeps only one of them; merge the two entries into one",
                    (*path, key),
                )
                continue
            seen[key] = key_span
            result[key] = self.build(value_node, (*path, key), key_span)
        return result
