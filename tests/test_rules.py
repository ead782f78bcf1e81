"""Parity: the client's rules (hubprops/rules.py) against the sandbox's independent copy.

The sandbox keeps its own reading of HubSpot on purpose (an emulator sharing the client's
understanding would hide the client's mistakes), so the two copies are compared here: drift
between them fails this test. Every intended difference is listed, with why.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hubprops import rules
from hubprops.rules import extra_sensitivities
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from hubprops.sandbox import fields as sandbox_fields
from hubprops.sandbox import objecttypes as sandbox_objecttypes
from hubprops.sandbox import store as sandbox_store
from hubprops.sandbox import validation as sandbox_validation

#: Defaults the sandbox fills in that a definition cannot manage: ``calculated`` is read-only
#: (HubSpot sets it), so rules.DEFAULTS, which only covers managed fields, leaves it out.
SANDBOX_ONLY_DEFAULTS = {"calculated"}
#: Defaults the client knows that the sandbox does not fill in on create: HubSpot's reference
#: gives ``showCurrencySymbol`` false; the client compares a missing one as false either way.
CLIENT_ONLY_DEFAULTS = {"showCurrencySymbol"}


def test_object_types_match() -> None:
    """Intended difference: the sandbox emulates every standard object type HubSpot lists; the
    client names only the five hubprops knows by name (any other is passed through as given).
    Those five must have the same ids."""
    sandbox = {name: ids[0] for name, ids in sandbox_objecttypes.STANDARD_TYPES.items()}
    assert set(rules.OBJECT_TYPE_IDS) <= set(sandbox)
    assert {n: sandbox[n] for n in rules.OBJECT_TYPE_IDS} == dict(rules.OBJECT_TYPE_IDS)


def test_type_field_type_pairs_match() -> None:
    assert dict(sandbox_fields.FIELD_TYPES) == dict(rules.FIELD_TYPES)


def test_patch_rules_match() -> None:
    assert sandbox_validation.NOT_PATCHABLE == rules.NOT_PATCHABLE
    assert sandbox_validation.READ_ONLY_DEFINITION_EDITABLE == rules.READ_ONLY_DEFINITION_EDITABLE
    # Intended difference: the sandbox lists ``name`` among the required create fields; the
    # client keeps ``name`` out because a definition cannot exist without one.
    assert tuple(sandbox_validation.REQUIRED_ON_CREATE) == ("name", *rules.REQUIRED_ON_CREATE)


def test_managed_fields_are_the_create_fields() -> None:
    assert set(sandbox_validation.CREATE_FIELDS) == set(rules.PROPERTY_FIELDS)
    assert set(sandbox_validation.GROUP_CREATE_FIELDS) == set(rules.GROUP_FIELDS)


def test_server_defaults_match_except_the_listed_ones() -> None:
    sandbox = dict(sandbox_fields.PROPERTY_DEFAULTS)
    client = dict(rules.DEFAULTS)
    assert set(sandbox) - set(client) == SANDBOX_ONLY_DEFAULTS
    assert set(client) - set(sandbox) == CLIENT_ONLY_DEFAULTS
    assert {k: v for k, v in sandbox.items() if k in client} == {
        k: v for k, v in client.items() if k in sandbox
    }


def test_sensitivities_and_limits_match() -> None:
    assert tuple(sandbox_store.SENSITIVITIES) == rules.SENSITIVITIES
    assert sandbox_fields.ENUMS["dataSensitivity"] == frozenset(rules.SENSITIVITIES)
    assert sandbox_store.MAX_UNIQUE == rules.MAX_UNIQUE_VALUE_PROPERTIES
    assert sandbox_fields.MAX_OPTIONS == rules.MAX_OPTIONS
    assert sandbox_fields.MAX_OPTION_CHARS == rules.MAX_OPTION_CHARS


@pytest.mark.parametrize("object_type", sorted(rules.DEFAULT_GROUPS))
def test_default_groups_are_what_a_fresh_sandbox_has(object_type: str) -> None:
    sandbox = Sandbox()
    with httpx.Client(transport=sandbox.transport(), base_url=SANDBOX_BASE_URL) as http:
        answer = http.get(
            f"/crm/v3/properties/{object_type}/groups",
            headers={"Authorization": "Bearer t"},
        )
    answer.raise_for_status()
    results: list[dict[str, Any]] = answer.json()["results"]
    assert {g["name"] for g in results} == rules.DEFAULT_GROUPS[object_type]


def test_extra_sensitivities_leaves_out_the_default_level() -> None:
    assert extra_sensitivities(["sensitive", None, "", rules.DEFAULT_SENSITIVITY]) == ("sensitive",)
    assert extra_sensitivities(["highly_sensitive", "sensitive", "sensitive"]) == (
        "highly_sensitive",
        "sensitive",
    )
