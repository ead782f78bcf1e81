"""Tests for hubprops.definitions.positions: data and positions of YAML and JSON documents."""

from __future__ import annotations

import pytest
import yaml

from hubprops.definitions.parse import parse_document
from hubprops.definitions.positions import DocumentSyntaxError, format_path, locate

DOC = """\
objectType: contacts
properties:
  - name: a
    options:
      - label: A
        value: "1"
  - {name: b, label: B}
"""


def test_positions_point_at_keys_and_items() -> None:
    parsed = parse_document(DOC)
    assert parsed.data["properties"][0]["options"][0]["value"] == "1"
    pos = parsed.positions
    assert pos[()] == (1, 1)
    assert pos[("objectType",)] == (1, 1)
    assert pos[("properties", 0)] == (3, 5)
    assert pos[("properties", 0, "options", 0, "value")] == (6, 9)
    assert pos[("properties", 1)] == (7, 5)
    assert pos[("properties", 1, "label")] == (7, 15)


def test_locate_falls_back_to_the_nearest_ancestor() -> None:
    positions = parse_document(DOC).positions
    assert locate(positions, ("properties", 1, "options")) == (7, 5)
    assert locate(positions, ("nothing", 3)) == (1, 1)
    assert locate({}, ("properties",)) == (1, 1)


def test_format_path() -> None:
    assert format_path(("properties", 2, "options", 0, "value")) == "properties[2].options[0].value"
    assert format_path(()) == ""
    assert format_path((0, "a")) == "[0].a"


def test_keys_stay_text_as_written() -> None:
    # YAML 1.1 reads an unquoted `on` as True; field names must stay names.
    assert parse_document("on: 1\nno: 2\n").data == {"on": 1, "no": 2}


def test_duplicate_keys_are_recorded_and_the_last_wins() -> None:
    parsed = parse_document("a: 1\nb: 2\na: 3\n")
    assert parsed.data == {"a": 3, "b": 2}
    (dup,) = parsed.duplicate_keys
    assert (dup.path, dup.line, dup.column, dup.first_line) == (("a",), 3, 1, 1)


def test_merge_keys_and_aliases_are_resolved() -> None:
    text = """\
base: &base
  type: string
  fieldType: text
properties:
  - <<: *base
    name: a
    fieldType: textarea
"""
    parsed = parse_document(text)
    assert parsed.data["properties"][0] == {"type": "string", "fieldType": "textarea", "name": "a"}
    assert parsed.duplicate_keys == []
    assert parsed.positions[("properties", 0, "fieldType")] == (7, 5)


def test_empty_document_has_no_data() -> None:
    assert parse_document("# only a comment\n").data is None


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: [1, 2\nb: 3\n", 2),
        ("a: b: c\n", 1),
        ("- a\nb: c\n", 2),
        ("a: !!python/name:os.system x\n", 1),
    ],
)
def test_malformed_yaml_raises_with_a_position(text: str, line: int) -> None:
    with pytest.raises(DocumentSyntaxError) as info:
        parse_document(text)
    assert info.value.line == line
    assert info.value.message.startswith("invalid YAML: ")


def test_forbidden_character_is_located() -> None:
    with pytest.raises(DocumentSyntaxError) as info:
        parse_document("a: 1\nb: \x07\n")
    assert (info.value.line, info.value.column) == (2, 4)
    assert "#x0007" in info.value.message


def test_self_referencing_alias_is_an_error_not_a_recursion() -> None:
    with pytest.raises(DocumentSyntaxError):
        parse_document("a: &x\n  b: *x\n")


def test_json_values_come_from_json_positions_from_yaml() -> None:
    parsed = parse_document('{\n  "a": 1e5,\n  "b": [true]\n}', json_syntax=True)
    assert parsed.data == {"a": 100000.0, "b": [True]}
    assert parsed.positions[("b", 0)] == (3, 9)


def test_malformed_json_raises_with_a_position() -> None:
    with pytest.raises(DocumentSyntaxError) as info:
        parse_document('{"a": 1,\n "b" 2}', json_syntax=True)
    assert (info.value.line, info.value.column) == (2, 6)
    assert info.value.message.startswith("invalid JSON: ")


def test_tab_indented_json_keeps_its_positions() -> None:
    parsed = parse_document('{\n\t"a": {\n\t\t"b":\t1}}', json_syntax=True)
    assert parsed.data == {"a": {"b": 1}}
    assert parsed.positions[("a", "b")] == (3, 3)


def test_json_that_yaml_cannot_read_keeps_its_data() -> None:
    # Valid JSON, but PyYAML refuses keys of 1,024 characters or more.
    key = "a" * 1100
    parsed = parse_document(f'{{"{key}": 1}}', json_syntax=True)
    assert parsed.data == {key: 1}
    assert parsed.positions == {}


def test_pure_python_and_libyaml_loaders_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    from hubprops.definitions import parse as _yamlpos

    results = []
    for loader in {yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)}:
        monkeypatch.setattr(_yamlpos, "_Loader", loader)
        parsed = parse_document(DOC + "x: &a {k: 1}\ny:\n  <<: *a\n  k: 2\n")
        with pytest.raises(DocumentSyntaxError) as info:
            parse_document("a: [1, 2\nb: 3\n")
        results.append((parsed.data, parsed.positions, info.value.line))
    assert all(r == results[0] for r in results)


def test_tab_indentation_says_to_use_spaces() -> None:
    with pytest.raises(DocumentSyntaxError) as info:
        parse_document("objectType: contacts\nproperties:\n\t- name: a\n")
    assert (info.value.line, info.value.column) == (3, 1)
    assert "tabs" in info.value.message and "spaces" in info.value.message


def test_second_document_says_a_file_holds_one() -> None:
    with pytest.raises(DocumentSyntaxError) as info:
        parse_document("objectType: contacts\n---\nobjectType: leads\n")
    assert info.value.line == 2
    assert info.value.message == (
        "invalid YAML: a definitions file holds one document; remove this '---' line "
        "or split the file in two"
    )


@pytest.mark.parametrize("json_syntax", [True, False])
def test_absurd_nesting_is_a_located_error_not_a_crash(json_syntax: bool) -> None:
    text = '{"objectType": "contacts", "properties": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(DocumentSyntaxError) as info:
        parse_document(text, json_syntax=json_syntax)
    assert "nest" in info.value.message
    assert info.value.line == 1
