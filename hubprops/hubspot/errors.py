"""Translate HubSpot's answers and httpx's failures into hubprops errors, at the edge.

HubSpot error bodies (docs/hubspot-api.md, "Errors") look like ``{"status": "error", "message": ...,
"correlationId": ..., "category": ..., "subCategory": ..., "errors": [{"message", "in", "code",
"context"}], "context": {...}}``; every field is treated as optional. Each message names the
call that failed (method and path, never headers) and says what the user can do about it. The
token never reaches a message: it is not an input here, and any text HubSpot echoes is scrubbed
of the request's bearer token before it is kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from hubprops.errors import (
    AuthenticationError,
    Conflict,
    DailyLimitReached,
    NotFound,
    PermissionDenied,
    RateLimited,
    RemoteError,
    RemoteUnavailable,
    ServerError,
    ValidationFailed,
)

STATUS_PAGE = "https://status.hubspot.com"


def body_of(response: httpx.Response) -> dict[str, Any]:
    """The response's JSON object, or ``{}`` when it is empty, not JSON or not an object."""
    try:
        data = json.loads(response.content or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _scrubber(response: httpx.Response) -> Callable[[str], str]:
    """A function that blanks the request's bearer token out of a text HubSpot sent back."""
    try:
        auth = response.request.headers.get("authorization", "")
    except RuntimeError:  # a response built without a request
        auth = ""
    token = auth.split(" ", 1)[1].strip() if " " in auth else ""

    def scrub(text: str) -> str:
        return text.replace(token, "***") if token and token in text else text

    return scrub


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _details(body: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for item in body.get("errors") or []:
        if not isinstance(item, dict) or not item.get("message"):
            continue
        where = item.get("in")
        out.append(f"{where}: {item['message']}" if where else str(item["message"]))
    return out


def required_scopes(body: dict[str, Any]) -> list[str]:
    """Scopes a 403 body says are needed (``requiredGranularScopes`` / ``requiredScopes``)."""
    found: list[str] = []
    contexts = [body.get("context")] + [
        e.get("context") for e in body.get("errors") or [] if isinstance(e, dict)
    ]
    for ctx in contexts:
        if not isinstance(ctx, dict):
            continue
        for key in ("requiredGranularScopes", "requiredScopes"):
            for scope in ctx.get(key) or []:
                if isinstance(scope, str) and scope not in found:
                    found.append(scope)
    return found


def policy_name(body: dict[str, Any]) -> str:
    """The 429 body's ``policyName`` (``TEN_SECONDLY_ROLLING``, ``SECONDLY``, ``DAILY``)."""
    policy = body.get("policyName")
    if isinstance(policy, str) and policy:
        return policy.upper()
    message = str(body.get("message", "")).lower()
    return "DAILY" if "daily" in message else "TEN_SECONDLY_ROLLING"


def error_from_response(response: httpx.Response, what: str, *, attempts: int = 1) -> RemoteError:
    """The typed error for an error answer to ``what`` (e.g. ``PATCH /crm/v3/...``)."""
    scrub = _scrubber(response)
    body = body_of(response)
    status = response.status_code
    said = scrub(str(body.get("message") or response.reason_phrase or "no message"))
    kw: dict[str, Any] = {
        "status": status,
        "category": _text(body.get("category") or body.get("errorType")),
        "sub_category": _text(body.get("subCategory")),
        "correlation_id": _text(body.get("correlationId")),
        "details": [scrub(d) for d in _details(body)],
    }
    if status == 401:
        return AuthenticationError(
            f"HubSpot rejected the access token (401) on {what}: check HUBSPOT_ACCESS_TOKEN "
            f"(a private app access token; it may be mistyped, expired or revoked). "
            f"HubSpot said: {said}",
            **kw,
        )
    if status == 403:
        scopes = required_scopes(body)
        need = (
            f"the token lacks scope {' or '.join(scopes)}"
            if scopes
            else "the token lacks a scope this call needs"
        )
        return PermissionDenied(
            f"HubSpot refused {what} (403): {need}. Add it to the private app's scopes "
            f"(Settings > Integrations > Private apps) and use the app's token. "
            f"HubSpot said: {said}",
            **kw,
        )
    if status == 404:
        return NotFound(f"HubSpot found nothing at {what} (404): {said}", **kw)
    if status == 400:
        return ValidationFailed(f"HubSpot rejected {what} (400): {said}", **kw)
    if status == 409:
        return Conflict(f"HubSpot refused {what} (409 conflict): {said}", **kw)
    if status == 429:
        policy = policy_name(body)
        if policy == "DAILY":
            return DailyLimitReached(
                f"HubSpot's daily API limit for this portal is used up (429 DAILY) on {what}: "
                "it resets at midnight in the portal's time zone; run again after that "
                "(daily limits are never retried)",
                **kw,
            )
        return RateLimited(
            f"HubSpot kept rate limiting {what} (429 {policy}) after {attempts} attempt(s): "
            "another process may be using this app's limit; wait a minute and run again",
            **kw,
        )
    if status >= 500:
        return ServerError(
            f"HubSpot failed with {status} on {what} after {attempts} attempt(s): {said}. "
            f"HubSpot may be having trouble ({STATUS_PAGE}); run again later",
            **kw,
        )
    return RemoteError(f"HubSpot answered {status} on {what}: {said}", **kw)


def error_from_item(item: dict[str, Any], what: str) -> RemoteError:
    """The typed error for one entry of a 207 batch answer's ``errors[]`` (StandardError)."""
    said = str(item.get("message") or "no message")
    kw: dict[str, Any] = {
        "category": _text(item.get("category")),
        "sub_category": _text(item.get("subCategory")),
        "correlation_id": _text(item.get("correlationId")),
        "details": _details(item),
    }
    if is_already_exists(item):
        return Conflict(f"HubSpot refused an input of {what} (conflict): {said}", status=409, **kw)
    if item.get("category") == "VALIDATION_ERROR":
        return ValidationFailed(f"HubSpot rejected an input of {what}: {said}", status=400, **kw)
    return RemoteError(f"HubSpot rejected an input of {what}: {said}", **kw)


def is_already_exists(item: dict[str, Any]) -> bool:
    """Does a batch error entry (or error body) say "already exists"?

    HubSpot's wording is not documented (docs/hubspot-api.md, "Errors"): category
    ``OBJECT_ALREADY_EXISTS``, subCategory ``...PROPERTY_EXISTS`` / ``...ALREADY_EXISTS`` and
    the message text are all accepted.
    """
    if item.get("category") == "OBJECT_ALREADY_EXISTS":
        return True
    sub = _text(item.get("subCategory")) or ""
    if sub.endswith(("PROPERTY_EXISTS", "ALREADY_EXISTS")):
        return True
    return "already exists" in str(item.get("message", "")).lower()


def network_error(exc: httpx.HTTPError, what: str, base_url: str, attempts: int) -> RemoteError:
    """A timeout or connection failure that survived the retries."""
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
    return RemoteUnavailable(
        f"{what} {kind} after {attempts} attempt(s) ({type(exc).__name__}): could not get an "
        f"answer from {base_url}; check your network and --api-base, then run again"
    )
