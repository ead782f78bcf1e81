"""The original sync service's files, read as they are.

That service kept one JSON array of property objects per object type, in HubSpot's field names,
in ``contact.json`` / ``lead.json`` (the object type taken from the file name). hubprops reads a
JSON array in a file named ``contact(s).json`` or ``lead(s).json`` as the document
``{objectType: <type>, properties: <the array>}``, with every position kept, so its problems are
located like any file's. ``hubprops fmt --convert`` writes the native YAML form instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hubprops.definitions.positions import ParsedDocument

#: File stem (lower case) -> object type, for the original service's file names.
LEGACY_FILES: dict[str, str] = {
    "contact": "contacts",
    "contacts": "contacts",
    "lead": "leads",
    "leads": "leads",
}


def legacy_object_type(path: str | Path) -> str | None:
    """The object type a legacy file's name stands for, or None when it is not such a name."""
    p = Path(path)
    if p.suffix.lower() != ".json":
        return None
    return LEGACY_FILES.get(p.stem.lower())


def is_legacy(path: str | Path, data: Any) -> bool:
    """True for a JSON array in a file named as the original service named them."""
    return isinstance(data, list) and legacy_object_type(path) is not None


def as_native(path: str | Path, parsed: ParsedDocument) -> ParsedDocument:
    """The legacy array as a native document; positions move under ``properties``."""
    object_type = legacy_object_type(path)
    assert object_type is not None
    positions = {("properties", *p): pos for p, pos in parsed.positions.items()}
    positions[("objectType",)] = (1, 1)
    return ParsedDocument(
        data={"objectType": object_type, "properties": parsed.data},
        positions=positions,
        duplicate_keys=[
            type(dup)(("properties", *dup.path), dup.line, dup.column, dup.first_line)
            for dup in parsed.duplicate_keys
        ],
    )


def convert(path: str | Path, data: list[Any], *, schema_ref: str | None = None) -> str:
    """The native YAML text of a legacy file's array (``data``), fields in canonical order."""
    from hubprops.definitions.writer import new_document  # ruamel.yaml: only when writing

    object_type = legacy_object_type(path)
    assert object_type is not None
    properties = [item for item in data if isinstance(item, dict)]
    header = f"Converted from {Path(path).name} (the original sync service's format)."
    return new_document(object_type, (), properties, schema_ref=schema_ref, header=header)


def default_schema_ref(target: Path) -> str:
    """The schema comment's path from ``target``'s folder to ``schemas/`` in the working
    directory (where ``hubprops init`` puts it)."""
    import os

    from hubprops.definitions.writer import SCHEMA_PATH

    return Path(os.path.relpath(Path.cwd() / SCHEMA_PATH, target.resolve().parent)).as_posix()
