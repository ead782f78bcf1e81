"""The binding-limit case: 2,000 properties (1,000 contacts + 1,000 leads) already in HubSpot,
every label changed, so every property needs a PATCH, at 100 requests per 10 s. For hubprops
the apply process is timed alone (the plan is made first, then the window is left to empty);
a baseline script is timed whole. The minimum is the rate limit's floor for the 2,000
PATCHes any client must send."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks import contenders
from tests.benchmarks.harness import (
    GROUP,
    HUBPROPS,
    TYPES,
    SandboxProcess,
    check_state,
    child_env,
    definitions,
    rate_floor,
    timed,
    write_definitions,
)

SIZE = 2000


def run_binding(
    names: list[str],
    limit: int = 100,
    window: float = 10.0,
    latency_ms: float = 100.0,
    log: Any = print,
) -> list[dict[str, Any]]:
    rows = []
    for name in names:
        with (
            tempfile.TemporaryDirectory(prefix=f"bench-binding-{name}-") as tmp,
            SandboxProcess(
                "--latency", f"{latency_ms:g}", "--rate-limit", f"{limit}/{window:g}"
            ) as sb,
        ):
            work = Path(tmp)
            before = definitions(SIZE)
            for t, props in before.items():
                sb.ask("seed", type=t, groups=[GROUP], properties=props)
            wanted = definitions(SIZE, changed_every=1)
            folder = write_definitions(work / "definitions", wanted)
            env = child_env(sb.url)
            measured = "whole script"
            cmds = contenders.commands(name, folder, work)
            if name == "hubprops":
                planned = timed(cmds[0], work, env, 600)
                assert planned.returncode == 0, planned.stderr[-400:]
                cmds, measured = cmds[1:], "apply process"
                # hubprops adopts what it finds: the plan is 2,000 updates
            time.sleep(window)  # the window empties: the timed part starts with the full limit
            sb.ask("reset")
            wall, status = 0.0, "ok"
            for cmd in cmds:
                done = timed(cmd, work, env, 3600)
                wall += done.wall_s
                if done.returncode != 0:
                    status = f"failed (exit {done.returncode})"
            stats = sb.ask("stats")
            problems = check_state(sb.ask("state", types=list(TYPES)), wanted)
            if status == "ok" and problems:
                status = f"wrong ({problems[0]})"
            patches = stats["by_method"].get("PATCH", 0)
            floor = rate_floor(SIZE, limit, window, latency_ms / 1000)
            ok = status == "ok"
            row = {
                "contender": name,
                "status": status,
                "measured": measured,
                "wall_s": round(wall, 2) if ok else None,
                "requests": stats["requests"],
                "patches": patches,
                "throttled": stats["throttled"],
                "min_s": round(floor, 2),
                "ratio_to_min": round(wall / floor, 3) if ok else None,
            }
            log(
                f"  binding {name:<19} {status} {row['wall_s']} s, {row['requests']} requests, "
                f"{row['throttled']} x 429, x{row['ratio_to_min']} of the {floor:.1f} s minimum"
            )
            rows.append(row)
    return rows


__all__ = ["HUBPROPS", "run_binding"]
