"""What every benchmark run shares: the sandbox subprocess and its control pipe, the
definitions of each size and phase, the check of HubSpot's state after a phase, and timing a
process from start to exit (with its peak memory)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml

TOKEN = "benchmark-token-not-secret"
TYPES = ("contacts", "leads")
GROUP = {"name": "bench", "label": "Benchmark"}
REPO = Path(__file__).resolve().parents[2]
HUBPROPS = [sys.executable, "-c", "from hubprops.cli import run; run()"]
COMPARED = ("label", "type", "fieldType", "groupName", "description")


class SandboxProcess:
    """``python -m tests.benchmarks.server`` on a free loopback port; ``ask`` talks to its
    control pipe (no HTTP, so checks cost the contender nothing)."""

    def __init__(self, *options: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.benchmarks.server", *options],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=child_env(None),
        )
        first = self._stdout.readline()
        if not first:
            raise RuntimeError("the benchmark sandbox did not start")
        hello = json.loads(first)
        self.url: str = hello["url"]
        self.portal_id: int = hello["portal_id"]

    @property
    def _stdout(self) -> IO[str]:
        assert self.proc.stdout is not None
        return self.proc.stdout

    def ask(self, op: str, **fields: Any) -> Any:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": op, **fields}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self._stdout.readline())

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def child_env(url: str | None) -> dict[str, str]:
    """The environment of a contender: the token and base URL, our checkout first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    if url is not None:
        env["HUBSPOT_ACCESS_TOKEN"] = TOKEN
        env["HUBPROPS_API_BASE"] = url
    return env


# -- definitions ------------------------------------------------------------------------------


def prop(object_type: str, i: int, suffix: str = "") -> dict[str, Any]:
    """Property ``i`` of a type; every fifth one an enumeration with three options."""
    p: dict[str, Any] = {
        "name": f"bench_{object_type[0]}_{i:05d}",
        "label": f"Bench {object_type} {i}{suffix}",
        "type": "string",
        "fieldType": "text",
        "groupName": GROUP["name"],
        "description": f"Benchmark property {i} of {object_type}",
    }
    if i % 5 == 0:
        p.update(
            type="enumeration",
            fieldType="select",
            options=[
                {"label": f"Choice {k}", "value": f"choice_{k}", "displayOrder": k}
                for k in range(3)
            ],
        )
    return p


def definitions(size: int, changed_every: int = 0) -> dict[str, list[dict[str, Any]]]:
    """``size`` properties split evenly over contacts and leads; with ``changed_every`` = 10,
    every tenth property's label is changed (the "10% changes" phase)."""
    per_type = size // len(TYPES)
    out: dict[str, list[dict[str, Any]]] = {}
    for t in TYPES:
        out[t] = [
            prop(t, i, " v2" if changed_every and i % changed_every == 0 else "")
            for i in range(per_type)
        ]
    return out


def write_definitions(folder: Path, defs: dict[str, list[dict[str, Any]]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for t, props in defs.items():
        doc = {"objectType": t, "groups": [GROUP], "properties": props}
        (folder / f"{t}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return folder


def check_state(state: dict[str, Any], defs: dict[str, list[dict[str, Any]]]) -> list[str]:
    """What is wrong in HubSpot after a phase (empty: HubSpot equals the definitions, nothing
    duplicated, nothing archived, no stray custom property)."""
    problems: list[str] = []
    for t, wanted in defs.items():
        have = state[t]["properties"]
        names = [p["name"] for p in have]
        if len(names) != len(set(names)):
            problems.append(f"{t}: duplicated properties")
        by_name = {p["name"]: p for p in have}
        extra = set(by_name) - {p["name"] for p in wanted}
        if extra:
            problems.append(f"{t}: {len(extra)} unexpected properties")
        if state[t]["archived"]:
            problems.append(f"{t}: {len(state[t]['archived'])} archived")
        if GROUP["name"] not in {g["name"] for g in state[t]["groups"]}:
            problems.append(f"{t}: group {GROUP['name']} missing")
        for p in wanted:
            got = by_name.get(p["name"])
            if got is None:
                problems.append(f"{t}.{p['name']}: missing")
                continue
            for field in COMPARED:
                if got.get(field) != p[field]:
                    problems.append(f"{t}.{p['name']}.{field}: {got.get(field)!r} != {p[field]!r}")
            if "options" in p:
                opts = [(o["label"], o["value"]) for o in got.get("options", [])]
                if opts != [(o["label"], o["value"]) for o in p["options"]]:
                    problems.append(f"{t}.{p['name']}.options differ")
    return problems


# -- processes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timed:
    """A finished process: wall seconds from start to exit, peak RSS, exit code, output."""

    wall_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def timed(cmd: Sequence[str], cwd: Path, env: dict[str, str], timeout: float) -> Timed:
    """Run ``cmd``; its own peak RSS comes from ``wait4`` (not the largest child so far)."""
    out_path, err_path = cwd / ".out.txt", cwd / ".err.txt"
    with out_path.open("w") as out, err_path.open("w") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=out, stderr=err)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    return Timed(
        wall,
        usage.ru_maxrss / 1024.0,
        proc.returncode,
        out_path.read_text(errors="replace"),
        err_path.read_text(errors="replace"),
    )


def minimum_requests(size: int, phase: str) -> int:
    """The fewest requests any client needs: per type one list of properties and one of
    groups; the first sync also one group create and batch creates of 100; the 10% phase one
    PATCH per changed property (HubSpot has no batch update of property definitions)."""
    per_type = size // len(TYPES)
    reads = 2 * len(TYPES)
    if phase == "first":
        return reads + len(TYPES) * (1 + math.ceil(per_type / 100))
    if phase == "change10":
        return reads + len(TYPES) * math.ceil(per_type / 10)
    return reads


def rate_floor(requests: int, limit: int, window: float, latency_s: float) -> float:
    """The least wall time ``requests`` can take under a rolling ``limit``/``window``: the
    first ``limit`` go at once, each further ``limit`` waits a window; plus one round trip."""
    return max(requests - limit, 0) / limit * window + latency_s
