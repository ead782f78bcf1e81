"""Normalization: server defaults, metadata and list order never make a difference."""

from __future__ import annotations

from typing import Any

from hubprops.models import GroupDef, OptionDef, PropertyDef
from hubprops.normalize import (
    PROPERTY_FIELDS,
    definition_digest,
    digest,
    field_order,
    normalize_definition,
    normalize_options,
    normalize_remote,
    remote_digest,
    remote_group_digest,
)


def remote_prop(**over: Any) -> dict[str, Any]:
    """A custom property as HubSpot returns it, all server defaults and metadata included."""
    base: dict[str, Any] = {
        "name": "color",
        "label": "Color",
        "type": "enumeration",
        "fieldType": "select",
        "groupName": "contactinformation",
        "description": "",
        "options": [
            {"label": "Red", "value": "red", "description": "", "displayOrder": 0, "hidden": False},
            {
                "label": "Blue",
                "value": "blue",
                "description": "",
                "displayOrder": 1,
                "hidden": False,
            },
        ],
        "displayOrder": -1,
        "calculated": False,
        "externalOptions": False,
        "hasUniqueValue": False,
        "hidden": False,
        "formField": False,
        "dataSensitivity": "non_sensitive",
        "createdAt": "2024-01-01T00:00:00.000Z",
        "updatedAt": "2024-01-02T00:00:00.000Z",
        "createdUserId": "1",
        "updatedUserId": "2",
        "archived": False,
        "modificationMetadata": {
            "archivable": True,
            "readOnlyDefinition": False,
            "readOnlyValue": False,
        },
    }
    base.update(over)
    return base


def definition(**over: Any) -> PropertyDef:
    fields: dict[str, Any] = {
        "name": "color",
        "label": "Color",
        "type": "enumeration",
        "fieldType": "select",
        "groupName": "contactinformation",
        "options": [OptionDef(label="Red", value="red"), OptionDef(label="Blue", value="blue")],
    }
    fields.update(over)
    return PropertyDef(**fields)


def test_definition_keeps_only_what_it_sets() -> None:
    p = PropertyDef(name="email", label="Email")
    assert normalize_definition(p) == {"name": "email", "label": "Email"}


def test_remote_projected_on_managed_fields_matches_definition() -> None:
    p = definition()
    assert normalize_remote(remote_prop(), normalize_definition(p)) == normalize_definition(p)
    assert definition_digest(p) == digest(normalize_remote(remote_prop(), normalize_definition(p)))


def test_missing_keys_equal_their_defaults() -> None:
    p = definition(description="", hidden=False, formField=False, displayOrder=-1)
    bare = {
        k: v
        for k, v in remote_prop().items()
        if k not in ("description", "hidden", "formField", "displayOrder")
    }
    assert normalize_remote(bare, normalize_definition(p)) == normalize_definition(p)


def test_negative_display_order_is_minus_one() -> None:
    assert normalize_definition(definition(displayOrder=-7))["displayOrder"] == -1
    assert normalize_remote({"displayOrder": -3}, ["displayOrder"]) == {"displayOrder": -1}


def test_option_defaults_and_display_order_from_position() -> None:
    assert normalize_options([{"label": "A", "value": "a"}, {"label": "B", "value": "b"}]) == [
        {"label": "A", "value": "a", "description": "", "hidden": False},
        {"label": "B", "value": "b", "description": "", "hidden": False},
    ]


def test_options_follow_display_order_not_list_order() -> None:
    shuffled = [
        {"label": "Blue", "value": "blue", "displayOrder": 20},
        {"label": "Red", "value": "red", "displayOrder": 10},
    ]
    assert [o["value"] for o in normalize_options(shuffled)] == ["red", "blue"]
    # the numbers themselves do not matter, only the order they give
    p = definition()
    assert normalize_remote({**remote_prop(), "options": shuffled}, ["options"]) == {
        "options": normalize_definition(p)["options"]
    }


def test_negative_option_order_goes_last() -> None:
    options = [{"label": "Z", "value": "z", "displayOrder": -1}, {"label": "A", "value": "a"}]
    assert [o["value"] for o in normalize_options(options)] == ["a", "z"]


def test_a_real_difference_stays() -> None:
    p = definition(label="Colour")
    assert normalize_remote(remote_prop(), normalize_definition(p)) != normalize_definition(p)
    reordered = definition(
        options=[OptionDef(label="Blue", value="blue"), OptionDef(label="Red", value="red")]
    )
    assert normalize_remote(remote_prop(), ["options"]) != {
        "options": normalize_definition(reordered)["options"]
    }


def test_remote_digest_ignores_timestamps_users_metadata_and_order() -> None:
    base = remote_digest(remote_prop())
    moved = remote_prop(
        updatedAt="2030-01-01T00:00:00.000Z",
        updatedUserId="99",
        modificationMetadata={"archivable": False, "readOnlyDefinition": False},
        calculated=True,
        options=list(reversed(remote_prop()["options"])),
    )
    assert remote_digest(moved) == base
    assert remote_digest(remote_prop(label="Other")) != base
    assert remote_digest(remote_prop(hidden=True)) != base


def test_remote_digest_covers_property_fields_only() -> None:
    assert set(normalize_remote(remote_prop(), PROPERTY_FIELDS)) == set(PROPERTY_FIELDS)


def test_groups() -> None:
    g = GroupDef(name="stahla", label="Stahla")
    remote = {"name": "stahla", "label": "Stahla", "displayOrder": 4, "archived": False}
    assert normalize_definition(g) == {"name": "stahla", "label": "Stahla"}
    assert normalize_remote(remote, normalize_definition(g)) == {
        "name": "stahla",
        "label": "Stahla",
    }
    assert definition_digest(g) == digest({"name": "stahla", "label": "Stahla"})
    assert remote_group_digest(remote) == remote_group_digest({**remote, "archived": True})
    assert remote_group_digest(remote) != remote_group_digest({**remote, "label": "S"})
    assert normalize_remote({"name": "x"}, ["displayOrder"]) == {"displayOrder": -1}


def test_digest_is_canonical() -> None:
    assert digest({"b": 1, "a": "é"}) == digest({"a": "é", "b": 1})
    assert len(digest({})) == 64


def test_field_order_follows_hubspot() -> None:
    fields = ["options[x].label", "description", "label", "options order", "zzz", "name"]
    assert sorted(fields, key=field_order) == [
        "name",
        "label",
        "description",
        "options order",
        "options[x].label",
        "zzz",
    ]
