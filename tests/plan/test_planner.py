"""The planner on hand-made definitions and HubSpot JSON (the golden folders cover rendering)."""

from __future__ import annotations

from typing import Any

import pytest

from hubprops.errors import DestructiveChangeBlocked, PlanError
from hubprops.lock.file import Lock, LockedGroup, LockedProperty
from hubprops.models import (
    Definitions,
    GroupDef,
    ObjectDefinitions,
    OptionDef,
    PropertyDef,
    RemoteObject,
    RemoteState,
    SourceLocation,
)
from hubprops.normalize import definition_digest, remote_digest
from hubprops.plan.diff import property_body
from hubprops.plan.planner import (
    definitions_digest,
    object_types_in_scope,
    plan,
    sensitivities,
)
from hubprops.plan.types import Action, Kind, PlanOptions

PORTAL = 42


def remote_prop(name: str, **over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": name,
        "label": name.title(),
        "type": "string",
        "fieldType": "text",
        "groupName": "contactinformation",
        "description": "",
        "options": [],
        "displayOrder": -1,
        "hidden": False,
        "formField": False,
        "createdAt": "2024-01-01T00:00:00Z",
        "updatedAt": "2024-01-01T00:00:00Z",
        "modificationMetadata": {
            "archivable": True,
            "readOnlyDefinition": False,
            "readOnlyValue": False,
        },
    }
    base.update(over)
    return base


def prop(name: str, **over: Any) -> PropertyDef:
    fields: dict[str, Any] = {
        "name": name,
        "label": name.title(),
        "type": "string",
        "fieldType": "text",
        "groupName": "contactinformation",
        "source": SourceLocation(file="definitions/contacts.yaml", line=7),
    }
    fields.update(over)
    return PropertyDef(**fields)


def defs(
    *props: PropertyDef, groups: tuple[GroupDef, ...] = (), t: str = "contacts"
) -> Definitions:
    return Definitions(
        objects={t: ObjectDefinitions(object_type=t, properties=props, groups=groups)}
    )


def remote(
    *props: dict[str, Any], groups: tuple[str, ...] = ("contactinformation",), t: str = "contacts"
) -> RemoteState:
    return RemoteState(
        portal_id=PORTAL,
        objects={
            t: RemoteObject(
                object_type=t,
                properties={p["name"]: p for p in props},
                groups={g: {"name": g, "label": g, "displayOrder": -1} for g in groups},
            )
        },
    )


def make(d: Definitions, r: RemoteState, lock: Lock | None = None, **options: Any) -> Any:
    return plan(
        d,
        r,
        lock or Lock(),
        options=PlanOptions(**options),
        api_base="https://api.hubapi.com",
        created_at="2024-06-01T00:00:00Z",
    )


def locked(*names: str, groups: tuple[str, ...] = (), t: str = "contacts") -> Lock:
    lock = Lock()
    entry = lock.entry(PORTAL, t)
    for n in names:
        entry.properties[n] = LockedProperty(id=f"0-1/{n}", sha256="0" * 64)
    for g in groups:
        entry.groups[g] = LockedGroup(id=f"0-1/{g}", sha256="0" * 64)
    return lock


def test_create_payload_is_the_definition_with_option_orders() -> None:
    p = prop(
        "color",
        type="enumeration",
        fieldType="select",
        options=(
            OptionDef(label="Red", value="red"),
            OptionDef(label="Blue", value="blue", hidden=True),
        ),
    )
    result = make(defs(p), remote())
    (change,) = result.changes
    assert change.action is Action.CREATE and change.before is None
    assert change.payload == {
        "name": "color",
        "label": "Color",
        "type": "enumeration",
        "fieldType": "select",
        "groupName": "contactinformation",
        "options": [
            {"label": "Red", "value": "red", "displayOrder": 0, "hidden": False},
            {"label": "Blue", "value": "blue", "displayOrder": 1, "hidden": True},
        ],
    }
    assert change.after_digest == definition_digest(p)
    assert property_body(p) == change.payload


