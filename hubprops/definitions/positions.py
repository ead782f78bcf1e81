"""Parse a YAML or JSON definitions file and remember where every key and item is.

PyYAML's composer keeps a start mark on every node; walking the node tree instead of calling
``yaml.safe_load`` gives both the data and a map from JSON path (``("properties", 2, "type")``)
to a 1-based ``(line, column)``: the position of the *key* for mapping members and of the *item*
for list items. Errors found later (schema, semantic) are located with :func:`locate`.

JSON files take their values from :mod:`json` (YAML 1.1 reads ``1e5`` as a string) and their
positions from the same YAML walk, which understands JSON's syntax.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

#: A location inside a document: mapping keys (str) and list indexes (int).
JsonPath = tuple[str | int, ...]
#: 1-based (line, column).
Position = tuple[int, int]

_MERGE_TAG = "tag:yaml.org,2002:merge"
#: The most values aliases may add to a document by repeating what an anchor holds. Definitions
#: rarely use aliases at all; nine levels of nine aliases (a "billion laughs") would otherwise
#: expand to hundreds of millions of values.
MAX_ALIAS_EXPANSION = 100_000

#: libyaml's parser when PyYAML was built with it (about 6x faster), else the pure-Python one.
#: Both keep the same node marks.
_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)


class DocumentSyntaxError(Exception):
    """The file is not well-formed YAML/JSON. ``line``/``column`` are 1-based."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class DuplicateKey:
    """A key written twice in one mapping (YAML would silently keep the last one)."""

    path: JsonPath
    line: int
    column: int
    first_line: int


@dataclass
class ParsedDocument:
    """A document's data, the position of each path in it, and keys written twice."""

    data: Any
    positions: dict[JsonPath, Position] = field(default_factory=dict)
    duplicate_keys: list[DuplicateKey] = field(default_factory=list)


def format_path(path: JsonPath) -> str:
    """``("properties", 2, "options", 0, "value")`` -> ``properties[2].options[0].value``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def locate(positions: dict[JsonPath, Position], path: JsonPath) -> Position:
    """The position of ``path``, or of its nearest recorded ancestor; ``(1, 1)`` at worst."""
    for end in range(len(path), -1, -1):
        found = positions.get(path[:end])
        if found is not None:
            return found
    return (1, 1)


def parse_document(text: str, *, json_syntax: bool = False) -> ParsedDocument:
    """Parse one file's text. Raises :class:`DocumentSyntaxError` when it is malformed.

    An empty document parses to ``data=None``.
    """
    json_data: Any = None
    if json_syntax:
        try:
            json_data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DocumentSyntaxError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from exc
        except RecursionError as exc:
            raise DocumentSyntaxError(
                "invalid JSON: lists or objects nested too deeply", 1, 1
            ) from exc
        except ValueError as exc:  # an integer of more than 4,300 digits
            raise DocumentSyntaxError(
                "invalid JSON: a number with too many digits", *_long_number(text)
            ) from exc
    try:
        # Valid JSON has tabs only as whitespace (never raw inside strings), which YAML refuses
        # in places; a space is one column too, so positions stay exact.
        parsed = _walk_yaml(text.replace("\t", " ") if json_syntax else text)
    except yaml.MarkedYAMLError as exc:
        if json_syntax:  # valid JSON that PyYAML cannot read: keep the data, lose positions
            return ParsedDocument(json_data)
        raise _syntax_error(exc, text) from exc
    except yaml.YAMLError as exc:
        if json_syntax:
            return ParsedDocument(json_data)
        raise _other_error(exc, text) from exc
    if json_syntax:
        parsed.data = json_data
    return parsed


def _long_number(text: str) -> Position:
    """Where the first run of over 4,300 digits starts (what Python's int() refuses)."""
    match = re.search(r"\d{4301,}", text)
    if match is None:
        return (1, 1)
    index = match.start()
    return (text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index))


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> DocumentSyntaxError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if exc.problem and "found another document" in exc.problem:
        message = (
            "invalid YAML: a definitions file holds one document; remove this '---' line "
            "or split the file in two"
        )
        return DocumentSyntaxError(message, line, column)
    message = f"invalid YAML: {exc.problem or exc.context or 'cannot parse'}"
    if exc.problem and "mapping values are not allowed" in exc.problem:
        message += " (check the indentation; quote values that contain ': ')"
    if exc.context and exc.problem and exc.context_mark is not None:
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    lines = text.splitlines()
    if (
        mark is not None
        and mark.line < len(lines)
        and lines[mark.line][mark.column : mark.column + 1] == "\t"
    ):
        message += "; YAML does not allow tabs for indentation: use spaces"
    return DocumentSyntaxError(message, line, column)


