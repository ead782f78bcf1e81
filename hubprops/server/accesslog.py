"""Pure ASGI middleware: a request id on every answer, a structured JSON access log line
(method, path without the query, status, duration, the caller's ``sub``), and a refusal of
bodies above the size limit (413 in the documented error shape)."""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hubprops.server.errors import error_response

log = logging.getLogger("hubprops.server.access")
REQUEST_ID = "x-request-id"


class AccessLog:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        given = headers.get(REQUEST_ID, "")
        request_id = given if given.isprintable() and 0 < len(given) <= 128 else uuid.uuid4().hex
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        start = time.monotonic()
        status = {"code": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode("latin-1")),
                ]
            await send(message)

        length = headers.get("content-length", "0")
        too_big = not length.isdigit() or int(length) > self.max_body_bytes
        try:
            if too_big:
                detail = {"max_bytes": self.max_body_bytes}
                response = error_response(413, "Request body too large", detail)
                await response(scope, receive, send_with_id)
            else:
                await self.app(scope, receive, send_with_id)
        finally:
            line = {
                "event": "access",
                "request_id": request_id,
                "method": scope.get("method"),
                "path": scope.get("path"),
                "status": status["code"],
                "duration_ms": round((time.monotonic() - start) * 1000, 1),
                "sub": state.get("sub"),
            }
            log.info(json.dumps(line, sort_keys=True))
