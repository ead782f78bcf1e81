"""Text, Markdown and JSON views of a plan, rendered from the ENCODED plan (``plan.file.encode``)
so that ``hubprops plan`` and ``hubprops show`` print exactly the same thing.

Text follows Terraform's idiom: ``+`` create, ``~`` update with ``field: old -> new`` lines,
``-`` archive, ``# destructive: reason`` above a change that may lose data, the kept items, and a
last line ``Plan: N to create, N to update, N to archive.`` or ``No changes.``. Markdown (for a
pull-request comment) opens with a summary table, holds one collapsible ``<details>`` section
per object type with the same lines in a ``diff`` block, and ends with the same last line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from hubprops.errors import HubpropsError
from hubprops.fsutil import dumps_pretty
from hubprops.normalize import field_order
from hubprops.plan.types import KEPT_NO_PRUNE, KEPT_NOT_ARCHIVABLE

_COLORS = {"+": "32", "~": "33", "-": "31", ">": "35", "#": "31"}
_SYMBOLS = {"create": "+", "update": "~", "archive": "-", "rename": ">"}
_NO_CHANGES = "No changes."


def summary_line(data: dict[str, Any]) -> str:
    """``Plan: N to create, N to update, N to archive.`` or ``No changes.``."""
    s = data["summary"]
    if not data["changes"]:
        return _NO_CHANGES
    renames = f", {s['rename']} to rename" if s.get("rename") else ""
    return (
        f"Plan: {s['create']} to create, {s['update']} to update, {s['archive']} to archive"
        f"{renames}."
    )


def impact_text(change: dict[str, Any]) -> str | None:
    """``1,234 contacts hold 'beach'`` (or why it is unknown); None when not counted."""
    impact = change.get("impact")
    return str(impact.get("note") or "") or None if isinstance(impact, dict) else None


def estimate_line(data: dict[str, Any]) -> str | None:
    """``Estimate: N requests (by kind), about S s at the rate limit[, daily budget left D].``"""
    est = data.get("estimate")
    if not isinstance(est, dict) or not data["changes"]:
        return None
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(est["by_kind"].items()) if n)
    line = f"Estimate: {est['requests']} request(s)"
    line += f" ({kinds})" if kinds else ""
    line += f", at least {est['seconds_at_rate_limit']:.1f} s at the rate limit"
    if est.get("daily_remaining") is not None:
        line += f"; daily budget left: {est['daily_remaining']:,}"
    return line + "."


def _value(value: Any) -> str:
    if value is None:
        return "(none)"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _option(option: Any) -> str:
    """An option without its default keys (description "", hidden false)."""
    if not isinstance(option, dict):
        return _value(option)
    shown = {
        k: v
        for k, v in option.items()
        if not (k == "description" and v == "") and not (k == "hidden" and v is False)
    }
    return _value(shown)


def _diff_value(field: str, value: Any) -> str:
    return _option(value) if field.startswith("options[") and "]." not in field else _value(value)


def change_lines(change: dict[str, Any]) -> list[str]:
    """One change: its header line, then indented detail lines (no colour, no indent)."""
    symbol = _SYMBOLS[change["action"]]
    lines = [f"{symbol} {change['kind']} {change['name']}"]
    if change.get("drift"):
        what = "archived" if change["action"] == "create" else "changed"
        lines.append(f"    # drift: {what} in HubSpot since the last apply; this restores it")
    lines += [f"    # destructive: {reason}" for reason in change["reasons"]]
    impact = impact_text(change)
    if impact:
        lines.append(f"    # impact: {impact}")
    if change["action"] == "rename":
        lines.append(f"    from: {change.get('renameFrom')} (values copied, then archived)")
    if change["action"] == "create":
        after = change["after"] or {}
        for field in sorted((k for k in after if k != "name"), key=field_order):
            if field == "options":
                lines.append(f"    options: {len(after[field])}")
                lines += [f"      - {_option(o)}" for o in after[field]]
            else:
                lines.append(f"    {field}: {_value(after[field])}")
    elif change["action"] == "update":
        for diff in change["diffs"]:
            field = diff["field"]
            old, new = _diff_value(field, diff["before"]), _diff_value(field, diff["after"])
            lines.append(f"    {field}: {old} -> {new}")
    return lines


def _object_types(data: dict[str, Any]) -> list[str]:
    types = {c["objectType"] for c in data["changes"]} | {k["objectType"] for k in data["kept"]}
    return sorted(types | set(data.get("unchanged") or {}))


def _counts(data: dict[str, Any], object_type: str) -> dict[str, int]:
    counts = {"create": 0, "update": 0, "archive": 0, "rename": 0}
    for change in data["changes"]:
        if change["objectType"] == object_type:
            counts[change["action"]] += 1
    counts["unchanged"] = int((data.get("unchanged") or {}).get(object_type, 0))
    counts["kept"] = sum(1 for k in data["kept"] if k["objectType"] == object_type)
    return counts


def _count_text(counts: dict[str, int]) -> str:
    actions = ("create", "update", "archive", "rename")
    words = [f"{counts[a]} to {a}" for a in actions if counts[a]]
    words += [f"{counts[k]} {k}" for k in ("unchanged", "kept") if counts[k]]
    return ", ".join(words) or "nothing defined"


def _section(data: dict[str, Any], object_type: str) -> list[str]:
    """The changes of one object type in apply order, then its kept items."""
    lines: list[str] = []
    for change in data["changes"]:
        if change["objectType"] == object_type:
            lines += change_lines(change)
    kept = [k for k in data["kept"] if k["objectType"] == object_type]
    if kept:
        lines.append("no longer defined, kept:")
        lines += [f"    {k['kind']} {k['name']}  # {_kept_reason(data, k)}" for k in kept]
    return lines


def _kept_reason(data: dict[str, Any], item: dict[str, Any]) -> str:
    """The item's own reason; plans written before reasons existed get the old inference."""
    if item.get("reason"):
        return str(item["reason"])
    return KEPT_NOT_ARCHIVABLE if data["options"]["prune"] else KEPT_NO_PRUNE


