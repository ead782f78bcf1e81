"""``create_app(settings)``: the FastAPI app of ``hubprops serve``.

Routes under ``/api/v1/hubspot/properties/sync``: ``POST /all``, ``/contacts``, ``/leads``,
``/{object_type}`` (``?dry_run=true``, ``?wait=false``), ``GET /status/{sync_type}``,
``GET /history``; and ``GET /healthz``, ``GET /metrics``. Handlers only parse, authorize and
call ``SyncService``; every error has the documented shape (``errors``).
"""

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from hubprops import __version__
from hubprops.clock import utc_now
from hubprops.lock.file import load_lock
from hubprops.lock.status import status_data
from hubprops.server import errors, schemas
from hubprops.server.accesslog import AccessLog
from hubprops.server.audit import AuditStore
from hubprops.server.auth import COOKIE, Forbidden, Principal, Verifier, token_from
from hubprops.server.errors import ApiError
from hubprops.server.metrics import Metrics
from hubprops.server.scheduler import Scheduler
from hubprops.server.settings import ServerSettings
from hubprops.server.sync import BASE_PATH, Reply, SyncService

_bearer = HTTPBearer(auto_error=False, description="JWT (HS256, RS256/ES256 or from a JWKS)")
_cookie = APIKeyCookie(name=COOKIE, auto_error=False, description="The same JWT as a cookie")
_ERR = {"model": schemas.ErrorResponse}
_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {400: _ERR, 401: _ERR, 403: _ERR, 404: _ERR}
_SYNC_ERRORS: dict[int | str, dict[str, Any]] = {
    **_AUTH_ERRORS,
    202: {"model": schemas.AcceptedResponse, "description": "wait=false: accepted"},
    207: {**_ERR, "description": "Partial sync failure"},
    409: {**_ERR, "description": "A sync is already running"},
    429: {**_ERR, "description": "HubSpot API rate limit exceeded"},
    500: _ERR,
    503: _ERR,
}


DryRun = Annotated[bool, Query(description="Answer with the plan; write nothing.")]
Wait = Annotated[bool, Query(description="false: answer 202 at once, sync in background.")]


def _only(*allowed: str) -> Callable[[Request], None]:
    def check(request: Request) -> None:
        unknown = sorted(set(request.query_params) - set(allowed))
        if unknown:
            problems = [f"unknown query parameter '{name[:100]}'" for name in unknown]
            raise ApiError(
                400, "Invalid request", {"property_name": None, "validation_errors": problems}
            )

    return check


