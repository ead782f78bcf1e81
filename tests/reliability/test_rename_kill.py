"""SIGKILL during a rename's copy (hubprops/apply/rename.py): ``hubprops apply`` runs as a real
process against a sandbox served on loopback, and is killed at 5 random points of the copy
(after a random number of records' batch updates, plus a random delay). The next apply finishes it:
every value is on the new property, the old one is archived, no record was updated twice
(the sandbox's own record of batch update bodies), and the next plan is empty."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from hubprops.lock.file import load_lock
from hubprops.sandbox.http import serve
from tests.apply.test_rename import RecordingSandbox, make_plan, values

pytestmark = pytest.mark.slow

HUBPROPS = [sys.executable, "-c", "from hubprops.cli import run; run()"]
KILLS = 5


class KillingSandbox(RecordingSandbox):
    """Sets ``reached`` once ``target`` records' batch updates have been answered."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.target = 10**9
        self.reached = threading.Event()

    def handle(self, *args: Any, **kw: Any) -> Any:
        answer = super().handle(*args, **kw)
        if len(self.updated) >= self.target:
            self.reached.set()
        return answer


def test_kills_mid_copy_lose_nothing_and_write_nothing_twice(tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("HUBPROPS_KILL_SEED", "14")))
    sb = KillingSandbox(
        portal_id=606, rate_limit=(100_000, 10.0), search_rate_limit=(1000, 1.0), latency_ms=5
    )
    from tests.plan.test_impact import trip_property

    sb.put_property("contacts", trip_property(name="old_trip"))
    sb.seed_records(1900, ["contacts"])
    before = values(sb, "old_trip")
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "contacts.yaml").write_text(
        "objectType: contacts\nrenames:\n  - from: old_trip\n    to: trip_kind\n"
    )
    env = {
        **os.environ,
        "HUBSPOT_ACCESS_TOKEN": "pat-na1-kill-test",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    with serve(sb) as running:
        args = [
            *HUBPROPS,
            "apply",
            "--auto-approve",
            "--allow-destructive",
            "--api-base",
            running.url,
        ]
        killed = 0
        for _ in range(KILLS):
            # A random point: 1 to 150 more records' updates, then up to 30 ms more. (The first
            # second of a run is a burst of 5 search pages: a later point would let it finish.)
            sb.target, sb.reached = len(sb.updated) + rng.randint(1, 150), threading.Event()
            proc = subprocess.Popen(
                args, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            reached = sb.reached.wait(60)
            time.sleep(rng.uniform(0.0, 0.03))
            proc.send_signal(signal.SIGKILL)
            _, err = proc.communicate(timeout=10)
            assert reached, err.decode()
            killed += proc.returncode == -signal.SIGKILL
        assert killed == KILLS
        lock = load_lock(tmp_path / "hubprops.lock.json")
        migration = (lock.portals["606"].objects["contacts"].migrations or {}).get("trip_kind")
        assert migration is not None and 0 < migration.copied < len(before)
        done = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode()
    assert values(sb, "trip_kind") == before
    assert "old_trip" not in sb.store.objects[sb.store.resolve("contacts")]["properties"]
    assert max(Counter(sb.updated).values()) == 1
    assert len(sb.updated) == len(before)
    final = load_lock(tmp_path / "hubprops.lock.json")
    assert not make_plan(sb, final).has_changes
