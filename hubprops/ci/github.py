"""A small GitHub REST client for the action: comments, pull requests, artifacts, issues.

Only what the action needs, with httpx (its transport injectable for tests). The base URL is
``GITHUB_API_URL`` (GitHub Enterprise and the tests' fake on loopback use it); the token is sent
as ``Authorization: Bearer`` and never appears in an error message.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import httpx

from hubprops.errors import HubpropsError

DEFAULT_API_URL = "https://api.github.com"
_PAGE = 100
_MAX_PAGES = 30


class GitHubError(HubpropsError):
    """GitHub answered with an error, or could not be reached."""


def marker(environment: str | None) -> str:
    """The hidden HTML comment that identifies the action's comment (one per environment)."""
    return f"<!-- hubprops-plan:{environment or 'default'} -->"


class GitHub:
    """``GitHub(api_url, token, repository)``: ``repository`` is ``owner/name``."""

    def __init__(
        self,
        api_url: str,
        token: str,
        repository: str,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.repository = repository
        self._http = httpx.Client(
            base_url=api_url.rstrip("/"),
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "hubprops-action",
            },
            timeout=30.0,
            transport=transport,
            follow_redirects=True,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GitHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kw)
        except httpx.HTTPError as exc:
            raise GitHubError(f"GitHub API {method} {path}: {type(exc).__name__}") from exc
        if response.status_code >= 400:
            try:
                detail = response.json().get("message", "")
            except ValueError:
                detail = response.text[:200]
            hint = ""
            if response.status_code in (401, 403, 404):
                hint = (
                    " (does the workflow grant `permissions: pull-requests: write, "
                    "issues: write, actions: read, contents: write`?)"
                )
            raise GitHubError(f"GitHub API {method} {path}: {response.status_code} {detail}{hint}")
        return response

    def _pages(self, path: str, **params: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for page in range(1, _MAX_PAGES + 1):
            got = self._request("GET", path, params={**params, "per_page": _PAGE, "page": page})
            batch = got.json()
            if isinstance(batch, dict):  # artifacts and workflow runs wrap their lists
                batch = next((v for v in batch.values() if isinstance(v, list)), [])
            items += batch
            if len(batch) < _PAGE:
                break
        return items

    # -- comments ---------------------------------------------------------------------------

    def find_comment(self, number: int, mark: str) -> dict[str, Any] | None:
        """The first comment of issue/PR ``number`` whose body contains ``mark``."""
        for comment in self._pages(f"/repos/{self.repository}/issues/{number}/comments"):
            if mark in (comment.get("body") or ""):
                return comment
        return None

    def upsert_comment(self, number: int, mark: str, body: str) -> dict[str, Any]:
        """Update the marked comment in place, or create it: one comment per PR and marker."""
        if mark not in body:
            body = f"{mark}\n{body}"
        found = self.find_comment(number, mark)
        if found is not None:
            path = f"/repos/{self.repository}/issues/comments/{found['id']}"
            result: dict[str, Any] = self._request("PATCH", path, json={"body": body}).json()
            return result
        path = f"/repos/{self.repository}/issues/{number}/comments"
        created: dict[str, Any] = self._request("POST", path, json={"body": body}).json()
        return created

    # -- pull requests and artifacts --------------------------------------------------------

    def pulls_for_commit(self, sha: str) -> list[dict[str, Any]]:
        """Pull requests associated with a commit (a merge commit finds the PR it merged)."""
        return self._pages(f"/repos/{self.repository}/commits/{sha}/pulls")

    def find_artifact(self, name: str, head_sha: str | None = None) -> dict[str, Any] | None:
        """The newest unexpired artifact called ``name`` (made for ``head_sha`` when given)."""
        found = [
            a
            for a in self._pages(f"/repos/{self.repository}/actions/artifacts", name=name)
            if a.get("name") == name and not a.get("expired")
        ]
        if head_sha is not None:
            found = [a for a in found if (a.get("workflow_run") or {}).get("head_sha") == head_sha]
        found.sort(key=lambda a: (a.get("created_at") or "", a.get("id") or 0), reverse=True)
        return found[0] if found else None

    def download_artifact(self, artifact_id: int) -> dict[str, bytes]:
        """The files of an artifact (GitHub serves it as a zip): name -> content."""
        path = f"/repos/{self.repository}/actions/artifacts/{artifact_id}/zip"
        data = self._request("GET", path).content
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return {n: archive.read(n) for n in archive.namelist() if not n.endswith("/")}
        except zipfile.BadZipFile as exc:
            raise GitHubError(f"artifact {artifact_id} is not a zip archive") from exc

    # -- issues -----------------------------------------------------------------------------

    def find_issue(self, mark: str) -> dict[str, Any] | None:
        """The first open issue (not pull request) whose body contains ``mark``."""
        for issue in self._pages(f"/repos/{self.repository}/issues", state="open"):
            if "pull_request" not in issue and mark in (issue.get("body") or ""):
                return issue
        return None

    def upsert_issue(self, mark: str, title: str, body: str) -> dict[str, Any]:
        """Update the open marked issue, or open one."""
        if mark not in body:
            body = f"{mark}\n{body}"
        found = self.find_issue(mark)
        if found is not None:
            path = f"/repos/{self.repository}/issues/{found['number']}"
            result: dict[str, Any] = self._request(
                "PATCH", path, json={"title": title, "body": body}
            ).json()
            return result
        path = f"/repos/{self.repository}/issues"
        created: dict[str, Any] = self._request(
            "POST", path, json={"title": title, "body": body}
        ).json()
        return created

    def close_issue(self, mark: str, comment: str) -> dict[str, Any] | None:
        """Comment on and close the open marked issue, if there is one."""
        found = self.find_issue(mark)
        if found is None:
            return None
        number = found["number"]
        self._request(
            "POST", f"/repos/{self.repository}/issues/{number}/comments", json={"body": comment}
        )
        closed: dict[str, Any] = self._request(
            "PATCH", f"/repos/{self.repository}/issues/{number}", json={"state": "closed"}
        ).json()
        return closed
