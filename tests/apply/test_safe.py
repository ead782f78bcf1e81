"""hubprops/apply/safe.py: the non-destructive part of a plan."""

from __future__ import annotations

from hubprops.apply.safe import REVIEW_HINT, split_destructive
from hubprops.plan.types import Action, Change, Kind, Plan, PlanOptions


def change(name: str, *, destructive: bool = False, reasons: tuple[str, ...] = ()) -> Change:
    return Change(
        kind=Kind.PROPERTY,
        objectType="contacts",
        name=name,
        action=Action.UPDATE,
        before={"name": name},
        after={"name": name},
        destructive=destructive,
        reasons=reasons,
    )


def test_split_keeps_safe_changes_and_says_why_the_others_wait() -> None:
    plan = Plan(
        portal_id=1,
        api_base="http://x",
        created_at="2026-01-01T00:00:00Z",
        hubprops_version="0",
        options=PlanOptions(allow_destructive=True),
        changes=(
            change("a"),
            change("b", destructive=True, reasons=("option 'x' removed: records may keep it",)),
            change("c"),
        ),
    )
    safe, held = split_destructive(plan)
    assert [c.name for c in safe.changes] == ["a", "c"]
    assert safe.options.allow_destructive is False
    assert safe.portal_id == 1
    (only,) = held
    assert only.change.name == "b"
    assert only.reason == f"option 'x' removed: records may keep it: {REVIEW_HINT}"
    assert REVIEW_HINT == "review with hubprops plan --allow-destructive"
