"""The original service's files (hubprops/definitions/legacy.py): read as they are, errors
located, converted to the native form on request."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hubprops.definitions import load_definitions
from hubprops.definitions.legacy import convert, legacy_object_type
from hubprops.errors import DefinitionError

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("contact.json", "contacts"),
        ("Leads.json", "leads"),
        ("contact.yaml", None),
        ("deal.json", None),
    ],
)
def test_object_type_comes_from_the_file_name(name: str, expected: str | None) -> None:
    assert legacy_object_type(name) == expected


def test_original_system_example_loads_as_is() -> None:
    loaded = load_definitions(REPO / "examples" / "original-system")
    objects = loaded.definitions.objects
    assert set(objects) == {"contacts", "leads"}
    assert objects["contacts"].property("what_service_do_you_need_") is not None
    assert len(objects["leads"].properties) == 25


def test_errors_in_a_legacy_file_are_located(tmp_path: Path) -> None:
    items = [
        {
            "name": "ok_one",
            "label": "OK",
            "type": "string",
            "fieldType": "text",
            "groupName": "contactinformation",
        },
        {
            "name": "bad_one",
            "label": "Bad",
            "type": "text",
            "fieldType": "text",
            "groupName": "contactinformation",
        },
    ]
    (tmp_path / "contact.json").write_text(json.dumps(items, indent=2))
    with pytest.raises(DefinitionError) as caught:
        load_definitions(tmp_path)
    [error] = [d for d in caught.value.diagnostics if d.severity == "error"]
    assert error.file.endswith("contact.json")
    assert error.path == "properties[1].type"
    text = (tmp_path / "contact.json").read_text().splitlines()
    assert '"type": "text"' in text[error.line - 1]


def test_converted_file_defines_the_same_properties(tmp_path: Path) -> None:
    source = REPO / "examples" / "original-system" / "lead.json"
    data = json.loads(source.read_text())
    (tmp_path / "leads.yaml").write_text(convert(source, data))
    native = load_definitions(tmp_path).definitions
    shutil.copy(source, tmp_path / "lead.json")
    (tmp_path / "leads.yaml").unlink()
    original = load_definitions(tmp_path).definitions
    assert native.objects["leads"].properties == tuple(
        p.model_copy(update={"source": q.source})
        for p, q in zip(
            original.objects["leads"].properties, native.objects["leads"].properties, strict=True
        )
    )
