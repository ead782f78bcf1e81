"""The GitHub Action end to end: action.yml's steps run against the sandbox, with a fake
GitHub API on loopback and a real git repository whose origin is a bare repository on disk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hubprops.ci.github import marker
from tests.ci.action_runner import ROOT, run_action
from tests.ci.fake_github import FakeGitHub, serve_fake_github

pytestmark = pytest.mark.slow

MARK = marker(None)


def git(cwd: Path, *args: str) -> str:
    ident = ["-c", "user.name=Dev", "-c", "user.email=dev@example.test"]
    done = subprocess.run(
        ["git", *ident, *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with serve_fake_github() as state:
        yield state


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A clone (main branch) of a bare origin, holding the repository's definitions."""
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    subprocess.run(["git", "clone", "-q", str(origin), str(work)], check=True)
    shutil.copytree(ROOT / "definitions", work / "definitions")
    (work / ".gitignore").write_text(".hubprops/\nhubprops-plan.json\n", encoding="utf-8")
    git(work, "checkout", "-q", "-b", "main")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "definitions")
    git(work, "push", "-q", "-u", "origin", "main")
    return work


def pr_event(number: int, head: str) -> dict[str, object]:
    return {"pull_request": {"number": number, "head": {"sha": head}}}


def set_label(repo: Path, old: str, new: str) -> None:
    path = repo / "definitions" / "contacts.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_pr_comment_once_then_updated_then_merge_applies_and_commits_lock(
    fake: FakeGitHub, repo: Path
) -> None:
    sandbox = {"sandbox": "true"}
    first = run_action(
        fake, repo, event_name="pull_request", event=pr_event(7, "aaa1"), sha="m1", inputs=sandbox
    )
    assert not first.failed, first.log
    assert len(fake.comments[7]) == 1
    body = fake.comments[7][0]["body"]
    assert body.startswith(MARK)
    assert "Plan: 40 to create, 0 to update, 0 to archive." in body
    assert "<details>" in body and "CAUTION" not in body
    assert first.outputs["hubprops"]["has-changes"] == "true"
    assert [a["name"] for a in fake.artifacts] == ["hubprops-plan-default-pr7"]

    # a second push to the pull request: the same comment, updated in place
    set_label(repo, "label: What services do you need?", "label: Which services do you need?")
    second = run_action(
        fake, repo, event_name="pull_request", event=pr_event(7, "bbb2"), sha="m2", inputs=sandbox
    )
    assert not second.failed, second.log
    assert len(fake.comments[7]) == 1
    assert "Which services do you need?" in fake.comments[7][0]["body"]
    assert [m for m, _ in fake.writes()] == ["POST", "PATCH"]

    # the merge: a push to main whose commit belongs to PR 7, last pushed at bbb2
    git(repo, "commit", "-q", "-am", "relabel")
    git(repo, "push", "-q")
    merge_sha = git(repo, "rev-parse", "HEAD")
    fake.commit_pulls[merge_sha] = [
        {"number": 7, "merged_at": "2026-12-02T10:00:00Z", "head": {"sha": "bbb2"}}
    ]
    (repo / "hubprops-plan.json").unlink()  # a fresh checkout has no plan: it is downloaded
    merged = run_action(fake, repo, event_name="push", event={}, sha=merge_sha, inputs=sandbox)
    assert not merged.failed, merged.log
    assert "Apply complete" in merged.log
    lock = json.loads((repo / "hubprops.lock.json").read_text(encoding="utf-8"))
    contacts = next(iter(lock["portals"].values()))["objects"]["contacts"]
    assert "what_service_do_you_need_" in contacts["properties"]
    # the lock was committed and pushed to origin
    assert git(repo, "status", "--porcelain") == ""
    pushed = git(repo.parent / "origin.git", "log", "-1", "--format=%s", "main")
    assert pushed.startswith("hubprops: lock after applying the plan of #7")
    assert "[skip ci]" in pushed
    assert merged.outputs["hubprops"]["lock-committed"] == "true"
    assert len(fake.comments[7]) == 1
    assert "applied on merge" in fake.comments[7][0]["body"]

    # re-running the merge job (CI re-runs are common) is not an error
    (repo / "hubprops-plan.json").unlink()
    again = run_action(fake, repo, event_name="push", event={}, sha=merge_sha, inputs=sandbox)
    assert not again.failed, again.log
    assert "This plan is already applied." in again.log
    assert again.outputs["hubprops"]["lock-committed"] == "false"


