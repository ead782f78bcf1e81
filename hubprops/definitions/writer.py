"""Writing definitions files in one canonical layout, keeping what people wrote around them.

The layout (``hubprops fmt``, ``hubprops pull``):

- top-level keys in the order ``objectType``, ``groups``, ``properties``, ``renames``;
- each group and property with its keys in the order HubSpot lists fields (``name`` first, then
  ``PROPERTY_FIELDS`` / ``GROUP_FIELDS``); keys unknown here keep their order after those;
- each option on one line (``- { label: A, value: a }``), its keys as ``OPTION_KEYS``;
- 2-space indentation, list items indented under their key, no line folding.

Files are read and written with ruamel.yaml's round-trip mode, so comments, blank lines and
quoting survive; a key carries the comments that follow it on its way to its new place.
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from hubprops.normalize import GROUP_FIELDS, PROPERTY_FIELDS

#: Top-level keys of a definitions file, in canonical order.
TOP_KEYS: tuple[str, ...] = ("objectType", "groups", "properties", "renames")
#: Keys of one option, in canonical order.
OPTION_KEYS: tuple[str, ...] = ("label", "value", "description", "displayOrder", "hidden")
#: Where ``hubprops init`` puts the definitions JSON Schema, relative to the project root.
SCHEMA_PATH = "schemas/definitions.schema.json"
SCHEMA_COMMENT = "# yaml-language-server: $schema="

_FLOW_LINE = re.compile(r"^(\s*- )\{(?! )(.*?)(?<! )\}(\s+#.*)?$")


def _dumper() -> Any:
    import yaml

    return getattr(yaml, "CSafeDumper", yaml.SafeDumper)


_DUMPER = _dumper()


class LayoutError(ValueError):
    """A file that cannot be laid out: not YAML (``line`` is 1-based, 0 when unknown)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a long description onto a second line
    yaml.preserve_quotes = True
    return yaml


def load_round_trip(text: str) -> Any:
    """Parse YAML text keeping comments and order. Raises LayoutError when it is not YAML."""
    try:
        return _yaml().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise LayoutError(f"not valid YAML: {problem}", line) from exc


def dump_round_trip(data: Any) -> str:
    """YAML text of ``data`` (a round-trip tree) in the canonical layout."""
    out = io.StringIO()
    _yaml().dump(data, out)
    return "".join(_pad_flow(line) for line in out.getvalue().splitlines(keepends=True))


def _pad_flow(line: str) -> str:
    """``- {a: 1}`` -> ``- { a: 1 }``: the spacing the repository's files use."""
    body = line.rstrip("\n")
    match = _FLOW_LINE.match(body)
    if not match:
        return line
    comment = f" {match.group(3).strip()}" if match.group(3) else ""
    return f"{match.group(1)}{{ {match.group(2)} }}{comment}" + line[len(body) :]


def _comment(mapping: CommentedMap, key: Any) -> tuple[str, int]:
    """The comment text ruamel keeps after ``key``'s value (its end-of-line comment when the
    text starts with ``#``, then the blank and comment lines up to the next key), and the
    column of that end-of-line comment."""
    slots = mapping.ca.items.get(key)
    token = slots[2] if slots and len(slots) > 2 else None
    if not isinstance(token, CommentToken):
        return "", 0
    return str(token.value), token.start_mark.column if token.start_mark else 0


def _set_comment(mapping: CommentedMap, key: Any, text: str, column: int = 0) -> None:
    slots = mapping.ca.items.setdefault(key, [None, None, None, None])
    slots[2] = CommentToken(text, CommentMark(column)) if text else None
    if not any(slots):
        del mapping.ca.items[key]


def _split(text: str) -> tuple[str, str]:
    """(end-of-line comment, following lines) of a comment text."""
    if text.startswith("#"):
        first, _, rest = text.partition("\n")
        return first, rest
    return "", text[1:] if text.startswith("\n") else text


def _reorder(mapping: CommentedMap, order: Sequence[str]) -> None:
    """Move ``order``'s keys to the front, in that order; others keep theirs after them. The
    lines after the mapping's last value (a blank line, the next item's comment) stay last."""
    rank = {key: i for i, key in enumerate(order)}
    keys = list(mapping.keys())
    wanted = sorted(keys, key=lambda k: (rank.get(k, len(order)), keys.index(k)))
    if wanted == keys:
        return
    text, column = _comment(mapping, keys[-1])
    eol, trailing = _split(text)
    _set_comment(mapping, keys[-1], eol + "\n" if eol else "", column)
    for key in wanted:
        mapping.move_to_end(key)
    if trailing:
        own, own_column = _comment(mapping, wanted[-1])
        _set_comment(mapping, wanted[-1], (own or "\n") + trailing, own_column)


def canonicalize(document: Any) -> Any:
    """Lay out a parsed definitions document (in place when it is a round-trip tree) and
    return it. Anything not shaped like a definitions document is left as it is."""
    if not isinstance(document, CommentedMap):
        return document
    _reorder(document, TOP_KEYS)
    for kind, fields in (("groups", GROUP_FIELDS), ("properties", PROPERTY_FIELDS)):
        items = document.get(kind)
        if not isinstance(items, list):
            continue
        for item in items:
            if isinstance(item, CommentedMap):
                _reorder(item, ("name", *fields))
                if kind == "properties":
                    _options(item.get("options"))
    return document