def test_update_payload_has_only_changed_fields_and_options_whole() -> None:
    p = prop(
        "color",
        label="Colour",
        description="",
        type="enumeration",
        fieldType="select",
        options=(OptionDef(label="Red", value="red"), OptionDef(label="Green", value="green")),
    )
    current = remote_prop(
        "color",
        type="enumeration",
        fieldType="select",
        options=[{"label": "Red", "value": "red", "displayOrder": 0, "hidden": False}],
    )
    (change,) = make(defs(p), remote(current)).changes
    assert change.action is Action.UPDATE
    assert set(change.payload) == {"label", "options"}
    assert [o["value"] for o in change.payload["options"]] == ["red", "green"]
    assert {d.field for d in change.diffs} == {"label", "options[green]"}
    assert change.before_digest == remote_digest(current)
    assert not change.destructive


def test_option_reorder_is_one_readable_diff() -> None:
    p = prop(
        "size",
        type="enumeration",
        fieldType="radio",
        options=(OptionDef(label="L", value="l"), OptionDef(label="S", value="s")),
    )
    opts = [
        {"label": "S", "value": "s", "displayOrder": 0},
        {"label": "L", "value": "l", "displayOrder": 1},
    ]
    current = remote_prop("size", type="enumeration", fieldType="radio", options=opts)
    (change,) = make(defs(p), remote(current)).changes
    assert [(d.field, d.before, d.after) for d in change.diffs] == [
        ("options order", ["s", "l"], ["l", "s"])
    ]


def test_unmanaged_fields_and_server_defaults_are_no_change() -> None:
    current = remote_prop("notes", hidden=False, description="set by hand", updatedAt="2030")
    result = make(defs(prop("notes")), remote(current, remote_prop("someone_elses")))
    assert result.changes == () and result.unchanged == {"contacts": 1}


def test_apply_order_across_object_types() -> None:
    d = Definitions(
        objects={
            t: ObjectDefinitions(
                object_type=t,
                properties=(prop("b", groupName="g"), prop("a", label="New")),
                groups=(GroupDef(name="g", label="G"),),
            )
            for t in ("leads", "contacts")
        }
    )
    r = RemoteState(
        portal_id=PORTAL,
        objects={
            t: RemoteObject(
                object_type=t,
                properties={"a": remote_prop("a"), "z": remote_prop("z")},
                groups={
                    "contactinformation": {"name": "contactinformation", "label": "C"},
                    "old": {"name": "old", "label": "O"},
                },
            )
            for t in ("leads", "contacts")
        },
    )
    lock = locked("z", groups=("old",))
    lock.entry(PORTAL, "leads").properties["z"] = LockedProperty(id="0-136/z", sha256="0" * 64)
    lock.entry(PORTAL, "leads").groups["old"] = LockedGroup(id="0-136/old", sha256="0" * 64)
    result = make(d, r, lock, prune=True, allow_destructive=True)
    assert [(c.kind.value, c.action.value, c.object_type, c.name) for c in result.changes] == [
        ("group", "create", "contacts", "g"),
        ("group", "create", "leads", "g"),
        ("property", "create", "contacts", "b"),
        ("property", "create", "leads", "b"),
        ("property", "update", "contacts", "a"),
        ("property", "update", "leads", "a"),
        ("property", "archive", "contacts", "z"),
        ("property", "archive", "leads", "z"),
        ("group", "archive", "contacts", "old"),
        ("group", "archive", "leads", "old"),
    ]
    assert result.summary == {"create": 4, "update": 2, "archive": 4}


def test_without_prune_dropped_items_are_kept_and_unlocked_ones_ignored() -> None:
    r = remote(
        remote_prop("dropped"), remote_prop("never_managed"), groups=("contactinformation", "old")
    )
    result = make(defs(), r, locked("dropped", "vanished", groups=("old",)))
    assert result.changes == ()
    assert [(k.kind, k.name) for k in result.kept] == [
        (Kind.GROUP, "old"),
        (Kind.PROPERTY, "dropped"),
    ]


def test_destructive_changes_are_blocked_with_reasons() -> None:
    current = remote_prop("n", type="number", fieldType="number")
    with pytest.raises(DestructiveChangeBlocked) as info:
        make(defs(prop("n")), remote(current))
    assert info.value.reasons == (
        "contacts property n: type change number -> string may lose values",
    )
    assert "--allow-destructive" in str(info.value)
    (change,) = make(defs(prop("n")), remote(current), allow_destructive=True).changes
    assert change.destructive and change.reasons


