"""Seed data (hubprops.sandbox.seed): realistic HubSpot-defined properties and groups."""

from __future__ import annotations

from hubprops.sandbox.fields import FIELD_TYPES
from hubprops.sandbox.seed import seed_objects

CONTACTS = {
    "email",
    "firstname",
    "lastname",
    "phone",
    "mobilephone",
    "company",
    "website",
    "jobtitle",
    "address",
    "city",
    "state",
    "zip",
    "country",
    "lifecyclestage",
    "hs_lead_status",
    "hs_email_optout",
    "createdate",
    "lastmodifieddate",
    "hubspot_owner_id",
    "hs_analytics_source",
    "num_associated_deals",
}
LEADS = {
    "hs_lead_name",
    "hs_pipeline",
    "hs_pipeline_stage",
    "hs_lead_type",
    "hs_lead_label",
    "hubspot_owner_id",
    "createdate",
}


def test_contacts_and_leads_hold_the_standard_properties_and_groups() -> None:
    seeded = seed_objects()
    assert seeded["contacts"]["properties"].keys() >= CONTACTS
    assert seeded["leads"]["properties"].keys() >= LEADS
    assert {
        "contactinformation",
        "emailinformation",
        "conversioninformation",
        "socialmediainformation",
        "analyticsinformation",
        "sales_properties",
    } <= seeded["contacts"]["groups"].keys()
    assert "leadinformation" in seeded["leads"]["groups"]
    assert len(seeded["leads"]["groups"]) >= 2
    assert {"companies", "deals", "tickets"} <= seeded.keys()


def test_every_seeded_property_is_hubspot_defined_and_consistent() -> None:
    for object_type, obj in seed_objects().items():
        for name, prop in obj["properties"].items():
            where = f"{object_type}.{name}"
            assert prop["hubspotDefined"] is True, where
            meta = prop["modificationMetadata"]
            assert meta["archivable"] is False, where
            assert {"readOnlyDefinition", "readOnlyValue"} <= meta.keys(), where
            assert prop["groupName"] in obj["groups"], where
            assert prop["fieldType"] in FIELD_TYPES[prop["type"]], where
            assert "createdUserId" not in prop, where
            if prop["type"] == "enumeration" and not prop["externalOptions"]:
                assert prop["options"], where
            if prop["type"] == "enumeration":
                assert "readOnlyOptions" in meta, where


def test_editable_options_and_computed_values() -> None:
    contacts = seed_objects()["contacts"]["properties"]
    for name in ("lifecyclestage", "hs_lead_status"):
        assert contacts[name]["modificationMetadata"]["readOnlyOptions"] is False
    assert contacts["hs_analytics_source"]["modificationMetadata"]["readOnlyOptions"] is True
    for name in ("createdate", "num_associated_deals", "lastmodifieddate"):
        assert contacts[name]["modificationMetadata"]["readOnlyValue"] is True
    assert contacts["email"]["modificationMetadata"]["readOnlyDefinition"] is True
    lifecycle = [o["value"] for o in contacts["lifecyclestage"]["options"]]
    assert lifecycle[:3] == ["subscriber", "lead", "marketingqualifiedlead"]


def test_seed_objects_returns_fresh_copies() -> None:
    one = seed_objects()
    one["contacts"]["properties"].clear()
    assert seed_objects()["contacts"]["properties"]
