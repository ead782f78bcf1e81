"""A fake GitHub REST API served on 127.0.0.1 (a threaded http.server): just the endpoints the
hubprops action uses, kept in memory, every request recorded."""

from __future__ import annotations

import io
import json
import re
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "ghs-fake-token"
REPO = "acme/crm"


@dataclass
class FakeGitHub:
    """State of the fake: comments by PR, issues, artifacts, commit -> pull requests."""

    url: str = ""
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    issues: list[dict[str, Any]] = field(default_factory=list)
    artifacts: list[dict[str, Any]] = field(default_factory=list)
    blobs: dict[int, bytes] = field(default_factory=dict)
    commit_pulls: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    _next_id: int = 100

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def add_artifact(self, name: str, head_sha: str, files: dict[str, bytes]) -> None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as archive:
            for fname, content in files.items():
                archive.writestr(fname, content)
        art_id = self.new_id()
        self.blobs[art_id] = buf.getvalue()
        self.artifacts.append(
            {
                "id": art_id,
                "name": name,
                "expired": False,
                "created_at": f"2026-12-02T00:00:{art_id % 60:02d}Z",
                "workflow_run": {"head_sha": head_sha},
            }
        )

    def writes(self) -> list[tuple[str, str]]:
        return [r for r in self.requests if r[0] != "GET"]


def _handler(state: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    prefix = f"/repos/{REPO}"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, status: int, body: Any, raw: bytes | None = None) -> None:
            data = raw if raw is not None else json.dumps(body).encode()
            self.send_response(status)
            ctype = "application/zip" if raw is not None else "application/json"
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"{}")

        def _page(self, items: list[Any], query: dict[str, list[str]]) -> list[Any]:
            per = int(query.get("per_page", ["30"])[0])
            page = int(query.get("page", ["1"])[0])
            return items[(page - 1) * per : page * per]

        def _route(self, method: str) -> None:
            parts = urlsplit(self.path)
            path, query = parts.path, parse_qs(parts.query)
            state.requests.append((method, path))
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._send(401, {"message": "Bad credentials"})
            if not path.startswith(prefix):
                return self._send(404, {"message": "Not Found"})
            rest = path[len(prefix) :]
            if m := re.fullmatch(r"/issues/(\d+)/comments", rest):
                number = int(m.group(1))
                thread = state.comments.setdefault(number, [])
                if method == "GET":
                    return self._send(200, self._page(thread, query))
                comment = {"id": state.new_id(), "body": self._body()["body"]}
                comment["html_url"] = f"https://github.test/{REPO}/pull/{number}#c{comment['id']}"
                thread.append(comment)
                return self._send(201, comment)
            if (m := re.fullmatch(r"/issues/comments/(\d+)", rest)) and method == "PATCH":
                for thread in state.comments.values():
                    for comment in thread:
                        if comment["id"] == int(m.group(1)):
                            comment["body"] = self._body()["body"]
                            return self._send(200, comment)
                return self._send(404, {"message": "Not Found"})
            if m := re.fullmatch(r"/commits/(\w+)/pulls", rest):
                return self._send(200, self._page(state.commit_pulls.get(m.group(1), []), query))
            if rest == "/actions/artifacts":
                name = query.get("name", [None])[0]
                found = [a for a in state.artifacts if name in (None, a["name"])]
                page = self._page(found, query)
                return self._send(200, {"total_count": len(found), "artifacts": page})
            if m := re.fullmatch(r"/actions/artifacts/(\d+)/zip", rest):
                return self._send(200, None, raw=state.blobs[int(m.group(1))])
            if rest == "/issues":
                if method == "GET":
                    wanted = query.get("state", ["open"])[0]
                    items = [i for i in state.issues if i["state"] == wanted]
                    return self._send(200, self._page(items, query))
                body = self._body()
                issue = {"number": state.new_id(), "state": "open", **body}
                issue["html_url"] = f"https://github.test/{REPO}/issues/{issue['number']}"
                state.issues.append(issue)
                state.comments[issue["number"]] = []
                return self._send(201, issue)
            if (m := re.fullmatch(r"/issues/(\d+)", rest)) and method == "PATCH":
                for issue in state.issues:
                    if issue["number"] == int(m.group(1)):
                        issue.update(self._body())
                        return self._send(200, issue)
            return self._send(404, {"message": "Not Found"})

        def do_GET(self) -> None:
            self._route("GET")

        def do_POST(self) -> None:
            self._route("POST")

        def do_PATCH(self) -> None:
            self._route("PATCH")

    return Handler


@contextmanager
def serve_fake_github() -> Iterator[FakeGitHub]:
    """Serve a fresh fake on 127.0.0.1 (a free port) for the duration of the block."""
    state = FakeGitHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