def create_app(settings: ServerSettings) -> FastAPI:
    """The app; raises ValueError when no JWT key is configured (the server must not start)."""
    verifier = Verifier(settings.auth)
    metrics = Metrics()
    audit = AuditStore(settings.database)
    service = SyncService(settings, audit, metrics)
    scheduler = Scheduler(service, settings.schedule_every) if settings.schedule_every else None
    background: list[threading.Thread] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        audit.close_unfinished(utc_now())
        if scheduler is not None:
            scheduler.start()
        yield
        service.stopping.set()
        if scheduler is not None:
            scheduler.stop()
        for thread in background:
            thread.join(60)
        audit.close()

    app = FastAPI(
        title="hubprops sync service",
        version=__version__,
        description="The original HubSpot property sync API over hubprops plan + apply.",
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.metrics = metrics
    app.state.audit = audit
    app.state.scheduler = scheduler
    app.state.background = background
    app.state.stop = service.stopping.set  # what SIGTERM calls before uvicorn stops
    errors.install(app)
    app.add_middleware(AccessLog, max_body_bytes=settings.max_body_bytes)

    def principal(
        request: Request,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        cookie: Annotated[str | None, Depends(_cookie)],
    ) -> Principal:
        token = token_from(request.headers.get("authorization"), cookie)
        who = verifier.verify(token)
        request.state.sub = who.sub
        return who

    def may_sync(who: Annotated[Principal, Depends(principal)]) -> Principal:
        if not who.may_sync():
            raise Forbidden("syncing needs role 'admin' or scope 'properties:sync'")
        return who

    def may_read(who: Annotated[Principal, Depends(principal)]) -> Principal:
        if not who.may_read():
            raise Forbidden("reading needs scope 'properties:read' or 'properties:sync'")
        return who

    def answer(reply: Reply) -> JSONResponse:
        headers = None
        if reply.status_code == 429:
            headers = {"Retry-After": str(reply.body["details"].get("retry_after", 60))}
        return JSONResponse(reply.body, reply.status_code, headers=headers)

    def sync(scope: str, who: Principal, dry_run: bool, wait: bool) -> JSONResponse:
        scope = service.resolve(scope)
        if dry_run:
            return answer(service.dry_run(scope, who.sub))
        job = service.accept(scope, who.sub)
        if wait:
            return answer(service.run(job))
        thread = threading.Thread(target=service.run, args=(job,), name=f"sync-{job.sync_id}")
        background[:] = [t for t in background if t.is_alive()] + [thread]
        thread.start()
        data = {
            "sync_id": job.sync_id,
            "sync_type": scope,
            "sync_status": "pending",
            "status_url": f"{BASE_PATH}/status/{scope}",
        }
        return JSONResponse({"success": True, "data": data}, 202)

    sync_deps = [Depends(_only("dry_run", "wait"))]
    union = schemas.SyncAllResponse | schemas.DryRunResponse
    per_type = schemas.ObjectSyncResponse | schemas.DryRunResponse

    @app.post(
        f"{BASE_PATH}/all",
        response_model=union,
        responses=_SYNC_ERRORS,
        dependencies=sync_deps,
        tags=["sync"],
    )
    def sync_all(
        who: Annotated[Principal, Depends(may_sync)], dry_run: DryRun = False, wait: Wait = True
    ) -> Any:
        """Sync every defined object type (the non-destructive changes)."""
        return sync("all", who, dry_run, wait)

    for fixed in ("contacts", "leads"):
        _add_fixed(app, fixed, sync, may_sync, per_type, sync_deps)

    @app.post(
        f"{BASE_PATH}/{{object_type}}",
        response_model=per_type,
        responses=_SYNC_ERRORS,
        dependencies=sync_deps,
        tags=["sync"],
    )
    def sync_object_type(
        object_type: str,
        who: Annotated[Principal, Depends(may_sync)],
        dry_run: DryRun = False,
        wait: Wait = True,
    ) -> Any:
        """Sync one other defined object type (404 if none is defined)."""
        return sync(object_type, who, dry_run, wait)

    @app.get(
        f"{BASE_PATH}/status/{{sync_type}}",
        response_model=schemas.StatusResponse,
        responses=_AUTH_ERRORS,
        dependencies=[Depends(_only())],
        tags=["status"],
    )
    def status(sync_type: str, who: Annotated[Principal, Depends(may_read)]) -> Any:
        """The last sync of ``all`` or one object type, from the lock."""
        scope = service.resolve(sync_type)
        data = status_data(load_lock(settings.lock_path), scope, settings.portal_id)
        running = service.job_status(scope)
        if running is not None:
            data["last_sync"]["status"] = running
        data["next_scheduled_sync"] = scheduler.next_run() if scheduler else None
        return JSONResponse({"success": True, "data": data})

    @app.get(
        f"{BASE_PATH}/history",
        response_model=schemas.HistoryResponse,
        responses=_AUTH_ERRORS,
        dependencies=[Depends(_only("limit", "before"))],
        tags=["status"],
    )
    def history(
        who: Annotated[Principal, Depends(may_read)],
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    ) -> Any:
        """The audit log, newest first; pass ``next_before`` as ``before`` for older rows."""
        items = audit.page(limit, before)
        more = len(items) == limit and bool(audit.page(1, items[-1]["id"]))
        data = {"items": items, "next_before": items[-1]["id"] if more else None}
        return JSONResponse({"success": True, "data": data})

    @app.get("/healthz", response_model=schemas.Health, tags=["operations"])
    def healthz() -> Any:
        return {"status": "ok"}

    @app.get(
        "/metrics",
        response_class=Response,
        tags=["operations"],
        responses={200: {"content": {"text/plain": {}}}},
    )
    def prometheus() -> Response:
        return Response(metrics.exposition(), media_type="text/plain; version=0.0.4")

    return app


def _add_fixed(app: FastAPI, scope: str, sync: Any, may_sync: Any, model: Any, deps: Any) -> None:
    """``POST /contacts`` and ``POST /leads``: own operations, so /docs lists them."""

    def handler(
        who: Annotated[Principal, Depends(may_sync)], dry_run: DryRun = False, wait: Wait = True
    ) -> Any:
        return sync(scope, who, dry_run, wait)

    handler.__doc__ = f"Sync the {scope} properties (the non-destructive changes)."
    app.post(
        f"{BASE_PATH}/{scope}",
        response_model=model,
        responses=_SYNC_ERRORS,
        dependencies=deps,
        tags=["sync"],
        name=f"sync_{scope}",
        operation_id=f"sync_{scope}",
    )(handler)
