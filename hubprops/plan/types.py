"""Plan types only (the algorithm is in planner.py, the file format in file.py).

A ``Plan`` is data: a list of ``Change``s, each saying what apply will do to one property or group
and the exact request body it will send. ``reasons`` are for people reading the plan and never
drive a decision.
"""

from __future__ import annotations

import enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Action(str, enum.Enum):
    """What apply does to one property or group."""

    CREATE = "create"
    UPDATE = "update"
    ARCHIVE = "archive"
    #: Create the new property, copy every record's value to it, archive the old one.
    RENAME = "rename"

    @property
    def symbol(self) -> str:
        return {"create": "+", "update": "~", "archive": "-", "rename": ">"}[self.value]


class Reason(str, enum.Enum):
    """Why a change is destructive, or why an item is kept: for people reading the plan, never
    for decisions. The value is the sentence's template (``say`` fills it in); plan files hold
    the filled-in sentences."""

    ARCHIVE_PROPERTY = "archive: property and its values move to the recycling bin"
    ARCHIVE_GROUP = "archive: the group is removed from HubSpot"
    TYPE_CHANGE = "type change {before} -> {after} may lose values"
    LEAVES_MULTI_VALUE = "fieldType {before} -> {after} keeps only one value per record"
    OPTION_REMOVED = "option {value!r} removed: records may keep orphan values"
    KEPT_NO_PRUNE = "--prune archives it"
    KEPT_NOT_ARCHIVABLE = "HubSpot does not let it be archived"

    def say(self, **params: object) -> str:
        """The sentence, with ``params`` filled in."""
        return self.value.format(**params)


class Kind(str, enum.Enum):
    PROPERTY = "property"
    GROUP = "group"


#: The order of apply, written once. Apply runs one stage at a time, each over every object type
#: at once; a plan lists its changes in the flattened order (within a step: object type, then
#: name). Groups come first so properties can use them, group archives last, after the
#: properties in them.
APPLY_STAGES: tuple[tuple[Kind, tuple[Action, ...]], ...] = (
    (Kind.GROUP, (Action.CREATE, Action.UPDATE)),
    (Kind.PROPERTY, (Action.CREATE,)),
    (Kind.PROPERTY, (Action.UPDATE,)),
    (Kind.PROPERTY, (Action.RENAME,)),
    (Kind.PROPERTY, (Action.ARCHIVE,)),
    (Kind.GROUP, (Action.ARCHIVE,)),
)
#: ``APPLY_STAGES`` flattened: one (kind, action) step after the other.
APPLY_ORDER: tuple[tuple[Kind, Action], ...] = tuple(
    (kind, action) for kind, actions in APPLY_STAGES for action in actions
)


class FieldDiff(BaseModel):
    """One field that differs: ``before`` is HubSpot's value, ``after`` the definition's.
    ``field`` is a HubSpot field name, or a dotted path for nested values (``options``)."""

    model_config = ConfigDict(frozen=True)

    field: str
    before: Any = None
    after: Any = None


class Impact(BaseModel):
    """How many records hold the data a destructive change would lose: ``records`` is HubSpot's
    search ``total`` (None when it could not be counted: ``note`` says why)."""

    model_config = ConfigDict(frozen=True)

    records: int | None = None
    note: str = ""


class Change(BaseModel):
    """One planned step.

    Invariants: ``before`` is None iff ``action`` is CREATE; ``after`` is None iff ``action`` is
    ARCHIVE; ``diffs`` is empty unless ``action`` is UPDATE; ``payload`` is the exact JSON body
    apply sends (PropertyCreate / PropertyUpdate with only the changed fields / group bodies), None
    for ARCHIVE; ``before_digest`` is the digest of HubSpot's normalized object at plan time
    (None for CREATE), which apply compares to detect a stale plan; ``after_digest`` is the digest
    of the normalized definition, recorded in the lock after apply.
    """

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    kind: Kind
    object_type: str = Field(alias="objectType")
    name: str
    action: Action
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    diffs: tuple[FieldDiff, ...] = ()
    payload: dict[str, Any] | None = None
    destructive: bool = False
    reasons: tuple[str, ...] = ()
    before_digest: str | None = None
    after_digest: str | None = None
    #: True when the definition is what the lock recorded at the last apply, so the change only
    #: undoes what someone changed (or archived) in HubSpot since: drift, not a new definition.
    drift: bool = False
    #: Records holding the data a destructive change would lose (None: not counted).
    impact: Impact | None = None
    #: RENAME only: the property whose values move to ``name`` (then archived).
    rename_from: str | None = Field(default=None, alias="renameFrom")


