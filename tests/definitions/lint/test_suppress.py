"""Inline suppressions (hubprops/definitions/lint/suppress.py): where a comment belongs, and
the located errors for a comment without reason, with an unknown rule, or on no property."""

from __future__ import annotations

import pytest

from hubprops.definitions.lint import parse_suppressions
from hubprops.errors import DefinitionError

TEXT = """\
objectType: contacts
properties:
  # hubprops: ignore[max-options] the form lists every county
  - name: county
    label: County
  - name: notes  # hubprops: ignore[custom-group, description-required] legacy field
    label: Notes
    type: string  # hubprops: ignore[type-by-name] inside the block counts too
"""


def test_comment_above_on_and_inside_a_property() -> None:
    found = parse_suppressions({"c.yaml": TEXT}, {"c.yaml": [4, 6]})
    assert set(found) == {("c.yaml", 4), ("c.yaml", 6)}
    assert found[("c.yaml", 4)]["max-options"].reason == "the form lists every county"
    notes = found[("c.yaml", 6)]
    assert set(notes) == {"custom-group", "description-required", "type-by-name"}
    assert notes["custom-group"].reason == "legacy field"
    assert notes["type-by-name"].line == 8


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        (
            "# hubprops: ignore[max-options]",
            "c.yaml:4:19: suppression of max-options gives no reason",
        ),
        ("# hubprops: ignore[max-option] why", "c.yaml:4:19: unknown lint rule 'max-option'"),
        ("# hubprops: ignore max-options", "c.yaml:4:19: no rule ids in brackets"),
        ("# hubprops: ignore[] because", "c.yaml:4:19: no rule ids in brackets"),
    ],
)
def test_bad_comments_are_located_errors(comment: str, expected: str) -> None:
    text = f"objectType: contacts\nproperties:\n  - name: county\n    label: County {comment}\n"
    with pytest.raises(DefinitionError) as caught:
        parse_suppressions({"c.yaml": text}, {"c.yaml": [3]})
    assert str(caught.value.diagnostics[0]).startswith(expected)


def test_comment_on_no_property_is_an_error() -> None:
    text = "# hubprops: ignore[max-options] why\nobjectType: contacts\nproperties: []\n"
    with pytest.raises(DefinitionError) as caught:
        parse_suppressions({"c.yaml": text}, {"c.yaml": []})
    assert "on no property" in str(caught.value.diagnostics[0])


def test_files_without_the_marker_are_skipped() -> None:
    assert parse_suppressions({"c.yaml": "# ignore[max-options]\n"}, {}) == {}
