"""Where every key and item of a parsed definitions file is: a map from JSON path
(``("properties", 2, "type")``) to a 1-based ``(line, column)``, the position of the *key* for
mapping members and of the *item* for list items. Errors found after parsing (schema, semantic)
are located with :func:`locate`.

The parsing itself (PyYAML's node walk) is :mod:`hubprops.definitions.parse`, imported only
when a file is actually parsed: a run whose files all come from the parse cache never imports
PyYAML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

#: A location inside a document: mapping keys (str) and list indexes (int).
JsonPath = tuple[str | int, ...]
#: 1-based (line, column).
Position = tuple[int, int]


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
    positions: Mapping[JsonPath, Position] = field(default_factory=dict)
    duplicate_keys: list[DuplicateKey] = field(default_factory=list)


#: Paths of at most this many parts are what a clean load asks for: a document's own position,
#: its top-level keys, and each group's, property's and rename's item.
SHALLOW_DEPTH = 2


class LazyPositions(Mapping[JsonPath, Position]):
    """Positions split by depth: the shallow ones (``SHALLOW_DEPTH``) given, the deeper ones
    (every field of every item: most of them) made by ``deep`` on the first lookup that needs
    one, that is when a problem must be located. The parse cache gives its entries' positions
    this way, so that loading unchanged files spends nothing on positions nobody asks for."""

    def __init__(
        self, shallow: dict[JsonPath, Position], deep: Callable[[], dict[JsonPath, Position]]
    ) -> None:
        self._shallow = shallow
        self._deep = deep
        self._all: dict[JsonPath, Position] | None = None

    def _everything(self) -> dict[JsonPath, Position]:
        found = self._all
        if found is None:  # two threads racing here both build the same map
            found = {**self._shallow, **self._deep()}
            self._all = found
        return found

    def __getitem__(self, path: JsonPath) -> Position:
        if len(path) <= SHALLOW_DEPTH:
            return self._shallow[path]
        return self._everything()[path]

    def __contains__(self, path: object) -> bool:
        if isinstance(path, tuple) and len(path) <= SHALLOW_DEPTH:
            return path in self._shallow
        return path in self._everything()

    def __iter__(self) -> Iterator[JsonPath]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]  # a mapping: unhashable, like dict


def format_path(path: JsonPath) -> str:
    """``("properties", 2, "options", 0, "value")`` -> ``properties[2].options[0].value``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def locate(positions: Mapping[JsonPath, Position], path: JsonPath) -> Position:
    """The position of ``path``, or of its nearest recorded ancestor; ``(1, 1)`` at worst."""
    for end in range(len(path), -1, -1):
        found = positions.get(path[:end])
        if found is not None:
            return found
    return (1, 1)
