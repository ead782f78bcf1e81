"""``hubprops apply PLAN`` holds a saved plan to the definitions it was made from
(hubprops/cli/apply.py, hubprops/plan/origin.py; issue 17, "Done means": a re-checksummed
inconsistent plan of every kind is refused before any write). Through the CLI against a sandbox
served on loopback, whose request log shows that a refused plan sent nothing that writes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from hubprops.cli import main
from hubprops.normalize import digest
from hubprops.plan.file import checksum
from hubprops.sandbox import Sandbox
from hubprops.sandbox.http import serve
from tests.helpers.apply import prop, write_definitions, writes

GROUP = {"name": "ops", "label": "Ops"}
Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(portal_id=5151, rate_limit=(100_000, 10.0))


@pytest.fixture
def url(sb: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A working folder with definitions/ (contacts: group ops, property alpha)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "pat-na1-origin-test-token")
    monkeypatch.delenv("HUBPROPS_PLAN_KEY", raising=False)
    write_definitions(tmp_path / "definitions", "contacts", [prop("alpha", "ops")], [GROUP])
    with serve(sb) as running:
        yield running.url


def hubprops(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, [args[0], "--api-base", url, *args[1:]])


def make_plan(url: str, *args: str) -> dict[str, Any]:
    made = hubprops(url, "plan", "--no-lint", "-o", "plan.json", *args)
    assert made.exit_code == 0, made.output
    data: dict[str, Any] = json.loads(Path("plan.json").read_text())
    return data


def save_edited(data: dict[str, Any], edit: Edit) -> None:
    """Edit the plan, keep it self-consistent (digests, summary) and re-checksum it, as an
    attacker would (issue 17: `hubprops.plan.file.checksum`)."""
    edit(data)
    for change in data["changes"]:
        if change.get("after") is not None:
            change["after_digest"] = digest(change["after"])
    for action in ("create", "update", "archive"):
        data["summary"][action] = sum(1 for c in data["changes"] if c["action"] == action)
    data["checksum"] = checksum(data)
    Path("plan.json").write_text(json.dumps(data, indent=2, sort_keys=True))


def refused(sb: Sandbox, url: str) -> Result:
    """Apply plan.json; it must exit 1 with nothing written to HubSpot or to the lock."""
    lock = Path("hubprops.lock.json")
    before = lock.read_text() if lock.exists() else None
    sb.clear_requests()
    result = hubprops(url, "apply", "plan.json")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert writes(sb.requests) == []
    assert (lock.read_text() if lock.exists() else None) == before
    return result


def label_of(sb: Sandbox, name: str) -> str | None:
    found = [p for p in sb.properties("contacts") if p["name"] == name]
    return found[0]["label"] if found else None


def add_undefined_create(data: dict[str, Any]) -> None:
    create = next(c for c in data["changes"] if c["name"] == "alpha")
    evil = json.loads(json.dumps(create).replace("alpha", "fz_evil").replace("Alpha", "Evil"))
    data["changes"].append(evil)


def test_plan_records_its_definitions_and_an_honest_plan_applies(sb: Sandbox, url: str) -> None:
    data = make_plan(url)
    assert data["definitions"] == "definitions"
    applied = hubprops(url, "apply", "plan.json")
    assert applied.exit_code == 0, applied.output
    assert label_of(sb, "alpha") == "Alpha"


def test_a_create_no_definition_names_is_refused_before_any_write(sb: Sandbox, url: str) -> None:
    save_edited(make_plan(url), add_undefined_create)
    shown = CliRunner().invoke(main, ["show", "plan.json"])
    assert shown.exit_code == 0 and "fz_evil" in shown.output  # the checksum matches
    result = refused(sb, url)
    assert "does not match the definitions it was made from" in result.output
    assert "create property contacts.fz_evil: no definition names this property" in result.output
    assert label_of(sb, "fz_evil") is None and label_of(sb, "alpha") is None


def test_an_update_to_a_label_no_definition_says_is_refused(sb: Sandbox, url: str) -> None:
    assert hubprops(url, "apply", "--auto-approve").exit_code == 0
    write_definitions(Path("definitions"), "contacts", [prop("alpha", "ops", "Alpha v2")], [GROUP])

    def relabel(data: dict[str, Any]) -> None:
        (change,) = data["changes"]
        assert change["action"] == "update"
        change["after"]["label"] = change["payload"]["label"] = "Sneaky"
        (diff,) = change["diffs"]
        diff["after"] = "Sneaky"

    save_edited(make_plan(url), relabel)
    result = refused(sb, url)
    why = "update property contacts.alpha: 'after' is not what the definitions say (in label)"
    assert why in result.output
    assert label_of(sb, "alpha") == "Alpha"


def test_a_plan_whose_definitions_changed_since_is_refused_as_stale(sb: Sandbox, url: str) -> None:
    make_plan(url)
    write_definitions(Path("definitions"), "contacts", [prop("alpha", "ops", "Alpha v2")], [GROUP])
    result = refused(sb, url)
    stale = "Saved plan is stale: the definitions in definitions changed since the plan was made"
    assert stale in result.output
    assert "hubprops plan" in result.output
    assert label_of(sb, "alpha") is None


def test_without_the_definitions_folder_an_honest_plan_still_applies(
    sb: Sandbox, url: str, tmp_path: Path
) -> None:
    """CI applying a downloaded plan artifact in a job with no checkout."""
    make_plan(url)
    shutil.rmtree(tmp_path / "definitions")
    applied = hubprops(url, "apply", "plan.json")
    assert applied.exit_code == 0, applied.output
    assert label_of(sb, "alpha") == "Alpha"


def test_pointing_the_plan_elsewhere_does_not_skip_the_check(sb: Sandbox, url: str) -> None:
    """Deleting or redirecting ``definitions`` falls back to the configured folder."""

    def elsewhere(data: dict[str, Any]) -> None:
        add_undefined_create(data)
        data["definitions"] = "no/such/folder"

    save_edited(make_plan(url), elsewhere)
    assert "fz_evil: no definition names this property" in refused(sb, url).output

    def dropped(data: dict[str, Any]) -> None:
        del data["definitions"]

    save_edited(json.loads(Path("plan.json").read_text()), dropped)
    assert "fz_evil: no definition names this property" in refused(sb, url).output


def test_a_bad_definitions_file_is_a_located_error(sb: Sandbox, url: str) -> None:
    make_plan(url)
    Path("definitions/contacts.yaml").write_text("objectType: contacts\nproperties: [\n")
    result = refused(sb, url)
    assert "definitions/contacts.yaml:" in result.output


def test_with_a_plan_key_a_plan_made_without_its_folder_is_still_checked_by_signing(
    sb: Sandbox, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the folder the definitions cannot be checked: HUBPROPS_PLAN_KEY is the defence."""
    monkeypatch.setenv("HUBPROPS_PLAN_KEY", "ci-secret")
    save_edited(make_plan(url), add_undefined_create)
    shutil.rmtree(tmp_path / "definitions")
    result = refused(sb, url)
    assert "signature does not match" in result.output


