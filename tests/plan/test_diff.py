"""Tests for hubprops.plan.diff.field_diffs: scalar fields are compared directly and only nested
ones (options) go through deepdiff; the result is exactly what deepdiff over the whole property
gives, which the reference below computes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hubprops.normalize import field_order, normalize_options
from hubprops.plan.diff import ORDER_FIELD, _nested_diffs, field_diffs
from hubprops.plan.types import FieldDiff

REPO = Path(__file__).resolve().parents[2]


def reference(before: dict[str, Any], after: dict[str, Any]) -> tuple[FieldDiff, ...]:
    """The earlier field_diffs: every field through deepdiff (``_nested_diffs`` over all of
    them), then the options order."""
    b_opts = {str(o["value"]): o for o in before.get("options") or []}
    a_opts = {str(o["value"]): o for o in after.get("options") or []}
    found: dict[str, FieldDiff] = {}
    _nested_diffs(before, after, sorted(before.keys() | after.keys()), b_opts, a_opts, found)
    if b_opts and a_opts:
        old = [v for v in b_opts if v in a_opts]
        new = [v for v in a_opts if v in b_opts]
        if old != new:
            found[ORDER_FIELD] = FieldDiff(field=ORDER_FIELD, before=old, after=new)
    return tuple(found[k] for k in sorted(found, key=field_order))


scalar = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["a", "b", "", "1"])
options = st.lists(
    st.fixed_dictionaries(
        {"label": st.sampled_from(["A", "B"]), "value": st.sampled_from(["x", "y", "z", "w"])},
        optional={
            "description": st.sampled_from(["", "d"]),
            "hidden": st.booleans(),
            "displayOrder": st.integers(-1, 3),
        },
    ),
    max_size=4,
    unique_by=lambda o: o["value"],
).map(normalize_options)
properties = st.fixed_dictionaries(
    {},
    optional={
        "label": scalar,
        "type": st.sampled_from(["string", "number", "enumeration"]),
        "description": scalar,
        "displayOrder": st.integers(-1, 5),
        "hidden": st.booleans(),
        "options": options,
    },
)


@settings(max_examples=300, deadline=None)
@given(properties, properties)
def test_field_diffs_equal_deepdiff_over_the_whole_property(
    before: dict[str, Any], after: dict[str, Any]
) -> None:
    assert field_diffs(before, after) == reference(before, after)


def test_scalar_changes_are_named_with_both_values() -> None:
    before = {"label": "Old", "hidden": False, "displayOrder": 1}
    after = {"label": "New", "hidden": 0, "displayOrder": 1, "description": "x"}
    assert field_diffs(before, after) == (
        FieldDiff(field="label", before="Old", after="New"),
        FieldDiff(field="description", before=None, after="x"),
        FieldDiff(field="hidden", before=False, after=0),
    )


def test_options_are_diffed_one_by_one() -> None:
    before = {
        "options": normalize_options([{"label": "A", "value": "a"}, {"label": "B", "value": "b"}])
    }
    after = {
        "options": normalize_options([{"label": "A2", "value": "a"}, {"label": "C", "value": "c"}])
    }
    names = [d.field for d in field_diffs(before, after)]
    assert names == ["options[a].label", "options[b]", "options[c]"]


def test_a_label_only_plan_does_not_import_deepdiff() -> None:
    code = (
        "import sys; from hubprops.plan.diff import field_diffs; "
        "field_diffs({'label': 'a'}, {'label': 'b'}); print('deepdiff' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert done.stdout.strip() == "False", done.stderr
