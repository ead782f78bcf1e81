"""Real processes for the reliability tests: ``hubprops sandbox`` serving on a free loopback
port, and ``hubprops`` commands run against it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

HUBPROPS = [sys.executable, "-c", "from hubprops.cli import run; run()"]
TOKEN = "reliability-test-token"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def sandbox_server(state: Path, *options: str) -> Iterator[str]:
    """``hubprops sandbox --port P --state F ...`` on 127.0.0.1; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [
            *HUBPROPS,
            "sandbox",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--state",
            str(state),
            *options,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(
                    f"{url}/account-info/v3/details",
                    headers={"Authorization": f"Bearer {TOKEN}"},
                    timeout=1.0,
                )
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    raise RuntimeError(f"sandbox did not start: {err}") from None
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


def env_for(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["HUBSPOT_ACCESS_TOKEN"] = TOKEN
    env["HUBPROPS_API_BASE"] = url
    return env


def run(url: str, cwd: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HUBPROPS, *args],
        cwd=cwd,
        env=env_for(url),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start(url: str, cwd: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*HUBPROPS, *args],
        cwd=cwd,
        env=env_for(url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_lock(
    path: Path, ready: Callable[[dict[str, Any]], bool], timeout: float = 60
) -> dict[str, Any]:
    """Poll the lock file until ``ready(data)``; returns that data."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            data = {}
        if data and ready(data):
            return data
        time.sleep(0.005)
    raise AssertionError(f"the lock never reached the expected state: {path}")


def remote_properties(
    url: str, object_type: str, *, archived: bool = False
) -> list[dict[str, Any]]:
    """The sandbox's properties, read directly (waiting out 429s: the applies under test may
    have used the rate-limit window)."""
    deadline = time.monotonic() + 30
    while True:
        answer = httpx.get(
            f"{url}/crm/v3/properties/{object_type}",
            params={"archived": "true" if archived else "false"},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        )
        if answer.status_code != 429 or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    answer.raise_for_status()
    results: list[dict[str, Any]] = answer.json()["results"]
    return results


def plan_json(url: str, cwd: Path, *args: str) -> dict[str, Any]:
    done = run(url, cwd, "plan", "--format", "json", *args)
    assert done.returncode in (0, 2), done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def portal_objects(lock: dict[str, Any]) -> dict[str, Any]:
    (portal,) = lock["portals"].values()
    objects: dict[str, Any] = portal["objects"]
    return objects


def duplicates(items: Sequence[dict[str, Any]]) -> list[str]:
    seen: set[str] = set()
    dups = []
    for item in items:
        if item["name"] in seen:
            dups.append(item["name"])
        seen.add(item["name"])
    return dups
