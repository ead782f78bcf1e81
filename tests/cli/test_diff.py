"""``hubprops diff`` (hubprops/cli/diff.py) and environments, with two sandboxes served on
loopback as two portals: exactly the planted differences, and a plan made for one portal is
refused against the other naming both ids."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hubprops.cli import main
from hubprops.hubspot import HubSpotClient
from hubprops.sandbox import Sandbox, serve
from tests.helpers.portal import seed_custom

STAGING, PRODUCTION = 1001, 2002


def hubprops(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def portals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STAGING_TOKEN", "staging-token")
    monkeypatch.setenv("PRODUCTION_TOKEN", "production-token")
    staging, production = Sandbox(portal_id=STAGING), Sandbox(portal_id=PRODUCTION)
    seed_custom(staging, per_type=5)
    seed_custom(production, per_type=5)
    with serve(staging) as a, serve(production) as b:
        Path("hubprops.toml").write_text(
            f'[environments.staging]\nportal_id = {STAGING}\ntoken_env = "STAGING_TOKEN"\n'
            f'api_base = "{a.url}"\n\n'
            f"[environments.production]\nportal_id = {PRODUCTION}\n"
            f'token_env = "PRODUCTION_TOKEN"\napi_base = "{b.url}"\n'
        )
        yield {"staging": a.url, "production": b.url}


def plant(url: str) -> None:
    with HubSpotClient(url, "t") as client:
        client.update_property("contacts", "acme_contact_01", {"label": "Staging label"})
        client.create_property(
            "leads",
            {
                "name": "only_in_staging",
                "label": "New",
                "type": "string",
                "fieldType": "text",
                "groupName": "acme_quote",
            },
        )
        client.create_group("contacts", {"name": "staging_group", "label": "Staging"})


def test_identical_portals_exit_0(portals: dict[str, str]) -> None:
    result = hubprops("diff", "--env", "staging", "--env", "production")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("No differences.")


def test_diff_lists_exactly_the_planted_differences(portals: dict[str, str]) -> None:
    plant(portals["staging"])
    result = hubprops("diff", "--env", "staging", "--env", "production")
    assert result.exit_code == 2, result.output
    body = [line for line in result.stdout.splitlines()[2:] if line]
    assert body == [
        "< contacts group staging_group: only in staging (1001)",
        "~ contacts property acme_contact_01: differs",
        '    label: "Staging label" -> "Acme contacts 1"',
        "< leads property only_in_staging: only in staging (1001)",
        "3 difference(s) between staging and production.",
    ]
    by_portal = hubprops(
        "diff", "--portal", str(STAGING), "--portal", str(PRODUCTION), "--format", "json"
    )
    data = json.loads(by_portal.stdout)
    assert by_portal.exit_code == 2 and data["differ"] is True
    assert {(d["objectType"], d["name"], d["side"]) for d in data["differences"]} == {
        ("contacts", "staging_group", "a"),
        ("contacts", "acme_contact_01", "both"),
        ("leads", "only_in_staging", "a"),
    }


def test_a_plan_made_for_one_portal_is_refused_against_the_other(portals: dict[str, str]) -> None:
    Path("definitions").mkdir()
    Path("definitions/contacts.yaml").write_text(
        "objectType: contacts\nproperties:\n  - name: acme_contact_01\n    label: Promoted\n"
    )
    made = hubprops("plan", "--env", "staging", "-o", "plan.json")
    assert made.exit_code == 0, made.output
    refused = hubprops("apply", "--env", "production", "plan.json")
    assert refused.exit_code == 1
    assert str(STAGING) in refused.stderr and str(PRODUCTION) in refused.stderr


def test_a_token_for_another_portal_is_refused_naming_both(
    portals: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = Path("hubprops.toml").read_text().replace(portals["production"], portals["staging"])
    Path("hubprops.toml").write_text(text)
    result = hubprops("diff", "--env", "staging", "--env", "production")
    assert result.exit_code == 1
    assert str(STAGING) in result.stderr and str(PRODUCTION) in result.stderr


def test_two_sides_are_needed(portals: dict[str, str]) -> None:
    result = hubprops("diff", "--env", "staging")
    assert result.exit_code == 1
    assert "exactly two" in result.output


def test_the_multi_portal_example_config_is_valid() -> None:
    from hubprops.config import load_config

    repo = Path(__file__).resolve().parents[2]
    config = load_config(repo / "examples" / "multi-portal" / "hubprops.toml")
    assert {e.portal_id for e in config.environments.values()} == {1001, 2002}


def test_status_and_the_lock_show_every_portal(portals: dict[str, str]) -> None:
    Path("definitions").mkdir()
    Path("definitions/contacts.yaml").write_text(
        "objectType: contacts\nproperties:\n  - name: acme_contact_01\n    label: Promoted\n"
    )
    for env in ("staging", "production"):
        applied = hubprops("apply", "--env", env, "--auto-approve")
        assert applied.exit_code == 0, applied.output
    lock = json.loads(Path("hubprops.lock.json").read_text())
    assert set(lock["portals"]) == {str(STAGING), str(PRODUCTION)}
    shown = hubprops("status")
    assert shown.exit_code == 0, shown.output
    assert "Other portals in the lock:" in shown.stdout
    assert f"  {STAGING} (staging): last sync completed at" in shown.stdout
    staging = hubprops("status", "--env", "staging")
    assert staging.stdout.startswith(f"Portal {STAGING}")
    assert "Other portals" not in staging.stdout
