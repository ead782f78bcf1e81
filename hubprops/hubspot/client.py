"""``HubSpotClient``: typed calls to HubSpot's CRM Properties API, date-versioned or v3.

Every path is built from the client's ``api_version`` (``hubprops.rules.API_VERSIONS``):
``2026-03`` (the default) speaks ``/crm/properties/2026-03/{objectType}``,
``/account-info/2026-03/details`` and ``/crm/limits/2026-03/custom-properties``; ``v3`` the
legacy ``/crm/v3/properties/{objectType}`` and friends (docs/hubspot-api.md, "API versions").

Concurrency: one thread-safe ``httpx.Client`` (keep-alive, a connection pool sized for the
worker count) shared by a thread pool (``map``). Threads, not asyncio, because the CLI is
synchronous (click is sync) and threads keep every call a plain function; the real bound on
speed is HubSpot's rate limit, which one ``RateLimiter`` per client (= per portal) enforces for
all threads and object types. Every call goes through ``Requester.send`` (rate limit, retries
with backoff and jitter, circuit breaker, error translation) and lost writes are reconciled
here: a create that meets 409 on its retry is read back and compared (``reconcile.py``), an
archive that meets 404 on its retry has already happened.

The token is set once, in the httpx client's headers; no attribute, repr, log line or
exception of ours holds it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from hubprops import __version__
from hubprops.errors import FATAL_ERRORS, ConfigError, RemoteError, RemoteUnavailable
from hubprops.hubspot._batchcreate import create_chunk
from hubprops.hubspot._http import Answer, Requester
from hubprops.hubspot.batch import BatchResult, ItemError, Outcome, chunked, run_map
from hubprops.hubspot.endpoint import check_segment
from hubprops.hubspot.ratelimit import RateLimiter
from hubprops.hubspot.reconcile import group_fields, require_same
from hubprops.hubspot.retry import CircuitBreaker, RetryPolicy
from hubprops.hubspot.stats import ClientStats
from hubprops.rules import API_VERSIONS, DEFAULT_API_VERSION, api_paths, outgoing_options

T = TypeVar("T")
R = TypeVar("R")

USER_AGENT = f"hubprops/{__version__} (+python-httpx)"
CONNECT_TIMEOUT = 10.0


def _q(segment: str) -> str:
    if segment in ("", ".", ".."):  # a URL path would resolve them: never send one
        raise ConfigError(f"{segment!r} is not a valid property or group name")
    return quote(segment, safe="")


class HubSpotClient:
    """A client for one portal (one token). Use as a context manager, or call ``close()``."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        max_workers: int = 8,
        batch_size: int = 100,
        limiter: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        cancel: threading.Event | None = None,
        api_version: str = DEFAULT_API_VERSION,
    ) -> None:
        if api_version not in API_VERSIONS:
            raise ConfigError(
                f"unknown HubSpot API version {api_version!r} (known: {', '.join(API_VERSIONS)})"
            )
        #: The HubSpot API version every path of this client names.
        self.api_version = api_version
        self._paths = api_paths(api_version)
        #: Once set (the CLI sets it on Ctrl-C), no call of ``map`` starts another item.
        self.cancel = cancel if cancel is not None else threading.Event()
        self.base_url = base_url.rstrip("/")
        self.max_workers = max(1, max_workers)
        self.batch_size = batch_size
        self.limiter = limiter if limiter is not None else RateLimiter()
        self.retry = retry if retry is not None else RetryPolicy()
        self.circuit = CircuitBreaker(
            self.retry.circuit_threshold, self.retry.circuit_cooldown, self.retry.clock
        )
        self.stats = ClientStats(self.limiter)
        http = httpx.Client(
            base_url=self.base_url,
            headers={
                "Authorization": f"Bearer {token}",
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
            },
            timeout=httpx.Timeout(timeout, connect=CONNECT_TIMEOUT, pool=None),
            limits=httpx.Limits(
                max_connections=self.max_workers, max_keepalive_connections=self.max_workers
            ),
            transport=transport,
            # Every request is a path on base_url and redirects are not followed: a plain-http
            # base (the sandbox, a lab proxy) never speaks TLS, so it skips loading the CA
            # bundle (about 80 ms of every command).
            verify=not self.base_url.lower().startswith("http://"),
            follow_redirects=False,
        )
        self._req = Requester(
            http, self.base_url, self.limiter, self.retry, self.circuit, self.stats
        )

    # -- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection pool."""
        self._req.http.close()

    def __enter__(self) -> HubSpotClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"HubSpotClient(base_url={self.base_url!r}, api_version={self.api_version!r}, "
            f"max_workers={self.max_workers})"
        )

    # -- plumbing -----------------------------------------------------------------------------
    def _send(self, method: str, path: str, **kw: Any) -> Answer:
        return self._req.send(method, path, **kw)

    @staticmethod
    def _results(answer: Answer) -> list[dict[str, Any]]:
        """A list answer's ``results``; an answer without that list is an error, never an
        empty portal (a proxy's page or a wrong --api-base would otherwise read as "none")."""
        results = answer.ok_json().get("results")
        if not isinstance(results, list):
            raise RemoteError(
                f"{answer.what} answered {answer.status} without a results list: is "
                f"--api-base ({answer.response.request.url.host}) HubSpot's API "
                "(https://api.hubapi.com)?",
                status=answer.status,
            )
        return [r for r in results if isinstance(r, dict)]

    def _out(self, body: dict[str, Any]) -> dict[str, Any]:
        """A property body as this API version wants it (options with displayOrder, hidden)."""
        if "options" not in body:
            return body
        return {**body, "options": outgoing_options(body["options"], self.api_version)}

    def _props(self, object_type: str) -> str:
        return f"{self._paths['properties']}/{_q(check_segment(object_type))}"

    # -- reads --------------------------------------------------------------------------------
    def get_portal_id(self) -> int:
        """The portal (hub) id of this token: ``GET /account-info/{version}/details`` ->
        portalId."""
        answer = self._send("GET", f"{self._paths['account']}/details")
        portal = answer.ok_json().get("portalId")
        if not isinstance(portal, int) or isinstance(portal, bool):
            raise RemoteError(
                f"{answer.what} answered without a portalId; pass --portal ID instead",
                status=answer.status,
            )
        return portal

    def custom_property_limits(self) -> list[dict[str, Any]]:
        """HubSpot's custom-property quota, one row per object type (``objectTypeId``,
        ``limit``, ``usage``, labels): ``GET /crm/limits/{version}/custom-properties``."""
        answer = self._send("GET", f"{self._paths['limits']}/custom-properties")
        rows = answer.ok_json().get("byObjectType")
        if not isinstance(rows, list):
            raise RemoteError(
                f"{answer.what} answered {answer.status} without a byObjectType list",
                status=answer.status,
            )
        return [r for r in rows if isinstance(r, dict)]

    def list_properties(
        self, object_type: str, *, archived: bool = False, data_sensitivity: str | None = None
    ) -> list[dict[str, Any]]:
        """Every property of ``object_type`` in one call (HubSpot does not page this list).

        ``archived=True`` returns only archived ones; ``data_sensitivity`` is
        ``non_sensitive`` (HubSpot's default), ``sensitive`` or ``highly_sensitive``.
        """
        params = {"archived": "true" if archived else "false"}
        if data_sensitivity:
            params["dataSensitivity"] = data_sensitivity
        return self._results(self._send("GET", self._props(object_type), params=params))

    def list_groups(self, object_type: str) -> list[dict[str, Any]]:
        """Every property group of ``object_type`` in one call."""
        return self._results(self._send("GET", f"{self._props(object_type)}/groups"))

    def get_property(
        self, object_type: str, name: str, *, data_sensitivity: str | None = None
    ) -> dict[str, Any] | None:
        """One property, or None if HubSpot has no such (active) property.

        Like the list call, HubSpot only shows ``non_sensitive`` properties unless
        ``data_sensitivity`` asks for ``sensitive`` or ``highly_sensitive`` ones.
        """
        params = {"dataSensitivity": data_sensitivity} if data_sensitivity else None
        answer = self._send("GET", f"{self._props(object_type)}/{_q(name)}", params=params)
        return None if answer.status == 404 else answer.ok_json()

    def read_back(self, object_type: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """The property a create ``body`` names, read at the sensitivity ``body`` asked for
        (a sensitive property is invisible to a plain read)."""
        sensitivity = body.get("dataSensitivity")
        return self.get_property(
            object_type,
            str(body.get("name")),
            data_sensitivity=sensitivity if isinstance(sensitivity, str) else None,
        )

    def get_group(self, object_type: str, name: str) -> dict[str, Any] | None:
        """One property group, or None if HubSpot has no such group."""
        answer = self._send("GET", f"{self._props(object_type)}/groups/{_q(name)}")
        return None if answer.status == 404 else answer.ok_json()

    # -- property writes ----------------------------------------------------------------------
    def create_property(self, object_type: str, body: dict[str, Any]) -> dict[str, Any]:
        """Create one property; returns HubSpot's property object.

        If an earlier attempt's answer was lost and the retry meets 409, the property is read
        back: equal to ``body`` -> success (``stats.reconciled``), different -> Conflict.
        """
        body = self._out(body)
        answer = self._send("POST", self._props(object_type), json=body)
        if answer.status == 409 and answer.resent:
            name = str(body.get("name"))
            remote = self.read_back(object_type, body)
            found = require_same("property", name, body, remote, answer.what)
            self.stats.add("reconciled")
            return found
        return answer.ok_json()

    def create_properties(self, object_type: str, bodies: Sequence[dict[str, Any]]) -> BatchResult:
        """Create many properties with ``batch/create``, ``batch_size`` inputs per call, the
        chunks in parallel. Per-input failures come back in ``errors``; a chunk that fails as a
        whole gives one ItemError per input (401, 403 and daily-limit errors are raised)."""
        return self._batched(
            [self._out(b) for b in bodies],
            lambda chunk: self._create_chunk(object_type, chunk),
            lambda b: b.get("name"),
        )

    def update_property(self, object_type: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        """PATCH one property with the fields in ``body``; returns the updated property.

        PATCH is idempotent, so a lost answer is simply retried; the retried answer is then
        compared with ``body`` (a difference raises Conflict rather than passing silently).
        """
        path = f"{self._props(object_type)}/{_q(name)}"
        return self._patch("property", path, name, self._out(body))

    def archive_property(self, object_type: str, name: str) -> None:
        """Archive (DELETE) one property. A 404 on the retry of a lost archive is success."""
        self._archive(f"{self._props(object_type)}/{_q(name)}")

    def archive_properties(self, object_type: str, names: Sequence[str]) -> None:
        """Archive many properties with ``batch/archive`` (idempotent), chunked; raises the
        first failure after every chunk has been tried."""
        path = f"{self._props(object_type)}/batch/archive"

        def archive_chunk(chunk: Sequence[str]) -> BatchResult:
            answer = self._send("POST", path, json={"inputs": [{"name": n} for n in chunk]})
            answer.ok_json()
            return BatchResult()

        result = self._batched(names, archive_chunk, lambda n: n)
        if result.errors:
            raise result.errors[0].error

    # -- group writes -------------------------------------------------------------------------
    def create_group(self, object_type: str, body: dict[str, Any]) -> dict[str, Any]:
        """Create one property group; a 409 after a lost answer is reconciled like a property
        (label and displayOrder compared)."""
        answer = self._send("POST", f"{self._props(object_type)}/groups", json=body)
        if answer.status == 409 and answer.resent:
            name = str(body.get("name"))
            remote = self.get_group(object_type, name)
            found = require_same("group", name, group_fields(body), remote, answer.what)
            self.stats.add("reconciled")
            return found
        return answer.ok_json()

    def update_group(self, object_type: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        """PATCH one property group; returns the updated group."""
        return self._patch("group", f"{self._props(object_type)}/groups/{_q(name)}", name, body)

    def archive_group(self, object_type: str, name: str) -> None:
        """Archive (DELETE) one property group. A 404 on the retry of a lost archive is success."""
        self._archive(f"{self._props(object_type)}/groups/{_q(name)}")

    # -- concurrency --------------------------------------------------------------------------
    def map(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        *,
        cancel: threading.Event | None = None,
        max_workers: int | None = None,
    ) -> list[Outcome[T, R]]:
        """Run ``fn`` over ``items`` concurrently; one ``Outcome`` per item, in input order.

        Stops starting new items when the circuit opens, or ``cancel`` or the client's own
        ``cancel`` event is set (in-flight calls finish); see ``batch.run_map``.
        """
        workers = max_workers if max_workers is not None else self.max_workers
        events = (self.cancel,) if cancel is None else (self.cancel, cancel)
        return run_map(fn, items, max_workers=workers, circuit=self.circuit, cancel=events)

    # -- helpers ------------------------------------------------------------------------------
    def _patch(self, kind: str, path: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        """PATCH ``path``; after a lost answer, the retried answer must hold what was sent."""
        answer = self._send("PATCH", path, json=body)
        result = answer.ok_json()
        if answer.resent:
            require_same(kind, name, body, result, answer.what, update=True)
        return result

    def _archive(self, path: str) -> None:
        answer = self._send("DELETE", path)
        if answer.status == 404 and answer.resent:
            self.stats.add("reconciled")
            return
        answer.ok_json()

    def _batched(
        self,
        items: Sequence[T],
        run_chunk: Callable[[Sequence[T]], BatchResult],
        name_of: Callable[[T], Any],
    ) -> BatchResult:
        chunks = list(chunked(items, self.batch_size))
        merged = BatchResult()
        for outcome in self.map(run_chunk, chunks):
            if outcome.value is not None and outcome.ok:
                merged.results.extend(outcome.value.results)
                merged.errors.extend(outcome.value.errors)
                continue
            error = outcome.error
            if isinstance(error, FATAL_ERRORS):
                raise error
            if not isinstance(error, RemoteError):
                if error is not None:
                    raise error
                error = RemoteUnavailable("not started: cancelled before this batch was sent")
            merged.errors.extend(ItemError(str(name_of(i)), error) for i in outcome.item)
        return merged

    def _create_chunk(self, object_type: str, chunk: Sequence[dict[str, Any]]) -> BatchResult:
        return create_chunk(
            self._req,
            self._props(object_type),
            chunk,
            read_back=lambda body: self.read_back(object_type, body),
            create_one=lambda body: self.create_property(object_type, body),
            on_reconciled=lambda: self.stats.add("reconciled"),
        )
