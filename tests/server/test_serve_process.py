"""A real ``hubprops serve --sandbox`` process on a free loopback port, driven with httpx:
sync, status, history, metrics; stopped with SIGTERM in the middle of a sync; restarted with
the history intact, the lock valid, and the next sync completing what was left."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from hubprops.lock.file import load_lock
from hubprops.lock.guard import running_holder
from tests.server.helpers import BASE, REPO, SECRET, auth, copy_definitions, free_port

HUBSPOT_TOKEN = "pat-na1-never-to-be-seen-anywhere"


def start(tmp: Path, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "HUBPROPS_JWT_SECRET": SECRET}
    env["HUBSPOT_ACCESS_TOKEN"] = HUBSPOT_TOKEN
    command = "from hubprops.cli import main; main()"
    args = ["serve", "--sandbox", "--port", str(port), "--sandbox-latency", "150"]
    process = subprocess.Popen(
        [sys.executable, "-c", command, *args],
        cwd=tmp,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.05)
        if process.poll() is not None:
            break
    process.kill()
    _, err = process.communicate()
    raise AssertionError(f"hubprops serve did not start: {err}")


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    return process.returncode, err


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")
def test_serve_process_sigterm_mid_sync_then_restart(tmp_path: Path) -> None:
    copy_definitions(tmp_path)
    lock_file = tmp_path / "hubprops.lock.json"
    port = free_port()
    server = start(tmp_path, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            done = client.post(f"{BASE}/contacts", headers=auth())
            assert done.status_code == 200, done.text
            assert done.json()["data"]["sync_details"]["created"] == 12
            status = client.get(f"{BASE}/status/contacts", headers=auth()).json()["data"]
            assert status["last_sync"]["status"] == "completed"
            rows = client.get(f"{BASE}/history", headers=auth()).json()["data"]["items"]
            assert [r["scope"] for r in rows] == ["contacts"]
            metrics = client.get("/metrics").text
            assert 'hubprops_properties_synced_total{object_type="contacts"} 12.0' in metrics
            assert 'hubprops_hubspot_requests_total{status="200"}' in metrics
            assert "hubprops_sync_duration_seconds_count" in metrics
            assert "hubprops_hubspot_rate_limit_remaining" in metrics

            assert client.post(f"{BASE}/leads?wait=false", headers=auth()).status_code == 202
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:  # SIGTERM once the apply has begun
                entry = load_lock(lock_file).portals
                leads = next(iter(entry.values())).objects.get("leads") if entry else None
                if leads and leads.last_sync and leads.last_sync.status == "in_progress":
                    break
                time.sleep(0.01)
            else:
                raise AssertionError("the leads apply never began")
    except BaseException:
        server.kill()
        server.communicate()
        raise
    code, log = stop(server)
    # uvicorn re-raises the signal once shut down: exit by SIGTERM after a clean shutdown.
    assert code in (0, -signal.SIGTERM) and "Application shutdown complete" in log, log
    lock = load_lock(lock_file)  # valid, and it says what happened
    leads_entry = next(iter(lock.portals.values())).objects["leads"]
    assert leads_entry.last_sync is not None and leads_entry.last_sync.status == "partial"
    assert len(leads_entry.properties) < 25
    assert running_holder(lock_file) is None  # the guard was released
    access = [json.loads(line) for line in log.splitlines() if line.startswith('{"')]
    assert any(a["sub"] == "alice" and a["request_id"] for a in access if a["event"] == "access")
    assert HUBSPOT_TOKEN not in log

    server = start(tmp_path, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            rows = client.get(f"{BASE}/history", headers=auth()).json()["data"]["items"]
            assert [(r["scope"], r["status"]) for r in rows] == [
                ("leads", "partial"),
                ("contacts", "completed"),
            ]
            rest = client.post(f"{BASE}/leads", headers=auth())
            assert rest.status_code == 200, rest.text
            data = rest.json()["data"]
            assert data["sync_status"] == "completed"
            assert data["sync_details"]["created"] == 25 - len(leads_entry.properties)
            assert data["sync_details"]["errors"] == 0
    finally:
        code, log = stop(server)
    assert code in (0, -signal.SIGTERM), log
    final = next(iter(load_lock(lock_file).portals.values())).objects["leads"]
    assert len(final.properties) == 25
    assert HUBSPOT_TOKEN.encode() not in (tmp_path / ".hubprops" / "server.db").read_bytes()
