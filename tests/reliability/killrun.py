"""Kill runs: a real ``hubprops apply`` process, talking over loopback to a sandbox process
(latency, some 5xx and lost answers), SIGKILLed at a random moment, again and again with a new
version of the definitions each time; then applies run until a plan is empty, and the portal,
the lock and every file and output are checked."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.harness import HUBPROPS, TOKEN, SandboxProcess, child_env
from tests.helpers.apply import lock_errors
from tests.reliability.faultrun import PREFIX, TYPES, Figures, random_definitions


def _run(url: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HUBPROPS, *args],
        cwd=cwd,
        env=child_env(url),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def kill_run(seed: int, tmp: Path, kills: int) -> Figures:
    """``kills`` SIGKILLs of applies of successive definition versions, then convergence."""
    rng = random.Random(seed)
    figures = Figures(runs=1)
    counts = {t: rng.randint(20, 50) for t in TYPES}
    outputs: list[str] = []
    created: dict[str, str] = {}
    with SandboxProcess(
        "--latency",
        "15",
        "--rate-limit",
        "1000/10",
        "--fault-rate",
        "0.03",
        "--lost-rate",
        "0.03",
        "--seed",
        str(seed),
    ) as sb:
        version = 0
        # An apply that ends before its kill counts no kill: try further versions until there
        # were ``kills`` (a fast machine finishes small applies quickly).
        while figures.kills < kills and version < 10 * kills:
            random_definitions(rng, tmp / "definitions", version, counts)
            version += 1
            proc = subprocess.Popen(
                [*HUBPROPS, "apply", "--auto-approve"],
                cwd=tmp,
                env=child_env(sb.url),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            time.sleep(rng.uniform(0.2, 1.6))  # anywhere from start-up to the last writes
            proc.send_signal(signal.SIGKILL)
            out, err = proc.communicate(timeout=60)
            outputs += [out, err]
            figures.kills += proc.returncode == -signal.SIGKILL  # else it had finished
            lock = tmp / "hubprops.lock.json"
            if lock.exists() and lock_errors(json.loads(lock.read_text())):
                figures.problems.append(f"seed {seed} kill {version}: invalid lock after SIGKILL")
        wanted = random_definitions(rng, tmp / "definitions", version, counts)
        for _ in range(6):
            done = _run(sb.url, tmp, "apply", "--auto-approve")
            outputs += [done.stdout, done.stderr]
            plan = _run(sb.url, tmp, "plan", "--format", "json")
            outputs += [plan.stdout, plan.stderr]
            if plan.returncode == 0 and not json.loads(plan.stdout)["changes"]:
                break
        else:
            figures.problems.append(f"seed {seed}: no empty plan after the kills")
        figures.add(_check(sb, wanted, tmp, created))
        stats = sb.ask("stats")
        figures.faults += stats["server_errors"]
        figures.lost_answers += stats["lost"]
    files = "\n".join(p.read_text(errors="replace") for p in tmp.rglob("*") if p.is_file())
    if TOKEN in files or any(TOKEN in o for o in outputs):
        figures.problems.append(f"seed {seed}: the token appeared in a file or an output")
    return figures


def _check(
    sb: SandboxProcess, wanted: dict[str, Any], tmp: Path, created: dict[str, str]
) -> Figures:
    f = Figures()
    lock = json.loads((tmp / "hubprops.lock.json").read_text())
    if lock_errors(lock):
        f.problems.append("invalid lock at the end")
    (portal,) = lock["portals"].values()
    state = sb.ask("state", types=list(TYPES))
    for t, props in wanted.items():
        remote = [p for p in state[t]["properties"] if p["name"].startswith(PREFIX)]
        names = [p["name"] for p in remote]
        f.duplicated += len(names) - len(set(names)) + len(state[t]["archived"])
        by_name = {p["name"]: p for p in remote}
        for want in props:
            f.properties_checked += 1
            got = by_name.get(want["name"])
            if got is None:
                f.lost += 1
            elif any(got[k] != want[k] for k in ("label", "type", "fieldType", "groupName")):
                f.problems.append(f"{t}/{want['name']} differs from its definition")
        if set(portal["objects"][t]["properties"]) != set(by_name):
            f.problems.append(f"{t}: the lock does not record what HubSpot holds")
    return f