def test_checkbox_to_select_and_option_removal_are_destructive() -> None:
    opts = [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}]
    current = remote_prop("m", type="enumeration", fieldType="checkbox", options=opts)
    p = prop(
        "m", type="enumeration", fieldType="select", options=(OptionDef(label="A", value="a"),)
    )
    with pytest.raises(DestructiveChangeBlocked) as info:
        make(defs(p), remote(current))
    assert info.value.reasons == (
        "contacts property m: fieldType checkbox -> select keeps only one value per record",
        "contacts property m: option 'b' removed: records may keep orphan values",
    )


def test_select_to_radio_is_not_destructive() -> None:
    current = remote_prop(
        "m", type="enumeration", fieldType="select", options=[{"label": "A", "value": "a"}]
    )
    p = prop("m", type="enumeration", fieldType="radio", options=(OptionDef(label="A", value="a"),))
    (change,) = make(defs(p), remote(current)).changes
    assert not change.destructive


def test_create_missing_required_fields_names_file_line() -> None:
    p = PropertyDef(name="half", label="Half", source=SourceLocation(file="defs/c.yaml", line=12))
    with pytest.raises(
        PlanError,
        match=r"defs/c.yaml:12: cannot create contacts property 'half': "
        r"missing type, fieldType, groupName",
    ):
        make(defs(p), remote())


def test_unknown_group_is_a_plan_error_but_a_defined_group_is_fine() -> None:
    with pytest.raises(
        PlanError, match="group 'nowhere' exists neither in HubSpot nor in the definitions"
    ):
        make(defs(prop("x", groupName="nowhere")), remote())
    result = make(defs(prop("x", groupName="g"), groups=(GroupDef(name="g", label="G"),)), remote())
    assert [c.kind for c in result.changes] == [Kind.GROUP, Kind.PROPERTY]


def test_moving_to_an_unknown_group_is_a_plan_error() -> None:
    with pytest.raises(PlanError, match="group 'nowhere'"):
        make(defs(prop("x", groupName="nowhere")), remote(remote_prop("x")))


@pytest.mark.parametrize(
    "field,value",
    [("hasUniqueValue", True), ("dataSensitivity", "sensitive"), ("externalOptions", True)],
)
def test_fields_fixed_at_creation(field: str, value: Any) -> None:
    with pytest.raises(
        PlanError, match=f"{field} of contacts property 'x' cannot be changed after creation"
    ):
        make(defs(prop("x", **{field: value})), remote(remote_prop("x")))


def test_fixed_field_of_a_hubspot_defined_property_does_not_suggest_archiving_it() -> None:
    current = remote_prop("email", hubspotDefined=True)
    with pytest.raises(PlanError) as info:
        make(defs(prop("email", hasUniqueValue=True)), remote(current))
    assert "cannot be changed after creation" in str(info.value)
    assert "HubSpot-defined properties cannot be archived" in str(info.value)
    assert "archive it and recreate it" not in str(info.value)


def hubspot_defined(name: str, read_only_options: bool | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"archivable": False, "readOnlyDefinition": True, "readOnlyValue": False}
    if read_only_options is not None:
        meta["readOnlyOptions"] = read_only_options
    return remote_prop(
        name,
        type="enumeration",
        fieldType="select",
        hubspotDefined=True,
        modificationMetadata=meta,
        options=[{"label": "Lead", "value": "lead"}],
    )


def test_hubspot_defined_allows_label_and_editable_options() -> None:
    p = PropertyDef(
        name="lifecyclestage",
        label="Stage",
        options=(OptionDef(label="Lead", value="lead"), OptionDef(label="New", value="new")),
    )
    (change,) = make(defs(p), remote(hubspot_defined("lifecyclestage", False))).changes
    assert set(change.payload) == {"label", "options"}


@pytest.mark.parametrize("read_only_options", [True, None])
def test_hubspot_defined_read_only_fields_are_plan_errors(read_only_options: bool | None) -> None:
    p = PropertyDef(
        name="hs_x",
        fieldType="radio",
        options=(OptionDef(label="New", value="new"),),
        source=SourceLocation(file="d.yaml", line=3),
    )
    with pytest.raises(PlanError) as info:
        make(defs(p), remote(hubspot_defined("hs_x", read_only_options)))
    message = str(info.value)
    assert "d.yaml:3: fieldType of HubSpot-defined contacts property 'hs_x' is read-only" in message
    assert "d.yaml:3: options of HubSpot-defined contacts property 'hs_x' is read-only" in message


