"""The lint rules as data: id, default level, rationale, fix hint and parameters.

Each rule's check lives in a sibling module (``naming``, ``options``, ``portal``); this module
only describes them, so ``docs/lint.md``, the SARIF ``rules`` array, the configuration check and
``schemas/config.schema.json`` all read one table. Levels are ``off``, ``warning`` and ``error``;
only ``error`` findings make ``hubprops lint`` (and ``hubprops plan``) exit 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Level = Literal["off", "warning", "error"]
LEVELS: tuple[Level, ...] = ("off", "warning", "error")

#: What a parameter holds: a regex (checked to compile), a whole number >= 1, one word of a
#: fixed choice, or a list of strings.
ParamKind = Literal["regex", "int", "choice", "words"]


@dataclass(frozen=True)
class Param:
    """One parameter of a rule: its kind, default and a one-line meaning."""

    kind: ParamKind
    default: object
    doc: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A lint rule's description (its check is registered by id in ``checks``)."""

    id: str
    level: Level
    summary: str
    rationale: str
    hint: str
    params: Mapping[str, Param] = field(default_factory=dict)


#: Keys every rule table accepts besides its parameters.
COMMON_KEYS = ("level", "exclude")

RULES: tuple[Rule, ...] = (
    Rule(
        "name-pattern",
        "warning",
        "A custom property's internal name matches the team's pattern.",
        "Internal names are forever: HubSpot never renames a property, and integrations, "
        "workflows and exports refer to it by name.",
        "Rename the property before it is created (or set a pattern that fits, e.g. a prefix).",
        {"pattern": Param("regex", r"^[a-z][a-z0-9_]*$", "Regex the whole name must match.")},
    ),
    Rule(
        "label-style",
        "off",
        "Labels follow one capitalization style.",
        "Mixed capitalization makes a record page and a form look unfinished.",
        "Rewrite the label in the chosen style; list proper nouns and acronyms in `words`.",
        {
            "style": Param(
                "choice",
                "title",
                "`title` (Title Case) or `sentence` (Sentence case).",
                ("title", "sentence"),
            ),
            "words": Param("words", [], "Words kept as written (brand names, acronyms)."),
        },
    ),
    Rule(
        "description-required",
        "warning",
        "Every custom property has a description of some length.",
        "The description is the only help a user sees next to a field in HubSpot.",
        "Add a `description:` saying what the property holds and who fills it in.",
        {"min_length": Param("int", 1, "Fewest characters a description may have.")},
    ),
    Rule(
        "option-value-format",
        "off",
        "Option values match a format (e.g. snake_case).",
        "Option values are what records, imports and API clients store and send; a stable, "
        "plain format keeps them from being mistaken for labels.",
        "Change the value before records use it (afterwards, see option-value-renamed).",
        {"pattern": Param("regex", r"^[a-z0-9]+(_[a-z0-9]+)*$", "Regex every value must match.")},
    ),
    Rule(
        "duplicate-label",
        "warning",
        "No two properties of an object type have the same or nearly the same label.",
        "Two fields that read alike (case, spacing, punctuation aside) get filled in "
        "inconsistently, and reports pick the wrong one.",
        "Give one of them a distinguishing label, or merge them.",
    ),
    Rule(
        "max-options",
        "warning",
        "An enumeration has no more than N options.",
        "A long dropdown is slow to use and usually hides a free-text or lookup field.",
        "Trim the options, split the property, or raise `max` for this property with `exclude`.",
        {"max": Param("int", 50, "Most options a property may have.")},
    ),
    Rule(
        "custom-group",
        "off",
        "Every custom property sits in a custom group, not one of HubSpot's default groups.",
        "Custom fields mixed into HubSpot's own groups are hard to find and to tell apart.",
        "Set `groupName:` to a group your definitions declare.",
    ),
    Rule(
        "hidden-form-field",
        "error",
        "A property used in forms (`formField: true`) is not hidden.",
        "A hidden property cannot be picked in forms; the two settings contradict each other.",
        "Drop `hidden: true`, or set `formField: false`.",
    ),
    Rule(
        "bool-as-enumeration",
        "warning",
        "A yes/no question is a `bool` property, not a two-option enumeration.",
        "A boolean property filters, reports and syncs as true/false everywhere; a two-option "
        "enumeration of yes/no does not.",
        "Use `type: bool` with `fieldType: booleancheckbox` (a new property: records keep "
        "their old values).",
    ),
    Rule(
        "type-by-name",
        "warning",
        "A `string` property whose name says date or number has that type.",
        "Dates and numbers kept as text cannot be sorted, filtered by range or used in "
        "calculations.",
        "Use `type: date` (or datetime) or `type: number`, or rename the property.",
        {
            "date_pattern": Param("regex", r"(^|_)(date|dob)$", "Names that suggest a date."),
            "number_pattern": Param(
                "regex", r"(^|_)(count|amount|qty|quantity|total)$", "Names that suggest a number."
            ),
        },
    ),
    Rule(
        "option-value-renamed",
        "error",
        "An option keeps the value the lock recorded for its label.",
        "Records keep the old value: renaming it leaves every existing record on a value that "
        "no longer exists in the dropdown.",
        "Keep the old value (change only the label), or migrate the records first.",
    ),
)

RULES_BY_ID: Mapping[str, Rule] = {rule.id: rule for rule in RULES}