def test_object_filtered_and_prune_plans_still_apply(sb: Sandbox, url: str) -> None:
    write_definitions(Path("definitions"), "leads", [prop("lead_x", "ops")], [GROUP])
    write_definitions(
        Path("definitions"), "contacts", [prop("alpha", "ops"), prop("beta", "ops")], [GROUP]
    )
    data = make_plan(url, "--object", "contacts")
    assert {c["objectType"] for c in data["changes"]} == {"contacts"}
    applied = hubprops(url, "apply", "plan.json")
    assert applied.exit_code == 0, applied.output
    assert label_of(sb, "beta") == "Beta"

    write_definitions(Path("definitions"), "contacts", [prop("alpha", "ops")], [GROUP])
    data = make_plan(url, "--object", "contacts", "--prune", "--allow-destructive")
    assert [(c["action"], c["name"]) for c in data["changes"]] == [("archive", "beta")]
    applied = hubprops(url, "apply", "plan.json")
    assert applied.exit_code == 0, applied.output
    assert label_of(sb, "beta") is None and label_of(sb, "alpha") == "Alpha"


def test_a_group_create_no_definition_names_is_refused(sb: Sandbox, url: str) -> None:
    def add_group(data: dict[str, Any]) -> None:
        group = next(c for c in data["changes"] if c["kind"] == "group")
        data["changes"].insert(0, json.loads(json.dumps(group).replace('"ops"', '"fz_grp"')))

    save_edited(make_plan(url), add_group)
    assert "create group contacts.fz_grp: no definition names this group" in refused(sb, url).output
