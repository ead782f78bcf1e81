"""``hubprops plan`` (hubprops/cli/plan.py) on the sandbox (``--sandbox`` in a temp folder)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from hubprops.cli import main
from hubprops.hubspot import HubSpotClient
from hubprops.lock.file import Lock, LockedProperty, save_lock
from hubprops.plan.file import read_plan
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from tests.helpers.cli import run_reader_leaves_early

REPO = Path(__file__).resolve().parents[2]
FRESH_SUMMARY = "Plan: 40 to create, 0 to update, 0 to archive."


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp working folder holding a copy of the repo's definitions."""
    shutil.copytree(REPO / "definitions", tmp_path / "definitions")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def hubprops(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def sandbox() -> Sandbox:
    return Sandbox(state_file=".hubprops/sandbox.json")


def write_contacts(project: Path, props: list[dict[str, Any]]) -> None:
    folder = project / "mydefs"
    folder.mkdir(exist_ok=True)
    data = {"objectType": "contacts", "properties": props}
    (folder / "contacts.json").write_text(json.dumps(data, indent=2))


def test_fresh_sandbox_shows_the_creates(project: Path) -> None:
    result = hubprops("plan", "--sandbox")
    assert result.exit_code == 0, result.output
    assert "+ property what_service_do_you_need_" in result.stdout
    assert "+ group stahla_event_details" in result.stdout
    assert result.stdout.rstrip().endswith(FRESH_SUMMARY)


def test_plan_never_holds_the_token(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan made with a token (the sandbox accepts any) does not hold it, in any format."""
    token = "pat-na1-00000000-dead-beef-0000-123456789abc"
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", token)
    for fmt in ("text", "json", "markdown"):
        result = hubprops("plan", "--sandbox", "--format", fmt, "-o", f"plan-{fmt}.json")
        assert result.exit_code == 0, result.output
        assert token not in result.output
        saved = (project / f"plan-{fmt}.json").read_text(encoding="utf-8")
        assert "what_service_do_you_need_" in saved  # the plan is really there
        assert token not in saved
        assert "pat-na1" not in saved


def test_detailed_exitcode_and_saved_plan(project: Path) -> None:
    result = hubprops("plan", "--sandbox", "--detailed-exitcode", "-o", "out/plan.json")
    assert result.exit_code == 2, result.output
    assert "hubprops apply --sandbox out/plan.json" in result.stderr
    saved = read_plan(project / "out" / "plan.json")
    assert saved.summary == {"create": 40, "update": 0, "archive": 0}
    assert saved.portal_id == 12345678
    # send the plan's payloads through the API, then plan again: nothing left
    sb = sandbox()
    with HubSpotClient(SANDBOX_BASE_URL, "t", transport=sb.transport()) as client:
        for change in saved.changes:
            if change.kind.value == "group":
                client.create_group(change.object_type, change.payload or {})
            else:
                client.create_property(change.object_type, change.payload or {})
    again = hubprops("plan", "--sandbox", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert again.stdout.rstrip().endswith("No changes.")


def test_saved_plan_hint_names_the_portal_and_lock_apply_needs(project: Path) -> None:
    result = hubprops(
        "plan", "--sandbox", "--portal", "12345678", "--lock", "staging lock.json", "-o", "p.json"
    )
    assert result.exit_code == 0, result.output
    hint = "hubprops apply --sandbox --portal 12345678 --lock 'staging lock.json' p.json"
    assert hint in result.stderr


def test_format_json(project: Path) -> None:
    result = hubprops("plan", "--sandbox", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["summary"] == {"create": 40, "update": 0, "archive": 0}
    assert data["format_version"] == 1 and "checksum" in data
    assert {c["action"] for c in data["changes"]} == {"create"}


def test_format_markdown(project: Path) -> None:
    result = hubprops("plan", "--sandbox", "--format", "markdown")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("### hubprops plan for portal 12345678")
    assert "| contacts | 13 | 0 | 0 | 3 |" in text
    assert text.count("<details>") == 2
    assert text.rstrip().endswith(FRESH_SUMMARY)


def test_object_filter(project: Path) -> None:
    result = hubprops("plan", "--sandbox", "--object", "leads", "--format", "json")
    assert {c["objectType"] for c in json.loads(result.stdout)["changes"]} == {"leads"}
    assert json.loads(result.stdout)["options"]["objects"] == ["leads"]


def test_destructive_blocked_then_allowed(project: Path) -> None:
    sandbox().put_property(
        "contacts",
        {
            "name": "guest_count",
            "label": "Guests",
            "type": "number",
            "fieldType": "number",
            "groupName": "contactinformation",
        },
    )
    write_contacts(
        project,
        [
            {
                "name": "guest_count",
                "label": "Guests",
                "type": "string",
                "fieldType": "text",
                "groupName": "contactinformation",
            }
        ],
    )
    blocked = hubprops("plan", "--sandbox", "-d", "mydefs", "-o", "p.json")
    assert blocked.exit_code == 1
    assert "Refusing: 1 destructive change(s)" in blocked.stderr
    assert "type change number -> string may lose values" in blocked.stderr
    assert "--allow-destructive" in blocked.stderr
    assert not (project / "p.json").exists()
    as_json = hubprops("plan", "--sandbox", "-d", "mydefs", "--format", "json")
    assert as_json.exit_code == 1
    error = json.loads(as_json.stdout)
    assert error["diagnostics"] == [
        "contacts property guest_count: type change number -> string may lose values"
    ]
    allowed = hubprops("plan", "--sandbox", "-d", "mydefs", "--allow-destructive")
    assert allowed.exit_code == 0, allowed.output
    assert "# destructive: type change number -> string may lose values" in allowed.stdout
    assert "Plan: 0 to create, 1 to update, 0 to archive." in allowed.stdout


def test_prune_archives_what_the_lock_records(project: Path) -> None:
    sb = sandbox()
    sb.put_property(
        "contacts",
        {
            "name": "old",
            "label": "Old",
            "type": "string",
            "fieldType": "text",
            "groupName": "contactinformation",
        },
    )
    lock = Lock()
    lock.entry(12345678, "contacts").properties["old"] = LockedProperty(
        id="0-1/old", sha256="0" * 64
    )
    save_lock("my.lock.json", lock)
    write_contacts(project, [{"name": "email", "label": "Email"}])
    kept = hubprops("plan", "--sandbox", "-d", "mydefs", "--lock", "my.lock.json")
    assert kept.exit_code == 0, kept.output
    assert "no longer defined, kept:" in kept.stdout
    assert "property old  # --prune archives it" in kept.stdout
    assert kept.stdout.rstrip().endswith("No changes.")
    pruned = hubprops(
        "plan",
        "--sandbox",
        "-d",
        "mydefs",
        "--lock",
        "my.lock.json",
        "--prune",
        "--allow-destructive",
    )
    assert "- property old" in pruned.stdout
    assert "Plan: 0 to create, 0 to update, 1 to archive." in pruned.stdout


def test_definition_errors_text_and_json(project: Path) -> None:
    write_contacts(project, [{"name": "x", "type": "number"}])
    text = hubprops("plan", "--sandbox", "-d", "mydefs")
    assert text.exit_code == 1
    assert "mydefs/contacts.json:" in text.stderr
    as_json = hubprops("plan", "--sandbox", "-d", "mydefs", "--format", "json")
    assert as_json.exit_code == 1
    error = json.loads(as_json.stdout)
    assert "problem(s) in definitions" in error["error"]
    assert error["diagnostics"] and error["diagnostics"][0].startswith("mydefs/contacts.json:")


def test_plan_errors_name_file_and_line(project: Path) -> None:
    write_contacts(project, [{"name": "half", "label": "Half"}])
    result = hubprops("plan", "--sandbox", "-d", "mydefs")
    assert result.exit_code == 1
    assert "mydefs/contacts.json:" in result.stderr
    assert (
        "cannot create contacts property 'half': missing type, fieldType, groupName"
        in result.stderr
    )


def test_without_token_or_sandbox_it_stops(project: Path) -> None:
    result = hubprops("plan")
    assert result.exit_code == 1
    assert "HUBSPOT_ACCESS_TOKEN" in result.stderr


def test_token_never_in_output_or_plan(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "pat-na1-secret-value")
    result = hubprops(
        "plan", "--sandbox", "-o", "p.json", "--format", "json", "--portal", "12345678"
    )
    assert result.exit_code == 0
    assert "secret" not in result.output
    assert "secret" not in (project / "p.json").read_text()
    assert json.loads(result.stdout)["portal_id"] == 12345678


def test_lock_error_is_reported(project: Path) -> None:
    (project / "hubprops.lock.json").write_text("{broken")
    result = hubprops("plan", "--sandbox")
    assert result.exit_code == 1
    assert "cannot read lock file" in result.stderr


def test_detailed_exitcode_survives_a_reader_that_leaves_early(tmp_path: Path) -> None:
    # `hubprops plan --detailed-exitcode | head -1` under `set -o pipefail` must still say 2.
    props = "".join(
        f"  - name: p{i}\n    label: Property {i}\n    type: string\n    fieldType: text\n"
        f"    groupName: contactinformation\n    description: {'x' * 100}\n"
        for i in range(800)  # a plan far larger than a pipe buffers
    )
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "c.yaml").write_text(f"objectType: contacts\nproperties:\n{props}")
    first, err, code = run_reader_leaves_early(tmp_path, "plan", "--sandbox", "--detailed-exitcode")
    assert code == 2
    assert first.startswith(b"Plan for portal")
    assert b"unexpected error" not in err and b"Traceback" not in err


def test_a_blocked_plan_renders_in_full_in_every_format(project: Path) -> None:
    assert hubprops("apply", "--sandbox", "--auto-approve").exit_code == 0
    path = project / "definitions" / "contacts.yaml"
    text = path.read_text(encoding="utf-8")
    laundry = next(line for line in text.splitlines(True) if "Laundry Trailer" in line)
    assert laundry in text
    path.write_text(text.replace(laundry, "", 1).replace("label: Email", "label: E-mail"))
    reason = "contacts property what_service_do_you_need_: "
    md = hubprops("plan", "--sandbox", "--format", "markdown", "-o", "p.json")
    assert md.exit_code == 1
    assert md.stdout.startswith("> [!CAUTION]\n> **Blocked: 1 destructive change(s).**")
    assert md.stdout.index(reason) < md.stdout.index("| Object type |")
    assert "~ property email" in md.stdout  # the rest of the plan is there too
    assert md.stdout.rstrip().endswith("Plan: 0 to create, 2 to update, 0 to archive.")
    assert not (project / "p.json").exists()
    txt = hubprops("plan", "--sandbox")
    assert txt.exit_code == 1
    assert txt.stdout.startswith("Refusing: 1 destructive change(s).")
    assert "~ property email" in txt.stdout and "allowed by" not in txt.stdout
    as_json = hubprops("plan", "--sandbox", "--format", "json")
    assert as_json.exit_code == 1
    data = json.loads(as_json.stdout)
    assert data["diagnostics"][0].startswith(reason)
    assert data["plan"]["summary"] == {"create": 0, "update": 2, "archive": 0}
