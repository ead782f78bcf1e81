"""Definitions: the files a team keeps in git, read into located, validated models.

``load_definitions(folder)`` parses every YAML/JSON file with line numbers (``positions``),
checks each against the JSON Schema (``schema``) and all of them together (``semantic``), and
returns :class:`~hubprops.models.Definitions` or raises one
:class:`~hubprops.errors.DefinitionError` carrying every problem as ``file:line: message``.
"""

from hubprops.definitions.loader import (
    DEFAULT_DIRECTORY,
    DEFINITION_SUFFIXES,
    LoadedDefinitions,
    display_path,
    find_definition_files,
    load_definitions,
    validate_document,
)

__all__ = [
    "DEFAULT_DIRECTORY",
    "DEFINITION_SUFFIXES",
    "LoadedDefinitions",
    "display_path",
    "find_definition_files",
    "load_definitions",
    "validate_document",
]
