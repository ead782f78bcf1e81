"""Tests for hubprops.definitions.semantic via load_definitions: each rule failing and passing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hubprops.definitions.loader import load_definitions
from hubprops.definitions.semantic import MAX_OPTION_CHARS, MAX_OPTIONS, MAX_UNIQUE_VALUE_PROPERTIES
from hubprops.errors import DefinitionError, Diagnostic


def prop(name: str, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": name,
        "label": name.title(),
        "type": "string",
        "fieldType": "text",
        "groupName": "contactinformation",
    }
    base.update(fields)
    return base


def enum_prop(name: str, options: list[dict[str, str]]) -> dict[str, object]:
    return prop(name, type="enumeration", fieldType="select", options=options)


def write(folder: Path, name: str, doc: dict[str, object]) -> None:
    (folder / name).write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


def contacts(*props: dict[str, object], **extra: object) -> dict[str, object]:
    return {"objectType": "contacts", **extra, "properties": list(props)}


def errors(folder: Path) -> list[Diagnostic]:
    with pytest.raises(DefinitionError) as info:
        load_definitions(folder)
    return [d for d in info.value.diagnostics if d.severity == "error"]


def loads(folder: Path) -> tuple[Diagnostic, ...]:
    return load_definitions(folder).warnings


# --- the same property or group defined twice --------------------------------------------------


def test_property_twice_in_one_file_names_both_places(tmp_path: Path) -> None:
    write(tmp_path, "c.yaml", contacts(prop("a"), prop("b"), prop("a")))
    (diag,) = errors(tmp_path)
    assert diag.path == "properties[2].name"
    assert diag.line == 13
    assert f"first at {tmp_path.as_posix()}/c.yaml:3" in diag.message


def test_property_twice_across_files_of_one_object_type(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", contacts(prop("a")))
    write(tmp_path, "b.yaml", {"objectType": "0-1", "properties": [prop("a")]})
    (diag,) = errors(tmp_path)
    assert diag.file.endswith("b.yaml")
    assert "a.yaml:3" in diag.message and "defined twice" in diag.message


def test_same_name_on_two_object_types_is_fine(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", contacts(prop("a")))
    write(
        tmp_path,
        "b.yaml",
        {"objectType": "leads", "properties": [prop("a", groupName="leadinformation")]},
    )
    assert loads(tmp_path) == ()


def test_group_twice_is_an_error(tmp_path: Path) -> None:
    group = {"name": "g", "label": "G"}
    write(tmp_path, "a.yaml", contacts(groups=[group]))
    write(tmp_path, "b.yaml", contacts(groups=[group]))
    (diag,) = errors(tmp_path)
    assert diag.path == "groups[0].name"
    assert "group 'g' of contacts is defined twice" in diag.message


# --- options ------------------------------------------------------------------------------------


def test_duplicate_option_value(tmp_path: Path) -> None:
    options = [{"label": "A", "value": "a"}, {"label": "B", "value": "a"}]
    write(tmp_path, "c.yaml", contacts(enum_prop("e", options)))
    (diag,) = errors(tmp_path)
    assert diag.path == "properties[0].options[1].value"
    assert "duplicate option value 'a' (also options[0])" in diag.message


def test_duplicate_option_label(tmp_path: Path) -> None:
    options = [{"label": "A", "value": "a"}, {"label": "A", "value": "b"}]
    write(tmp_path, "c.yaml", contacts(enum_prop("e", options)))
    (diag,) = errors(tmp_path)
    assert diag.path == "properties[0].options[1].label"


def test_distinct_options_pass(tmp_path: Path) -> None:
    options = [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}]
    write(tmp_path, "c.yaml", contacts(enum_prop("e", options)))
    assert loads(tmp_path) == ()


def test_too_many_options(tmp_path: Path) -> None:
    many = [{"label": f"L{i}", "value": f"v{i}"} for i in range(MAX_OPTIONS + 1)]
    write(tmp_path, "c.yaml", contacts(enum_prop("e", many)))
    (diag,) = errors(tmp_path)
    assert diag.path == "properties[0].options"
    assert "5001 options" in diag.message


def test_the_maximum_number_of_options_passes(tmp_path: Path) -> None:
    many = [{"label": f"L{i}", "value": f"v{i}"} for i in range(MAX_OPTIONS)]
    write(tmp_path, "c.yaml", contacts(enum_prop("e", many)))
    assert loads(tmp_path) == ()


def test_option_over_the_character_limit(tmp_path: Path) -> None:
    big = {"label": "L" * 1000, "value": "v" * 1000, "description": "d" * 1001}
    write(tmp_path, "c.yaml", contacts(enum_prop("e", [big])))
    (diag,) = errors(tmp_path)
    assert diag.path == "properties[0].options[0]"
    assert "3001 characters" in diag.message


def test_option_at_the_character_limit_passes(tmp_path: Path) -> None:
    big = {"label": "L" * 1000, "value": "v" * 1000, "description": "d" * (MAX_OPTION_CHARS - 2000)}
    write(tmp_path, "c.yaml", contacts(enum_prop("e", [big])))
    assert loads(tmp_path) == ()


# --- unique values ------------------------------------------------------------------------------


def test_more_than_ten_unique_value_properties(tmp_path: Path) -> None:
    props = [prop(f"p{i}", hasUniqueValue=True) for i in range(MAX_UNIQUE_VALUE_PROPERTIES + 1)]
    write(tmp_path, "a.yaml", contacts(*props[:6]))
    write(tmp_path, "b.yaml", {"objectType": "0-1", "properties": props[6:]})
    (diag,) = errors(tmp_path)
    assert diag.file.endswith("b.yaml")
    assert diag.path == "properties[4].hasUniqueValue"
    assert "at most 10" in diag.message


def test_ten_unique_value_properties_pass(tmp_path: Path) -> None:
    props = [prop(f"p{i}", hasUniqueValue=True) for i in range(MAX_UNIQUE_VALUE_PROPERTIES)]
    write(tmp_path, "a.yaml", contacts(*props, prop("q", hasUniqueValue=False)))
    assert loads(tmp_path) == ()


# --- groups -------------------------------------------------------------------------------------


def test_undeclared_unknown_group_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "c.yaml", contacts(prop("a", groupName="stahla_stuff")))
    (diag,) = loads(tmp_path)
    assert diag.severity == "warning"
    assert diag.path == "properties[0].groupName"
    assert "contactinformation" in diag.message  # names the default groups
    assert str(diag).split(": ", 2)[1] == "warning"


def test_group_declared_in_another_file_passes(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", contacts(prop("a", groupName="stahla_stuff")))
    write(
        tmp_path,
        "b.yaml",
        {"objectType": "0-1", "groups": [{"name": "stahla_stuff", "label": "S"}]},
    )
    assert loads(tmp_path) == ()


def test_default_group_passes_but_not_on_another_object_type(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", contacts(prop("a", groupName="contactinformation")))
    write(tmp_path, "b.yaml", {"objectType": "leads", "properties": [prop("b")]})
    (diag,) = loads(tmp_path)
    assert diag.file.endswith("b.yaml")
    assert "leadinformation" in diag.message


def test_semantic_checks_run_beside_schema_errors(tmp_path: Path) -> None:
    options = [{"label": "A", "value": "a"}, {"label": "B", "value": "a"}]
    write(tmp_path, "c.yaml", contacts(prop("Bad"), enum_prop("e", options)))
    assert [d.path for d in errors(tmp_path)] == [
        "properties[0].name",
        "properties[1].options[1].value",
    ]


def test_misspelt_object_type_is_one_error_without_a_cascade_of_group_warnings(
    tmp_path: Path,
) -> None:
    write(tmp_path, "c.yaml", {**contacts(prop("a"), prop("b")), "objectType": "contact"})
    with pytest.raises(DefinitionError) as info:
        load_definitions(tmp_path)
    (diag,) = info.value.diagnostics
    assert diag.path == "objectType"
    assert "did you mean 'contacts'?" in diag.message
