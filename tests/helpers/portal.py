"""A sandbox portal holding custom properties, as an adopting team finds theirs: 30 custom
properties and 3 groups on contacts and leads (the issue's "Done means" setup)."""

from __future__ import annotations

from typing import Any

from hubprops.hubspot import HubSpotClient
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox

GROUPS = {"contacts": ["acme_event", "acme_site"], "leads": ["acme_quote"]}


def custom_properties(object_type: str, count: int) -> list[dict[str, Any]]:
    groups = GROUPS[object_type]
    out: list[dict[str, Any]] = []
    for i in range(count):
        prop: dict[str, Any] = {
            "name": f"acme_{object_type[:-1]}_{i:02d}",
            "label": f"Acme {object_type} {i}",
            "groupName": groups[i % len(groups)],
        }
        if i % 3 == 0:
            prop |= {
                "type": "enumeration",
                "fieldType": "select",
                "description": f"Pick one ({i}).",
                "options": [
                    {"label": "Yes", "value": "yes", "displayOrder": 0},
                    {"label": "No", "value": "no", "displayOrder": 1},
                    {"label": f"Maybe {i}", "value": f"maybe_{i}", "displayOrder": 2},
                ],
            }
        elif i % 3 == 1:
            prop |= {"type": "number", "fieldType": "number", "numberDisplayHint": "currency"}
        else:
            prop |= {"type": "string", "fieldType": "textarea", "hidden": i % 2 == 0}
        out.append(prop)
    return out


def client_for(sandbox: Sandbox) -> HubSpotClient:
    return HubSpotClient(SANDBOX_BASE_URL, "test-token", transport=sandbox.transport())


def seed_custom(sandbox: Sandbox, per_type: int = 15) -> None:
    """3 groups and ``2 * per_type`` custom properties on contacts and leads."""
    with client_for(sandbox) as client:
        for object_type, groups in GROUPS.items():
            for order, name in enumerate(groups):
                label = name.replace("_", " ").title()
                client.create_group(
                    object_type, {"name": name, "label": label, "displayOrder": order}
                )
            result = client.create_properties(object_type, custom_properties(object_type, per_type))
            assert not result.errors, result.errors
