"""Run the enabled rules over loaded definitions; locate, suppress and sort what they find."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from hubprops.config import Config
from hubprops.definitions.lint import naming, options, portal
from hubprops.definitions.lint.base import Check, Context
from hubprops.definitions.lint.registry import Level
from hubprops.definitions.lint.settings import LintSettings, lint_settings
from hubprops.definitions.lint.suppress import parse_suppressions
from hubprops.definitions.loader import DEFAULT_GROUPS
from hubprops.errors import DefinitionError, Diagnostic
from hubprops.lock.file import Lock
from hubprops.models import Definitions

#: Rule id -> its check. Every id of ``registry.RULES`` has one (a test says so).
CHECKS: Mapping[str, Check] = {
    "name-pattern": naming.name_pattern,
    "label-style": naming.label_style,
    "description-required": naming.description_required,
    "option-value-format": options.option_value_format,
    "duplicate-label": portal.duplicate_label,
    "max-options": options.max_options,
    "custom-group": portal.custom_group,
    "hidden-form-field": portal.hidden_form_field,
    "bool-as-enumeration": options.bool_as_enumeration,
    "type-by-name": naming.type_by_name,
    "option-value-renamed": options.option_value_renamed,
}


@dataclass(frozen=True)
class Finding:
    """One rule broken by one property. ``level`` is ``warning`` or ``error``; ``path`` points
    inside the property (``options[2].value``); ``suppressed`` is the reason of the inline
    comment that switched it off (None when it counts)."""

    rule: str
    level: Level
    file: str
    line: int
    column: int
    object_type: str
    property: str
    path: str
    message: str
    suppressed: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        prefix = "warning: " if self.level == "warning" else ""
        return f"{where}: {prefix}{self.rule}: {self.message}"

    def diagnostic(self) -> Diagnostic:
        """The same finding as validate's located diagnostic (the rule id as its path)."""
        return Diagnostic(
            self.file,
            self.line,
            self.column,
            self.rule,
            self.message,
            "warning" if self.level == "warning" else "error",
        )


@dataclass(frozen=True)
class LintReport:
    """What lint found: ``findings`` count, ``suppressed`` were switched off inline."""

    findings: tuple[Finding, ...] = ()
    suppressed: tuple[Finding, ...] = ()
    files: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == "warning")


def lint(
    definitions: Definitions,
    config: Config | LintSettings | None = None,
    lock: Lock | None = None,
    *,
    texts: Mapping[str, str] | None = None,
    only_errors: bool = False,
) -> LintReport:
    """Run every enabled rule of ``config`` (``[lint]`` of hubprops.toml, checked first: a bad
    configuration raises ConfigError before any rule runs) over ``definitions``.

    ``texts`` (file -> text) is where inline suppressions and columns are read; by default the
    files of ``definitions`` are read. ``lock`` is consulted only by option-value-renamed.
    ``only_errors`` runs just the rules at error level (what ``plan`` does).
    """
    settings = config if isinstance(config, LintSettings) else lint_settings(config or Config())
    if texts is None:
        texts = _read_texts(definitions.files)
    starts: dict[str, list[int]] = {}
    for objects in definitions.objects.values():
        for prop in objects.properties:
            if prop.source is not None:
                starts.setdefault(prop.source.file, []).append(prop.source.line)
    suppressions = parse_suppressions(texts, starts)
    lines = {file: text.splitlines() for file, text in texts.items()}
    context = Context(lock=lock, default_groups=DEFAULT_GROUPS)
    counted: list[Finding] = []
    switched_off: list[Finding] = []
    for rule in settings.enabled():
        if only_errors and rule.level != "error":
            continue
        check = CHECKS[rule.rule.id]
        for objects in definitions.objects.values():
            for hit in check(objects, rule.params, context):
                file = hit.prop.source.file if hit.prop.source else ""
                line = hit.prop.source.line if hit.prop.source else 0
                if rule.excludes(file, objects.object_type, hit.prop.name):
                    continue
                finding = Finding(
                    rule.rule.id,
                    rule.level,
                    file,
                    line,
                    _column(lines.get(file), line),
                    objects.object_type,
                    hit.prop.name,
                    hit.path,
                    hit.message,
                )
                waiver = suppressions.get((file, line), {}).get(rule.rule.id)
                if waiver is None:
                    counted.append(finding)
                else:
                    switched_off.append(replace(finding, suppressed=waiver.reason))
    return LintReport(_sorted(counted), _sorted(switched_off), definitions.files)


def _sorted(findings: list[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: (f.file, f.line, f.column, f.rule, f.path)))


def _read_texts(files: tuple[str, ...]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for file in files:
        try:
            texts[file] = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):  # loading read it a moment ago; columns only
            continue
    return texts


def _column(lines: list[str] | None, line: int) -> int:
    """The column of the property's first key (after ``- ``), as validate locates list items."""
    if not lines or not 0 < line <= len(lines):
        return 1
    text = lines[line - 1]
    stripped = text.lstrip(" ")
    column = len(text) - len(stripped) + 1
    if stripped.startswith("- "):
        column += 2 + len(stripped[2:]) - len(stripped[2:].lstrip(" "))
    return column


class LintFailed(DefinitionError):
    """Lint rules at error level failed where they gate another command (``plan``)."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(diagnostics)
        self.args = (f"{len(self.diagnostics)} lint error(s) in definitions",)
