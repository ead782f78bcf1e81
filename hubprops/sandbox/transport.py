"""The in-process front: an ``httpx.BaseTransport`` that answers from a ``Sandbox``.

``httpx.Client(transport=sandbox.transport(), base_url=SANDBOX_BASE_URL)`` talks to the sandbox
with no socket. A lost response (committed, then dropped) raises
``httpx.RemoteProtocolError("Server disconnected without sending a response.")``, which is what
httpx raises when a real server drops the connection. Thread-safe: the sandbox locks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from hubprops.sandbox.core import Sandbox

LOST_MESSAGE = "Server disconnected without sending a response."


class SandboxTransport(httpx.BaseTransport):
    """Route every request to ``sandbox.handle``, whatever the URL's host."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` from the sandbox, or raise as a dropped connection would."""
        body = request.read()
        query = {key: value for key, value in request.url.params.multi_items()[::-1]}
        answer = self.sandbox.handle(
            request.method, request.url.path, query, dict(request.headers), body
        )
        if answer.lost:
            raise httpx.RemoteProtocolError(LOST_MESSAGE, request=request)
        return httpx.Response(
            answer.status, headers=answer.headers, content=answer.body, request=request
        )
