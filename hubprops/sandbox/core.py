"""The sandbox core: one store behind one lock, with auth, rate limits, faults and persistence.

``Sandbox.handle`` is the single entry point of both fronts (in-process transport, HTTP
server). Per request, in this order: latency is slept in the calling thread (outside the lock,
so concurrent clients overlap); then under the lock: bearer check (401), rate limit (429, no
state change), injected 5xx (no state change), the endpoint itself, persistence of any change,
and the lost-response draw for committed mutating requests.
"""

from __future__ import annotations

import copy
import hmac
import json
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hubprops.sandbox.errors import INVALID_AUTHENTICATION, ApiError, rate_limit_body
from hubprops.sandbox.faults import Faults
from hubprops.sandbox.ratelimit import RateLimiter
from hubprops.sandbox.routes import dispatch, is_mutating
from hubprops.sandbox.seed import seed_objects
from hubprops.sandbox.state import load_state, save_state
from hubprops.sandbox.store import Store, resolve_object_type

if TYPE_CHECKING:
    import httpx

AUTH_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you "
    "can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)
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

    ``time`` is the sandbox clock at arrival; ``lost`` marks a committed, unanswered request.
    """

    method: str
    path: str
    query: dict[str, str]
    status: int
    time: float
    lost: bool = False


def _json_response(status: int, payload: Any, headers: dict[str, str]) -> SandboxResponse:
    if payload is None:
        return SandboxResponse(status, headers, b"")
    body = json.dumps(payload).encode("utf-8")
    return SandboxResponse(
        status, {**headers, "Content-Type": "application/json;charset=utf-8"}, body
    )


#: The portal id of a sandbox made without one (and without a state file that names one).
DEFAULT_PORTAL_ID = 12345678


class Sandbox:
    """A HubSpot CRM Properties v3 emulator. See ``hubprops.sandbox`` for the full story."""

    def __init__(
        self,
        *,
        state_file: str | Path | None = None,
        portal_id: int | None = None,
        token: str | None = None,
        rate_limit: tuple[int, float] = (100, 10.0),
        daily_limit: int | None = None,
        latency_ms: float = 0.0,
        fault_rate: float = 0.0,
        lost_response_rate: float = 0.0,
        seed: int = 0,
        max_batch: int = 100,
        seed_data: bool = True,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] | None = None,
        retry_after: bool = False,
        reserve_archived_names: bool = False,
    ) -> None:
        self.state_file = Path(state_file) if state_file is not None else None
        self.latency_ms = latency_ms
        self.max_batch = max_batch
        self._token = token
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._log: list[LoggedRequest] = []
        self.limiter = RateLimiter(
            rate_limit[0], rate_limit[1], daily_limit, clock, retry_after=retry_after
        )
        self.faults = Faults(fault_rate, lost_response_rate, seed)
        saved_portal: int | None = None
        if self.state_file is not None and self.state_file.exists():
            objects, last_ms, saved_portal = load_state(self.state_file)
        else:
            objects, last_ms = (seed_objects() if seed_data else {}), 0
        # A portal keeps its id across restarts: an explicit portal_id wins, else the state
        # file's, else the default. (Plans record the portal id; apply refuses another one.)
        self.portal_id: int = portal_id or saved_portal or DEFAULT_PORTAL_ID
        self.store = Store(
            objects,
            now=now or (lambda: datetime.now(timezone.utc)),
            reserve_archived_names=reserve_archived_names,
            last_stamp_ms=last_ms,
        )

    # -- fronts -----------------------------------------------------------------------------

    def transport(self) -> httpx.BaseTransport:
        """An ``httpx.BaseTransport`` answering from this sandbox, in process."""
        from hubprops.sandbox.transport import sandbox_transport

        return sandbox_transport(self.handle)

    def handle(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> SandboxResponse:
        """Answer one HTTP request (thread-safe)."""
        method = method.upper()
        arrived = self._clock()
        if self.latency_ms > 0:
            self._sleep(self.latency_ms / 1000.0)
        with self._lock:
            response = self._handle_locked(method, path, dict(query), headers, body)
            self._log.append(
                LoggedRequest(method, path, dict(query), response.status, arrived, response.lost)
            )
        return response

    def _authorized(self, headers: Mapping[str, str]) -> bool:
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        scheme, _, given = value.partition(" ")
        given = given.strip()
        if scheme.lower() != "bearer" or not given:
            return False
        return self._token is None or hmac.compare_digest(given, self._token)

    def _handle_locked(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> SandboxResponse:
        cid = str(uuid.uuid4())
        base = {"X-HubSpot-Correlation-Id": cid}
        if not self._authorized(headers):
            error = ApiError(401, AUTH_MESSAGE, category=INVALID_AUTHENTICATION)
            return _json_response(401, error.body(cid), {**base, **self.limiter.headers()})
        policy = self.limiter.admit()
        if policy is not None:
            limits = self.limiter.headers(rejected_by=policy)
            return _json_response(429, rate_limit_body(policy, cid), {**base, **limits})
        base.update(self.limiter.headers())
        fault = self.faults.server_error()
        if fault is not None:
            return self._fault(fault, cid, base)
        mutating = is_mutating(method, path)
        try:
            status, payload = dispatch(
                self.store,
                method,
                path,
                query,
                body,
                portal_id=self.portal_id,
                max_batch=self.max_batch,
            )
        except ApiError as exc:
            return _json_response(exc.status, exc.body(cid), base)
        committed = mutating and status in (200, 201, 204, 207)
        if committed:
            self._persist()
        response = _json_response(status, payload, base)
        if committed and self.faults.lose_response():
            return SandboxResponse(response.status, response.headers, response.body, lost=True)
        return response

    @staticmethod
    def _fault(status: int, cid: str, headers: dict[str, str]) -> SandboxResponse:
        reason = _REASONS[status]
        if status == 503:
            body = {"status": "error", "message": reason, "correlationId": cid}
            return _json_response(status, body, headers)
        html = _GATEWAY_HTML.format(status=status, reason=reason).encode("utf-8")
        return SandboxResponse(status, {**headers, "Content-Type": "text/html"}, html)

    def _persist(self) -> None:
        if self.state_file is not None:
            save_state(
                self.state_file, self.portal_id, self.store.objects, self.store.last_stamp_ms
            )

    # -- request log ------------------------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._log)

    def clear_requests(self) -> None:
        """Forget the request log (not the rate-limit window)."""
        with self._lock:
            self._log.clear()

    # -- direct access for tests and seeding ------------------------------------------------

    def properties(self, object_type: str, archived: bool = False) -> list[dict[str, Any]]:
        """Copies of the active (or archived) properties of every sensitivity, in list order."""
        with self._lock:
            return copy.deepcopy(self.store.list_properties(object_type, archived=archived))

    def groups(self, object_type: str) -> list[dict[str, Any]]:
        """Copies of the active groups, in list order."""
        with self._lock:
            return copy.deepcopy(self.store.list_groups(object_type))

    def put_property(self, object_type: str, prop: Mapping[str, Any]) -> dict[str, Any]:
        """Create or overwrite an active property with no validation (as someone editing it
        in HubSpot's UI would, or to add HubSpot-defined ones). Missing fields keep their old
        value, or get a custom property's server defaults; updatedAt moves unless given."""
        with self._lock:
            new = self.store.put_property(object_type, copy.deepcopy(dict(prop)))
            self._persist()
            return copy.deepcopy(new)

    def delete_property(self, object_type: str, name: str) -> None:
        """Purge a property, active and archived copies (no API does this on HubSpot)."""
        with self._lock:
            obj = self.store.objects[resolve_object_type(object_type)]
            obj["properties"].pop(name, None)
            obj["archived"] = [p for p in obj["archived"] if p["name"] != name]
            self._persist()

    def put_group(self, object_type: str, group: Mapping[str, Any]) -> dict[str, Any]:
        """Create or overwrite a group with no validation (displayOrder -1 when missing)."""
        with self._lock:
            obj = self.store.objects[resolve_object_type(object_type)]
            name = group["name"]
            current = obj["groups"].get(name) or {
                "name": name,
                "label": name,
                "displayOrder": -1,
                "archived": False,
            }
            new = {**current, **copy.deepcopy(dict(group))}
            obj["groups"][name] = new
            self._persist()
            return copy.deepcopy(new)

    def delete_group(self, object_type: str, name: str) -> None:
        """Remove a group outright, even if properties still use it."""
        with self._lock:
            self.store.objects[resolve_object_type(object_type)]["groups"].pop(name, None)
            self._persist()
