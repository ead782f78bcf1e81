"""``hubprops pull`` (hubprops/cli/pull.py) on a sandbox seeded with 30 custom properties and 3
groups: validate passes and plan shows No changes; refusals; --merge keeps comments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hubprops.cli import main
from hubprops.lock.file import Lock, LockedProperty, load_lock, save_lock
from hubprops.sandbox import Sandbox
from tests.helpers.portal import client_for, seed_custom


def hubprops(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def sandbox() -> Sandbox:
    return Sandbox(state_file=".hubprops/sandbox.json")


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    seed_custom(sandbox())
    return tmp_path


def test_pull_then_validate_and_plan_show_no_changes(portal: Path) -> None:
    result = hubprops("pull", "--sandbox")
    assert result.exit_code == 0, result.output
    assert "wrote definitions/contacts.yaml: 15 properties, 2 groups" in result.stdout
    assert "wrote definitions/leads.yaml: 15 properties, 1 groups" in result.stdout
    text = (portal / "definitions" / "contacts.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../schemas/definitions.schema.json")
    assert "hubspotDefined" not in text and "createdAt" not in text
    assert "hidden: false" not in text and "displayOrder" not in text.split("properties:")[1]
    assert "- name: email" not in text  # HubSpot-defined: only with --include
    assert hubprops("validate").exit_code == 0
    plan = hubprops("plan", "--sandbox", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output
    assert plan.stdout.rstrip().endswith("No changes.")
    locked = load_lock("hubprops.lock.json").find_object(12345678, "contacts")
    assert locked is not None and len(locked.properties) == 15 and len(locked.groups) == 2


def test_include_pulls_a_hubspot_defined_property(portal: Path) -> None:
    result = hubprops("pull", "--sandbox", "--object", "contacts", "--include", "email")
    assert result.exit_code == 0, result.output
    assert "  - name: email\n" in (portal / "definitions" / "contacts.yaml").read_text()
    assert not (portal / "definitions" / "leads.yaml").exists()
    assert hubprops("plan", "--sandbox").stdout.rstrip().endswith("No changes.")


def test_include_of_an_unknown_name_is_refused(portal: Path) -> None:
    result = hubprops("pull", "--sandbox", "--include", "no_such_thing")
    assert result.exit_code == 1
    assert "no_such_thing" in result.stderr
    assert not (portal / "definitions").exists()


def test_refuses_to_overwrite_without_force(portal: Path) -> None:
    assert hubprops("pull", "--sandbox").exit_code == 0
    again = hubprops("pull", "--sandbox")
    assert again.exit_code == 1
    assert "definitions/contacts.yaml already exists; --merge" in again.stderr
    assert hubprops("pull", "--sandbox", "--force").exit_code == 0


def test_names_defined_in_another_file_are_refused_naming_file_and_line(portal: Path) -> None:
    folder = portal / "definitions"
    folder.mkdir()
    (folder / "mine.yaml").write_text(
        "objectType: contacts\nproperties:\n  - name: acme_contact_01\n    label: Mine\n"
    )
    (folder / "docker-compose.yml").write_text("services:\n  web: {}\n")
    result = hubprops("pull", "--sandbox")
    assert result.exit_code == 1
    assert "contacts property acme_contact_01 at definitions/mine.yaml:3" in result.stderr
    assert "Use --merge" in result.stderr
    merged = hubprops("pull", "--sandbox", "--merge")
    assert merged.exit_code == 0, merged.output
    assert "definitions/docker-compose.yml: not a definitions file" in merged.stderr
    assert "acme_contact_01" not in (folder / "contacts.yaml").read_text()


def test_merge_keeps_hand_written_comments(portal: Path) -> None:
    assert hubprops("pull", "--sandbox").exit_code == 0
    path = portal / "definitions" / "contacts.yaml"
    text = path.read_text().replace(
        "  - name: acme_contact_01\n",
        "  # Hand-written: finance owns this one.\n  - name: acme_contact_01\n",
    )
    path.write_text(text)
    with client_for(sandbox()) as client:
        client.create_property(
            "contacts",
            {
                "name": "acme_added_later",
                "label": "Later",
                "type": "string",
                "fieldType": "text",
                "groupName": "acme_site",
            },
        )
    result = hubprops("pull", "--sandbox", "--merge")
    assert result.exit_code == 0, result.output
    after = path.read_text()
    assert after.startswith(text)  # everything that was there, byte for byte
    assert after.endswith(
        "  - name: acme_added_later\n    label: Later\n    type: string\n"
        "    fieldType: text\n    groupName: acme_site\n"
    )
    assert hubprops("fmt", "--check").exit_code == 0
    assert hubprops("plan", "--sandbox").stdout.rstrip().endswith("No changes.")


def test_a_lock_for_another_portal_is_kept(portal: Path) -> None:
    lock = Lock()
    lock.entry(999, "contacts").properties["x"] = LockedProperty(id="0-1/x", sha256="0" * 64)
    save_lock("hubprops.lock.json", lock)
    result = hubprops("pull", "--sandbox")
    assert result.exit_code == 0, result.output
    assert "also records portal(s) 999" in result.stderr
    saved = json.loads(Path("hubprops.lock.json").read_text())
    assert set(saved["portals"]) == {"999", "12345678"}


def test_an_unset_token_variable_is_named(portal: Path) -> None:
    Path("hubprops.toml").write_text(
        '[environments.prod]\nportal_id = 1\ntoken_env = "ACME_PROD_TOKEN"\n'
    )
    result = hubprops("pull", "--env", "prod")
    assert result.exit_code == 1
    assert "ACME_PROD_TOKEN" in result.stderr


def test_a_thousand_properties_per_type(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    seed_custom(sandbox(), per_type=1000)
    result = hubprops("pull", "--sandbox")
    assert result.exit_code == 0, result.output
    assert "15 properties" not in result.stdout
    assert "wrote definitions/leads.yaml: 1000 properties, 1 groups" in result.stdout
    assert hubprops("plan", "--sandbox").stdout.rstrip().endswith("No changes.")


def test_a_bad_hubprops_toml_is_a_located_error(portal: Path) -> None:
    Path("hubprops.toml").write_text('[environments.prod]\nportal_id = "one"\ncolour = 1\n')
    result = hubprops("pull", "--env", "prod")
    assert result.exit_code == 1
    assert "hubprops.toml:2" in result.stderr
    assert not (portal / "definitions").exists()
