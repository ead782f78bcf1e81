"""Tests for schemas/definitions.schema.json and the diagnostics made from its errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from hubprops.definitions.loader import definitions_schema, validate_document
from hubprops.definitions.parse import parse_document
from hubprops.errors import Diagnostic

REPO = Path(__file__).resolve().parents[2]
SCHEMA_FILE = REPO / "hubprops" / "schemas" / "definitions.schema.json"
MODELINE = "# yaml-language-server: $schema=../schemas/definitions.schema.json"

PAIRS = {
    "bool": ["booleancheckbox", "calculation_equation"],
    "enumeration": ["booleancheckbox", "checkbox", "radio", "select", "calculation_equation"],
    "date": ["date"],
    "datetime": ["date"],
    "string": ["text", "textarea", "html", "file", "phonenumber", "calculation_equation"],
    "number": ["number", "calculation_equation"],
    "phone_number": ["phonenumber"],
}
FIELD_TYPES = sorted({f for fs in PAIRS.values() for f in fs})


def prop(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"name": "p", "label": "P", "groupName": "contactinformation"}
    base.update(fields)
    if base.get("fieldType") == "calculation_equation":
        base.setdefault("calculationFormula", "a + b")
    if base.get("type") in ("enumeration", "bool"):
        base.setdefault("options", [{"label": "A", "value": "a"}])
    return base


def check(*props: dict[str, Any], **root: Any) -> list[Diagnostic]:
    doc = {"objectType": "contacts", **root, "properties": list(props)}
    return validate_document(doc, file="c.yaml")


def only(diagnostics: list[Diagnostic]) -> Diagnostic:
    assert len(diagnostics) == 1, diagnostics
    return diagnostics[0]


# --- the schema itself --------------------------------------------------------------------------


def test_schema_is_valid_2020_12_with_an_id() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/definitions.schema.json")
    assert definitions_schema() == schema  # what the package loads is the file in the repo


def test_schemas_folder_at_the_root_is_the_packaged_one() -> None:
    assert (REPO / "schemas" / "definitions.schema.json").resolve() == SCHEMA_FILE.resolve()


def test_schema_lists_every_create_type_and_field_type() -> None:
    prop_schema = definitions_schema()["$defs"]["property"]["properties"]
    assert sorted(prop_schema["type"]["enum"]) == sorted(PAIRS)
    assert sorted(prop_schema["fieldType"]["enum"]) == FIELD_TYPES


@pytest.mark.parametrize(
    "path", sorted((REPO / "definitions").glob("*.yaml")), ids=lambda p: p.name
)
def test_repo_definitions_validate_against_the_schema_with_plain_jsonschema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE  # editor completion in VS Code's YAML extension
    assert (path.parent / "../schemas/definitions.schema.json").resolve() == SCHEMA_FILE.resolve()
    errors = list(Draft202012Validator(definitions_schema()).iter_errors(yaml.safe_load(text)))
    assert errors == []


@pytest.mark.parametrize("path", sorted((REPO / "examples").glob("*/*.yaml")), ids=str)
def test_example_files_carry_the_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    target = first.split("$schema=", 1)[1]
    assert (path.parent / target).resolve() == SCHEMA_FILE.resolve()


# --- root -----------------------------------------------------------------------------------------


def test_minimal_document_passes() -> None:
    assert validate_document({"objectType": "contacts"}) == []


def test_object_type_is_required() -> None:
    diag = only(validate_document({"properties": []}))
    assert (diag.path, diag.message) == ("objectType", "missing required field 'objectType'")


@pytest.mark.parametrize("value", ["contacts", "leads", "0-1", "0-136", "2-1234567", "p1234_cars"])
def test_object_type_accepts_standard_and_custom(value: str) -> None:
    assert validate_document({"objectType": value}) == []


def test_object_type_rejects_unknown_names() -> None:
    diag = only(validate_document({"objectType": "contact"}))
    assert diag.path == "objectType"
    assert "'contact': objectType must be a standard object type (contacts," in diag.message
    assert "did you mean 'contacts'?" in diag.message


def test_unknown_root_key_suggests_the_right_one() -> None:
    diag = only(validate_document({"objectType": "contacts", "propertys": []}))
    assert diag.path == "propertys"
    assert diag.message == "unknown field 'propertys' (did you mean 'properties'?)"


def test_dollar_schema_key_is_allowed_for_json_editors() -> None:
    assert (
        validate_document({"$schema": "../schemas/definitions.schema.json", "objectType": "leads"})
        == []
    )


def test_document_must_be_a_mapping() -> None:
    diag = only(validate_document(["objectType"]))
    assert diag.message == "expected a mapping (field: value), got a list"


# --- properties: fields, names, unknown keys ----------------------------------------------------


def test_hubspot_defined_property_may_name_only_what_it_manages() -> None:
    assert check({"name": "email", "label": "Email"}) == []


def test_unknown_property_key_is_reported_at_the_key() -> None:
    diag = only(check(prop(type="string", fieldType="text", fieldtype="text")))
    assert diag.path == "properties[0].fieldtype"
    assert "did you mean 'fieldType'?" in diag.message


def test_unknown_option_key_is_reported() -> None:
    options = [{"label": "A", "value": "a", "colour": "red"}]
    diag = only(check(prop(type="enumeration", fieldType="select", options=options)))
    assert diag.path == "properties[0].options[0].colour"


@pytest.mark.parametrize("name", ["a", "event_start_date", "what_service_do_you_need_", "x1"])
def test_good_names_pass(name: str) -> None:
    assert check(prop(name=name, type="string", fieldType="text")) == []


@pytest.mark.parametrize("name", ["Event", "event-date", "1st", "_x", "with space", ""])
def test_bad_names_fail(name: str) -> None:
    diag = only(check(prop(name=name, type="string", fieldType="text")))
    assert diag.path == "properties[0].name"


def test_name_is_at_most_100_characters() -> None:
    assert check(prop(name="a" * 100, type="string", fieldType="text")) == []
    diag = only(check(prop(name="a" * 101, type="string", fieldType="text")))
    assert "at most 100" in diag.message


def test_bad_group_name_fails() -> None:
    diag = only(check(prop(type="string", fieldType="text", groupName="Contact Info")))
    assert diag.path == "properties[0].groupName"


def test_group_needs_a_label_and_a_good_name() -> None:
    found = check(groups=[{"name": "g"}, {"name": "G", "label": "G"}])
    assert [(d.path, d.message) for d in found] == [
        ("groups[0].label", "missing required field 'label'"),
        (
            "groups[1].name",
            "'G' is not a valid name: use lowercase letters, digits and underscores, "
            "starting with a letter (e.g. event_start_date)",
        ),
    ]


def test_yaml_boolean_where_text_belongs_says_to_quote_it() -> None:
    options = [{"label": "No", "value": False}]
    diag = only(check(prop(type="enumeration", fieldType="radio", options=options)))
    assert diag.path == "properties[0].options[0].value"
    assert diag.message.startswith("expected a string, got false (quote it in YAML")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("dataSensitivity", "secret"),
        ("numberDisplayHint", "money"),
        ("textDisplayHint", "big"),
        ("hidden", "yes"),
        ("displayOrder", "1"),
    ],
)
def test_enum_and_scalar_fields_are_checked(field: str, value: Any) -> None:
    diag = only(check(prop(type="string", fieldType="text", **{field: value})))
    assert diag.path == f"properties[0].{field}"


def test_every_documented_field_is_accepted() -> None:
    full = prop(
        type="enumeration",
        fieldType="select",
        description="d",
        options=[
            {"label": "A", "value": "a", "description": "x", "displayOrder": 1, "hidden": False}
        ],
        displayOrder=-1,
        hidden=False,
        formField=True,
        hasUniqueValue=False,
        dataSensitivity="non_sensitive",
        showCurrencySymbol=True,
        numberDisplayHint="currency",
        textDisplayHint="multi_line",
        currencyPropertyName="deal_currency_code",
    )
    assert check(full) == []


# --- type / fieldType ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "field_type"), [(t, f) for t, fs in PAIRS.items() for f in fs], ids="/".join
)
def test_valid_pairs_pass(type_: str, field_type: str) -> None:
    assert check(prop(type=type_, fieldType=field_type)) == []


@pytest.mark.parametrize(
    ("type_", "field_type"),
    [(t, f) for t, fs in PAIRS.items() for f in FIELD_TYPES if f not in fs],
    ids="/".join,
)
def test_invalid_pairs_fail_with_one_precise_error(type_: str, field_type: str) -> None:
    diag = only(check(prop(type=type_, fieldType=field_type)))
    assert diag.path == "properties[0].fieldType"
    assert diag.message.startswith(f"'{field_type}' is not valid for type '{type_}' (valid: ")


def test_unknown_type_is_one_error_with_a_hint() -> None:
    diag = only(check(prop(type="text", fieldType="text")))
    assert diag.path == "properties[0].type"
    assert "'text' is a fieldType, its type is 'string'" in diag.message


def test_unknown_field_type_is_one_error() -> None:
    diag = only(check(prop(type="string", fieldType="dropdown")))
    assert diag.message.startswith("'dropdown' is not a valid fieldType (valid: ")


def test_type_and_field_type_go_together() -> None:
    assert only(check(prop(type="string"))).path == "properties[0].fieldType"
    assert only(check(prop(fieldType="text"))).path == "properties[0].type"


# --- options and related rules ------------------------------------------------------------------


def test_enumeration_needs_options() -> None:
    diag = only(check({"name": "e", "type": "enumeration", "fieldType": "select"}))
    assert diag.path == "properties[0].options"
    assert diag.message.startswith("an enumeration property needs options")


def test_enumeration_options_must_not_be_empty() -> None:
    diag = only(check(prop(type="enumeration", fieldType="select", options=[])))
    assert diag.path == "properties[0].options"


def test_external_options_replace_options_but_need_a_reference() -> None:
    owner = {"name": "o", "type": "enumeration", "fieldType": "select", "externalOptions": True}
    assert only(check(owner)).path == "properties[0].referencedObjectType"
    assert check({**owner, "referencedObjectType": "OWNER"}) == []


def test_external_options_only_on_enumerations() -> None:
    owner = {"name": "o", "type": "string", "fieldType": "text", "externalOptions": True}
    diag = only(check({**owner, "referencedObjectType": "OWNER"}))
    assert diag.path == "properties[0].type"
    assert "only for enumeration" in diag.message


@pytest.mark.parametrize("type_", ["string", "number", "date"])
def test_options_on_non_enumeration_fail(type_: str) -> None:
    field_type = PAIRS[type_][0]
    found = check(prop(type=type_, fieldType=field_type, options=[{"label": "A", "value": "a"}]))
    assert only(found).message.startswith("options are only for enumeration")


def test_options_are_allowed_on_bool() -> None:
    yes_no = [{"label": "Yes", "value": "true"}, {"label": "No", "value": "false"}]
    assert check(prop(type="bool", fieldType="booleancheckbox", options=yes_no)) == []


def test_option_needs_label_and_value() -> None:
    found = check(prop(type="enumeration", fieldType="select", options=[{"label": "A"}]))
    assert only(found).path == "properties[0].options[0].value"


def test_calculation_equation_needs_a_formula() -> None:
    calc = {"name": "c", "type": "number", "fieldType": "calculation_equation"}
    assert only(check(calc)).path == "properties[0].calculationFormula"
    assert check({**calc, "calculationFormula": "a / b"}) == []


# --- positions ----------------------------------------------------------------------------------


def test_schema_errors_point_at_the_offending_key_or_item() -> None:
    text = """\
