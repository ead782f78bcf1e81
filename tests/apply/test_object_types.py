"""Every standard object type by name and id, and custom object types (``2-N`` and
``p{portal}_{name}``) end to end on the sandbox: plan, apply, and no changes after."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubprops.apply.applier import apply_plan
from hubprops.definitions.loader import load_definitions
from hubprops.lock.file import Lock
from hubprops.models import canonical_object_type, object_type_id
from hubprops.rules import OBJECT_TYPE_IDS
from hubprops.sandbox import Sandbox
from hubprops.sandbox.objecttypes import STANDARD_TYPES
from tests.helpers.apply import make_plan, prop, sandbox_client, write_definitions


@pytest.mark.parametrize("name", sorted(STANDARD_TYPES))
def test_every_standard_type_is_accepted_by_name_and_id(name: str, tmp_path: Path) -> None:
    type_id = STANDARD_TYPES[name][0]
    assert canonical_object_type(type_id) == name
    assert object_type_id(name) == type_id == OBJECT_TYPE_IDS[name]
    for given in (name, type_id):
        folder = write_definitions(tmp_path / given, given, [prop("hp_note", "x")])
        loaded = load_definitions(folder)
        assert list(loaded.definitions.objects) == [name]


def _round_trip(sandbox: Sandbox, object_type: str, group: str, tmp_path: Path) -> None:
    folder = write_definitions(
        tmp_path / "defs",
        object_type,
        [prop("widget_size", group), prop("widget_colour", "widget_extra")],
        groups=[{"name": "widget_extra", "label": "Extra"}],
    )
    lock = Lock()
    with sandbox_client(sandbox) as client:
        first = make_plan(client, folder, lock)
        assert first.summary == {"create": 3, "update": 0, "archive": 0}
        result = apply_plan(client, first, lock, save=lambda lk: None)
        assert result.ok, result
        again = make_plan(client, folder, lock)
        assert again.changes == ()
    names = {p["name"] for p in sandbox.properties(object_type)}
    assert {"widget_size", "widget_colour"} <= names


def test_a_custom_object_by_qualified_name_end_to_end(tmp_path: Path) -> None:
    sandbox = Sandbox(custom_objects=["widgets"])
    _round_trip(sandbox, "p12345678_widgets", "widgets_information", tmp_path)


def test_a_custom_object_by_id_end_to_end(tmp_path: Path) -> None:
    sandbox = Sandbox(custom_objects=["widgets"])
    _round_trip(sandbox, "2-1", "widgets_information", tmp_path)


def test_a_standard_type_by_id_end_to_end(tmp_path: Path) -> None:
    _round_trip(Sandbox(), "0-7", "productinformation", tmp_path)
