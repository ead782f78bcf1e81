"""Text, Markdown and JSON views of a two-portal comparison (hubprops.plan.compare).

Text: ``< name`` only in A, ``> name`` only in B, ``~ name`` in both with ``field: A -> B``
lines; last line ``N difference(s) between A and B.`` or ``No differences.``.
"""

from __future__ import annotations

import json
from typing import Any

from hubprops.fsutil import dumps_pretty
from hubprops.plan.compare import PortalComparison

_SYMBOL = {"a": "<", "b": ">", "both": "~"}


def _value(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _side(c: PortalComparison, side: str) -> str:
    return f"{c.a} ({c.portal_a})" if side == "a" else f"{c.b} ({c.portal_b})"


def summary_line(c: PortalComparison) -> str:
    if not c.differ:
        return "No differences."
    return f"{len(c.differences)} difference(s) between {c.a} and {c.b}."


def _lines(c: PortalComparison) -> list[str]:
    lines: list[str] = []
    for d in c.differences:
        head = f"{_SYMBOL[d.side]} {d.object_type} {d.kind.value} {d.name}"
        if d.side == "both":
            lines.append(f"{head}: differs")
            lines += [f"    {f.field}: {_value(f.before)} -> {_value(f.after)}" for f in d.diffs]
        else:
            lines.append(f"{head}: only in {_side(c, d.side)}")
    return lines


def _header(c: PortalComparison) -> str:
    return (
        f"Comparing {_side(c, 'a')} with {_side(c, 'b')}: custom properties and groups of "
        f"{', '.join(c.object_types)}."
    )


def render_diff(c: PortalComparison, fmt: str) -> str:
    if fmt == "json":
        data = c.model_dump(mode="json", by_alias=True)
        data["differ"] = c.differ
        return dumps_pretty(data)
    body = _lines(c)
    if fmt == "markdown":
        lines = [f"### {c.a} vs {c.b}", "", _header(c), ""]
        lines += ["```diff", *body, "```", ""] if body else []
        lines.append(f"**{summary_line(c)}**")
        return "\n".join(lines) + "\n"
    lines = [_header(c), ""] + ([*body, ""] if body else []) + [summary_line(c)]
    return "\n".join(lines) + "\n"
