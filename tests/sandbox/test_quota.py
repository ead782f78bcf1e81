"""displayOrder -1 rewriting, the custom-property quota, tiers and scopes (403)."""

from __future__ import annotations

import httpx
import pytest

from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox, serve
from tests.sandbox.conftest import AUTH, FakeClock, make_sandbox, prop_body

URL = "/crm/v3/properties/contacts"


def client_for(sb: Sandbox, token: str = "test-token") -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.Client(transport=sb.transport(), base_url=SANDBOX_BASE_URL, headers=headers)


def test_display_order_minus_one_becomes_last_in_its_group(client: httpx.Client) -> None:
    first = client.post(URL, json=prop_body("first", displayOrder=7)).json()
    assert first["displayOrder"] == 7
    second = client.post(URL, json=prop_body("second", displayOrder=-1)).json()
    third = client.post(URL, json=prop_body("third")).json()  # no displayOrder: -1 too
    assert second["displayOrder"] == 8 and third["displayOrder"] == 9
    assert client.get(f"{URL}/second").json()["displayOrder"] == 8
    patched = client.patch(f"{URL}/first", json={"displayOrder": -1}).json()
    assert patched["displayOrder"] == 10
    other = client.post(URL, json=prop_body("alone", groupName="emailinformation")).json()
    assert other["displayOrder"] == 0


def test_keep_display_order_minus_one_keeps_it(clock: FakeClock) -> None:
    with client_for(make_sandbox(clock, keep_display_order_minus_one=True)) as client:
        assert client.post(URL, json=prop_body("kept")).json()["displayOrder"] == -1


def test_custom_property_limit_is_enforced_and_reported(clock: FakeClock) -> None:
    with client_for(make_sandbox(clock, custom_property_limit=2)) as client:
        assert client.post(URL, json=prop_body("one")).status_code == 201
        assert client.post(URL, json=prop_body("two")).status_code == 201
        refused = client.post(URL, json=prop_body("three"))
        assert refused.status_code == 400
        assert refused.json()["subCategory"] == "PropertyValidationError.MAX_PROPERTIES_EXCEEDED"
        batch = client.post(f"{URL}/batch/create", json={"inputs": [prop_body("four")]})
        assert batch.status_code == 207
        limits = client.get("/crm/v3/limits/custom-properties").json()
        contacts = next(r for r in limits["byObjectType"] if r["objectTypeId"] == "0-1")
        assert (contacts["limit"], contacts["usage"], contacts["percentage"]) == (2, 2, 100.0)
        assert client.delete(f"{URL}/one").status_code == 204
        assert client.post(URL, json=prop_body("three")).status_code == 201


@pytest.mark.parametrize(
    ("tier", "per_ten", "daily", "quota"),
    [("free", 100, 250000, 10), ("starter", 100, 250000, 1000),
     ("professional", 190, 625000, 1000), ("enterprise", 190, 1000000, 1000),
     ("api-add-on", 250, 2000000, 1000)],
)  # fmt: skip
def test_tier_sets_rate_daily_and_property_limits(
    clock: FakeClock, tier: str, per_ten: int, daily: int, quota: int
) -> None:
    with client_for(make_sandbox(clock, tier=tier)) as client:
        response = client.get("/crm/v3/limits/custom-properties")
        assert response.headers["X-HubSpot-RateLimit-Max"] == str(per_ten)
        assert response.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
        assert response.headers["X-HubSpot-RateLimit-Daily"] == str(daily)
        assert response.json()["byObjectType"][0]["limit"] == quota


def test_free_tier_refuses_the_eleventh_custom_property(clock: FakeClock) -> None:
    with client_for(make_sandbox(clock, tier="free")) as client:
        for i in range(10):
            assert client.post(URL, json=prop_body(f"p{i}")).status_code == 201
        assert client.post(URL, json=prop_body("p10")).status_code == 400


def test_explicit_limits_win_over_the_tier(clock: FakeClock) -> None:
    sb = make_sandbox(clock, tier="enterprise", rate_limit=(3, 1.0), custom_property_limit=5)
    with client_for(sb) as client:
        response = client.get("/crm/v3/limits/custom-properties")
        assert response.headers["X-HubSpot-RateLimit-Max"] == "3"
        assert response.json()["byObjectType"][0]["limit"] == 5


def test_missing_scope_is_403_with_hubspots_body(clock: FakeClock) -> None:
    sb = make_sandbox(clock, scopes=["crm.schemas.contacts.read"])
    with client_for(sb) as client:
        assert client.get(URL).status_code == 200
        refused = client.post(URL, json=prop_body("nope"))
        assert refused.status_code == 403
        body = refused.json()
        assert body["category"] == "MISSING_SCOPES" and body["status"] == "error"
        scopes = body["errors"][0]["context"]["requiredGranularScopes"]
        assert scopes == ["crm.schemas.contacts.write"]
        assert client.get("/crm/v3/properties/deals").status_code == 403
        assert client.get("/crm/v3/limits/custom-properties").status_code == 200
        assert client.get("/account-info/v3/details").status_code == 200
        search = client.post("/crm/v3/objects/contacts/search", json={})
        assert search.status_code == 403
        assert (
            "crm.objects.contacts.read"
            in search.json()["errors"][0]["context"]["requiredGranularScopes"]
        )
    assert "nope" not in {p["name"] for p in sb.properties("contacts")}


def test_per_token_scopes(clock: FakeClock) -> None:
    sb = make_sandbox(clock, token_scopes={"reader": ["crm.objects.contacts.read"]})
    with client_for(sb, "reader") as reader, client_for(sb, "admin") as admin:
        assert reader.get(URL).status_code == 200
        assert reader.post(URL, json=prop_body("x")).status_code == 403
        assert reader.get("/crm/v3/properties/custom_widgets").status_code == 400
        assert admin.post(URL, json=prop_body("x")).status_code == 201  # default: all scopes


def test_lead_property_writes_need_the_lead_object_write_scope(clock: FakeClock) -> None:
    sb = make_sandbox(clock, scopes=["crm.schemas.leads.write", "crm.objects.leads.read"])
    with client_for(sb) as client:
        body = prop_body("x", groupName="lead_information")
        refused = client.post("/crm/v3/properties/leads", json=body)
        assert refused.status_code == 403


def test_scopes_over_loopback(clock: FakeClock) -> None:
    sb = make_sandbox(clock, scopes=["crm.objects.deals.read"])
    with serve(sb) as server, httpx.Client(base_url=server.url, headers=AUTH) as client:
        assert client.get("/crm/v3/properties/deals").status_code == 200
        assert client.get(URL).status_code == 403
