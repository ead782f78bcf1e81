"""``hubprops lint``: the team's conventions for property definitions, checked offline.

``lint(definitions, config, lock)`` runs the rules of :mod:`.registry` (levels and parameters
from ``[lint]`` of hubprops.toml, checked by :mod:`.settings`; inline
``# hubprops: ignore[rule-id] reason`` comments read by :mod:`.suppress`) and returns a
:class:`LintReport` of located :class:`Finding` s. Validate checks what HubSpot would reject;
lint checks what the team decided.
"""

from hubprops.definitions.lint.engine import CHECKS, Finding, LintReport, lint
from hubprops.definitions.lint.registry import LEVELS, RULES, RULES_BY_ID, Level, Param, Rule
from hubprops.definitions.lint.settings import (
    LintSettings,
    RuleSettings,
    default_settings,
    lint_settings,
)
from hubprops.definitions.lint.suppress import Suppression, parse_suppressions

__all__ = [
    "CHECKS",
    "LEVELS",
    "RULES",
    "RULES_BY_ID",
    "Finding",
    "Level",
    "LintReport",
    "LintSettings",
    "Param",
    "Rule",
    "RuleSettings",
    "Suppression",
    "default_settings",
    "lint",
    "lint_settings",
    "parse_suppressions",
]