def test_hubspot_defined_is_never_archived() -> None:
    r = remote(hubspot_defined("lifecyclestage", False))
    result = make(defs(), r, locked("lifecyclestage"), prune=True, allow_destructive=True)
    assert result.changes == () and [k.name for k in result.kept] == ["lifecyclestage"]


def test_group_in_use_cannot_be_archived() -> None:
    r = remote(remote_prop("x", groupName="old"), groups=("contactinformation", "old"))
    with pytest.raises(
        PlanError, match=r"cannot archive contacts group 'old'.*properties still use it: x"
    ):
        make(defs(), r, locked(groups=("old",)), prune=True, allow_destructive=True)
    # archiving the property (locked) or moving it away frees the group
    result = make(defs(), r, locked("x", groups=("old",)), prune=True, allow_destructive=True)
    assert [(c.kind, c.action) for c in result.changes] == [
        (Kind.PROPERTY, Action.ARCHIVE),
        (Kind.GROUP, Action.ARCHIVE),
    ]
    result = make(defs(prop("x")), r, locked(groups=("old",)), prune=True, allow_destructive=True)
    assert [(c.kind, c.action) for c in result.changes] == [
        (Kind.PROPERTY, Action.UPDATE),
        (Kind.GROUP, Action.ARCHIVE),
    ]


def test_group_create_needs_label_and_update_sends_changed_fields() -> None:
    with pytest.raises(PlanError, match="cannot create contacts group 'g': missing label"):
        make(defs(groups=(GroupDef(name="g"),)), remote())
    r = RemoteState(
        portal_id=PORTAL,
        objects={
            "contacts": RemoteObject(
                object_type="contacts",
                groups={"g": {"name": "g", "label": "Old", "displayOrder": 3}},
            )
        },
    )
    (change,) = make(defs(groups=(GroupDef(name="g", label="New", displayOrder=3),)), r).changes
    assert change.payload == {"label": "New"} and change.action is Action.UPDATE


def test_scope_and_missing_remote_state() -> None:
    lock = locked("x", t="leads")
    assert object_types_in_scope(defs(prop("a")), lock, PORTAL, PlanOptions()) == (
        "contacts",
        "leads",
    )
    assert object_types_in_scope(Definitions(), lock, 7, PlanOptions()) == ()
    assert object_types_in_scope(defs(), lock, PORTAL, PlanOptions(objects=("0-1",))) == (
        "contacts",
    )
    with pytest.raises(PlanError, match="HubSpot's state of leads was not read"):
        make(defs(prop("a")), remote(), lock)


def test_object_filter_limits_the_plan() -> None:
    d = Definitions(
        objects={
            "contacts": defs(prop("a")).objects["contacts"],
            "leads": defs(prop("b"), t="leads").objects["leads"],
        }
    )
    result = make(d, remote(), objects=("contacts",))
    assert [c.object_type for c in result.changes] == ["contacts"]


def test_sensitivities_and_digest() -> None:
    d = defs(
        prop("a", dataSensitivity="sensitive"),
        prop("b", dataSensitivity="non_sensitive"),
        prop("c"),
    )
    assert sensitivities(d, ("contacts",)) == ("sensitive",)
    assert sensitivities(d, ("leads",)) == ()
    assert definitions_digest(d) == definitions_digest(d.model_copy())
    assert definitions_digest(d) != definitions_digest(defs(prop("a")))


def test_plan_is_pure() -> None:
    args = (defs(prop("a", label="x")), remote(remote_prop("a")))
    assert make(*args) == make(*args)


def test_unchanged_items_the_lock_does_not_record_are_in_sync() -> None:
    email = remote_prop("email", hubspotDefined=True, createdAt="c", updatedAt="u")
    d = defs(
        prop("email"),
        prop("mine"),
        groups=(GroupDef(name="contactinformation", label="contactinformation"),),
    )
    r = remote(email, remote_prop("mine"))
    lock = locked("mine")
    lock.entry(PORTAL, "contacts").properties["mine"].sha256 = definition_digest(prop("mine"))
    result = make(d, r, lock)
    assert result.changes == ()
    assert [(i.kind, i.name, i.hubspot_defined, i.created_at) for i in result.in_sync] == [
        (Kind.GROUP, "contactinformation", False, None),
        (Kind.PROPERTY, "email", True, "c"),
    ]
    assert result.in_sync[1].digest == definition_digest(prop("email"))
    assert not result.has_changes


