"""Parse a YAML or JSON definitions file and remember where every key and item is
(:mod:`hubprops.definitions.positions`).

PyYAML's composer keeps a start mark on every node; walking the node tree instead of calling
``yaml.safe_load`` gives both the data and a map from JSON path (``("properties", 2, "type")``)
to a 1-based ``(line, column)``: the position of the *key* for mapping members and of the *item*
for list items. PyYAML's errors become located :class:`DocumentSyntaxError` s.

JSON files take their values from :mod:`json` (YAML 1.1 reads ``1e5`` as a string) and their
positions from the same YAML walk, which understands JSON's syntax.

The loader imports this module only on a parse cache miss.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from yaml import MarkedYAMLError, YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hubprops.definitions.positions import (
    DocumentSyntaxError,
    DuplicateKey,
    JsonPath,
    ParsedDocument,
    Position,
)

__all__ = ["MAX_ALIAS_EXPANSION", "parse_document"]

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
        parsed = _walk(text.replace("\t", " ") if json_syntax else text)
    except MarkedYAMLError as exc:
        if json_syntax:  # valid JSON that PyYAML cannot read: keep the data, lose positions
            return ParsedDocument(json_data)
        raise _syntax_error(exc, text) from exc
    except YAMLError as exc:
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


def _walk(text: str) -> ParsedDocument:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        positions: dict[JsonPath, Position] = {}
        result = ParsedDocument(None, positions)
        if root is not None:
            positions[()] = _pos(root)
            result.data = _Walker(loader, result, positions).build(root, ())
        return result
    finally:
        loader.dispose()


def _pos(node: Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Walker:
    def __init__(
        self,
        loader: yaml.SafeLoader | yaml.CSafeLoader,
        result: ParsedDocument,
        positions: dict[JsonPath, Position],
    ) -> None:
        self.loader = loader
        self.result = result
        self.positions = positions
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
                    self.positions[item_path] = _pos(child)
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
            self.positions[key_path] = _pos(key_node)
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
