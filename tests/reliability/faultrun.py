"""Seeded fault runs for the reliability suite: random definitions synced to an in-process
sandbox through 5xx answers, lost answers (committed, then the connection drops), 429 storms
and latency spikes, plan + apply repeated until a plan is empty, then changed and synced
again. Each run ends with its own checks and returns its figures."""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from hubprops.apply.applier import apply_plan, needs_apply
from hubprops.hubspot import HubSpotClient
from hubprops.hubspot.ratelimit import RateLimiter
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from tests.helpers.apply import (
    TOKEN,
    LockFile,
    enum_prop,
    fast_retry,
    lock_errors,
    make_plan,
    prop,
    write_definitions,
)
from tests.helpers.clock import FakeClock

TYPES = ("contacts", "leads")
PREFIX = "r_"
STORM_BODY = {
    "status": "error",
    "message": "You have reached your ten_secondly_rolling limit.",
    "errorType": "RATE_LIMIT",
    "correlationId": "00000000-0000-0000-0000-000000000000",
    "policyName": "TEN_SECONDLY_ROLLING",
}


class StormTransport(httpx.BaseTransport):
    """The HTTP boundary between client and sandbox: answers some requests with a 429 of its
    own (a storm: the request never reaches HubSpot) and delays others (latency spikes)."""

    def __init__(
        self, inner: httpx.BaseTransport, rng: random.Random, p429: float, pspike: float
    ) -> None:
        self.inner, self.rng, self.p429, self.pspike = inner, rng, p429, pspike
        self.throttled = self.spikes = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            storm = self.rng.random() < self.p429
            spike = self.rng.uniform(0.005, 0.05) if self.rng.random() < self.pspike else 0.0
            self.throttled += storm
            self.spikes += spike > 0
        if storm:
            return httpx.Response(429, json=STORM_BODY, request=request)
        if spike:
            time.sleep(spike)
        return self.inner.handle_request(request)


@dataclass
class Figures:
    """What the long form prints, summed over runs."""

    runs: int = 0
    rounds: int = 0
    faults: int = 0
    lost_answers: int = 0
    throttled: int = 0
    spikes: int = 0
    kills: int = 0
    properties_checked: int = 0
    lost: int = 0
    duplicated: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: Figures) -> None:
        for name, value in vars(other).items():
            if name == "problems":
                self.problems.extend(value)
            else:
                setattr(self, name, getattr(self, name) + value)

    def line(self) -> str:
        return ", ".join(f"{k} {v}" for k, v in vars(self).items() if k != "problems")


def random_definitions(
    rng: random.Random, folder: Path, version: int, counts: dict[str, int]
) -> dict[str, Any]:
    """Random properties per type (strings and enumerations in one or two groups); a later
    version changes some labels, grows some option lists and adds properties."""
    wanted: dict[str, Any] = {}
    groups = [{"name": "rel_a", "label": "Rel A"}, {"name": "rel_b", "label": "Rel B"}]
    for t in TYPES:
        count = counts[t] + 3 * version
        props = []
        for i in range(count):
            name, group = f"{PREFIX}{t[0]}_{i:03d}", groups[i % 2]["name"]
            if i % 4 == 0:
                # options only grow from version to version: removing one is destructive
                values = ["a", "b"] + [f"v{v}" for v in range(1, version + 1) if (i + v) % 3]
                props.append(enum_prop(name, group, values))
            else:
                suffix = f" v{version}" if version and rng.random() < 0.5 else ""
                props.append(prop(name, group, label=f"{name}{suffix}"))
        write_definitions(folder, t, props, groups)
        wanted[t] = props
    return wanted


