"""One sync at a time per lock (service vs service, service vs CLI apply), ``wait=false`` and
its status progression, and scheduled syncs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from hubprops.sandbox import Sandbox
from tests.server.helpers import BASE, REPO, auth, served

HUBPROPS = [sys.executable, "-c", "from hubprops.cli import run; run()"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "HUBSPOT_ACCESS_TOKEN"}
    env["PYTHONPATH"] = str(REPO)
    return env


def test_wait_false_answers_202_then_status_progresses_and_second_sync_is_409(
    tmp_path: Path,
) -> None:
    with served(tmp_path, sandbox_instance=Sandbox(latency_ms=60)) as client:
        accepted = client.post(f"{BASE}/all?wait=false", headers=auth())
        assert accepted.status_code == 202
        data = accepted.json()["data"]
        assert data["sync_status"] == "pending" and data["sync_type"] == "all"
        assert data["status_url"] == f"{BASE}/status/all"

        busy = client.post(f"{BASE}/contacts", headers=auth())
        assert busy.status_code == 409
        body = busy.json()
        assert body["success"] is False and body["status_code"] == 409
        assert body["details"]["sync_type"] == "all"
        assert body["details"]["status"] in ("pending", "in_progress")
        assert body["details"]["holder"]["pid"] == os.getpid()

        seen: list[str] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status = client.get(data["status_url"], headers=auth()).json()["data"]
            state = status["last_sync"]["status"]
            if not seen or seen[-1] != state:
                seen.append(state)
            if state == "completed":
                break
            time.sleep(0.02)
        assert seen[-1] == "completed"
        assert "in_progress" in seen
        order = ["never", "pending", "in_progress", "completed"]
        assert seen == sorted(seen, key=order.index)
        assert client.post(f"{BASE}/contacts", headers=auth()).status_code == 200


def test_a_cli_apply_and_a_service_sync_exclude_each_other(tmp_path: Path) -> None:
    lock = tmp_path / "hubprops.lock.json"
    with served(tmp_path, sandbox_instance=Sandbox(latency_ms=700)) as client:
        assert client.post(f"{BASE}/all?wait=false", headers=auth()).status_code == 202
        cli = subprocess.run(
            [*HUBPROPS, "apply", "--sandbox", "--auto-approve", "-d", "definitions"],
            cwd=tmp_path,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert cli.returncode == 1, cli.stderr
        assert "another apply is running" in cli.stderr
        assert f"pid {os.getpid()}" in cli.stderr
        while client.get(f"{BASE}/status/all", headers=auth()).json()["data"]["last_sync"][
            "status"
        ] in ("pending", "in_progress"):
            time.sleep(0.05)

        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys, time\nfrom hubprops.lock.guard import acquire\n"
                "with acquire(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(30)\n",
                str(lock),
            ],
            env=_env(),
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            busy = client.post(f"{BASE}/contacts", headers=auth())
            assert busy.status_code == 409
            details = busy.json()["details"]
            assert details["holder"]["pid"] == holder.pid
            assert details["status"] == "in_progress"
            status = client.get(f"{BASE}/status/all", headers=auth()).json()["data"]
            assert status["last_sync"]["status"] == "in_progress"
        finally:
            holder.kill()
            holder.communicate()
        assert client.post(f"{BASE}/contacts", headers=auth()).status_code == 200


def test_scheduled_syncs_are_recorded_as_scheduler(tmp_path: Path) -> None:
    with served(tmp_path, schedule_every=0.3) as client:
        status = client.get(f"{BASE}/status/all", headers=auth()).json()["data"]
        assert status["next_scheduled_sync"].endswith("Z")
        deadline = time.monotonic() + 20
        rows: list[dict[str, object]] = []
        while time.monotonic() < deadline:
            rows = client.get(f"{BASE}/history", headers=auth()).json()["data"]["items"]
            if any(r["status"] == "completed" for r in rows):
                break
            time.sleep(0.05)
    done = [r for r in rows if r["status"] == "completed"]
    assert done and done[-1]["user"] == "scheduler" and done[-1]["scope"] == "all"
    assert done[-1]["created"] == 37
