"""``[lint]`` of ``hubprops.toml``, checked against the rule registry into :class:`LintSettings`.

``[lint]`` maps a rule id to a level (``"off"``, ``"warning"``, ``"error"``) or to a table with
``level``, ``exclude`` and the rule's parameters; ``exclude`` at the top of ``[lint]`` applies to
every rule. An exclusion is a glob matched against the definitions file (``definitions/old/*``),
the property name (``legacy_*``) and ``objectType.name`` (``contacts.firstname``).

Every problem (unknown rule or parameter, a level that is none of the three, a value of the wrong
type, a regex that does not compile) is collected and raised as one
:class:`~hubprops.errors.ConfigError` naming ``hubprops.toml:LINE``: lint never runs on a
half-read configuration.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from hubprops.config import Config
from hubprops.definitions.lint.registry import (
    COMMON_KEYS,
    LEVELS,
    RULES,
    RULES_BY_ID,
    Level,
    Param,
    Rule,
)
from hubprops.errors import ConfigError

#: The one key of ``[lint]`` that is not a rule id.
GLOBAL_EXCLUDE = "exclude"


@dataclass(frozen=True)
class RuleSettings:
    """One rule as configured: its level, its parameters (defaults filled in, regexes compiled)
    and the globs of files or properties it skips."""

    rule: Rule
    level: Level
    params: Mapping[str, Any]
    exclude: tuple[str, ...] = ()

    def excludes(self, file: str, object_type: str, name: str) -> bool:
        return any(
            fnmatchcase(file, g) or fnmatchcase(name, g) or fnmatchcase(f"{object_type}.{name}", g)
            for g in self.exclude
        )


@dataclass(frozen=True)
class LintSettings:
    """Every rule's settings, by id (rules left out of ``[lint]`` at their default level)."""

    rules: Mapping[str, RuleSettings] = field(default_factory=dict)

    def enabled(self) -> list[RuleSettings]:
        return [s for s in self.rules.values() if s.level != "off"]


def default_settings() -> LintSettings:
    """Every rule at its default level with default parameters."""
    return LintSettings({r.id: _settings(r, r.level, {}, ()) for r in RULES})


def lint_settings(config: Config) -> LintSettings:
    """Check ``config.lint`` and resolve it; a ConfigError lists every problem, located."""
    problems: list[str] = []
    table: Mapping[str, Any] = config.lint
    shared = _strings(table.get(GLOBAL_EXCLUDE, []), config, (GLOBAL_EXCLUDE,), problems)
    rules: dict[str, RuleSettings] = {}
    for key in table:
        if key != GLOBAL_EXCLUDE and key not in RULES_BY_ID:
            known = ", ".join(r.id for r in RULES)
            problems.append(f"{config.where('lint', key)}: unknown lint rule {key!r} ({known})")
    for rule in RULES:
        value = table.get(rule.id)
        level, params, exclude = _rule_entry(rule, value, config, problems)
        rules[rule.id] = _settings(rule, level, params, (*shared, *exclude))
    if problems:
        if len(problems) == 1:
            raise ConfigError(problems[0])
        raise ConfigError(f"{len(problems)} problems in [lint]:\n" + "\n".join(problems))
    return LintSettings(rules)


def _settings(
    rule: Rule, level: Level, given: Mapping[str, Any], exclude: tuple[str, ...]
) -> RuleSettings:
    params: dict[str, Any] = {}
    for name, param in rule.params.items():
        value = given.get(name, param.default)
        params[name] = re.compile(value) if param.kind == "regex" else value
    return RuleSettings(rule, level, params, exclude)


def _rule_entry(
    rule: Rule, value: Any, config: Config, problems: list[str]
) -> tuple[Level, dict[str, Any], tuple[str, ...]]:
    if value is None:
        return rule.level, {}, ()
    if isinstance(value, str):
        return _level(value, config, (rule.id,), problems) or rule.level, {}, ()
    if not isinstance(value, Mapping):
        problems.append(
            f"{config.where('lint', rule.id)}: lint.{rule.id}: expected a level "
            f"({', '.join(LEVELS)}) or a table, got {_kind(value)}"
        )
        return rule.level, {}, ()
    level: Level = rule.level
    if "level" in value:
        level = _level(value["level"], config, (rule.id, "level"), problems) or rule.level
    exclude = _strings(value.get("exclude", []), config, (rule.id, "exclude"), problems)
    params: dict[str, Any] = {}
    for key, given in value.items():
        if key in COMMON_KEYS:
            continue
        param = rule.params.get(key)
        if param is None:
            known = ", ".join([*COMMON_KEYS, *rule.params])
            problems.append(
                f"{config.where('lint', rule.id, key)}: lint.{rule.id}: unknown parameter "
                f"{key!r} (known: {known})"
            )
            continue
        problem = _param_problem(param, given)
        if problem:
            problems.append(
                f"{config.where('lint', rule.id, key)}: lint.{rule.id}.{key}: {problem}"
            )
        else:
            params[key] = given
    return level, params, exclude


def _level(value: Any, config: Config, keys: tuple[str, ...], problems: list[str]) -> Level | None:
    for level in LEVELS:
        if value == level:
            return level
    problems.append(
        f"{config.where('lint', *keys)}: lint.{'.'.join(keys)}: unknown level {value!r} "
        f"(use {', '.join(repr(v) for v in LEVELS)})"
    )
    return None


def _strings(
    value: Any, config: Config, keys: tuple[str, ...], problems: list[str]
) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    problems.append(
        f"{config.where('lint', *keys)}: lint.{'.'.join(keys)}: expected a list of strings "
        f"(globs of files or property names), got {_kind(value)}"
    )
    return ()


def _param_problem(param: Param, value: Any) -> str | None:
    if param.kind == "regex":
        if not isinstance(value, str):
            return f"expected a regular expression (a string), got {_kind(value)}"
        try:
            re.compile(value)
        except re.error as exc:
            return f"not a valid regular expression: {exc}"
        return None
    if param.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"expected a whole number, got {_kind(value)}"
        return None if value >= 1 else f"expected a number of at least 1, got {value}"
    if param.kind == "choice":
        if value not in param.choices:
            return f"expected one of {', '.join(repr(c) for c in param.choices)}, got {value!r}"
        return None
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return f"expected a list of strings, got {_kind(value)}"
    return None


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list of other things than strings"
    kind = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    return f"{kind.get(type(value), type(value).__name__)} ({value!r})"
