"""The sandbox core: one store behind one lock, with auth, rate limits, faults and persistence.

``Sandbox.handle`` is the single entry point of both fronts (in-process transport, HTTP
server). Per request, in this order: latency is slept in the calling thread (outside the lock,
so concurrent clients overlap); then under the lock: bearer check (401), rate limit (429, no
state change), injected 5xx (no state change), the endpoint itself, persistence of any change,
and the lost-response draw for committed mutating requests.
"""

from __future__ import annotations

import hmac
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from hubprops.sandbox.direct import DirectAccess
from hubprops.sandbox.errors import INVALID_AUTHENTICATION, ApiError, rate_limit_body
from hubprops.sandbox.faults import Faults
from hubprops.sandbox.objecttypes import ObjectTypes
from hubprops.sandbox.ratelimit import RateLimiter
from hubprops.sandbox.records import RecordStore
from hubprops.sandbox.responses import (
    LoggedRequest,
    SandboxResponse,
    gateway_fault,
    json_response,
)
from hubprops.sandbox.routes import Context, dispatch, is_mutating
from hubprops.sandbox.scopes import granted, missing_scopes_body, required, token_key
from hubprops.sandbox.seed import seed_objects
from hubprops.sandbox.state import LoadedState, load_state, save_state
from hubprops.sandbox.store import CUSTOM_PROPERTY_LIMIT, Store
from hubprops.sandbox.tiers import TIERS
from hubprops.sandbox.versions import version_of

if TYPE_CHECKING:
    import httpx

AUTH_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you "
    "can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)
#: The portal id of a sandbox made without one (and without a state file that names one).
DEFAULT_PORTAL_ID = 12345678


SEARCH_LIMIT_MESSAGE = "You have reached your secondly limit."


