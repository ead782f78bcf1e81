"""``hubprops status`` (hubprops/cli/status.py) on hand-made lock files."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from hubprops.cli import main
from hubprops.lock.file import LastSync, Lock, LockedProperty, save_lock
from hubprops.lock.guard import acquire

DIGEST = "c" * 64
TS = "2024-01-15T10:30:00Z"


def write_lock(path: Path, *, portals: int = 1, status: str = "completed") -> None:
    lock = Lock()
    for portal in range(1, portals + 1):
        for object_type, count in (("contacts", 15), ("leads", 25)):
            entry = lock.entry(portal, object_type)
            for i in range(count):
                entry.properties[f"p{i}"] = LockedProperty(id=f"x/p{i}", sha256=DIGEST)
            entry.last_sync = LastSync(timestamp=f"2024-01-1{portal}T10:30:00Z", status=status)
        lock.portal(portal).last_sync = LastSync(
            timestamp=f"2024-01-1{portal}T10:30:00Z",
            status=status,
            duration_s=2.4,
            object_types=["contacts", "leads"],
        )
    save_lock(path, lock)


def run(tmp_path: Path, *args: str) -> tuple[int, str]:
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = runner.invoke(main, ["status", *args])
    finally:
        os.chdir(old)
    return result.exit_code, result.output


def test_json_prints_the_status_data_object(tmp_path: Path) -> None:
    write_lock(tmp_path / "hubprops.lock.json")
    code, out = run(tmp_path, "all", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert "success" not in data
    assert data["sync_type"] == "all"
    assert data["last_sync"] == {
        "timestamp": "2024-01-11T10:30:00Z",
        "status": "completed",
        "duration": "2.4s",
        "total_properties": 40,
        "successful": 40,
        "failed": 0,
    }
    assert data["contacts"]["properties_synced"] == 15
    assert data["leads"] == {
        "status": "completed",
        "properties_synced": 25,
        "last_update": "2024-01-11T10:30:00Z",
    }


def test_text_names_portal_last_sync_and_each_object_type(tmp_path: Path) -> None:
    write_lock(tmp_path / "hubprops.lock.json")
    code, out = run(tmp_path)
    assert code == 0
    assert "Portal 1\n" in out
    assert "Last sync: completed at 2024-01-11T10:30:00Z in 2.4s: 40 properties" in out
    assert "contacts  completed" in out
    assert "25 properties" in out


def test_single_type_argument(tmp_path: Path) -> None:
    write_lock(tmp_path / "hubprops.lock.json")
    code, out = run(tmp_path, "leads", "--format", "json")
    assert code == 0
    assert set(json.loads(out)) == {"sync_type", "last_sync", "leads"}


def test_several_portals_uses_the_latest_and_says_so(tmp_path: Path) -> None:
    write_lock(tmp_path / "hubprops.lock.json", portals=3)
    code, out = run(tmp_path)
    assert code == 0
    assert "Portal 3 (the most recently synced of 3 portals" in out
    assert "--portal" in out
    code, out = run(tmp_path, "--portal", "2", "--format", "json")
    assert json.loads(out)["last_sync"]["timestamp"] == "2024-01-12T10:30:00Z"


def test_a_missing_lock_file_is_an_error(tmp_path: Path) -> None:
    code, out = run(tmp_path)
    assert code == 1
    assert "no lock file hubprops.lock.json" in out
    code, out = run(tmp_path, "--lock", "stagin.lock.json", "--format", "json")
    assert code == 1
    assert "no lock file stagin.lock.json" in out


def test_a_mistyped_object_type_names_the_nearest(tmp_path: Path) -> None:
    write_lock(tmp_path / "hubprops.lock.json")
    code, out = run(tmp_path, "contact")
    assert code == 1
    assert "unknown object type 'contact'; did you mean 'contacts'?" in out
    code, out = run(tmp_path, "0-1")
    assert code == 0, out


def test_other_lock_path(tmp_path: Path) -> None:
    write_lock(tmp_path / "staging.lock.json")
    code, out = run(tmp_path, "--lock", "staging.lock.json", "--format", "json")
    assert code == 0
    assert json.loads(out)["contacts"]["properties_synced"] == 15


def test_in_progress_without_a_running_apply_is_explained(tmp_path: Path) -> None:
    lock = tmp_path / "hubprops.lock.json"
    write_lock(lock, status="in_progress")
    code, out = run(tmp_path)
    assert "interrupted" in out
    # while an apply holds the guard, in_progress is just that
    with acquire(lock):
        code, out = run(tmp_path)
    assert code == 0
    assert "in_progress" in out
    assert "interrupted" not in out


def test_unreadable_lock_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "hubprops.lock.json").write_text("{")
    code, out = run(tmp_path)
    assert code == 1
    assert "cannot read lock file" in out
    assert "Traceback" not in out


def test_after_an_interrupted_apply_status_counts_the_changes_never_started(
    tmp_path: Path,
) -> None:
    import threading

    from hubprops.apply.applier import Progress, apply_plan
    from hubprops.lock.file import load_lock, save_lock
    from hubprops.sandbox import Sandbox
    from tests.helpers.apply import REPO, make_plan, sandbox_client

    lock_path = tmp_path / "hubprops.lock.json"
    cancel = threading.Event()
    seen: list[Progress] = []

    def on_progress(progress: Progress) -> None:
        seen.append(progress)
        if len(seen) == 1:
            cancel.set()  # what the first Ctrl-C does

    with sandbox_client(Sandbox()) as client:
        plan = make_plan(client, REPO / "definitions", load_lock(lock_path))
        result = apply_plan(
            client,
            plan,
            load_lock(lock_path),
            save=lambda lk: save_lock(lock_path, lk),
            cancel=cancel,
            on_progress=on_progress,
        )
    assert result.interrupted
    never = sum(r.status == "not_started" for r in result.results)
    assert never > 0
    code, out = run(tmp_path)
    assert code == 0, out
    assert f", {never} never started" in out
    code, out = run(tmp_path, "--format", "json")
    assert json.loads(out)["last_sync"]["not_started"] == never
