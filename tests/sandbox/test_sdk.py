"""HubSpot's official Python SDK (``hubspot-sdk``, module ``hubspot_sdk``) against the sandbox
served on loopback HTTP, with strict response validation: every answer of list, create, batch
create, update, archive (single and batch), groups, the limits and the account details on
2026-03 must fit the SDK's typed models (generated from HubSpot's own OpenAPI spec). Where the
two could disagree is in docs/hubspot-api.md, "The official SDK"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hubprops.sandbox import Sandbox, serve

hubspot_sdk = pytest.importorskip("hubspot_sdk")


@pytest.fixture
def served() -> Iterator[tuple[Any, Sandbox]]:
    sandbox = Sandbox(portal_id=4242)
    with serve(sandbox, port=0) as server:
        client = hubspot_sdk.HubSpot(
            access_token="sdk-token",
            base_url=server.url,
            max_retries=0,
            _strict_response_validation=True,
        )
        yield client, sandbox
        client.close()


def _text(name: str, group: str = "sdk_group") -> dict[str, Any]:
    return {
        "name": name,
        "label": name.title(),
        "type": "string",
        "field_type": "text",
        "group_name": group,
    }


def test_every_properties_call_answers_what_the_sdk_models(served: tuple[Any, Sandbox]) -> None:
    client, sandbox = served
    listed = client.crm.properties.list("contacts")
    assert "email" in {p.name for p in listed.results}
    group = client.crm.properties.groups.create("contacts", name="sdk_group", label="SDK")
    assert group.name == "sdk_group" and group.archived is False
    assert group.display_order is None  # no position: 2026-03 leaves displayOrder out
    assert "sdk_group" in {g.name for g in client.crm.properties.groups.list("contacts").results}
    made = client.crm.properties.create(
        "contacts",
        **{**_text("sdk_colour"), "type": "enumeration", "field_type": "select"},
        options=[
            {"label": "Red", "value": "red", "display_order": 0, "hidden": False},
            {"label": "Blue", "value": "blue", "display_order": 1, "hidden": False},
        ],
    )
    assert [o.value for o in made.options] == ["red", "blue"]
    batch = client.crm.properties.batch.create(
        "contacts", inputs=[_text("sdk_one"), _text("sdk_two")]
    )
    assert batch.status == "COMPLETE"
    assert sorted(p.name for p in batch.results) == ["sdk_one", "sdk_two"]
    updated = client.crm.properties.update("sdk_one", object_type="contacts", label="Uno")
    assert updated.label == "Uno"
    assert client.crm.properties.get("sdk_one", object_type="contacts").label == "Uno"
    client.crm.properties.delete("sdk_one", object_type="contacts")
    client.crm.properties.batch.delete("contacts", inputs=[{"name": "sdk_two"}])
    client.crm.properties.delete("sdk_colour", object_type="contacts")
    renamed = client.crm.properties.groups.update("sdk_group", object_type="contacts", label="S")
    assert renamed.label == "S"
    assert client.crm.properties.groups.get("sdk_group", object_type="contacts").label == "S"
    client.crm.properties.groups.delete("sdk_group", object_type="contacts")
    assert {r.api_version for r in sandbox.requests} == {"2026-03"}
    assert all(r.status < 400 for r in sandbox.requests), [
        (r.method, r.path, r.status) for r in sandbox.requests if r.status >= 400
    ]
    assert not {p["name"] for p in sandbox.properties("contacts")} & {"sdk_one", "sdk_two"}


def test_limits_and_account_details_fit_the_sdk(served: tuple[Any, Sandbox]) -> None:
    client, _ = served
    limits = client.crm.limits.get_custom_property_limits()
    rows = {r.object_type_id: r for r in limits.by_object_type}
    assert rows["0-1"].limit >= rows["0-1"].usage >= 0
    assert client.account.get().portal_id == 4242


def test_an_sdk_option_without_display_order_is_refused_on_2026_03(
    served: tuple[Any, Sandbox],
) -> None:
    """HubSpot's 2026-03 OptionInput requires displayOrder (API-FACTS section 11): the SDK
    lets a caller leave it out, the sandbox (like HubSpot) answers 400."""
    client, _ = served
    with pytest.raises(hubspot_sdk.BadRequestError):
        client.crm.properties.create(
            "contacts",
            **{
                **_text("sdk_bad", "contactinformation"),
                "type": "enumeration",
                "field_type": "select",
            },
            options=[{"label": "A", "value": "a", "hidden": False}],
        )