def _destructive(data: dict[str, Any]) -> list[str]:
    return [
        f"{c['objectType']} {c['kind']} {c['name']}: {reason}"
        for c in data["changes"]
        if c["destructive"]
        for reason in c["reasons"]
    ]


def _destructive_count(data: dict[str, Any]) -> int:
    """Destructive changes (one change may have several reasons)."""
    return sum(1 for c in data["changes"] if c["destructive"])


def _paint(line: str, color: bool) -> str:
    """Colour a change's header line by its symbol and a destructive note red."""
    stripped = line.lstrip()
    code = None
    if stripped.startswith("# destructive"):
        code = _COLORS["#"]
    elif stripped[:2] in ("+ ", "~ ", "- ", "> ") and stripped[2:].startswith(
        ("group ", "property ")
    ):
        code = _COLORS[stripped[0]]
    return f"\x1b[{code}m{line}\x1b[0m" if color and code else line


def render_plan_text(data: dict[str, Any], *, color: bool = False) -> str:
    """The plan for a terminal; ANSI colours only when ``color`` (the caller checks the tty)."""
    out = [f"Plan for portal {data['portal_id']} ({data['api_base']}), made {data['created_at']}"]
    for object_type in _object_types(data):
        out.append("")
        out.append(f"{object_type}: {_count_text(_counts(data, object_type))}")
        out += [_paint(f"  {line}", color) for line in _section(data, object_type)]
    destructive = _destructive(data)
    if destructive:
        out.append("")
        note = f"# destructive: {_destructive_count(data)} change(s) allowed by --allow-destructive"
        out.append(_paint(note, color))
    out.append("")
    estimate = estimate_line(data)
    out += [estimate] if estimate else []
    last = summary_line(data)
    out.append(f"\x1b[1m{last}\x1b[0m" if color else last)
    return "\n".join(out) + "\n"


def _fence(lines: Sequence[str]) -> str:
    """A code fence longer than any backtick run in ``lines``."""
    longest = 0
    for line in lines:
        run = 0
        for char in line:
            run = run + 1 if char == "`" else 0
            longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _md_rows(data: dict[str, Any], types: Iterable[str]) -> list[str]:
    rows = [
        "| Object type | Create | Update | Archive | Unchanged |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for t in types:
        c = _counts(data, t)
        rows.append(f"| {t} | {c['create']} | {c['update']} | {c['archive']} | {c['unchanged']} |")
    return rows


def render_plan_markdown(data: dict[str, Any]) -> str:
    """The plan for a pull-request comment: summary first, a <details> per object type."""
    types = _object_types(data)
    out = [f"### hubprops plan for portal {data['portal_id']}", ""]
    out += _md_rows(data, types)
    destructive = _destructive(data)
    if destructive:
        out += ["", f"> **Warning: {_destructive_count(data)} destructive change(s)**", ">"]
        out += [f"> - {line}" for line in destructive]
        impacts = [
            f"> - **{c['objectType']} {c['kind']} {c['name']}: {impact_text(c)}**"
            for c in data["changes"]
            if c["destructive"] and impact_text(c)
        ]
        out += [">", "> Records affected:", *impacts] if impacts else []
    for object_type in types:
        lines = _section(data, object_type)
        if not lines:
            continue
        fence = _fence(lines)
        summary = f"<b>{object_type}</b>: {_count_text(_counts(data, object_type))}"
        out += ["", f"<details><summary>{summary}</summary>", "", f"{fence}diff"]
        out += lines
        out += [fence, "", "</details>"]
    estimate = estimate_line(data)
    out += ["", estimate] if estimate else []
    out += ["", summary_line(data)]
    return "\n".join(out) + "\n"


def render_plan_json(data: dict[str, Any]) -> str:
    """The encoded plan itself, pretty and key-sorted (what ``-o FILE`` writes)."""
    return dumps_pretty(data)


def render_plan(data: dict[str, Any], fmt: str, *, color: bool = False) -> str:
    """Dispatch on ``fmt``: text, markdown or json."""
    if fmt == "json":
        return render_plan_json(data)
    if fmt == "markdown":
        return render_plan_markdown(data)
    return render_plan_text(data, color=color)


def render_error_json(error: HubpropsError) -> str:
    """An error for ``--format json``: ``{"error": message, "diagnostics": [...]}``, the
    diagnostics being the error's ``items()``: a DefinitionError's located problems, a
    refusal's destructive changes or a stale plan's moved objects."""
    return dumps_pretty({"error": str(error), "diagnostics": list(error.items())})
