"""``hubprops init``'s core: the files of a starter repository, and writing them without
replacing anything.

- ``definitions/<type>.yaml``: one commented example per object type (or, for the sandbox, the
  Stahla examples this repository manages), each opening with the schema comment;
- ``schemas/definitions.schema.json``: a copy of the JSON Schema, so the
  ``# yaml-language-server: $schema=`` line works in any editor, offline;
- ``hubprops.toml``: the settings, with a commented environment;
- ``.gitignore``: ``.hubprops/`` (the sandbox's state), appended when the file exists.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

from hubprops.definitions.schema import definitions_schema
from hubprops.definitions.writer import SCHEMA_COMMENT, SCHEMA_PATH
from hubprops.errors import ConfigError
from hubprops.fsutil import atomic_write

GITIGNORE = ".gitignore"
IGNORED = ".hubprops/"
#: A HubSpot default group per standard object type, for the commented examples.
EXAMPLE_GROUP = {
    "contacts": "contactinformation",
    "companies": "companyinformation",
    "deals": "dealinformation",
    "tickets": "ticketinformation",
    "leads": "leadinformation",
}
CONFIG = """\
# hubprops settings. Command-line flags and environment variables win over this file.
definitions = "definitions"
lock = "hubprops.lock.json"
# api_version = "2026-03"

# One table per portal; select one with --env NAME (docs/environments.md).
# [environments.production]
# portal_id = 12345678
# token_env = "HUBSPOT_PRODUCTION_TOKEN"
"""


def example_definitions(object_type: str) -> str:
    """A definitions file for ``object_type`` that defines nothing yet: a commented example."""
    group = EXAMPLE_GROUP.get(object_type, "my_group")
    return f"""\
{SCHEMA_COMMENT}../{SCHEMA_PATH}
#
# {object_type} properties managed by hubprops. Uncomment the example and edit it, or run
# `hubprops pull --merge` to start from what the portal already holds.
objectType: {object_type}

# groups:
#   - name: my_{object_type}_group
#     label: My Group

# properties:
#   - name: my_{object_type}_property
#     label: My Property
#     type: enumeration
#     fieldType: select
#     groupName: {group}
#     description: What this property records.
#     options:
#       - {{ label: First, value: first }}
#       - {{ label: Second, value: second }}
"""


#: The CI workflows ``init`` writes: copies of examples/github/pr-plan.yml and
#: apply-on-merge.yml (a test keeps them equal).
WORKFLOWS = ("hubprops-plan.yml", "hubprops-apply.yml")


def stahla_definitions() -> dict[str, str]:
    """The Stahla examples (this repository's definitions), by file name."""
    folder = resources.files("hubprops.templates")
    return {
        name: folder.joinpath(name).read_text("utf-8") for name in ("contacts.yaml", "leads.yaml")
    }


def starter_files(object_types: Iterable[str], *, stahla: bool = False) -> dict[str, str]:
    """Relative path -> text of every file of a starter repository (``.gitignore`` apart)."""
    files: dict[str, str] = {}
    if stahla:
        for name, text in stahla_definitions().items():
            files[f"definitions/{name}"] = text
    else:
        for object_type in object_types:
            files[f"definitions/{object_type}.yaml"] = example_definitions(object_type)
    files[SCHEMA_PATH] = json.dumps(definitions_schema(), indent=2, ensure_ascii=False) + "\n"
    files["hubprops.toml"] = CONFIG
    workflows = resources.files("hubprops.templates").joinpath("github")
    for name in WORKFLOWS:  # the GitHub Action's plan-on-PR and apply-on-merge (docs/ci.md)
        files[f".github/workflows/{name}"] = workflows.joinpath(name).read_text("utf-8")
    return files


def write_starter(root: Path, files: Mapping[str, str]) -> list[str]:
    """Write ``files`` under ``root`` and add ``.hubprops/`` to ``.gitignore``; returns what was
    written. Raises ConfigError, writing nothing, when any of them exists."""
    existing = sorted(path for path in files if (root / path).exists())
    if existing:
        raise ConfigError(
            f"not replacing existing file(s) in {root}: {', '.join(existing)} "
            "(hubprops init never overwrites; remove them or init another folder)"
        )
    for path, text in files.items():
        atomic_write(root / path, text)
    written = list(files)
    ignore = root / GITIGNORE
    current = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
    if IGNORED not in current.split():
        prefix = "" if not current or current.endswith("\n") else "\n"
        atomic_write(ignore, f"{current}{prefix}{IGNORED}\n")
        written.append(GITIGNORE)
    return written