class Sandbox(DirectAccess):
    """A HubSpot CRM emulator. See ``hubprops.sandbox`` for the full story."""

    def __init__(
        self,
        *,
        state_file: str | Path | None = None,
        portal_id: int | None = None,
        token: str | None = None,
        rate_limit: tuple[int, float] | None = None,
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
        tier: str | None = None,
        custom_property_limit: int | None = None,
        keep_display_order_minus_one: bool = False,
        custom_objects: Iterable[str] = (),
        scopes: Iterable[str] | None = None,
        token_scopes: Mapping[str, Iterable[str]] | None = None,
        records: int = 0,
        search_rate_limit: tuple[int, float] = (5, 1.0),
    ) -> None:
        self.state_file = Path(state_file) if state_file is not None else None
        self.latency_ms = latency_ms
        self.max_batch = max_batch
        self._token = token
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._log: list[LoggedRequest] = []
        plan = TIERS[tier] if tier is not None else None
        if rate_limit is None:
            rate_limit = (plan.per_ten_seconds, 10.0) if plan else (100, 10.0)
        if daily_limit is None and plan is not None:
            daily_limit = plan.daily
        if custom_property_limit is None:
            custom_property_limit = plan.custom_properties if plan else CUSTOM_PROPERTY_LIMIT
        self.tier = tier
        self.limiter = RateLimiter(
            rate_limit[0], rate_limit[1], daily_limit, clock, retry_after=retry_after
        )
        self._search_rate = search_rate_limit
        self._search_limiters: dict[str, RateLimiter] = {}
        self.faults = Faults(fault_rate, lost_response_rate, seed)
        self.record_seed = seed
        from_file = self.state_file is not None and self.state_file.exists()
        if self.state_file is not None and from_file:
            loaded = load_state(self.state_file)
        else:
            loaded = LoadedState(seed_objects() if seed_data else {})
        # A portal keeps its id across restarts: an explicit portal_id wins, else the state
        # file's, else the default. (Plans record the portal id; apply refuses another one.)
        self.portal_id: int = portal_id or loaded.portal_id or DEFAULT_PORTAL_ID
        self.store = Store(
            loaded.objects,
            now=now or (lambda: datetime.now(timezone.utc)),
            reserve_archived_names=reserve_archived_names,
            last_stamp_ms=loaded.last_stamp_ms,
            types=ObjectTypes(self.portal_id, loaded.custom_objects),
            default_groups=seed_data or from_file,
            rewrite_minus_one=not keep_display_order_minus_one,
            property_limit=custom_property_limit,
        )
        for name in custom_objects:
            self.store.add_custom_object(name)
        self.records = RecordStore(loaded.records)
        self.store.on_archive = self.records.drop_property
        self._all_scopes = scopes is None
        self._scopes = frozenset(scopes or ())
        self._token_scopes = dict(loaded.token_scopes)
        for raw, granted_scopes in (token_scopes or {}).items():
            self._token_scopes[token_key(raw)] = list(granted_scopes)
        if records:
            self.seed_records(records)

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
            try:
                response = self._handle_locked(method, path, dict(query), headers, body)
            except Exception as exc:  # a sandbox bug: HubSpot's error shape, never a traceback
                error = ApiError(
                    500,
                    f"hubprops sandbox internal error: {type(exc).__name__}",
                    category="INTERNAL_ERROR",
                )
                response = json_response(500, error.body(), {})
            self._log.append(
                LoggedRequest(
                    method,
                    path,
                    dict(query),
                    response.status,
                    arrived,
                    response.lost,
                    version_of(path.rstrip("/")),
                )
            )
        return response

    def _bearer(self, headers: Mapping[str, str]) -> str | None:
        """The accepted bearer token, or None (401)."""
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        scheme, _, given = value.partition(" ")
        given = given.strip()
        if scheme.lower() != "bearer" or not given:
            return None
        if self._token is not None and not hmac.compare_digest(
            # bytes: compare_digest refuses non-ASCII str (a 500 for 'Bearer é')
            given.encode("utf-8", "surrogatepass"),
            self._token.encode("utf-8", "surrogatepass"),
        ):
            return None
        return given

    def _missing_scopes(self, token: str, method: str, path: str) -> list[str] | None:
        """The scopes a request needs when the token has none of them, else None."""
        need = required(method, path, self.store.types)
        key = token_key(token)
        if need is None or (self._all_scopes and key not in self._token_scopes):
            return None
        have = frozenset(self._token_scopes.get(key, self._scopes))
        return None if granted(need, have) else need

    def _search_admit(self, token: str) -> bool:
        key = token_key(token)
        if key not in self._search_limiters:
            count, seconds = self._search_rate
            self._search_limiters[key] = RateLimiter(count, seconds, None, self._clock)
        return self._search_limiters[key].admit() is None

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
        token = self._bearer(headers)
        if token is None:
            error = ApiError(401, AUTH_MESSAGE, category=INVALID_AUTHENTICATION)
            return json_response(401, error.body(cid), {**base, **self.limiter.headers()})
        need = self._missing_scopes(token, method, path)
        if need is not None:
            return json_response(403, missing_scopes_body(need, cid), base)
        if path.rstrip("/").endswith("/search") and not self._search_admit(token):
            limited = {**rate_limit_body("SECONDLY", cid), "message": SEARCH_LIMIT_MESSAGE}
            return json_response(429, limited, base)
        policy = self.limiter.admit()
        if policy is not None:
            limits = self.limiter.headers(rejected_by=policy)
            return json_response(429, rate_limit_body(policy, cid), {**base, **limits})
        base.update(self.limiter.headers())
        fault = self.faults.server_error()
        if fault is not None:
            return gateway_fault(fault, cid, base)
        mutating = is_mutating(method, path)
        try:
            ctx = Context(
                self.store,
                self.records,
                self.portal_id,
                self.max_batch,
                self.limiter.daily_limit,
                self.limiter.day_count,
            )
            status, payload = dispatch(ctx, method, path, query, body)
        except ApiError as exc:
            return json_response(exc.status, exc.body(cid), base)
        committed = mutating and status in (200, 201, 204, 207)
        if committed:
            self._persist()
        response = json_response(status, payload, base)
        if committed and self.faults.lose_response():
            return SandboxResponse(response.status, response.headers, response.body, lost=True)
        return response

    def _persist(self) -> None:
        if self.state_file is not None:
            save_state(
                self.state_file,
                LoadedState(
                    self.store.objects,
                    self.store.last_stamp_ms,
                    self.portal_id,
                    self.store.types.declared(),
                    self.records.data,
                    self._token_scopes,
                ),
                self.records,
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