objectType: contacts
properties:
  - name: ok
    label: OK
    type: string
    fieldType: select
  - name: e
    type: enumeration
    fieldType: select
"""
    parsed = parse_document(text)
    found = validate_document(parsed.data, file="c.yaml", positions=parsed.positions)
    assert [str(d).split(": ", 1)[0] for d in found] == ["c.yaml:6:5", "c.yaml:7:5"]


def test_misspelt_object_type_suggests_the_right_one() -> None:
    diag = only(validate_document({"objectType": "Leads"}))
    assert diag.message.endswith("did you mean 'leads'?")
    assert "did you mean" not in only(validate_document({"objectType": "widgets"})).message


def test_empty_value_says_to_write_one_not_to_quote_it() -> None:
    diag = only(check(prop(type="string", fieldType="text", label=None)))
    assert diag.path == "properties[0].label"
    assert diag.message == (
        "expected a string, got nothing (null): write a value after the colon, or leave the "
        "field out"
    )


def test_yaml_date_where_text_belongs_says_to_quote_it() -> None:
    parsed = parse_document("objectType: contacts\ngroups:\n  - {name: g, label: 2024-05-01}\n")
    diag = only(validate_document(parsed.data))
    assert diag.message.startswith("expected a string, got a date (2024-05-01) (quote it in YAML")
