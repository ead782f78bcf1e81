"""Every error the service answers with has the original system's shape::

    {"success": false, "error": "...", "details": {...}, "status_code": N}

with the HTTP status equal to ``status_code``: ours (``ApiError``), FastAPI's request
validation (400, not its default 422 body), Starlette's 404/405, auth failures (401/403), and,
as a last line of defence, anything unexpected (500, no traceback, no token).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from hubprops.server.auth import AuthFailure, Forbidden

log = logging.getLogger("hubprops.server")


class ApiError(Exception):
    """An error answer in the documented shape."""

    def __init__(self, status_code: int, error: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(error)
        self.status_code = status_code
        self.error = error
        self.details = details or {}


def error_body(
    status_code: int, error: str, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {"success": False, "error": error, "details": details or {}, "status_code": status_code}


def error_response(
    status_code: int,
    error: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(status_code, error, details), status_code, headers=headers)


_HTTP_ERRORS = {
    404: "Not found",
    405: "Method not allowed",
    413: "Request body too large",
}


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the documented shape."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> JSONResponse:
        headers = None
        if exc.status_code == 429 and "retry_after" in exc.details:
            headers = {"Retry-After": str(exc.details["retry_after"])}
        return error_response(exc.status_code, exc.error, exc.details, headers)

    @app.exception_handler(AuthFailure)
    async def _unauthorized(request: Request, exc: AuthFailure) -> JSONResponse:
        return error_response(
            401, "Not authenticated", {"reason": str(exc)}, {"WWW-Authenticate": "Bearer"}
        )

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> JSONResponse:
        return error_response(403, "Not allowed", {"reason": str(exc)})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
            for e in exc.errors()
        ]
        return error_response(
            400, "Invalid request", {"property_name": None, "validation_errors": problems}
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        error = _HTTP_ERRORS.get(exc.status_code, str(exc.detail))
        details = {"path": request.url.path} if exc.status_code == 404 else {}
        return error_response(exc.status_code, error, details, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error: %s", type(exc).__name__)
        return error_response(500, "Internal server error", {"type": type(exc).__name__})
