"""Plan at scale: wall time and peak memory of a plan of N properties per object type
(contacts and leads), in process (load + plan + encode/render over an in-memory copy of
HubSpot's state) and end to end (``hubprops plan`` and ``hubprops validate``, process start to
exit, against a sandbox process without latency and with the quota lifted), with the parse
cache of unchanged definitions files (``HUBPROPS_CACHE_DIR``, what every run after the first
one sees) and without it (``off``: the first run on a fresh checkout).

``python -m tests.benchmarks.scale inproc DEFS REMOTE.json`` is the in-process probe (it
prints one JSON line); ``run_scale`` drives both.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.harness import (
    HUBPROPS,
    TYPES,
    SandboxProcess,
    child_env,
    definitions,
    timed,
    write_definitions,
)


def remote_copy(defs: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """HubSpot's side: every defined property, one in a hundred with an older label."""
    return {
        t: [{**p, "label": "Old label"} if i % 100 == 0 else p for i, p in enumerate(props)]
        for t, props in defs.items()
    }


def inproc(defs_dir: str, remote_json: str) -> dict[str, float]:
    """Load, plan, encode and render in this process; seconds per stage and peak RSS."""
    start = time.perf_counter()
    from hubprops.definitions.loader import load_definitions
    from hubprops.lock.file import Lock
    from hubprops.models import RemoteObject, RemoteState
    from hubprops.plan.file import encode
    from hubprops.plan.planner import plan
    from hubprops.plan.types import PlanOptions
    from hubprops.render.plan import render_plan_text

    imported = time.perf_counter()
    remote = json.loads(Path(remote_json).read_text())
    state = RemoteState(
        portal_id=1,
        objects={
            t: RemoteObject(
                object_type=t,
                properties={p["name"]: p for p in props},
                groups={"bench": {"name": "bench", "label": "Benchmark", "displayOrder": -1}},
            )
            for t, props in remote.items()
        },
    )
    t0 = time.perf_counter()
    loaded = load_definitions(Path(defs_dir))
    t1 = time.perf_counter()
    made = plan(loaded.definitions, state, Lock(), options=PlanOptions(), api_base="x")
    t2 = time.perf_counter()
    render_plan_text(encode(made))
    t3 = time.perf_counter()
    return {
        "import_s": imported - start,
        "load_s": t1 - t0,
        "plan_s": t2 - t1,
        "render_s": t3 - t2,
        "changes": len(made.changes),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }


def _median_run(cmd: list[str], work: Path, env: dict[str, str], repeat: int) -> dict[str, Any]:
    runs = [timed(cmd, work, env, 600) for _ in range(repeat)]
    bad = [r for r in runs if r.returncode != 0]
    if bad:
        raise RuntimeError(f"{cmd[3:5]} failed: {bad[0].stderr[-400:]}")
    walls = [r.wall_s for r in runs]
    return {
        "wall_s": statistics.median(walls),
        "best_s": min(walls),
        "peak_rss_mb": max(r.peak_rss_mb for r in runs),
        "runs": len(runs),
    }


def run_scale(sizes: list[int], repeat: int = 5, log: Any = print) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for per_type in sizes:
        defs = definitions(per_type * len(TYPES))
        remote = remote_copy(defs)
        with tempfile.TemporaryDirectory(prefix=f"bench-scale-{per_type}-") as tmp:
            work = Path(tmp)
            folder = write_definitions(work / "definitions", defs)
            (work / "remote.json").write_text(json.dumps(remote))
            probe = timed(
                [
                    sys.executable,
                    "-m",
                    "tests.benchmarks.scale",
                    "inproc",
                    str(folder),
                    str(work / "remote.json"),
                ],
                work,
                child_env(None),
                600,
            )
            if probe.returncode != 0:
                raise RuntimeError(probe.stderr[-400:])
            stages = json.loads(probe.stdout)
            in_process = stages["load_s"] + stages["plan_s"] + stages["render_s"]
            rows.append(
                {
                    "per_type": per_type,
                    "measured": "in process: load + plan + render",
                    "wall_s": in_process,
                    "peak_rss_mb": stages["peak_rss_mb"],
                    "stages": stages,
                }
            )
            with SandboxProcess(
                "--latency", "0", "--rate-limit", "1000000/10", "--quota", str(per_type + 100)
            ) as sb:
                for t, props in remote.items():
                    sb.ask(
                        "seed",
                        type=t,
                        groups=[{"name": "bench", "label": "Benchmark"}],
                        properties=props,
                    )
                warm = {**child_env(sb.url), "HUBPROPS_CACHE_DIR": str(work / "cache")}
                cold = {**warm, "HUBPROPS_CACHE_DIR": "off"}
                plan_cmd = [*HUBPROPS, "plan", "-d", str(folder), "-o", str(work / "plan.json")]
                validate_cmd = [*HUBPROPS, "validate", "-d", str(folder)]
                runs = repeat if per_type <= 1000 else 1
                timed(validate_cmd, work, warm, 600)  # fills the parse cache (not timed)
                for measured, cmd, env in (
                    ("end to end: hubprops plan -o", plan_cmd, warm),
                    ("end to end: hubprops plan -o, no parse cache", plan_cmd, cold),
                    ("end to end: hubprops validate", validate_cmd, warm),
                    ("end to end: hubprops validate, no parse cache", validate_cmd, cold),
                ):
                    figures = _median_run(cmd, work, env, runs)
                    rows.append({"per_type": per_type, "measured": measured, **figures})
        for row in rows[-5:]:
            log(
                f"  {per_type:>6} per type  {row['measured']:<34} {row['wall_s']:.3f} s "
                f"(best {row.get('best_s', row['wall_s']):.3f} s)  peak {row['peak_rss_mb']:.0f} MB"
            )
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["inproc"]:
        print(json.dumps(inproc(sys.argv[2], sys.argv[3])))
