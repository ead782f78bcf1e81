"""Text, Markdown and JSON views of a drift report (hubprops.plan.drift).

Text: one block per drifted item, ``~`` changed (``field: recorded -> HubSpot now`` lines),
``-`` archived, ``?`` unchecked (with why), then a last line ``Drift: N changed, N archived.``
or ``No drift.``.
"""

from __future__ import annotations

import json
from typing import Any

from hubprops.fsutil import dumps_pretty
from hubprops.plan.drift import DriftReport, DriftStatus

_SYMBOL = {DriftStatus.CHANGED: "~", DriftStatus.ARCHIVED: "-", DriftStatus.UNCHECKED: "?"}
_NO_DRIFT = "No drift."


def _value(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def counts(report: DriftReport) -> dict[str, int]:
    out = {s.value: 0 for s in DriftStatus}
    for item in report.items:
        out[item.status.value] += 1
    return out


def summary_line(report: DriftReport) -> str:
    c = counts(report)
    if not report.has_drift:
        return _NO_DRIFT
    return f"Drift: {c['changed']} changed, {c['archived']} archived."


def _lines(report: DriftReport) -> list[str]:
    lines: list[str] = []
    for item in report.items:
        head = f"{_SYMBOL[item.status]} {item.object_type} {item.kind.value} {item.name}"
        if item.status is DriftStatus.CHANGED:
            lines.append(f"{head}: changed in HubSpot")
            lines += [f"    {d.field}: {_value(d.before)} -> {_value(d.after)}" for d in item.diffs]
        else:
            lines.append(f"{head}: {item.status.value} ({item.note})")
    return lines


def _header(report: DriftReport) -> str:
    types = ", ".join(report.object_types) or "nothing recorded"
    return f"Portal {report.portal_id} ({types}): {report.checked} managed item(s) checked."


def render_drift_text(report: DriftReport) -> str:
    lines = [_header(report), ""]
    body = _lines(report)
    lines += [*body, ""] if body else []
    lines.append(summary_line(report))
    if report.has_drift:
        lines.append(
            "hubprops plan shows how to bring HubSpot back to the definitions; "
            "hubprops pull --force takes HubSpot's values instead."
        )
    return "\n".join(lines) + "\n"


def render_drift_markdown(report: DriftReport) -> str:
    lines = [f"### Drift: portal {report.portal_id}", "", _header(report), ""]
    body = _lines(report)
    if body:
        lines += ["```diff", *body, "```", ""]
    lines.append(f"**{summary_line(report)}**")
    return "\n".join(lines) + "\n"


def render_drift_json(report: DriftReport) -> str:
    data = report.model_dump(mode="json", by_alias=True)
    data["summary"] = counts(report)
    data["drift"] = report.has_drift
    return dumps_pretty(data)


def render_drift(report: DriftReport, fmt: str) -> str:
    if fmt == "json":
        return render_drift_json(report)
    if fmt == "markdown":
        return render_drift_markdown(report)
    return render_drift_text(report)