def test_removing_most_options_is_still_listed_option_by_option() -> None:
    """deepdiff reports a dict as one changed value when few keys are shared; the plan must
    still name each removed option (here 2 of 8 stay)."""
    values = ["a", "b", "c", "d", "e", "f", "g", "h"]
    current = remote_prop(
        "stage",
        type="enumeration",
        fieldType="radio",
        options=[{"label": v.upper(), "value": v, "displayOrder": i} for i, v in enumerate(values)],
    )
    p = prop(
        "stage",
        type="enumeration",
        fieldType="radio",
        options=(OptionDef(label="A", value="a"), OptionDef(label="B", value="b")),
    )
    (change,) = make(defs(p), remote(current), allow_destructive=True).changes
    assert {d.field for d in change.diffs} == {f"options[{v}]" for v in values[2:]}


def test_adding_options_to_a_property_without_any_lists_each_option() -> None:
    current = remote_prop("n", type="number", fieldType="number")
    p = prop(
        "n",
        type="enumeration",
        fieldType="select",
        options=(OptionDef(label="One", value="1"), OptionDef(label="Two", value="2")),
    )
    (change,) = make(defs(p), remote(current), allow_destructive=True).changes
    assert {d.field for d in change.diffs} == {"type", "fieldType", "options[1]", "options[2]"}


def test_blocked_destructive_changes_are_counted_as_changes_not_reasons() -> None:
    opts = [{"label": v, "value": v} for v in ("a", "b", "c")]
    current = remote_prop("m", type="enumeration", fieldType="checkbox", options=opts)
    p = prop(
        "m", type="enumeration", fieldType="select", options=(OptionDef(label="a", value="a"),)
    )
    with pytest.raises(DestructiveChangeBlocked) as info:
        make(defs(p), remote(current))
    assert "Refusing: 1 destructive change(s)" in str(info.value)
    assert len(info.value.reasons) == 3


def test_kept_items_say_why_each_is_kept() -> None:
    """A HubSpot-defined property dropped from the definitions is kept even with --prune, and
    the plan says HubSpot forbids archiving it rather than suggesting --prune."""
    from hubprops.lock.file import Lock, LockedProperty
    from hubprops.models import Definitions, ObjectDefinitions, RemoteObject, RemoteState
    from hubprops.plan.planner import plan
    from hubprops.plan.types import KEPT_NO_PRUNE, KEPT_NOT_ARCHIVABLE, PlanOptions

    lock = Lock()
    entry = lock.entry(1, "contacts")
    for name in ("email", "old_notes"):
        entry.properties[name] = LockedProperty(id=f"0-1/{name}", sha256="0" * 64)
    remote = RemoteState(
        portal_id=1,
        objects={
            "contacts": RemoteObject(
                object_type="contacts",
                properties={
                    "email": {
                        "name": "email",
                        "label": "Email",
                        "type": "string",
                        "fieldType": "text",
                        "groupName": "contactinformation",
                        "hubspotDefined": True,
                        "modificationMetadata": {"archivable": False, "readOnlyDefinition": True},
                    },
                    "old_notes": {
                        "name": "old_notes",
                        "label": "Old notes",
                        "type": "string",
                        "fieldType": "textarea",
                        "groupName": "contactinformation",
                    },
                },
            )
        },
    )
    defs = Definitions(objects={"contacts": ObjectDefinitions(object_type="contacts")})
    for prune, expected in (
        (False, {"email": KEPT_NOT_ARCHIVABLE, "old_notes": KEPT_NO_PRUNE}),
        (True, {"email": KEPT_NOT_ARCHIVABLE}),
    ):
        made = plan(
            defs,
            remote,
            lock,
            options=PlanOptions(prune=prune, allow_destructive=True),
            api_base="http://x",
        )
        assert {k.name: k.reason for k in made.kept} == expected
