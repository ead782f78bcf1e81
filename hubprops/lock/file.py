"""The lock file: what hubprops manages in each portal, and how the last sync went.

Shape (DESIGN.md)::

    {"format_version": 1,
     "portals": {"<portalId>": {
        "last_sync": {...} | null,
        "objects": {"<objectType>": {
            "properties": {"<name>": {"id", "createdAt", "updatedAt", "sha256", ...}},
            "groups":     {"<name>": {"id", "sha256", ...}},
            "last_sync":  {"timestamp", "status", "duration_s",
                           "created", "updated", "archived", "unchanged", "failed"}}}}}}

The lock is a working record that the applier updates step by step, so its models are mutable;
``save_lock`` writes it atomically after every completed step (apply's writer thread saves the
newest state, see ``hubprops/apply/lockwriter.py``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from hubprops.errors import LockError
from hubprops.fastschema import compiled_or_none
from hubprops.fsutil import atomic_write, dumps_pretty, remove_stale_temps
from hubprops.lock.encode import LockEncoder
from hubprops.versioned import check_version, read_json, validate

FORMAT_VERSION = 1
DEFAULT_LOCK_PATH = "hubprops.lock.json"

SyncStatus = Literal["completed", "partial", "failed", "in_progress"]


class LockedProperty(BaseModel):
    """A property hubprops manages. ``id`` is ``<objectTypeId>/<name>``; ``sha256`` is the digest
    of the normalized definition applied last; ``created_by_hubprops`` is False for adopted ones
    (HubSpot-defined, or made by hand before hubprops managed them)."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    id: str
    created_at: str | None = Field(default=None, alias="createdAt")
    updated_at: str | None = Field(default=None, alias="updatedAt")
    sha256: str
    created_by_hubprops: bool = False
    hubspot_defined: bool = False
    #: Option value -> label as last applied, for enumerations; what lint's option-value-renamed
    #: compares with (written by apply when a change sets options; None when not recorded).
    options: dict[str, str] | None = None


class LockedGroup(BaseModel):
    """A property group hubprops manages."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    id: str
    sha256: str
    created_by_hubprops: bool = False


class LastSync(BaseModel):
    """How the last apply went for one object type (or the whole portal).

    Counts are of changes (properties and groups); ``unchanged`` is the plan's count of defined
    items that needed no change. ``object_types`` is set only on the portal-level entry: the
    object types that apply covered.
    """

    model_config = ConfigDict(extra="allow")

    timestamp: str
    status: SyncStatus
    duration_s: float = 0.0
    created: int = 0
    updated: int = 0
    archived: int = 0
    unchanged: int = 0
    failed: int = 0
    #: Changes never started (Ctrl-C, a halted apply); None (not written) when there were none.
    not_started: int | None = None
    object_types: list[str] | None = None
    #: Portal-level entry only: the HubSpot API version that apply spoke (None in older locks).
    api_version: str | None = None


class Migration(BaseModel):
    """A rename in progress (``apply/rename.py``): values of ``from`` are copied to the new
    property in record id order; ``last_id`` is the last record id copied (None: none yet).
    ``step`` is ``copying`` until a second count found no value left to copy (``verified``)."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    from_: str = Field(alias="from")
    last_id: str | None = None
    copied: int = 0
    step: Literal["copying", "verified"] = "copying"


class LockedObject(BaseModel):
    model_config = ConfigDict(extra="allow")

    properties: dict[str, LockedProperty] = Field(default_factory=dict)
    groups: dict[str, LockedGroup] = Field(default_factory=dict)
    last_sync: LastSync | None = None
    #: Renames in progress, keyed by the new name (absent when none).
    migrations: dict[str, Migration] | None = None


class LockedPortal(BaseModel):
    model_config = ConfigDict(extra="allow")

    objects: dict[str, LockedObject] = Field(default_factory=dict)
    last_sync: LastSync | None = None


