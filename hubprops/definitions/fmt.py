"""What ``hubprops fmt`` does to one file: the canonical layout (``writer``), or with
``convert`` the native YAML form of the original service's ``contact.json`` / ``lead.json``.

Pure apart from reading the file: ``format_file`` says what would change; the command decides
whether to write (``apply_outcome``) or only to report (``--check``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from hubprops.definitions import legacy
from hubprops.definitions.writer import LayoutError, format_text
from hubprops.fsutil import atomic_write


@dataclass(frozen=True)
class FormatOutcome:
    """``text`` is the file's new content, to be written to ``target`` (``path`` itself unless
    converting), or None when the file is already in the canonical layout; ``skipped`` says
    why a file was left alone (not YAML, not a definitions file)."""

    path: Path
    target: Path
    text: str | None = None
    skipped: str | None = None
    line: int = 0

    @property
    def changes(self) -> bool:
        return self.text is not None


def format_file(path: Path, *, convert: bool = False) -> FormatOutcome:
    """The canonical form of ``path`` (see the module docstring)."""
    try:
        original = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return FormatOutcome(path, path, skipped=f"cannot read: {exc}")
    if path.suffix.lower() == ".json":
        return _json_file(path, original, convert)
    try:
        text = format_text(original)
    except LayoutError as exc:
        return FormatOutcome(path, path, skipped=str(exc), line=exc.line)
    return FormatOutcome(path, path, text if text != original else None)


def _json_file(path: Path, original: str, convert: bool) -> FormatOutcome:
    object_type = legacy.legacy_object_type(path)
    if not convert or object_type is None:
        return FormatOutcome(path, path)  # JSON keeps its own layout; only --convert touches it
    try:
        data = json.loads(original)
    except json.JSONDecodeError as exc:
        return FormatOutcome(path, path, skipped=f"invalid JSON: {exc.msg}", line=exc.lineno)
    if not legacy.is_legacy(path, data):
        return FormatOutcome(path, path)
    target = path.with_name(f"{object_type}.yaml")
    if target.exists():
        return FormatOutcome(path, target, skipped=f"{target.name} already exists; not replaced")
    text = legacy.convert(path, data, schema_ref=legacy.default_schema_ref(target))
    return FormatOutcome(path, target, text)


def apply_outcome(outcome: FormatOutcome) -> None:
    """Write the new text (atomically); a converted file replaces its JSON original."""
    if outcome.text is None:
        return
    atomic_write(outcome.target, outcome.text)
    if outcome.target != outcome.path:
        outcome.path.unlink()
