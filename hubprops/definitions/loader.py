"""Load a definitions folder: YAML/JSON files -> validated, located :class:`Definitions`.

Every ``*.yaml``, ``*.yml`` and ``*.json`` file under the folder (sub-folders included, hidden
ones skipped) is parsed with line numbers (:mod:`hubprops.definitions.positions`), checked against
``schemas/definitions.schema.json`` (:mod:`hubprops.definitions.schema`) and then, across all files,
by :mod:`hubprops.definitions.semantic`. Every problem of every file is collected before anything is
raised, so one run of ``hubprops validate`` shows them all.

Default property groups that HubSpot creates in every portal are listed once, here, in
:data:`DEFAULT_GROUPS`; a property may use them without declaring them.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from hubprops.definitions import legacy
from hubprops.definitions.cache import CachedFile, Check, ParseCache
from hubprops.definitions.positions import (
    DocumentSyntaxError,
    JsonPath,
    ParsedDocument,
    Position,
    format_path,
    locate,
)
from hubprops.definitions.renames import rename_diagnostics
from hubprops.definitions.schema import definitions_schema, schema_diagnostics
from hubprops.definitions.semantic import SourceDocument, semantic_diagnostics
from hubprops.errors import DefinitionError, Diagnostic
from hubprops.fsutil import read_regular
from hubprops.models import (
    Definitions,
    GroupDef,
    ObjectDefinitions,
    PropertyDef,
    RenameDef,
    SourceLocation,
)
from hubprops.rules import DEFAULT_GROUPS

__all__ = [
    "DEFAULT_DIRECTORY",
    "DEFAULT_GROUPS",
    "DEFINITION_SUFFIXES",
    "LoadedDefinitions",
    "definitions_schema",
    "find_definition_files",
    "load_definitions",
    "validate_document",
]

M = TypeVar("M", GroupDef, PropertyDef, RenameDef)

DEFAULT_DIRECTORY = "definitions"
DEFINITION_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class LoadedDefinitions:
    """A folder's definitions, and the warnings found on the way (errors are raised instead)."""

    definitions: Definitions
    warnings: tuple[Diagnostic, ...] = ()