class Lock(BaseModel):
    """The whole lock file: one entry per portal id (as a string, JSON keys being strings)."""

    model_config = ConfigDict(extra="allow")

    format_version: int = FORMAT_VERSION
    portals: dict[str, LockedPortal] = Field(default_factory=dict)
    #: The ``encode.LockEncoder`` that saves this lock (set on apply's snapshots only).
    _encoder: object | None = PrivateAttr(default=None)

    def portal(self, portal_id: int | str) -> LockedPortal:
        """The portal's entry, created empty when missing."""
        return self.portals.setdefault(str(portal_id), LockedPortal())

    def entry(self, portal_id: int | str, object_type: str) -> LockedObject:
        """The object type's entry in a portal, created empty when missing."""
        return self.portal(portal_id).objects.setdefault(object_type, LockedObject())

    def find_object(self, portal_id: int | str, object_type: str) -> LockedObject | None:
        """The object type's entry, or None; never creates anything."""
        portal = self.portals.get(str(portal_id))
        return portal.objects.get(object_type) if portal else None

    def to_json(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def load_lock(path: str | os.PathLike[str]) -> Lock:
    """Read a lock file; a missing file is an empty lock. Unreadable, not a regular file, a
    symlink pointing nowhere, or content that breaks ``schemas/lock.schema.json`` -> LockError.
    Temp files a killed writer left beside it are removed (``remove_stale_temps``)."""
    p = Path(path)
    if p.is_symlink() and not p.exists():
        raise LockError(
            f"{p}: the lock file is a symlink that points nowhere (broken, or a loop); "
            "fix or remove it"
        )
    if not p.exists():
        return Lock()
    remove_stale_temps(p)
    raw = read_json(p, LockError, "cannot read lock file", "cannot read lock file: {exc}")
    if not isinstance(raw, dict):
        raise LockError(f"{p}: lock file must hold a JSON object")
    check_version(
        raw,
        FORMAT_VERSION,
        f"{p}: lock format_version {{version!r}} is not supported "
        f"(this hubprops reads version {FORMAT_VERSION})",
    )
    _check_schema(raw, p)
    return validate(Lock, raw, LockError, f"{p}: invalid lock file")


@cache
def lock_schema() -> dict[str, Any]:
    """The lock file's JSON Schema (2020-12)."""
    text = resources.files("hubprops").joinpath("schemas/lock.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _fast_lock_check() -> Callable[[Any], bool] | None:
    return compiled_or_none(lock_schema())


def _check_schema(raw: dict[str, Any], p: Path) -> None:
    fast = _fast_lock_check()  # a valid lock (the usual case) never meets jsonschema
    if fast is not None and fast(raw):
        return
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

    errors = Draft202012Validator(lock_schema()).iter_errors(raw)
    error = next(iter(sorted(errors, key=lambda e: [str(x) for x in e.path])), None)
    if error is not None:
        where = ".".join(str(x) for x in error.absolute_path) or "(top)"
        message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
        raise LockError(
            f"{p}: invalid lock file at {where}: {message} (the lock is written by hubprops; "
            "restore it from git)"
        )


def attach(lock: Lock, encoder: LockEncoder) -> Lock:
    """Mark ``lock`` (a snapshot whose recorded properties and groups are never changed in
    place) to be saved through ``encoder``; returns it."""
    lock._encoder = encoder
    return lock


def lock_text(lock: Lock) -> str:
    """The lock file's text for ``lock`` (``fsutil.dumps_pretty`` of ``to_json``, made fast):
    through its attached encoder, if any."""
    encoder = lock._encoder
    if isinstance(encoder, LockEncoder):
        return encoder.text(lock)
    return dumps_pretty(lock.to_json())


def save_lock(path: str | os.PathLike[str], lock: Lock) -> None:
    """Write the lock atomically as pretty, key-sorted JSON (through a symlink, to its target;
    the text of ``fsutil.dumps_pretty``, made by ``encode.lock_text``). A folder that cannot be
    written, or a broken symlink, is a LockError."""
    try:
        atomic_write(path, lock_text(lock))
    except OSError as exc:
        raise LockError(f"{path}: cannot write the lock file: {exc.strerror or exc}") from exc
