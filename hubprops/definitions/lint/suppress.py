"""Inline suppressions: ``# hubprops: ignore[rule-id, other-id] reason`` on a property.

The comment sits on one of the property's own lines (``- name: x  # hubprops: ignore[...] why``
or any line of its block) or on comment lines right above it. A reason is required, the rule
ids must exist, and the comment must belong to a property: anything else is a located
:class:`~hubprops.errors.DefinitionError` (``file:line:col``), and lint does not run.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hubprops.definitions.lint.registry import RULES_BY_ID
from hubprops.errors import DefinitionError, Diagnostic

MARKER = "hubprops:"
_COMMENT = re.compile(r"(?:^|\s)#\s*hubprops:\s*ignore\b(?P<rest>.*)$")
_IDS = re.compile(r"^\[(?P<ids>[^\]]*)\]\s*(?P<reason>.*)$")


@dataclass(frozen=True)
class Suppression:
    """Rules switched off for one property, with the reason the comment gives."""

    file: str
    line: int
    rules: tuple[str, ...]
    reason: str


#: (file, the property's first line) -> rule id -> the suppression that names it.
Suppressions = Mapping[tuple[str, int], Mapping[str, Suppression]]


def parse_suppressions(
    texts: Mapping[str, str], property_lines: Mapping[str, Iterable[int]]
) -> dict[tuple[str, int], dict[str, Suppression]]:
    """Find every suppression comment in ``texts`` (file -> text) and attach it to the property
    starting at one of ``property_lines[file]``. Raises DefinitionError on any bad comment."""
    found: dict[tuple[str, int], dict[str, Suppression]] = {}
    problems: list[Diagnostic] = []
    for file, text in texts.items():
        if MARKER not in text:  # the common case: nothing to parse
            continue
        starts = sorted(set(property_lines.get(file, ())))
        lines = text.splitlines()
        for number, line in enumerate(lines, start=1):
            match = _COMMENT.search(line)
            if match is None:
                continue
            column = line.index("#", match.start()) + 1
            parsed = _parse(match.group("rest"), file, number, column, problems)
            if parsed is None:
                continue
            owner = _owner(lines, number, starts)
            if owner is None:
                problems.append(
                    Diagnostic(
                        file,
                        number,
                        column,
                        "",
                        "this hubprops: ignore comment is on no property; put it on the "
                        "property's line, inside its block or right above it",
                    )
                )
                continue
            entry = found.setdefault((file, owner), {})
            for rule in parsed.rules:
                entry[rule] = Suppression(file, number, parsed.rules, parsed.reason)
    if problems:
        raise DefinitionError(problems)
    return found


def _parse(
    rest: str, file: str, number: int, column: int, problems: list[Diagnostic]
) -> Suppression | None:
    usage = "write # hubprops: ignore[rule-id] reason"
    match = _IDS.match(rest.strip())
    if match is None:
        problems.append(Diagnostic(file, number, column, "", f"no rule ids in brackets: {usage}"))
        return None
    ids = tuple(i.strip() for i in match.group("ids").split(",") if i.strip())
    reason = match.group("reason").strip()
    if not ids:
        problems.append(Diagnostic(file, number, column, "", f"no rule ids in brackets: {usage}"))
        return None
    unknown = [i for i in ids if i not in RULES_BY_ID]
    if unknown:
        known = ", ".join(RULES_BY_ID)
        problems.append(
            Diagnostic(file, number, column, "", f"unknown lint rule {unknown[0]!r} ({known})")
        )
        return None
    if not reason:
        problems.append(
            Diagnostic(
                file,
                number,
                column,
                "",
                f"suppression of {', '.join(ids)} gives no reason: say why after the brackets "
                "(a reviewer reads it)",
            )
        )
        return None
    return Suppression(file, number, ids, reason)


def _owner(lines: list[str], number: int, starts: list[int]) -> int | None:
    """The first line of the property this comment belongs to (None: no property)."""
    if lines[number - 1].lstrip().startswith("#"):  # a comment line: the property below?
        below = number
        while below < len(lines) and _blank_or_comment(lines[below]):
            below += 1
        index = bisect.bisect_left(starts, below + 1)
        if index < len(starts) and starts[index] == below + 1:
            return below + 1
    index = bisect.bisect_right(starts, number) - 1
    return starts[index] if index >= 0 else None


def _blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")