def _other_error(exc: yaml.YAMLError, text: str) -> DocumentSyntaxError:
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
        index = exc.position
        line = text.count("\n", 0, index) + 1
        column = index - text.rfind("\n", 0, index)
        message = f"invalid YAML: character #x{exc.character:04x} is not allowed ({exc.reason})"
        return DocumentSyntaxError(message, line, column)
    return DocumentSyntaxError(f"invalid YAML: {exc}", 1, 1)


def _walk_yaml(text: str) -> ParsedDocument:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        result = ParsedDocument(None)
        if root is not None:
            result.positions[()] = _pos(root)
            result.data = _Walker(loader, result).build(root, ())
        return result
    finally:
        loader.dispose()


def _pos(node: Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Walker:
    def __init__(self, loader: yaml.SafeLoader | yaml.CSafeLoader, result: ParsedDocument) -> None:
        self.loader = loader
        self.result = result
        self.active: set[int] = set()
        self.seen: set[int] = set()
        self.repeats = 0

    def build(self, node: Node, path: JsonPath) -> Any:
        if id(node) in self.active:
            raise DocumentSyntaxError("invalid YAML: an alias refers to itself", *_pos(node))
        if id(node) in self.seen:  # reached again through an alias
            self.repeats += 1
            if self.repeats > MAX_ALIAS_EXPANSION:
                raise DocumentSyntaxError(
                    f"invalid YAML: aliases expand to more than {MAX_ALIAS_EXPANSION} values "
                    "(a definitions file does not need aliases: write the values out)",
                    *_pos(node),
                )
        self.seen.add(id(node))
        self.active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
            if isinstance(node, SequenceNode):
                items = []
                for index, child in enumerate(node.value):
                    item_path = (*path, index)
                    self.result.positions[item_path] = _pos(child)
                    items.append(self.build(child, item_path))
                return items
            return self._scalar(node)
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: MappingNode, path: JsonPath) -> dict[str, Any]:
        seen: dict[str, Position] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self._key(key_node)
            if key in seen:
                line, column = _pos(key_node)
                self.result.duplicate_keys.append(
                    DuplicateKey((*path, key), line, column, seen[key][0])
                )
            else:
                seen[key] = _pos(key_node)
        self.loader.flatten_mapping(node)  # resolves `<<: *anchor`; own keys come last and win
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            key_path = (*path, key)
            self.result.positions[key_path] = _pos(key_node)
            mapping[key] = self.build(value_node, key_path)
        return mapping

    def _scalar(self, node: Node) -> Any:
        """A scalar's value; a tag that cannot construct it (``!!int 'abc'``, ``!!bool maybe``,
        an integer of more than 4,300 digits) is a located error, not a crash."""
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.MarkedYAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            shown = str(node.value)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            tag = str(node.tag).rsplit(":", 1)[-1]
            reason = "too many digits" if "digits" in str(exc) else f"not a valid {tag}"
            raise DocumentSyntaxError(
                f"invalid YAML: cannot read {shown!r} ({reason})", *_pos(node)
            ) from exc
        return value

    @staticmethod
    def _key(node: Node) -> str:
        if not isinstance(node, ScalarNode):
            raise DocumentSyntaxError("invalid YAML: a key must be a plain string", *_pos(node))
        # Keys are field names: keep the text as written (YAML 1.1 would turn `on:` into True).
        return str(node.value)
