"""The side-by-side sync benchmark: each contender, at each size, against its own sandbox
process (100 ms latency, a rate limit), through three phases: a first full sync, a no-op sync
and a sync with 10% changes. HubSpot's state is checked after every phase; a contender that
ends wrong is marked wrong, not timed."""

from __future__ import annotations

import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tests.benchmarks import contenders
from tests.benchmarks.harness import (
    TYPES,
    SandboxProcess,
    check_state,
    child_env,
    definitions,
    minimum_requests,
    rate_floor,
    timed,
    write_definitions,
)

PHASES = (("first", 0), ("noop", 0), ("change10", 10))


@dataclass(frozen=True)
class Settings:
    latency_ms: float = 100.0
    limit: int = 190
    window: float = 10.0
    timeout_s: float = 1800.0

    def sandbox_options(self) -> list[str]:
        return [
            "--latency",
            str(self.latency_ms),
            "--rate-limit",
            f"{self.limit}/{self.window:g}",
        ]


@dataclass(frozen=True)
class PhaseResult:
    contender: str
    size: int
    phase: str
    status: str  # ok | wrong | failed | timeout
    wall_s: float | None  # None unless ok: a wrong result is not timed
    requests: int
    requests_per_property: float
    throttled: int
    min_requests: int
    min_s: float
    ratio_to_min: float | None
    detail: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def run_phase(
    name: str,
    size: int,
    phase: str,
    changed_every: int,
    sb: SandboxProcess,
    work: Path,
    s: Settings,
) -> PhaseResult:
    defs = definitions(size, changed_every)
    folder = write_definitions(work / "definitions", defs)
    sb.ask("reset")
    wall, status, detail = 0.0, "ok", ""
    for cmd in contenders.commands(name, folder, work):
        done = timed(cmd, work, child_env(sb.url), s.timeout_s)
        wall += done.wall_s
        if wall > s.timeout_s:
            status, detail = "timeout", f"over {s.timeout_s:.0f} s"
            break
        if done.returncode != 0:
            status, detail = "failed", f"exit {done.returncode}: {done.stderr.strip()[-300:]}"
            break
    stats = sb.ask("stats")
    problems = check_state(sb.ask("state", types=list(TYPES)), defs)
    if status == "ok" and problems:
        status, detail = "wrong", f"{len(problems)} problems, e.g. {problems[0]}"
    need = minimum_requests(size, phase)
    floor = rate_floor(need, s.limit, s.window, s.latency_ms / 1000)
    ok = status == "ok"
    return PhaseResult(
        contender=name,
        size=size,
        phase=phase,
        status=status,
        wall_s=round(wall, 3) if ok else None,
        requests=stats["requests"],
        requests_per_property=round(stats["requests"] / size, 3),
        throttled=stats["throttled"],
        min_requests=need,
        min_s=round(floor, 3),
        ratio_to_min=round(wall / floor, 2) if ok and floor > 0 else None,
        detail=detail,
    )


def run_cell(name: str, size: int, s: Settings, log: object = print) -> list[PhaseResult]:
    """One contender at one size: a fresh portal, the three phases in order (waiting out the
    rate-limit window between phases, so each starts with the full limit)."""
    results = []
    with (
        tempfile.TemporaryDirectory(prefix=f"bench-{name}-{size}-") as tmp,
        SandboxProcess(*s.sandbox_options()) as sb,
    ):
        for phase, every in PHASES:
            result = run_phase(name, size, phase, every, sb, Path(tmp), s)
            results.append(result)
            if callable(log):
                log(
                    f"  {name:<19} {size:>5} {phase:<9} {result.status:<7} "
                    f"{result.wall_s if result.wall_s is not None else '-':>8} s "
                    f"{result.requests:>6} requests {result.throttled:>4} x 429 {result.detail}"
                )
            time.sleep(s.window)
    return results
