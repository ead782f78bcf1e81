"""Everything hubprops shows a person: one module per view, each rendering plain data to text.

``render.plan``: plans (text, markdown, json) from the encoded plan; ``render.apply``: apply
progress and results; ``render.status``: the last sync per object type. Renderers return
strings; only ``hubprops.cli`` prints them.
"""

from __future__ import annotations

from hubprops.render.plan import render_error_json, render_plan, summary_line

__all__ = ["render_error_json", "render_plan", "summary_line"]
