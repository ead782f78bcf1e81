"""The canonical layout (hubprops/definitions/writer.py): key order, options one per line,
comments and blank lines kept, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubprops.definitions.writer import LayoutError, format_text, new_document

REPO = Path(__file__).resolve().parents[2]

MESSY = """\
# yaml-language-server: $schema=../schemas/definitions.schema.json
# Hand-written header.
properties:
  # The first property.
  - type: enumeration   # what records hold
    label: Size
    name: size
    fieldType: select
    groupName: contactinformation
    options:
      - value: s
        label: Small
      - label: Large   # the big one
        value: l

  # The second property.
  - name: note
    label: Note
    type: string
    fieldType: text
    groupName: contactinformation
objectType: contacts
"""

CANONICAL = """\
# yaml-language-server: $schema=../schemas/definitions.schema.json
# Hand-written header.
objectType: contacts
properties:
  # The first property.
  - name: size
    label: Size
    type: enumeration   # what records hold
    fieldType: select
    groupName: contactinformation
    options:
      - { label: Small, value: s }
      - { label: Large, value: l } # the big one

  # The second property.
  - name: note
    label: Note
    type: string
    fieldType: text
    groupName: contactinformation
"""


def test_layout_orders_keys_and_keeps_comments() -> None:
    assert format_text(MESSY) == CANONICAL


def test_layout_is_idempotent() -> None:
    assert format_text(CANONICAL) == CANONICAL


@pytest.mark.parametrize("path", sorted((REPO / "definitions").glob("*.yaml")), ids=str)
def test_repository_definitions_are_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text) == text


def test_not_yaml_is_a_located_layout_error() -> None:
    with pytest.raises(LayoutError) as caught:
        format_text("objectType: contacts\nproperties: [\n  - a: b: c\n")
    assert caught.value.line >= 2


def test_long_descriptions_are_not_folded() -> None:
    long = "word " * 40
    text = f"objectType: contacts\nproperties:\n  - name: a\n    description: {long.strip()}\n"
    assert format_text(text) == text


def test_new_document_has_schema_comment_and_blank_lines_between_properties() -> None:
    text = new_document(
        "contacts",
        [{"label": "G", "name": "g"}],
        [{"label": "A", "name": "a"}, {"name": "b", "options": [{"value": "x", "label": "X"}]}],
        schema_ref="../schemas/definitions.schema.json",
    )
    assert (
        text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/definitions.schema.json"
    )
    assert "  - name: g\n    label: G\n" in text
    assert "  - name: a\n    label: A\n\n  - name: b\n" in text
    assert "      - { label: X, value: x }\n" in text
    assert format_text(text) == text


def test_new_document_scalars_read_back_as_written() -> None:
    import yaml

    tricky = ["Yes", "no", "1e5", "null", "a, b", "x: y", "{braces}", "# hash", "two\nlines", "ünï"]
    props = [
        {"name": f"p{i}", "label": text, "options": [{"label": text, "value": text}]}
        for i, text in enumerate(tricky)
    ]
    text = new_document("contacts", (), props)
    loaded = yaml.safe_load(text)
    assert [p["label"] for p in loaded["properties"]] == tricky
    assert [p["options"][0]["value"] for p in loaded["properties"]] == tricky
    assert format_text(text) == text
