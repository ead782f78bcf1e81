"""Two ``hubprops apply`` processes started together on one lock file, against one sandbox
process over loopback: one takes the apply guard, the other refuses cleanly (exit 1, naming
the running apply) or, if it came second, finds nothing left to do. Either way HubSpot ends
equal to the definitions, nothing is duplicated, the lock is valid, a re-plan is empty, and
the token is in no output or file. A CLI apply racing a ``hubprops serve`` sync likewise."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.benchmarks.harness import HUBPROPS, TOKEN, SandboxProcess, child_env
from tests.helpers.apply import lock_errors, many, write_definitions

pytestmark = pytest.mark.slow
TYPES = ("contacts", "leads")
GROUP = {"name": "ops", "label": "Ops"}


def write_all(folder: Path, version: int) -> None:
    for t in TYPES:
        write_definitions(folder, t, many(f"cc_{t[0]}", 40, "ops", f" v{version}"), [GROUP])


def test_two_applies_on_one_lock(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    rounds = 5 if request.config.getoption("--long") else 1
    refused = 0
    outputs: list[str] = []
    # 100 ms per request: an apply lasts seconds, longer than the other's start-up under load
    with SandboxProcess("--latency", "100", "--rate-limit", "1000/10") as sb:
        env = child_env(sb.url)
        for version in range(rounds):
            write_all(tmp_path / "definitions", version)
            procs = [
                subprocess.Popen(
                    [*HUBPROPS, "apply", "--auto-approve"],
                    cwd=tmp_path,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(2)
            ]
            for proc in procs:
                out, err = proc.communicate(timeout=300)
                outputs += [out, err]
                assert "Traceback" not in out + err
                if proc.returncode == 1:
                    assert "another apply is running" in err, err
                    refused += 1
                else:
                    assert proc.returncode == 0, out + err
            again = subprocess.run(
                [*HUBPROPS, "apply", "--auto-approve"],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            outputs += [again.stdout, again.stderr]
            assert again.returncode == 0, again.stderr
            plan = subprocess.run(
                [*HUBPROPS, "plan", "--format", "json"],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert json.loads(plan.stdout)["changes"] == []
            lock = json.loads((tmp_path / "hubprops.lock.json").read_text())
            assert lock_errors(lock) == []
            state = sb.ask("state", types=list(TYPES))
            for t in TYPES:
                mine = [p for p in state[t]["properties"] if p["name"].startswith("cc_")]
                assert len(mine) == len({p["name"] for p in mine}) == 40
                assert all(p["label"].endswith(f" v{version}") for p in mine)
                assert state[t]["archived"] == []
    assert refused >= 1, "the two applies never overlapped"
    files = "\n".join(p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())
    assert TOKEN not in files
    assert not any(TOKEN in o for o in outputs)


def test_cli_apply_racing_a_serve_sync(tmp_path: Path) -> None:
    """``hubprops serve`` syncing (POST /sync/all) while ``hubprops apply`` runs on the same
    lock: one of them refuses (409 or exit 1), nothing is lost or doubled, the token is in no
    output or file (the audit database included)."""
    import httpx

    from tests.server.helpers import BASE, SECRET, auth, free_port

    write_all(tmp_path / "definitions", 0)
    with SandboxProcess("--latency", "30", "--rate-limit", "1000/10") as sb:
        env = {**child_env(sb.url), "HUBPROPS_JWT_SECRET": SECRET}
        port = free_port()
        server = subprocess.Popen(
            [*HUBPROPS, "serve", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        outputs: list[str] = []
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            cli = subprocess.Popen(
                [*HUBPROPS, "apply", "--auto-approve"],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            answer = httpx.post(f"{url}{BASE}/all", headers=auth(), timeout=300)
            out, err = cli.communicate(timeout=300)
            outputs += [out, err, answer.text]
            assert answer.status_code in (200, 409), answer.text
            assert cli.returncode in (0, 1), out + err
            if cli.returncode == 1:
                assert "another apply is running" in err, err
            assert "Traceback" not in out + err
            final = subprocess.run(
                [*HUBPROPS, "apply", "--auto-approve"],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            outputs += [final.stdout, final.stderr]
            assert final.returncode == 0, final.stderr
        finally:
            server.terminate()
            sout, serr = server.communicate(timeout=30)
            outputs += [sout, serr]
        state = sb.ask("state", types=list(TYPES))
        for t in TYPES:
            mine = [p for p in state[t]["properties"] if p["name"].startswith("cc_")]
            assert len(mine) == len({p["name"] for p in mine}) == 40
            assert state[t]["archived"] == []
    assert lock_errors(json.loads((tmp_path / "hubprops.lock.json").read_text())) == []
    files = b"\n".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert TOKEN.encode() not in files
    assert not any(TOKEN in o for o in outputs)
