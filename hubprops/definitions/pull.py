"""``hubprops pull``'s core: HubSpot's custom properties and groups -> definitions files + lock.

Pure apart from reading the target folder: ``plan_pull`` turns a RemoteState (read by the
caller) into the files to write, ``write_pull`` writes them atomically and ``record_pull``
records what was written in the lock as managed, so that ``plan`` right after shows
``No changes.``.

What is pulled, per object type: every property HubSpot did not define (``hubspotDefined`` not
true), plus the HubSpot-defined ones named in ``include``; every group that is not one of
HubSpot's default groups and holds a pulled property or no HubSpot-defined one. A definition
holds only the fields that differ from HubSpot's defaults (``normalize.DEFAULTS``), options
without their displayOrder numbers but in display order.

One file per object type, ``<dir>/<objectType>.yaml``. Existing files are never replaced unless
``force``; ``merge`` appends what no definitions file of the folder defines yet to that file,
keeping its comments and order. A name defined in another file of the folder is never written
twice: without ``merge`` that is a refusal naming ``file:line``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from hubprops.definitions import legacy
from hubprops.definitions.loader import DEFAULT_GROUPS, DEFINITION_SUFFIXES, display_path
from hubprops.definitions.parse import parse_document
from hubprops.definitions.positions import DocumentSyntaxError, locate
from hubprops.definitions.writer import (
    LayoutError,
    append_items,
    dump_round_trip,
    load_round_trip,
    new_document,
)
from hubprops.errors import HubpropsError
from hubprops.fsutil import atomic_write
from hubprops.lock.file import Lock, LockedGroup, LockedProperty
from hubprops.models import GroupDef, PropertyDef, RemoteState, canonical_object_type, lock_id
from hubprops.normalize import (
    GROUP_FIELDS,
    PROPERTY_FIELDS,
    definition_digest,
    normalize_remote,
)
from hubprops.rules import DEFAULTS


class PullRefused(HubpropsError):
    """pull would overwrite a file or define a name twice; the message names the way through."""


@dataclass(frozen=True)
class PullOptions:
    include: tuple[str, ...] = ()
    force: bool = False
    merge: bool = False
    schema_ref: str | None = None


@dataclass(frozen=True)
class PulledFile:
    """One file to write: its new text and the definitions pull added to it."""

    path: Path
    text: str
    object_type: str
    groups: tuple[dict[str, Any], ...]
    properties: tuple[dict[str, Any], ...]
    merged: bool = False


@dataclass(frozen=True)
class PullResult:
    portal_id: int
    files: tuple[PulledFile, ...] = ()
    #: Things the user should know: names skipped (already defined), files not read.
    notes: tuple[str, ...] = ()

    @property
    def property_count(self) -> int:
        return sum(len(f.properties) for f in self.files)

    @property
    def group_count(self) -> int:
        return sum(len(f.groups) for f in self.files)


@dataclass
class _Existing:
    """Names already defined in the folder, by object type -> name -> ``file:line``."""

    properties: dict[str, dict[str, str]] = field(default_factory=dict)
    groups: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def property_definition(remote: Mapping[str, Any]) -> dict[str, Any]:
    """A HubSpot property as a definition: ``name`` and the fields that differ from HubSpot's
    defaults (its position in the group left unmanaged), in HubSpot's order; options as
    ``{label, value}`` (+ description, hidden when set) in display order."""
    normalized = normalize_remote(remote, PROPERTY_FIELDS)
    out: dict[str, Any] = {}
    for name, value in normalized.items():
        if value is None or (name in DEFAULTS and value == DEFAULTS[name]):
            continue
        if name == "displayOrder":
            # HubSpot gives every property a concrete position (a create without one, or with
            # -1, reads back as last in its group: docs/hubspot-api.md); a pulled definition
            # leaves the position unmanaged rather than pinning whatever HubSpot chose.
            continue
        if name == "options":
            value = [
                {k: v for k, v in o.items() if k in ("label", "value") or v not in ("", False)}
                for o in value
            ]
        out[name] = value
    return out


def group_definition(remote: Mapping[str, Any]) -> dict[str, Any]:
    """A HubSpot group as a definition (displayOrder only when set)."""
    normalized = normalize_remote(remote, GROUP_FIELDS)
    return {
        k: v
        for k, v in normalized.items()
        if not (k == "displayOrder" and v == -1) and v is not None
    }


def _selected(
    remote: RemoteState, include: Iterable[str]
) -> dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """Per object type: (groups, properties) to pull, as definitions sorted by name."""
    wanted = set(include)
    found: set[str] = set()
    out: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    for object_type, obj in sorted(remote.objects.items()):
        props = []
        for name, prop in sorted(obj.properties.items()):
            if prop.get("hubspotDefined") is True and name not in wanted:
                continue
            if name in wanted:
                found.add(name)
            props.append(prop)
        used = {p.get("groupName") for p in props}
        hubspot_groups = {
            p.get("groupName") for p in obj.properties.values() if p.get("hubspotDefined") is True
        }
        defaults = DEFAULT_GROUPS.get(object_type, frozenset())
        groups = [
            group_definition(g)
            for name, g in sorted(obj.groups.items())
            if name not in defaults and (name in used or name not in hubspot_groups)
        ]
        out[object_type] = (groups, [property_definition(p) for p in props])
    missing = sorted(wanted - found)
    if missing:
        raise PullRefused(
            f"--include names no property HubSpot has in {', '.join(sorted(remote.objects))}: "
            f"{', '.join(missing)}"
        )
    return out


def existing_definitions(directory: Path) -> _Existing:
    """What the folder's files already define (files that are not definitions are noted)."""
    existing = _Existing()
    if not directory.is_dir():
        return existing
    for path in sorted(directory.rglob("*")):
        if path.suffix.lower() not in DEFINITION_SUFFIXES or not path.is_file():
            continue
        if any(part.startswith(".") for part in path.relative_to(directory).parts):
            continue
        _read_names(path, existing)
    return existing


