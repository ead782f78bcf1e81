"""API versions: v3 and the date versions side by side, and their differences (API-FACTS 11)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hubprops.sandbox import Sandbox
from tests.sandbox.conftest import enum_body, prop_body

V3 = "/crm/v3/properties/contacts"


def at(version: str) -> str:
    return f"/crm/properties/{version}/contacts"


def strict_options(*values: str) -> list[dict[str, Any]]:
    return [
        {"label": v.title(), "value": v, "displayOrder": i, "hidden": False}
        for i, v in enumerate(values)
    ]


@pytest.mark.parametrize("version", ["2025-09", "2026-03", "2026-09", "2026-03-beta"])
def test_every_existing_version_serves_the_same_properties(
    client: httpx.Client, version: str
) -> None:
    names = {p["name"] for p in client.get(V3).json()["results"]}
    assert {p["name"] for p in client.get(at(version)).json()["results"]} == names


@pytest.mark.parametrize(
    "path",
    [
        "/crm/properties/2026-04/contacts",
        "/crm/properties/2024-09/contacts",
        "/crm/properties/v3/contacts",
        "/crm/objects/2027-03/contacts/search",
        "/account-info/2026-05/details",
        "/crm/limits/2026-04/custom-properties",
    ],
)
def test_a_version_that_does_not_exist_is_404(client: httpx.Client, path: str) -> None:
    response = client.get(path) if "search" not in path else client.post(path, json={})
    assert response.status_code == 404


def test_date_versions_require_option_display_order_and_hidden(client: httpx.Client) -> None:
    loose = enum_body("tier", "gold", "silver")  # options without displayOrder
    assert client.post(at("2026-03"), json=loose).status_code == 400
    no_hidden = {**enum_body("tier"), "options": [{"label": "G", "value": "g", "displayOrder": 0}]}
    response = client.post(at("2026-09"), json=no_hidden)
    assert response.status_code == 400
    assert any(e["in"] == "options[0].hidden" for e in response.json()["errors"])
    strict = {**enum_body("tier"), "options": strict_options("gold", "silver")}
    assert client.post(at("2026-03"), json=strict).status_code == 201
    assert client.post(V3, json=enum_body("tier_v3", "gold")).status_code == 201


def test_2026_09_refuses_the_fields_it_removed(client: httpx.Client) -> None:
    for field, value in (
        ("numberDisplayHint", "currency"),
        ("textDisplayHint", "email"),
        ("currencyPropertyName", "hs_currency"),
        ("showCurrencySymbol", True),
    ):
        body = prop_body("amount", **{field: value})
        refused = client.post(at("2026-09"), json=body)
        assert refused.status_code == 400, field
        assert refused.json()["errors"][0]["in"] == field
        assert client.post(at("2026-03"), json=prop_body(f"ok_{field.lower()}", **{field: value}))
    created = client.post(V3, json=prop_body("mail", textDisplayHint="email"))
    assert created.status_code == 201 and created.json()["textDisplayHint"] == "email"
    read = client.get(f"{at('2026-09')}/mail").json()
    assert "textDisplayHint" not in read
    assert client.get(f"{at('2026-03')}/mail").json()["textDisplayHint"] == "email"
    patched = client.patch(f"{at('2026-09')}/mail", json={"numberDisplayHint": "formatted"})
    assert patched.status_code == 400


def test_batch_create_partial_failure_is_207_until_2026_09(client: httpx.Client) -> None:
    def batch(version_path: str, suffix: str) -> httpx.Response:
        good = prop_body(f"good_{suffix}")
        bad = prop_body(f"bad_{suffix}", groupName="nosuchgroup")
        return client.post(f"{version_path}/batch/create", json={"inputs": [good, bad]})

    assert batch(V3, "a").status_code == 207
    assert batch(at("2026-03"), "b").status_code == 207
    answer = batch(at("2026-09"), "c")
    assert answer.status_code == 200
    assert answer.json()["numErrors"] == 1 and len(answer.json()["errors"]) == 1
    assert [p["name"] for p in answer.json()["results"]] == ["good_c"]


def test_batch_read_missing_names_200_with_errors_in_2026_09(client: httpx.Client) -> None:
    body = {"archived": False, "dataSensitivity": "non_sensitive",
            "inputs": [{"name": "email"}, {"name": "nope"}]}  # fmt: skip
    assert client.post(f"{V3}/batch/read", json=body).status_code == 207
    answer = client.post(f"{at('2026-09')}/batch/read", json=body)
    assert answer.status_code == 200 and answer.json()["numErrors"] == 1


def test_date_versions_answer_a_group_without_position_without_display_order(
    client: httpx.Client,
) -> None:
    assert client.post(f"{V3}/groups", json={"name": "loose", "label": "Loose"}).status_code == 201
    assert client.get(f"{V3}/groups/loose").json()["displayOrder"] == -1
    dated = client.get(f"{at('2026-03')}/groups/loose").json()
    assert "displayOrder" not in dated and dated["name"] == "loose"
    listed = {g["name"]: g for g in client.get(f"{at('2026-09')}/groups").json()["results"]}
    assert "displayOrder" not in listed["loose"]
    assert listed["contactinformation"]["displayOrder"] >= 0


def test_account_limits_and_usage_under_every_version(client: httpx.Client, sb: Sandbox) -> None:
    for version in ("v3", "2026-03", "2026-09"):
        details = client.get(f"/account-info/{version}/details")
        assert details.json()["portalId"] == sb.portal_id
        usage = client.get(f"/account-info/{version}/api-usage/daily/private-apps").json()
        assert usage["results"][0]["currentUsage"] >= 1
    v3 = client.get("/crm/v3/limits/custom-properties").json()
    dated = client.get("/crm/limits/2026-03/custom-properties").json()
    assert v3["overallLimit"] == dated["overallLimit"]
    assert {r["objectTypeId"] for r in dated["byObjectType"]} >= {"0-1", "0-7", "0-136"}


def test_request_log_records_each_requests_version(client: httpx.Client, sb: Sandbox) -> None:
    sb.clear_requests()
    client.get(V3)
    client.get(at("2026-09"))
    client.get("/account-info/2026-03/details")
    client.get("/nowhere")
    assert [r.api_version for r in sb.requests] == ["v3", "2026-09", "2026-03", None]
