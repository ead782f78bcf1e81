"""The in-process front: an ``httpx.MockTransport`` that answers from a sandbox's ``handle``.

``httpx.Client(transport=sandbox.transport(), base_url=SANDBOX_BASE_URL)`` talks to the sandbox
with no socket. A lost response (committed, then dropped) raises
``httpx.RemoteProtocolError("Server disconnected without sending a response.")``, which is what
httpx raises when a real server drops the connection. Thread-safe: the sandbox locks.

It knows only the shape of ``Sandbox.handle`` (a Protocol), not the Sandbox, so it imports
nothing from the sandbox and there is no import cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import httpx

LOST_MESSAGE = "Server disconnected without sending a response."


class Answer(Protocol):
    """What ``Sandbox.handle`` returns (``SandboxResponse``)."""

    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def body(self) -> bytes: ...
    @property
    def lost(self) -> bool: ...


class Handler(Protocol):
    """``Sandbox.handle``'s signature."""

    def __call__(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
        /,
    ) -> Answer: ...


def sandbox_transport(handle: Handler) -> httpx.MockTransport:
    """A transport routing every request to ``handle``, whatever the URL's host."""

    def answer(request: httpx.Request) -> httpx.Response:
        body = request.read()
        query = {key: value for key, value in request.url.params.multi_items()[::-1]}
        result = handle(request.method, request.url.path, query, dict(request.headers), body)
        if result.lost:
            raise httpx.RemoteProtocolError(LOST_MESSAGE, request=request)
        return httpx.Response(
            result.status, headers=result.headers, content=result.body, request=request
        )

    return httpx.MockTransport(answer)
