"""``hubprops drift`` (hubprops/cli/drift.py): after pull, an edit in HubSpot exits 2 naming the
property and the field; read-only; text, markdown and json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hubprops.cli import main
from hubprops.sandbox import Sandbox
from tests.helpers.portal import client_for, seed_custom


def hubprops(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def sandbox() -> Sandbox:
    return Sandbox(state_file=".hubprops/sandbox.json")


@pytest.fixture
def pulled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    seed_custom(sandbox())
    assert hubprops("pull", "--sandbox").exit_code == 0
    return tmp_path


def test_no_drift_right_after_pull(pulled: Path) -> None:
    result = hubprops("drift", "--sandbox")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("No drift.")


def test_an_edit_in_hubspot_exits_2_naming_property_and_field(pulled: Path) -> None:
    with client_for(sandbox()) as client:
        client.update_property("contacts", "acme_contact_01", {"label": "Edited in the UI"})
        client.archive_property("leads", "acme_lead_02")
    lock_before = Path("hubprops.lock.json").read_bytes()
    result = hubprops("drift", "--sandbox")
    assert result.exit_code == 2, result.output
    assert "~ contacts property acme_contact_01: changed in HubSpot" in result.stdout
    assert '    label: "Acme contacts 1" -> "Edited in the UI"' in result.stdout
    assert "- leads property acme_lead_02: archived" in result.stdout
    assert result.stdout.rstrip().splitlines()[-2] == "Drift: 1 changed, 1 archived."
    assert Path("hubprops.lock.json").read_bytes() == lock_before  # read-only
    data = json.loads(hubprops("drift", "--sandbox", "--format", "json").stdout)
    assert data["drift"] is True and data["summary"]["changed"] == 1
    markdown = hubprops("drift", "--sandbox", "--format", "markdown", "--object", "leads")
    assert markdown.exit_code == 2 and "acme_contact_01" not in markdown.stdout
    assert "**Drift: 0 changed, 1 archived.**" in markdown.stdout


def test_nothing_recorded_for_this_portal_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = hubprops("drift", "--sandbox")
    assert result.exit_code == 1
    assert "records nothing for portal 12345678" in result.stderr


def test_plan_names_drift_apart_from_definition_changes(pulled: Path) -> None:
    with client_for(sandbox()) as client:
        client.update_property("contacts", "acme_contact_01", {"label": "Edited in the UI"})
        client.archive_property("leads", "acme_lead_02")
    path = pulled / "definitions" / "contacts.yaml"
    path.write_text(path.read_text().replace("label: Acme contacts 4\n", "label: Renamed here\n"))
    result = hubprops("plan", "--sandbox", "-o", "plan.json")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert (
        "~ property acme_contact_01\n"
        "      # drift: changed in HubSpot since the last apply; this restores it\n"
    ) in text
    assert "+ property acme_lead_02\n      # drift: archived in HubSpot" in text
    assert "~ property acme_contact_04\n      label:" in text  # a definition change: no marker
    data = json.loads(Path("plan.json").read_text())
    drift = {c["name"] for c in data["changes"] if c.get("drift")}
    assert drift == {"acme_contact_01", "acme_lead_02"}
    assert hubprops("show", "plan.json").stdout == text