def _read_names(path: Path, existing: _Existing) -> None:
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        parsed = parse_document(text, json_syntax=path.suffix.lower() == ".json")
    except (OSError, UnicodeDecodeError, DocumentSyntaxError):
        existing.notes.append(f"{shown}: not readable as YAML/JSON; validate will report it")
        return
    if legacy.is_legacy(path, parsed.data):
        parsed = legacy.as_native(path, parsed)
    data = parsed.data
    object_type = data.get("objectType") if isinstance(data, dict) else None
    if not isinstance(object_type, str):
        existing.notes.append(
            f"{shown}: not a definitions file (no objectType); validate reads every YAML file "
            "in the folder, so move it elsewhere"
        )
        return
    object_type = canonical_object_type(object_type)
    for kind, target in (("properties", existing.properties), ("groups", existing.groups)):
        items = data.get(kind)
        for index, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                line = locate(parsed.positions, (kind, index))[0]
                target.setdefault(object_type, {}).setdefault(item["name"], f"{shown}:{line}")


def plan_pull(remote: RemoteState, directory: Path, options: PullOptions) -> PullResult:
    """The files ``hubprops pull`` writes for ``remote`` into ``directory``.

    Raises PullRefused when a file exists (without force/merge) or a name is already defined
    in another file (without merge)."""
    selected = _selected(remote, options.include)
    existing = existing_definitions(directory)
    notes = list(existing.notes)
    files: list[PulledFile] = []
    for object_type, (groups, properties) in selected.items():
        if not groups and not properties:
            continue
        target = directory / f"{object_type}.yaml"
        if target.exists() and not (options.force or options.merge):
            raise PullRefused(
                f"{display_path(target)} already exists; --merge adds what it lacks (keeping "
                "comments), --force replaces it"
            )
        skip_file = None if options.merge else display_path(target)
        clashes = _clashes(object_type, groups, properties, existing, skip_file)
        if clashes and not options.merge:
            shown = "; ".join(clashes[:5]) + (
                f"; and {len(clashes) - 5} more" if len(clashes) > 5 else ""
            )
            raise PullRefused(
                f"{len(clashes)} name(s) already defined in other files: {shown}. "
                "Use --merge to add only what is not defined yet"
            )
        if options.merge:
            if clashes:
                notes.append(
                    f"{object_type}: {len(clashes)} name(s) already defined in the folder were "
                    f"kept as written (first: {clashes[0]})"
                )
            groups = [g for g in groups if g["name"] not in existing.groups.get(object_type, {})]
            properties = [
                p for p in properties if p["name"] not in existing.properties.get(object_type, {})
            ]
            if not groups and not properties:
                continue
        pulled = _file(target, object_type, groups, properties, options)
        files.append(pulled)
    return PullResult(portal_id=remote.portal_id, files=tuple(files), notes=tuple(notes))


def _clashes(
    object_type: str,
    groups: list[dict[str, Any]],
    properties: list[dict[str, Any]],
    existing: _Existing,
    replaced_file: str | None,
) -> list[str]:
    out = []
    for kind, items, known in (
        ("group", groups, existing.groups.get(object_type, {})),
        ("property", properties, existing.properties.get(object_type, {})),
    ):
        for item in items:
            where = known.get(item["name"])
            if where and (replaced_file is None or not where.startswith(f"{replaced_file}:")):
                out.append(f"{object_type} {kind} {item['name']} at {where}")
    return out


def _file(
    target: Path,
    object_type: str,
    groups: list[dict[str, Any]],
    properties: list[dict[str, Any]],
    options: PullOptions,
) -> PulledFile:
    if options.merge and target.exists():
        try:
            document = load_round_trip(target.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, LayoutError) as exc:
            raise PullRefused(f"{display_path(target)}: cannot merge into it: {exc}") from exc
        if not isinstance(document, CommentedMap):
            raise PullRefused(f"{display_path(target)}: cannot merge into it: not a mapping")
        if groups:
            append_items(document, "groups", groups)
        if properties:
            append_items(document, "properties", properties)
        text = dump_round_trip(document)
        return PulledFile(target, text, object_type, tuple(groups), tuple(properties), True)
    text = new_document(object_type, groups, properties, schema_ref=options.schema_ref)
    return PulledFile(target, text, object_type, tuple(groups), tuple(properties))


def write_pull(result: PullResult) -> None:
    """Write every pulled file atomically."""
    for pulled in result.files:
        atomic_write(pulled.path, pulled.text)


def record_pull(lock: Lock, result: PullResult, remote: RemoteState) -> None:
    """Record every pulled property and group in ``lock`` (for ``result.portal_id``) with the
    digest of its definition: managed from now on, as if just applied."""
    for pulled in result.files:
        entry = lock.entry(result.portal_id, pulled.object_type)
        found = remote.objects[pulled.object_type]
        for group in pulled.groups:
            entry.groups[group["name"]] = LockedGroup(
                id=lock_id(pulled.object_type, group["name"]),
                sha256=definition_digest(GroupDef.model_validate(group)),
            )
        for prop in pulled.properties:
            raw = found.properties.get(prop["name"], {})
            entry.properties[prop["name"]] = LockedProperty(
                id=lock_id(pulled.object_type, prop["name"]),
                createdAt=raw.get("createdAt"),
                updatedAt=raw.get("updatedAt"),
                sha256=definition_digest(PropertyDef.model_validate(prop)),
                hubspot_defined=raw.get("hubspotDefined") is True,
            )