def display_path(path: Path) -> str:
    """``path`` as a user reads it: relative to the working directory when it lies below it."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def find_definition_files(directory: str | Path) -> list[Path]:
    """Definition files under ``directory`` (or ``directory`` itself if it is a file), sorted.

    Raises DefinitionError when the folder does not exist or holds no definition files, and
    naming every folder or file under it that cannot be read (permissions, a broken symlink, a
    symlink loop, a FIFO or device with a definitions suffix): a folder skipped silently would
    make its properties look deleted to ``plan --prune``.
    """
    root = Path(directory)
    problems: list[Diagnostic] = []
    try:
        if root.is_file():
            return [root]
        if root.exists() and not root.is_dir():
            raise _folder_error(root, "not a regular file or folder (a FIFO or device?)")
        if not root.is_dir():
            raise _folder_error(root, "no such directory (point -d at your definitions folder)")
        files = sorted(_walk(root, problems))
    except OSError as exc:  # e.g. a name longer than the file system allows
        raise _folder_error(root, f"cannot read this folder: {exc.strerror or exc}") from exc
    if problems:
        raise DefinitionError(_sorted(problems))
    if not files:
        pattern = ", ".join(f"*{s}" for s in DEFINITION_SUFFIXES)
        raise _folder_error(root, f"no definition files ({pattern}) in this folder")
    return files


def _walk(root: Path, problems: list[Diagnostic]) -> list[Path]:
    """Definition files below ``root``, following symlinks once (a folder met twice is a loop);
    hidden names are skipped. Everything that cannot be read is added to ``problems``."""
    found: list[Path] = []
    info = root.stat()
    seen = {(info.st_dev, info.st_ino)}
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(_unreadable(folder, "cannot read this folder", exc))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                st = entry.stat()  # follows symlinks
            except OSError as exc:
                problems.append(_unreadable(path, "cannot read", exc, link=entry.is_symlink()))
                continue
            if stat.S_ISDIR(st.st_mode):
                if (st.st_dev, st.st_ino) in seen:
                    problems.append(_folder_error_diag(path, "symlink loop: folder seen already"))
                    continue
                seen.add((st.st_dev, st.st_ino))
                pending.append(path)
            elif path.suffix.lower() in DEFINITION_SUFFIXES:
                if stat.S_ISREG(st.st_mode):
                    found.append(path)
                else:
                    message = "not a regular file (a FIFO or device is never read)"
                    problems.append(_folder_error_diag(path, message))
    return found


def _unreadable(path: Path, what: str, exc: OSError, *, link: bool = False) -> Diagnostic:
    if link and exc.errno == errno.ENOENT:
        reason = "broken symlink (it points to nothing)"
    elif exc.errno == errno.ELOOP:
        reason = "symlink loop"
    else:
        reason = exc.strerror or str(exc)
    return _folder_error_diag(path, f"{what}: {reason}; nothing was planned from this folder")


def _folder_error_diag(path: Path, message: str) -> Diagnostic:
    return Diagnostic(display_path(path), 0, 0, "", message)


def _folder_error(root: Path, message: str) -> DefinitionError:
    return DefinitionError([Diagnostic(display_path(root), 0, 0, "", message)])


def validate_document(
    data: Any, *, file: str = "<document>", positions: Mapping[JsonPath, Position] | None = None
) -> list[Diagnostic]:
    """Schema diagnostics of one already parsed document (no cross-file checks)."""
    return schema_diagnostics(data, file=file, positions=positions)


def load_definitions(
    directory: str | Path = DEFAULT_DIRECTORY, *, cache: ParseCache | None = None
) -> LoadedDefinitions:
    """Load, validate and gather every definitions file under ``directory``.

    Raises DefinitionError carrying every error and warning of every file when any error exists.
    Definitions are keyed by canonical object type (``0-1`` and ``contacts`` are one); each
    PropertyDef/GroupDef carries its ``source`` (file and line) and only the fields its file sets.
    """
    return load_definitions_from([directory], cache=cache)


def load_definitions_from(
    paths: Sequence[str | Path], *, cache: ParseCache | None = None
) -> LoadedDefinitions:
    """``load_definitions`` over several folders and files (``validate -d A -d B FILE...``),
    each file loaded once. A folder that does not exist or holds no definitions is an error;
    every path is checked before raising, so all such problems are reported together."""
    files: list[Path] = []
    missing: list[Diagnostic] = []
    for path in paths:
        try:
            found = find_definition_files(path)
        except DefinitionError as exc:
            missing.extend(exc.diagnostics)
            continue
        seen = {p.resolve() for p in files}
        files += [p for p in found if p.resolve() not in seen]
    if missing:
        raise DefinitionError(missing)
    documents: list[SourceDocument] = []
    diagnostics: list[Diagnostic] = []
    for path in files:
        doc, problems = _read_document(path, cache)
        diagnostics.extend(problems)
        if doc is not None:
            documents.append(doc)
    diagnostics.extend(semantic_diagnostics(documents, DEFAULT_GROUPS))
    diagnostics.extend(rename_diagnostics(documents))
    _raise_on_errors(diagnostics)
    definitions, problems = _build(documents, tuple(display_path(p) for p in files))
    _raise_on_errors([*diagnostics, *problems])
    return LoadedDefinitions(definitions=definitions, warnings=_sorted(diagnostics))


def _sorted(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(diagnostics, key=lambda d: (d.file, d.line, d.column, d.path)))


def _raise_on_errors(diagnostics: list[Diagnostic]) -> None:
    if any(d.severity == "error" for d in diagnostics):
        raise DefinitionError(_sorted(diagnostics))


def _read_document(
    path: Path, cache: ParseCache | None = None
) -> tuple[SourceDocument | None, list[Diagnostic]]:
    file = display_path(path)
    try:
        raw = read_regular(path)
    except OSError as exc:
        return None, [Diagnostic(file, 0, 0, "", f"cannot read file: {exc.strerror or exc}")]
    json_syntax = path.suffix.lower() == ".json"
    key = cache.key(raw, "json" if json_syntax else "yaml") if cache is not None else ""
    hit = cache.get(key) if cache is not None else None
    if hit is not None:
        parsed, checks = hit.parsed, hit.checks
    else:
        try:
            # utf-8-sig: a byte order mark (Windows editors write one) is read, not an error.
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return None, [_not_utf8(file, raw, exc)]
        from hubprops.definitions.parse import parse_document  # PyYAML: only on a cache miss

        try:
            parsed = parse_document(text, json_syntax=json_syntax)
        except DocumentSyntaxError as exc:
            return None, [Diagnostic(file, exc.line, exc.column, "", exc.message)]
        checks = None
    if parsed.data is None:
        message = "file is empty: a definitions file needs at least objectType"
        return None, [Diagnostic(file, 1, 1, "", message)]
    if legacy.is_legacy(path, parsed.data):  # the original service's contact.json / lead.json
        parsed, checks = legacy.as_native(path, parsed), None
    elif checks is None:
        checks = file_checks(parsed)
        if cache is not None:
            cache.put(key, CachedFile(parsed, checks))
    problems = [
        Diagnostic(
            file,
            dup.line,
            dup.column,
            format_path(dup.path),
            f"written twice in one mapping (first at line {dup.first_line}); "
            "only the last one would count",
        )
        for dup in parsed.duplicate_keys
    ]
    if checks is None:  # a legacy file: checked in its native form, never cached
        checks = file_checks(parsed)
    problems.extend(Diagnostic(file, *check) for check in checks)
    return SourceDocument(file, parsed.data, parsed.positions), problems


def file_checks(parsed: ParsedDocument) -> tuple[Check, ...]:
    """The schema's and the text checks' problems of one parsed document, without its file."""
    found = [
        (d.line, d.column, d.path, d.message, d.severity)
        for d in schema_diagnostics(parsed.data, file="", positions=parsed.positions)
    ]
    found.extend(
        (*locate(parsed.positions, where), format_path(where), message, "error")
        for where, message in _text_problems(parsed.data, ())
    )
    return tuple(found)


#: Fields whose value is an identifier checked by a schema ``pattern``. JSON Schema's patterns
#: are searched, and Python's ``$`` also matches before a final line break: ``"contacts\n"``
#: would pass ``^(contacts|...)$``. These must match the pattern exactly.
_IDENTIFIER_FIELDS = frozenset({"objectType", "name", "groupName", "from", "to"})
#: Fields a person reads: blank (only spaces) is as good as missing.
_TEXT_FIELDS = frozenset({"label"})


def _text_problems(value: Any, path: JsonPath) -> list[tuple[JsonPath, str]]:
    """Strings the schema lets through but HubSpot or the planner cannot use: a lone surrogate
    (``"\ud800"`` in JSON: not encodable as UTF-8), an identifier ending in a line break, a
    blank label. Iterative, so a deep document cannot exhaust the stack."""
    found: list[tuple[JsonPath, str]] = []
    pending: list[tuple[Any, JsonPath]] = [(value, path)]
    while pending:
        item, where = pending.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                if _has_surrogate(str(key)):
                    found.append((where, "a key holds a lone surrogate (not valid Unicode)"))
                pending.append((child, (*where, str(key))))
        elif isinstance(item, list):
            pending.extend((child, (*where, i)) for i, child in enumerate(item))
        elif isinstance(item, str):
            field = where[-1] if where else ""
            if _has_surrogate(item):
                found.append((where, "holds a lone surrogate (not valid Unicode text)"))
            elif field in _IDENTIFIER_FIELDS and item != item.rstrip("\r\n"):
                found.append((where, f"{item!r} ends with a line break; remove it"))
            elif field in _TEXT_FIELDS and not item.strip():
                found.append((where, "is blank; write a label people can read"))
    return sorted(found, key=lambda f: format_path(f[0]))


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _not_utf8(file: str, raw: bytes, exc: UnicodeDecodeError) -> Diagnostic:
    """Locate the first byte that is not UTF-8 (1-based line, and column in characters)."""
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    line = raw.count(b"\n", 0, exc.start) + 1
    column = len(raw[line_start : exc.start].decode("utf-8-sig", errors="replace")) + 1
    message = (
        f"not UTF-8 text: byte 0x{raw[exc.start]:02x} ({exc.reason}); "
        "save the file as UTF-8 in your editor"
    )
    return Diagnostic(file, line, column, "", message)


def _build(
    documents: list[SourceDocument], files: tuple[str, ...]
) -> tuple[Definitions, list[Diagnostic]]:
    properties: dict[str, list[PropertyDef]] = {}
    groups: dict[str, list[GroupDef]] = {}
    renames: dict[str, list[RenameDef]] = {}
    problems: list[Diagnostic] = []
    for doc in documents:
        object_type = doc.object_type
        if object_type is None:  # pragma: no cover - refused by the checks in _read_document
            continue
        properties.setdefault(object_type, [])
        groups.setdefault(object_type, [])
        groups[object_type].extend(_models(doc, "groups", GroupDef, problems))
        properties[object_type].extend(_models(doc, "properties", PropertyDef, problems))
        renames.setdefault(object_type, []).extend(_models(doc, "renames", RenameDef, problems))
    objects = {
        ot: ObjectDefinitions(
            object_type=ot,
            properties=tuple(properties[ot]),
            groups=tuple(groups[ot]),
            renames=tuple(renames[ot]),
        )
        for ot in properties
    }
    return Definitions(objects=objects, files=files), problems


def _models(doc: SourceDocument, kind: str, model: type[M], problems: list[Diagnostic]) -> list[M]:
    built: list[M] = []
    for index, item in doc.items(kind):
        source = SourceLocation(file=doc.file, line=locate(doc.positions, (kind, index))[0])
        try:
            built.append(model.model_validate({**item, "source": source}))
        except ValidationError as exc:  # the schema should have caught it first
            message = "; ".join(str(e["msg"]) for e in exc.errors())
            problems.append(doc.diagnostic((kind, index), message))
    return built