class PlanOptions(BaseModel):
    """The options a plan was made with; apply re-checks these, not its own command line."""

    model_config = ConfigDict(frozen=True)

    objects: tuple[str, ...] = ()
    prune: bool = False
    allow_destructive: bool = False


class KeptItem(BaseModel):
    """A property or group the lock records but the definitions dropped, kept without --prune."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    kind: Kind
    object_type: str = Field(alias="objectType")
    name: str
    #: Why it stays, for display: ``KEPT_NO_PRUNE`` or ``KEPT_NOT_ARCHIVABLE``.
    reason: str = ""


#: KeptItem reasons.
KEPT_NO_PRUNE = Reason.KEPT_NO_PRUNE.say()
KEPT_NOT_ARCHIVABLE = Reason.KEPT_NOT_ARCHIVABLE.say()


class InSync(BaseModel):
    """A defined property or group that HubSpot already holds as defined (no change needed) but
    that the lock does not record, or records with another digest: an adopted one (HubSpot-
    defined, made by hand) or one whose create HubSpot acknowledged just before a crash. Apply
    records it in the lock without calling HubSpot. ``digest`` is the normalized definition's
    (what ``Change.after_digest`` would be); the timestamps are HubSpot's, when it has them."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    kind: Kind
    object_type: str = Field(alias="objectType")
    name: str
    digest: str
    created_at: str | None = Field(default=None, alias="createdAt")
    updated_at: str | None = Field(default=None, alias="updatedAt")
    hubspot_defined: bool = Field(default=False, alias="hubspotDefined")


class Estimate(BaseModel):
    """What applying the plan costs: ``requests`` it will send (``by_kind``: reads, group and
    property writes, searches, record updates), ``seconds_at_rate_limit`` the least time that
    takes at the portal's rate limit (``rate_limit``: requests per ``interval_s``), and
    ``daily_remaining`` the portal's daily budget left when HubSpot reported it."""

    model_config = ConfigDict(frozen=True)

    requests: int
    by_kind: dict[str, int] = Field(default_factory=dict)
    seconds_at_rate_limit: float = 0.0
    rate_limit: dict[str, float] = Field(default_factory=dict)
    daily_remaining: int | None = None


class Plan(BaseModel):
    """A whole plan: where it applies, how it was made, and its changes in apply order."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    api_base: str
    created_at: str
    hubprops_version: str
    #: The HubSpot API version the plan was made with (apply speaks it); None in plans older
    #: than the field.
    api_version: str | None = None
    options: PlanOptions = PlanOptions()
    definitions_digest: str = ""
    #: Where the definitions were (``plan -d``, relative to the working directory when under
    #: it); apply holds the plan to them when it finds them there (``hubprops.plan.origin``).
    #: None in plans older than the field and in plans never saved (serve, apply without PLAN).
    definitions: str | None = None
    changes: tuple[Change, ...] = ()
    kept: tuple[KeptItem, ...] = ()
    unchanged: dict[str, int] = Field(default_factory=dict)
    #: Unchanged items apply records in the lock (see InSync); they are not changes.
    in_sync: tuple[InSync, ...] = ()
    #: The cost of applying it (None for plans made without reading the portal's limits).
    estimate: Estimate | None = None

    @property
    def summary(self) -> dict[str, int]:
        """Counts over all changes, groups included: ``{create, update, archive}``, plus
        ``rename`` when the plan renames a property."""
        counts = {a.value: 0 for a in Action}
        for change in self.changes:
            counts[change.action.value] += 1
        if not counts[Action.RENAME.value]:
            del counts[Action.RENAME.value]
        return counts

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)
