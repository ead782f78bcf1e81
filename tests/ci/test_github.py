"""hubprops/ci/github.py against the fake GitHub API on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hubprops.ci.github import GitHub, GitHubError, marker
from tests.ci.fake_github import REPO, TOKEN, FakeGitHub, serve_fake_github


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with serve_fake_github() as state:
        yield state


def test_upsert_comment_finds_the_marker_across_pages(fake: FakeGitHub) -> None:
    fake.comments[3] = [{"id": 10_000 + i, "body": f"chatter {i}"} for i in range(150)]
    with GitHub(fake.url, TOKEN, REPO) as gh:
        gh.upsert_comment(3, marker("prod"), "first")
        gh.upsert_comment(3, marker("staging"), "other environment")
        gh.upsert_comment(3, marker("prod"), "second")
    mine = [c for c in fake.comments[3] if marker("prod") in c["body"]]
    assert len(mine) == 1
    assert mine[0]["body"] == f"{marker('prod')}\nsecond"
    assert len(fake.comments[3]) == 152
    assert ("GET", f"/repos/{REPO}/issues/3/comments") in fake.requests


def test_bad_token_is_a_clear_error_without_the_token(fake: FakeGitHub) -> None:
    with GitHub(fake.url, "secret-wrong", REPO) as gh, pytest.raises(GitHubError) as caught:
        gh.upsert_comment(1, marker(None), "x")
    assert "401 Bad credentials" in str(caught.value)
    assert "permissions" in str(caught.value)
    assert "secret-wrong" not in str(caught.value)


def test_drift_issue_is_opened_once_updated_then_closed(fake: FakeGitHub) -> None:
    mark = marker("drift-prod")
    with GitHub(fake.url, TOKEN, REPO) as gh:
        gh.upsert_issue(mark, "drift", "one")
        gh.upsert_issue(mark, "drift", "two")
        assert len(fake.issues) == 1 and fake.issues[0]["body"].endswith("two")
        gh.close_issue(mark, "gone")
        assert fake.issues[0]["state"] == "closed"
        assert gh.close_issue(mark, "gone") is None


def test_find_artifact_picks_the_head_commit_and_unzips(fake: FakeGitHub) -> None:
    fake.add_artifact("plan-pr1", "old", {"hubprops-plan.json": b"old"})
    fake.add_artifact("plan-pr1", "new", {"hubprops-plan.json": b"new"})
    fake.add_artifact("plan-pr2", "new", {"hubprops-plan.json": b"other"})
    with GitHub(fake.url, TOKEN, REPO) as gh:
        found = gh.find_artifact("plan-pr1", "new")
        assert found is not None
        assert gh.download_artifact(found["id"]) == {"hubprops-plan.json": b"new"}
        assert gh.find_artifact("plan-pr1", "missing") is None
