"""The thin bridge from the HTTP service to the core: one sync = ``plan_against`` the scope
(destructive changes planned too, so they can be reported), ``split_destructive``, then
``apply_plan`` of the safe part under the apply guard shared with ``hubprops apply``.

``SyncService.accept`` takes the one-sync-at-a-time slot and the guard (409 when either is
held, naming who holds it); ``run`` executes an accepted sync and answers with the original
system's shapes; dry runs take neither and write nothing. Every sync is an audit row.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hubprops.apply import apply_plan, needs_apply
from hubprops.apply.safe import split_destructive
from hubprops.clock import utc_now
from hubprops.definitions import load_definitions
from hubprops.errors import (
    DailyLimitReached,
    DefinitionError,
    HubpropsError,
    LockError,
    PlanError,
    RateLimited,
)
from hubprops.lock.file import load_lock, save_lock
from hubprops.lock.guard import Guard, acquire, running_holder
from hubprops.lock.status import DEFAULT_OBJECT_TYPES
from hubprops.models import canonical_object_type
from hubprops.plan.file import encode
from hubprops.plan.remote import plan_against
from hubprops.plan.types import PlanOptions
from hubprops.server import replies
from hubprops.server.audit import AuditStore, Outcome
from hubprops.server.errors import ApiError
from hubprops.server.limits import rate_limit_details, validation_details
from hubprops.server.metrics import Metrics
from hubprops.server.settings import ServerSettings

if TYPE_CHECKING:
    from hubprops.hubspot import HubSpotClient
    from hubprops.sandbox import Sandbox

log = logging.getLogger("hubprops.server")
BASE_PATH = "/api/v1/hubspot/properties/sync"


@dataclass
class Job:
    """One accepted sync: ``status`` goes pending -> in_progress -> the result."""

    sync_id: str
    scope: str
    user: str
    guard: Guard
    status: str = "pending"


@dataclass(frozen=True)
class Reply:
    """An answer: HTTP status and JSON body."""

    status_code: int
    body: dict[str, Any]


class SyncService:
    """Syncs of one definitions folder and lock against one portal."""

    def __init__(self, settings: ServerSettings, audit: AuditStore, metrics: Metrics) -> None:
        self.settings = settings
        self.audit = audit
        self.metrics = metrics
        self.stopping = threading.Event()
        self.sandbox: Sandbox | None = settings.sandbox_instance
        if self.sandbox is None and settings.sandbox and settings.client_factory is None:
            from hubprops.sandbox import Sandbox

            self.sandbox = Sandbox(
                state_file=settings.sandbox_state, latency_ms=settings.sandbox_latency_ms
            )
        self._slot = threading.Lock()
        self.current: Job | None = None

    # -- scope --------------------------------------------------------------------------------
    def scopes(self) -> set[str]:
        """``all``, contacts, leads, and every object type defined or in the lock."""
        known = {"all", *DEFAULT_OBJECT_TYPES}
        with contextlib.suppress(HubpropsError):  # a broken folder: the sync says so (400)
            loaded = load_definitions(self.settings.definitions, cache=self.settings.parse_cache)
            known |= set(loaded.definitions.objects)
        with contextlib.suppress(HubpropsError):
            for portal in load_lock(self.settings.lock_path).portals.values():
                known |= set(portal.objects)
        return known

    def resolve(self, sync_type: str) -> str:
        """The canonical scope, or 404 in the documented shape."""
        wanted = sync_type.strip().lower()
        scope = "all" if wanted == "all" else canonical_object_type(wanted)
        known = self.scopes()
        if scope not in known:
            raise ApiError(
                404,
                f"Unknown sync type '{sync_type[:100]}'",
                {"sync_type": sync_type[:100], "known": sorted(known)},
            )
        return scope

    # -- one sync at a time -------------------------------------------------------------------
    def accept(self, scope: str, user: str) -> Job:
        """Take the slot and the apply guard, record the sync as pending; 409 if busy."""
        with self._slot:
            if self.current is not None:
                raise self._busy(self.current.scope, self.current.status, self.current.sync_id)
            try:
                guard = acquire(self.settings.lock_path)
            except LockError as exc:
                raise self._busy(scope, "in_progress", None, str(exc)) from None
            job = Job(sync_id=uuid.uuid4().hex, scope=scope, user=user, guard=guard)
            self.current = job
        self.audit.begin(
            sync_id=job.sync_id,
            user=user,
            requested_at=utc_now(),
            scope=scope,
            dry_run=False,
            status="pending",
        )
        return job

    def _busy(self, scope: str, status: str, sync_id: str | None, held: str = "") -> ApiError:
        details: dict[str, Any] = {
            "sync_type": scope,
            "status": status,
            "status_url": f"{BASE_PATH}/status/{scope}",
        }
        if sync_id:
            details["sync_id"] = sync_id
        holder = running_holder(self.settings.lock_path)
        if holder is not None:
            details["holder"] = {
                "pid": holder.pid,
                "host": holder.host,
                "started_at": holder.started_at,
            }
        if held:
            details["message"] = held
        return ApiError(409, "A sync is already running", details)

    def job_status(self, scope: str) -> str | None:
        """pending / in_progress of a sync covering ``scope``, here or in another process."""
        job = self.current
        if job is not None and (scope == "all" or job.scope in ("all", scope)):
            return job.status
        if job is None and running_holder(self.settings.lock_path) is not None:
            return "in_progress"
        return None

    # -- running ------------------------------------------------------------------------------
    @contextmanager
    def client(self) -> Iterator[HubSpotClient]:
        """A HubSpot client whose answers the metrics count."""
        from hubprops.hubspot import HubSpotClient

        wrap = self.metrics.count_transport
        if self.settings.client_factory is not None:
            with self.settings.client_factory(wrap) as made:
                yield made
            return
        if self.sandbox is not None:
            from hubprops.sandbox import SANDBOX_BASE_URL

            transport = wrap(self.sandbox.transport())
            with HubSpotClient(
                SANDBOX_BASE_URL,
                "sandbox-token",
                transport=transport,
                api_version=self.settings.api_version,
            ) as c:
                yield c
            return
        import httpx

        token = self.settings.hubspot_token or ""
        with HubSpotClient(
            self.settings.api_base,
            token,
            transport=wrap(httpx.HTTPTransport()),
            api_version=self.settings.api_version,
        ) as c:
            yield c

    def run(self, job: Job) -> Reply:
        """Execute an accepted sync; always releases the guard and records the audit row."""
        start = time.monotonic()
        job.status = "in_progress"
        self.audit.set_status(job.sync_id, "in_progress")
        try:
            reply, row = self._execute(job.scope, dry_run=False, start=start)
        except ApiError as exc:
            reply = Reply(exc.status_code, _error(exc))
            row = Outcome("failed", utc_now(), duration_s=time.monotonic() - start, error=exc.error)
        except Exception as exc:  # the last line of defence: answered as 500, no traceback
            log.error("sync %s failed unexpectedly: %s", job.sync_id, type(exc).__name__)
            err = ApiError(500, "Property sync failed", {"error": type(exc).__name__})
            reply = Reply(500, _error(err))
            row = Outcome("failed", utc_now(), duration_s=time.monotonic() - start, error=err.error)
        finally:
            job.guard.release()
            with self._slot:
                self.current = None
        job.status = row.status
        self.audit.finish(job.sync_id, row)
        self.metrics.sync_duration.labels(scope=job.scope, status=row.status).observe(
            row.duration_s or 0.0
        )
        self.metrics.sync_finished()
        return reply

    def dry_run(self, scope: str, user: str) -> Reply:
        """Plan the scope and answer with it; writes nothing but the audit row."""
        sync_id = uuid.uuid4().hex
        start = time.monotonic()
        self.audit.begin(
            sync_id=sync_id,
            user=user,
            requested_at=utc_now(),
            scope=scope,
            dry_run=True,
            status="in_progress",
        )
        try:
            reply, row = self._execute(scope, dry_run=True, start=start)
        except ApiError as exc:
            reply = Reply(exc.status_code, _error(exc))
            row = Outcome("failed", utc_now(), duration_s=time.monotonic() - start, error=exc.error)
        self.audit.finish(sync_id, row)
        return reply

    def _execute(self, scope: str, *, dry_run: bool, start: float) -> tuple[Reply, Outcome]:
        try:
            return self._sync(scope, dry_run=dry_run, start=start)
        except DefinitionError as exc:
            raise ApiError(400, "Property validation failed", validation_details(exc)) from None
        except PlanError as exc:
            details = {"property_name": None, "validation_errors": str(exc).splitlines()[1:]}
            raise ApiError(400, "Property validation failed", details) from None
        except (RateLimited, DailyLimitReached) as exc:
            raise ApiError(
                429, "HubSpot API rate limit exceeded", rate_limit_details(exc, None)
            ) from None
        except HubpropsError as exc:
            raise ApiError(500, "Property sync failed", {"error": str(exc)}) from None

    def _sync(self, scope: str, *, dry_run: bool, start: float) -> tuple[Reply, Outcome]:
        loaded = load_definitions(self.settings.definitions, cache=self.settings.parse_cache)
        objects = () if scope == "all" else (scope,)
        options = PlanOptions(objects=objects, allow_destructive=True)
        with self.client() as client:
            lock = load_lock(self.settings.lock_path)
            plan = plan_against(
                client,
                loaded.definitions,
                lock,
                options=options,
                api_base=client.base_url,
                portal_id=self.settings.portal_id,
            )
            safe, held = split_destructive(plan)
            checksum = str(encode(safe)["checksum"])
            if dry_run:
                return Reply(200, replies.dry_run_reply(scope, plan, held, checksum)), Outcome(
                    "completed",
                    utc_now(),
                    duration_s=time.monotonic() - start,
                    plan_checksum=checksum,
                    skipped=len(held),
                )
            if self.stopping.is_set():
                raise ApiError(503, "The server is stopping", {"retry": "run the sync again"})
            result = None
            if needs_apply(safe, lock):
                path = self.settings.lock_path
                result = apply_plan(
                    client,
                    safe,
                    lock,
                    save=lambda lk: save_lock(path, lk),
                    cancel=self.stopping,
                    portal_id=plan.portal_id,
                )
            limiter = client.limiter.figures()
        types = sorted(
            {*(objects or loaded.definitions.objects), *(c.object_type for c in plan.changes)}
        )
        done = replies.outcome(
            loaded.definitions, types, safe, held, result, lock, time.monotonic() - start
        )
        self._count(done)
        totals = done.totals()
        row = Outcome(
            done.status,
            utc_now(),
            created=totals["created"],
            updated=totals["updated"],
            skipped=totals["skipped"],
            failed=totals["failed"],
            duration_s=done.duration_s,
            plan_checksum=checksum,
            error=done.stopped_because,
        )
        return self._reply(scope, done, limiter), row

    def _count(self, done: replies.SyncOutcome) -> None:
        for object_type, o in done.objects.items():
            synced = o.count("created") + o.count("updated")
            if synced:
                self.metrics.properties_synced.labels(object_type=object_type).inc(synced)
            if o.count("failed"):
                self.metrics.properties_failed.labels(object_type=object_type).inc(
                    o.count("failed")
                )

    def _reply(self, scope: str, done: replies.SyncOutcome, limiter: dict[str, Any]) -> Reply:
        data = (
            replies.all_data(done) if scope == "all" else replies.object_data(done.objects[scope])
        )
        if done.status == "completed":
            return Reply(200, {"success": True, "data": data})
        throttled = [f for f in done.failures() if "429" in str(f["error"])]
        if throttled or (done.stopped_because and "429" in done.stopped_because):
            details = rate_limit_details(None, limiter)
            details["data"] = data
            return Reply(429, _error(ApiError(429, "HubSpot API rate limit exceeded", details)))
        if done.status == "failed":
            details = replies.failed_details(done)
            details["data"] = data
            return Reply(500, _error(ApiError(500, "Property sync failed", details)))
        details = replies.partial_details(done)
        details["data"] = data
        return Reply(207, _error(ApiError(207, "Partial sync failure", details)))


def _error(exc: ApiError) -> dict[str, Any]:
    return {
        "success": False,
        "error": exc.error,
        "details": exc.details,
        "status_code": exc.status_code,
    }