def test_destructive_change_is_at_the_top_of_the_comment(fake: FakeGitHub, repo: Path) -> None:
    sandbox = {"sandbox": "true"}
    setup = run_action(
        fake, repo, event_name="pull_request", event=pr_event(1, "s1"), sha="s1", inputs=sandbox
    )
    assert not setup.failed, setup.log
    subprocess.run(
        [sys.executable, "-m", "hubprops", "apply", "--sandbox", "hubprops-plan.json"],
        cwd=repo,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    path = repo / "definitions" / "contacts.yaml"
    text = path.read_text(encoding="utf-8")
    laundry = next(line for line in text.splitlines(True) if "Laundry Trailer" in line)
    assert laundry in text
    path.write_text(text.replace(laundry, "", 1), encoding="utf-8")

    blocked = run_action(
        fake, repo, event_name="pull_request", event=pr_event(8, "d1"), sha="d1", inputs=sandbox
    )
    assert blocked.codes["hubprops"] == 1  # blocked plans fail the check
    body = fake.comments[8][0]["body"]
    head = body.split("<details>")[0]
    assert "blocked by destructive changes" in head
    assert "Laundry Trailer" in head
    assert "hubprops-plan-default-pr8" not in [a["name"] for a in fake.artifacts]

    allowed = run_action(
        fake,
        repo,
        event_name="pull_request",
        event=pr_event(8, "d2"),
        sha="d2",
        inputs={**sandbox, "allow-destructive": "true"},
    )
    assert not allowed.failed, allowed.log
    assert len(fake.comments[8]) == 1
    body = fake.comments[8][0]["body"]
    assert body.splitlines()[1] == "> [!CAUTION]"
    assert body.index("what_service_do_you_need_") < body.index("| Object type |")
    assert allowed.outputs["hubprops"]["destructive"] == "true"


def test_drift_opens_one_issue_then_closes_it(fake: FakeGitHub, repo: Path) -> None:
    import httpx

    from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox

    subprocess.run(
        [sys.executable, "-m", "hubprops", "apply", "--sandbox", "--auto-approve"],
        cwd=repo,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )

    def relabel(label: str) -> None:
        sandbox = Sandbox(state_file=str(repo / ".hubprops" / "sandbox.json"))
        with httpx.Client(base_url=SANDBOX_BASE_URL, transport=sandbox.transport()) as http:
            done = http.patch(
                "/crm/v3/properties/contacts/your_message",
                json={"label": label},
                headers={"Authorization": "Bearer sandbox-token"},
            )
            assert done.status_code == 200, done.text

    relabel("Changed by hand")
    inputs = {"sandbox": "true", "command": "drift"}
    for _ in range(2):
        drifted = run_action(fake, repo, event_name="schedule", event={}, sha="n1", inputs=inputs)
        assert not drifted.failed, drifted.log
        assert drifted.outputs["hubprops"]["drift"] == "true"
    assert len(fake.issues) == 1 and fake.issues[0]["state"] == "open"
    assert "your_message" in fake.issues[0]["body"]
    relabel("Your message")
    calm = run_action(fake, repo, event_name="schedule", event={}, sha="n2", inputs=inputs)
    assert not calm.failed, calm.log
    assert calm.outputs["hubprops"]["drift"] == "false"
    assert fake.issues[0]["state"] == "closed"
