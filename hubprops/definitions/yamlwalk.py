"""PyYAML's side of :func:`hubprops.definitions.positions.parse_document`: walk the composed node
tree of one document into its data, the position of every key and item, and keys written twice
(see that module), and turn PyYAML's errors into located :class:`DocumentSyntaxError` s.
"""

from __future__ import annotations

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

__all__ = [
    "MAX_ALIAS_EXPANSION",
    "MarkedYAMLError",
    "YAMLError",
    "other_error",
    "syntax_error",
    "walk",
]

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


def syntax_error(exc: yaml.MarkedYAMLError, text: str) -> DocumentSyntaxError:
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


def other_error(exc: yaml.YAMLError, text: str) -> DocumentSyntaxError:
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
        index = exc.position
        line = text.count("\n", 0, index) + 1
        column = index - text.rfind("\n", 0, index)
        message = f"invalid YAML: character #x{exc.character:04x} is not allowed ({exc.reason})"
        return DocumentSyntaxError(message, line, column)
    return DocumentSyntaxError(f"invalid YAML: {exc}", 1, 1)


def walk(text: str) -> ParsedDocument:
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