def check(
    sb: Sandbox, wanted: dict[str, Any], lockfile: LockFile, created: dict[str, str]
) -> Figures:
    """HubSpot equals the definitions; nothing duplicated, archived or re-created; the lock
    is valid and records exactly what HubSpot holds."""
    f = Figures()
    raw = lockfile.raw()
    if lock_errors(raw):
        f.problems.append(f"invalid lock: {lock_errors(raw)[:2]}")
    portal = raw["portals"][str(sb.portal_id)]["objects"]
    for t, props in wanted.items():
        remote = [p for p in sb.properties(t) if p["name"].startswith(PREFIX)]
        names = [p["name"] for p in remote]
        f.duplicated += len(names) - len(set(names))
        f.duplicated += len([p for p in sb.properties(t, archived=True)])
        by_name = {p["name"]: p for p in remote}
        for want in props:
            f.properties_checked += 1
            got = by_name.get(want["name"])
            if got is None:
                f.lost += 1
                continue
            key = f"{t}/{want['name']}"
            if created.setdefault(key, got["createdAt"]) != got["createdAt"]:
                f.duplicated += 1  # archived and made again
            for k in ("label", "type", "fieldType", "groupName"):
                if got[k] != want[k]:
                    f.problems.append(f"{key}.{k}: {got[k]!r} != {want[k]!r}")
            if "options" in want and [o["value"] for o in got["options"]] != [
                o["value"] for o in want["options"]
            ]:
                f.problems.append(f"{key}: options differ")
        extra = set(by_name) - {p["name"] for p in props}
        if extra:
            f.problems.append(f"{t}: unexpected {sorted(extra)[:3]}")
        if set(portal[t]["properties"]) != set(by_name):
            f.problems.append(f"{t}: the lock does not record what HubSpot holds")
    return f


def fault_run(seed: int, tmp: Path, max_rounds: int = 12) -> Figures:
    """One seeded run: two versions of random definitions, each synced until apply has nothing
    left to do (``needs_apply``: no change and no in-sync item to record, what a user re-running
    ``hubprops apply`` gets), through faults of every kind."""
    rng = random.Random(seed)
    sb = Sandbox(
        token=TOKEN,
        rate_limit=(1000, 1.0),  # a 429 adds Max phantom sends to the limiter: keep Max modest
        fault_rate=rng.uniform(0.0, 0.25),
        lost_response_rate=rng.uniform(0.0, 0.25),
        seed=seed,
    )
    storm = StormTransport(sb.transport(), rng, rng.choice([0.0, 0.1, 0.3]), rng.uniform(0, 0.2))
    lockfile = LockFile(tmp / "hubprops.lock.json")
    defs = tmp / "definitions"
    figures, created = Figures(runs=1), {}
    counts = {t: rng.randint(5, 30) for t in TYPES}
    clock = FakeClock()  # a wait after a 429 passes at once: the storm is ours
    for version in (0, 1):
        wanted = random_definitions(rng, defs, version, counts)
        for _ in range(max_rounds):
            with HubSpotClient(
                SANDBOX_BASE_URL,
                TOKEN,
                transport=storm,
                retry=fast_retry(rng.randrange(1 << 30)),
                limiter=RateLimiter(clock=clock, sleep=clock.sleep),
            ) as client:
                lock = lockfile.load()
                plan = make_plan(client, defs, lock)
                if not needs_apply(plan, lock):  # what `hubprops apply` asks: in-sync items too
                    break
                figures.rounds += 1
                apply_plan(client, plan, lock, save=lockfile.save)
        else:
            figures.problems.append(f"seed {seed}: no empty plan after {max_rounds} rounds")
        figures.add(check(sb, wanted, lockfile, created))
    log = sb.requests
    figures.faults += sum(r.status >= 500 for r in log)
    figures.lost_answers += sum(r.lost for r in log)
    figures.throttled += storm.throttled
    figures.spikes += storm.spikes
    text = "\n".join(p.read_text(errors="replace") for p in tmp.rglob("*") if p.is_file())
    if TOKEN in text:
        figures.problems.append(f"seed {seed}: the token was written to a file")
    return figures


__all__ = ["Figures", "fault_run", "json"]
