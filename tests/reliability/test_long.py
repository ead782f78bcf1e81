"""The reliability suite's fault and kill runs, short form by default (CI), long form with
``pytest --long -m slow tests/reliability -s``: at least 200 seeded fault runs (5xx, lost
answers, 429 storms, latency spikes) and 50 SIGKILLs of real applies. Every run ends with
HubSpot equal to the definitions, nothing lost, nothing duplicated or re-created, a valid lock
that records what HubSpot holds, an empty re-plan, and the token in no file or output. The
figures are printed; lost and duplicated must be 0."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from tests.reliability.faultrun import Figures, fault_run
from tests.reliability.killrun import kill_run

LONG_FAULT_RUNS, SHORT_FAULT_RUNS = 200, 3
LONG_KILL_RUNS, SHORT_KILL_RUNS, KILLS_PER_RUN = 10, 1, 5


def _long(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--long"))


def _report(capsys: pytest.CaptureFixture[str], title: str, figures: Figures) -> None:
    with capsys.disabled():
        print(f"\n{title}: {figures.line()}")
    assert figures.problems == [], figures.problems[:10]
    assert figures.lost == 0
    assert figures.duplicated == 0


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_fault_runs(
    tmp_path: Path, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = LONG_FAULT_RUNS if _long(request) else SHORT_FAULT_RUNS
    total = Figures()
    for seed in range(runs):
        folder = tmp_path / f"run{seed}"
        folder.mkdir()
        total.add(fault_run(seed, folder))
    _report(capsys, "fault runs", total)
    assert total.runs == runs
    assert total.faults and total.lost_answers and total.throttled and total.spikes


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_kill_runs(
    tmp_path: Path, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = LONG_KILL_RUNS if _long(request) else SHORT_KILL_RUNS
    kills = KILLS_PER_RUN if _long(request) else 2
    total = Figures()
    for seed in range(runs):
        folder = tmp_path / f"run{seed}"
        folder.mkdir()
        total.add(kill_run(seed, folder, kills))
    _report(capsys, "kill runs", total)
    assert total.kills == runs * kills, f"every apply was SIGKILLed ({signal.SIGKILL})"
