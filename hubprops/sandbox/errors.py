"""HubSpot-shaped error bodies, and the exception that carries one out of a handler.

HubSpot's top-level error body (API-FACTS section 3 and S7)::

    {"status": "error", "message": "...", "correlationId": "<uuid>",
     "category": "VALIDATION_ERROR", "subCategory": "...",
     "errors": [{"message": "...", "in": "field", "code": "..."}], "context": {...}}

The per-item error of a batch response is a StandardError instead (``batch_item_error``).
Messages are the sandbox's own words: clients must key on status and category, never on text.
"""

from __future__ import annotations

import uuid
from typing import Any

VALIDATION_ERROR = "VALIDATION_ERROR"
OBJECT_NOT_FOUND = "OBJECT_NOT_FOUND"
OBJECT_ALREADY_EXISTS = "OBJECT_ALREADY_EXISTS"
INVALID_AUTHENTICATION = "INVALID_AUTHENTICATION"


def detail(message: str, field: str | None = None, code: str | None = None) -> dict[str, Any]:
    """One ErrorDetail: ``{"message", "in"?, "code"?}``."""
    out: dict[str, Any] = {"message": message}
    if field is not None:
        out["in"] = field
    if code is not None:
        out["code"] = code
    return out


class ApiError(Exception):
    """An error answer: raised inside handlers, turned into a response by the sandbox core."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        category: str = VALIDATION_ERROR,
        sub_category: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        context: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.category = category
        self.sub_category = sub_category
        self.errors = errors or []
        self.context = context

    def body(self, correlation_id: str | None = None) -> dict[str, Any]:
        """The top-level HubSpot error body (a fresh correlation id unless one is given)."""
        out: dict[str, Any] = {
            "status": "error",
            "message": self.message,
            "correlationId": correlation_id or str(uuid.uuid4()),
            "category": self.category,
        }
        if self.sub_category:
            out["subCategory"] = self.sub_category
        if self.errors:
            out["errors"] = self.errors
        if self.context:
            out["context"] = self.context
        return out

    def batch_item(self, name: str) -> dict[str, Any]:
        """This error as one StandardError of a batch response, naming the failed input."""
        out: dict[str, Any] = {
            "status": "error",
            "category": self.category,
            "message": self.message,
            "errors": [],
            "context": {"name": [name]},
            "links": {},
        }
        if self.sub_category:
            out["subCategory"] = self.sub_category
        return out


def invalid(message: str, errors: list[dict[str, Any]] | None = None, **kw: Any) -> ApiError:
    """A 400 VALIDATION_ERROR."""
    return ApiError(400, message, errors=errors, **kw)


def not_found(message: str) -> ApiError:
    """A 404 OBJECT_NOT_FOUND."""
    return ApiError(404, message, category=OBJECT_NOT_FOUND)


def rate_limit_body(policy: str, correlation_id: str | None = None) -> dict[str, Any]:
    """HubSpot's 429 body (API-FACTS section 6) for ``TEN_SECONDLY_ROLLING`` or ``DAILY``."""
    which = "daily" if policy == "DAILY" else "ten_secondly_rolling"
    return {
        "status": "error",
        "message": f"You have reached your {which} limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": correlation_id or str(uuid.uuid4()),
        "policyName": policy,
        "requestId": str(uuid.uuid4()),
    }
