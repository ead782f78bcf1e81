"""The sandbox's answers: ``SandboxResponse``, JSON answers and injected gateway faults."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

_GATEWAY_HTML = "<html><body><h1>{status} {reason}</h1></body></html>"
_REASONS = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


@dataclass(frozen=True)
class SandboxResponse:
    """One answer. ``lost`` means: the request was committed, but the client must see a
    dropped connection instead of this response."""

    status: int
    headers: dict[str, str]
    body: bytes
    lost: bool = False


@dataclass(frozen=True)
class LoggedRequest:
    """One request the sandbox received (401, 429 and injected faults included).

    ``time`` is the sandbox clock at arrival; ``lost`` marks a committed, unanswered request;
    ``api_version`` is the version the path names (``v3``, ``2026-03``, ...; None for others).
    """

    method: str
    path: str
    query: dict[str, str]
    status: int
    time: float
    lost: bool = False
    api_version: str | None = None


def json_response(status: int, payload: Any, headers: dict[str, str]) -> SandboxResponse:
    """A JSON answer (no body for None)."""
    if payload is None:
        return SandboxResponse(status, headers, b"")
    body = json.dumps(payload).encode("utf-8")
    return SandboxResponse(
        status, {**headers, "Content-Type": "application/json;charset=utf-8"}, body
    )


def gateway_fault(status: int, cid: str, headers: dict[str, str]) -> SandboxResponse:
    """An injected 502/504 (HTML body, as gateways send) or 503 (JSON)."""
    reason = _REASONS[status]
    if status == 503:
        body = {"status": "error", "message": reason, "correlationId": cid}
        return json_response(status, body, headers)
    html = _GATEWAY_HTML.format(status=status, reason=reason).encode("utf-8")
    return SandboxResponse(status, {**headers, "Content-Type": "text/html"}, html)
