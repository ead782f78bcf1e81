"""A plan blocked by destructive changes, rendered in full with the blocking reasons on top.

A pull request must show the riskiest change of all, so a blocked plan is not an empty output:
text and Markdown open with the refusal and its reasons, then the whole plan; JSON is the error
shape of ``--format json`` (``error``, ``diagnostics``) with the encoded plan under ``plan``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hubprops.fsutil import dumps_pretty
from hubprops.render.plan import render_plan_markdown, render_plan_text

_ALLOWED = "allowed by --allow-destructive"
_BLOCKED = "blocked: re-run with --allow-destructive to include them"


def _headline(count: int) -> str:
    return (
        f"Refusing: {count} destructive change(s). Re-run with --allow-destructive to include them."
    )


def _count(data: dict[str, Any]) -> int:
    return sum(1 for c in data["changes"] if c["destructive"])


def render_blocked(
    data: dict[str, Any], reasons: Sequence[str], fmt: str, *, color: bool = False
) -> str:
    """``data``: the encoded blocked plan; ``reasons``: the refusal's lines; ``fmt``: text,
    markdown or json."""
    count = _count(data)
    if fmt == "json":
        return dumps_pretty({"error": _headline(count), "diagnostics": list(reasons), "plan": data})
    if fmt == "markdown":
        top = [
            "> [!CAUTION]",
            f"> **Blocked: {count} destructive change(s).** Nothing can be applied until they "
            "are removed from the definitions or the plan is made with `--allow-destructive`.",
            ">",
            *(f"> - {reason}" for reason in reasons),
            "",
        ]
        return "\n".join(top) + "\n" + render_plan_markdown(data)
    head = "\x1b[31m" + _headline(count) + "\x1b[0m" if color else _headline(count)
    top = [head, *(f"  - {reason}" for reason in reasons), ""]
    return "\n".join(top) + "\n" + render_plan_text(data, color=color).replace(_ALLOWED, _BLOCKED)
