"""hubprops/plan/origin.py: a plan held to the definitions it was made from. Honest plans made
on the sandbox (creates, updates, renames, prune archives, in-sync items) pass; each kind of
edit that keeps the plan self-consistent but leaves its definitions is named."""

from __future__ import annotations

import pytest

from hubprops.apply.applier import apply_plan
from hubprops.errors import PlanFileError
from hubprops.lock.file import Lock
from hubprops.models import Definitions, ObjectDefinitions, PropertyDef, RenameDef
from hubprops.normalize import digest
from hubprops.plan.file import decode, encode
from hubprops.plan.origin import check_definitions, definitions_problems, recorded_path
from hubprops.plan.planner import definitions_digest
from hubprops.plan.remote import plan_against
from hubprops.plan.types import Action, Change, InSync, Kind, Plan, PlanOptions
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from tests.helpers.apply import prop, sandbox_client

ALPHA = PropertyDef.model_validate(prop("alpha", "contactinformation"))


def defs(*properties: PropertyDef, renames: tuple[RenameDef, ...] = ()) -> Definitions:
    contacts = ObjectDefinitions(object_type="contacts", properties=properties, renames=renames)
    return Definitions(objects={"contacts": contacts})


def planned(sb: Sandbox, definitions: Definitions, lock: Lock | None = None, **kw: object) -> Plan:
    options = PlanOptions.model_validate(kw)
    with sandbox_client(sb) as client:
        made = plan_against(
            client, definitions, lock or Lock(), options=options, api_base=SANDBOX_BASE_URL
        )
    return decode(encode(made))  # as apply reads it


def edited(plan: Plan, change: Change) -> Plan:
    return plan.model_copy(update={"changes": (*plan.changes, change)})


def test_recorded_path_is_relative_to_the_working_directory_when_under_it() -> None:
    assert recorded_path("definitions", "/repo") == "definitions"
    assert recorded_path("/repo/defs/../definitions", "/repo") == "definitions"
    assert recorded_path("/repo", "/repo") == "."
    assert recorded_path("/elsewhere/defs", "/repo") == "/elsewhere/defs"
    assert recorded_path("../shared/defs", "/repo") == "../shared/defs"


def test_an_honest_create_passes_and_an_undefined_one_is_named() -> None:
    sb = Sandbox()
    plan = planned(sb, defs(ALPHA))
    check_definitions(plan, defs(ALPHA), "definitions")  # no error
    (create,) = plan.changes
    evil = create.model_copy(
        update={"name": "fz_evil", "after": {**(create.after or {}), "name": "fz_evil"}}
    )
    with pytest.raises(PlanFileError) as info:
        check_definitions(edited(plan, evil), defs(ALPHA), "definitions")
    assert "plan does not match the definitions it was made from (definitions)" in str(info.value)
    assert "create property contacts.fz_evil: no definition names this property" in str(info.value)


def test_changed_definitions_make_the_plan_stale() -> None:
    plan = planned(Sandbox(), defs(ALPHA))
    other = PropertyDef.model_validate(prop("alpha", "contactinformation", "Other label"))
    with pytest.raises(PlanFileError, match="stale: the definitions in defs changed since"):
        check_definitions(plan, defs(other), "defs")


def test_renames_are_part_of_the_digest() -> None:
    rename = RenameDef.model_validate({"from": "a_x", "to": "b_x"})
    assert definitions_digest(defs(ALPHA)) != definitions_digest(defs(ALPHA, renames=(rename,)))
    assert definitions_digest(defs(ALPHA)) == definitions_digest(defs(ALPHA))


def test_an_honest_rename_passes_and_a_changed_target_is_named() -> None:
    sb = Sandbox()
    sb.put_property("contacts", {**prop("old_x", "contactinformation"), "label": "Old X"})
    rename = RenameDef.model_validate({"from": "old_x", "to": "new_x"})
    definitions = defs(renames=(rename,))
    plan = planned(sb, definitions, allow_destructive=True)
    (change,) = plan.changes
    assert change.action is Action.RENAME
    assert definitions_problems(plan, definitions) == []
    relabelled = change.model_copy(update={"after": {**(change.after or {}), "label": "Evil"}})
    other = plan.model_copy(update={"changes": (relabelled,)})
    assert definitions_problems(other, definitions) == [
        "rename property contacts.new_x: 'after' is not what the definitions say (in label); "
        "the plan does not match the definitions it was made from"
    ]
    unasked = plan.model_copy(update={"changes": (change.model_copy(update={"name": "z_x"}),)})
    assert definitions_problems(unasked, definitions) == [
        "rename property contacts.z_x: the definitions do not rename 'old_x' to 'z_x'"
    ]


def test_archives_of_what_the_definitions_still_define_or_rename_are_named() -> None:
    plan = planned(Sandbox(), defs(ALPHA))
    archive = Change(
        kind=Kind.PROPERTY, object_type="contacts", name="alpha", action=Action.ARCHIVE
    )
    rename = RenameDef.model_validate({"from": "gone", "to": "alpha"})
    renamed = archive.model_copy(update={"name": "gone"})
    assert definitions_problems(edited(plan, archive), defs(ALPHA)) == [
        "archive property contacts.alpha: the definitions still define it; hubprops archives "
        "only what they dropped"
    ]
    assert definitions_problems(edited(plan, renamed), defs(ALPHA, renames=(rename,))) == [
        "archive property contacts.gone: the definitions rename it; a rename, not an archive, "
        "retires it"
    ]


def test_an_honest_prune_archive_passes() -> None:
    sb = Sandbox()
    with sandbox_client(sb) as client:
        first = planned(sb, defs(ALPHA))
        saved: list[Lock] = []
        assert apply_plan(client, first, Lock(), save=saved.append).ok
    pruned = planned(sb, defs(), saved[-1], prune=True, allow_destructive=True)
    assert [c.action for c in pruned.changes] == [Action.ARCHIVE]
    assert definitions_problems(pruned, defs()) == []


def test_in_sync_items_must_be_defined_as_recorded() -> None:
    plan = planned(Sandbox(), defs(ALPHA))
    good = InSync(kind=Kind.PROPERTY, object_type="contacts", name="alpha", digest="x")
    wanted = (plan.changes[0].after or {}) if plan.changes else {}
    honest = good.model_copy(update={"digest": digest(wanted)})
    stranger = good.model_copy(update={"name": "fz_evil"})
    with_items = plan.model_copy(update={"changes": (), "in_sync": (honest, good, stranger)})
    assert definitions_problems(with_items, defs(ALPHA)) == [
        "in-sync property contacts.alpha: its digest is not the definition's",
        "in-sync property contacts.fz_evil: no definition names this property",
    ]


def test_changes_outside_the_plans_object_scope_are_named() -> None:
    plan = planned(Sandbox(), defs(ALPHA), objects=("leads",))
    assert plan.changes == ()
    create = planned(Sandbox(), defs(ALPHA)).changes[0]
    assert definitions_problems(edited(plan, create), defs(ALPHA)) == [
        "create property contacts.alpha: outside the plan's --object leads"
    ]