def _options(options: Any) -> None:
    if not isinstance(options, CommentedSeq):
        return
    options.fa.set_block_style()
    for index, option in enumerate(options):
        if not isinstance(option, CommentedMap) or option.fa.flow_style():
            continue
        _reorder(option, OPTION_KEYS)
        # A flow mapping cannot hold comments: its keys' comments become the line's comment.
        eols: list[str] = []
        trailing = ""
        for key in list(option.keys()):
            eol, rest = _split(_comment(option, key)[0])
            eols += [eol] if eol else []
            trailing += rest
            _set_comment(option, key, "")
        text = " ".join(eols) + "\n" + trailing if eols or trailing else ""
        if text:
            options.ca.items[index] = [CommentToken(text, CommentMark(0)), None]
        option.fa.set_flow_style()


def format_text(text: str) -> str:
    """``text`` (one YAML definitions file) in the canonical layout, comments kept.

    Raises LayoutError when the text is not YAML."""
    document = load_round_trip(text)
    if document is None:
        return text
    return dump_round_trip(canonicalize(document))


def _plain(value: Any) -> Any:
    """``value`` ready to dump: nested dicts and lists become round-trip nodes, and a string
    that a YAML 1.1 reader (PyYAML, most editors) would take for something else (``Yes``,
    ``no``, ``1e5``, ``null``) is double-quoted."""
    if isinstance(value, Mapping):
        return CommentedMap((k, _plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_plain(v) for v in value)
    if isinstance(value, str) and _resolves_to_other(value):
        return DoubleQuotedScalarString(value)
    return value


@functools.lru_cache(maxsize=4096)
def _resolves_to_other(text: str) -> bool:
    import yaml

    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag != "tag:yaml.org,2002:str")


def new_document(
    object_type: str,
    groups: Iterable[Mapping[str, Any]],
    properties: Iterable[Mapping[str, Any]],
    *,
    schema_ref: str | None = None,
    header: str = "",
) -> str:
    """A new definitions file in the canonical layout: the schema comment (when
    ``schema_ref``), ``header`` as comment lines, then the document; a blank line between
    properties. Written directly (a portal's 1,000 properties in milliseconds, where a
    round-trip dump takes seconds); ``format_text`` of the result is the result."""
    lines = [f"{SCHEMA_COMMENT}{schema_ref}"] if schema_ref else []
    lines += ["#"] if schema_ref and header else []
    lines += [f"# {line}".rstrip() for line in header.splitlines()]
    lines.append(f"objectType: {_scalar(object_type)}")
    for kind, fields, items in (
        ("groups", GROUP_FIELDS, list(groups)),
        ("properties", PROPERTY_FIELDS, list(properties)),
    ):
        if not items:
            continue
        lines += ["", f"{kind}:"]
        for index, item in enumerate(items):
            if index and kind == "properties":
                lines.append("")
            lines += _item(item, ("name", *fields))
    return "\n".join(lines) + "\n"


def _item(item: Mapping[str, Any], order: Sequence[str]) -> list[str]:
    rank = {key: i for i, key in enumerate(order)}
    keys = sorted(item, key=lambda k: (rank.get(k, len(order)), list(item).index(k)))
    out: list[str] = []
    for key in keys:
        lead = "  - " if not out else "    "
        value = item[key]
        if key == "options" and isinstance(value, list):
            out.append(f"{lead}options:")
            for option in value:
                okeys = sorted(
                    option, key=lambda k: OPTION_KEYS.index(k) if k in OPTION_KEYS else 99
                )
                pairs = ", ".join(f"{k}: {_scalar(option[k], flow=True)}" for k in okeys)
                out.append(f"      - {{ {pairs} }}")
        else:
            out.append(f"{lead}{key}: {_scalar(value)}")
    return out


_FLOW_UNSAFE = re.compile(r"[,\[\]{}#]|: ")


def _scalar(value: Any, *, flow: bool = False) -> str:
    """One scalar as YAML that PyYAML (YAML 1.1) and ruamel (1.2) read back as ``value``."""
    if isinstance(value, str) and (
        any(ord(c) < 32 for c in value) or (flow and _FLOW_UNSAFE.search(value))
    ):
        return json.dumps(value, ensure_ascii=False)
    import yaml

    text = yaml.dump(value, Dumper=_DUMPER, width=1 << 30, allow_unicode=True)
    return text.removesuffix("\n...\n").rstrip("\n")


def append_items(document: CommentedMap, kind: str, items: Iterable[Mapping[str, Any]]) -> int:
    """Append ``items`` to ``document[kind]`` (created when missing), keeping everything else;
    returns how many were appended. Used by ``pull --merge``."""
    added = 0
    target = document.get(kind)
    if not isinstance(target, CommentedSeq):
        target = CommentedSeq()
        document[kind] = target
    for item in items:
        if kind == "properties" and len(target):
            _blank_line_after(target[-1])
        target.append(_plain(item))
        added += 1
    canonicalize(document)
    return added


def _blank_line_after(node: Any) -> None:
    """End ``node`` (the last item so far) with a blank line, unless it already does."""
    if isinstance(node, CommentedMap) and len(node):
        key = list(node.keys())[-1]
        if isinstance(node[key], (CommentedMap, CommentedSeq)) and len(node[key]):
            _blank_line_after(node[key])
            return
        text, column = _comment(node, key)
        if "\n\n" not in text and not text.startswith("\n"):
            _set_comment(node, key, (text or "\n") + "\n", column)
    elif isinstance(node, CommentedSeq) and len(node):
        last = node[-1]
        if isinstance(last, CommentedMap) and not last.fa.flow_style():
            _blank_line_after(last)
            return
        slots = node.ca.items.get(len(node) - 1)
        token = slots[0] if slots else None
        text = str(token.value) if isinstance(token, CommentToken) else "\n"
        if "\n\n" not in text:
            node.ca.items[len(node) - 1] = [CommentToken(text + "\n", CommentMark(0)), None]
