"""One request, done properly: circuit check, rate limit, send, retry, translate.

``Requester.send`` is the only place that talks to httpx. It returns the final answer for
anything HubSpot decided (2xx and 4xx other than a rolling-window 429) together with whether an
earlier attempt may already have reached HubSpot (``resent``): the callers use that to reconcile
a lost create (409 on the retry) or a lost archive (404 on the retry). It raises a hubprops
error when the retries run out, on 429 ``DAILY``, on a network failure it cannot get past, and
when the circuit is open.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx

from hubprops.errors import HubpropsError
from hubprops.hubspot.errors import body_of, error_from_response, network_error, policy_name
from hubprops.hubspot.ratelimit import RateLimiter
from hubprops.hubspot.retry import RETRY_STATUSES, CircuitBreaker, RetryPolicy
from hubprops.hubspot.stats import ClientStats

#: One record per HTTP attempt (``HUBPROPS_LOG=info|debug``, configured by the CLI): method,
#: path, status, duration and HubSpot's rate-limit headers, never a request header (the token).
log = logging.getLogger("hubprops.http")
_RATE_HEADERS = (
    "x-hubspot-ratelimit-max",
    "x-hubspot-ratelimit-remaining",
    "x-hubspot-ratelimit-interval-milliseconds",
    "x-hubspot-ratelimit-daily-remaining",
    "retry-after",
)

# Failures where the request certainly never reached HubSpot: nothing to reconcile.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class Answer:
    """HubSpot's final answer to one call.

    ``resent`` is True iff an earlier attempt of this call may have been applied by HubSpot
    (its answer was lost, or it failed with a 5xx): a 409 or 404 now may be our own doing.
    """

    response: httpx.Response
    what: str
    resent: bool
    attempts: int

    @property
    def status(self) -> int:
        return self.response.status_code

    def json(self) -> dict[str, Any]:
        """The body as a JSON object (``{}`` when empty)."""
        return body_of(self.response)

    def ok_json(self) -> dict[str, Any]:
        """The body of a 2xx answer; any other answer raises its typed error."""
        if not 200 <= self.status < 300:
            raise self.error()
        return self.json()

    def error(self) -> HubpropsError:
        """The typed error for this (non-2xx) answer."""
        return error_from_response(self.response, self.what, attempts=self.attempts)


def _retry_after(response: httpx.Response, cap: float) -> float | None:
    raw = response.headers.get("retry-after")
    if raw is None:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        return None  # an HTTP date: fall back to waiting for the window
    return min(max(seconds, 0.0), cap)


class Requester:
    """Sends requests through one ``httpx.Client`` with the limiter, retries and breaker."""

    def __init__(
        self,
        http: httpx.Client,
        base_url: str,
        limiter: RateLimiter,
        retry: RetryPolicy,
        circuit: CircuitBreaker,
        stats: ClientStats,
    ) -> None:
        self.http = http
        self.base_url = base_url
        self.limiter = limiter
        self.retry = retry
        self.circuit = circuit
        self.stats = stats

    def send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
    ) -> Answer:
        """Send ``method path`` until HubSpot decides; see the module docstring."""
        what = f"{method} {path}"
        resent = False
        failures = 0  # 5xx and network failures so far
        throttles = 0
        attempts = 0
        while True:
            try:
                self.circuit.check(what)
            except HubpropsError:
                self.stats.add("circuit_open_rejections")
                raise
            ticket = self.limiter.acquire()
            self.stats.sent(method)
            attempts += 1
            sent_at = time.monotonic()
            try:
                response = self.http.request(method, path, params=params, json=json)
            except httpx.HTTPError as exc:
                # Only transport failures land here: request() raises no status errors.
                _log_attempt(method, path, None, sent_at, attempts, error=type(exc).__name__)
                self.stats.add("network_errors")
                self.circuit.failure()
                resent = resent or not isinstance(exc, _NOT_SENT)
                if failures >= self.retry.max_retries:
                    raise network_error(exc, what, self.base_url, attempts) from exc
                self._back_off(failures)
                failures += 1
                continue
            except BaseException:
                self.circuit.abandon()
                raise
            _log_attempt(method, path, response, sent_at, attempts)
            self.limiter.observe(response.headers, ticket)
            status = response.status_code
            if status == 429:
                self.stats.add("throttled")
                self.circuit.success()  # HubSpot is up and answering
                if policy_name(body_of(response)) == "DAILY":
                    raise error_from_response(response, what, attempts=attempts)
                if throttles >= self.retry.max_throttle_retries:
                    raise error_from_response(response, what, attempts=attempts)
                throttles += 1
                self.stats.add("retries")
                self._wait_for_window(response, ticket)
                continue
            if status in RETRY_STATUSES:
                self.stats.add("server_errors")
                self.circuit.failure()
                resent = True  # a gateway error may hide an applied write
                if failures >= self.retry.max_retries:
                    raise error_from_response(response, what, attempts=attempts)
                self._back_off(failures)
                failures += 1
                continue
            self.circuit.success()
            return Answer(response=response, what=what, resent=resent, attempts=attempts)

    def _back_off(self, failures: int) -> None:
        self.stats.add("retries")
        self.retry.sleep(self.retry.backoff(failures))

    def _wait_for_window(self, response: httpx.Response, ticket: float) -> None:
        """On a rolling-window 429: the limiter holds every thread back, for Retry-After when
        HubSpot sends one, else until the window frees (at most one interval)."""
        self.limiter.throttled(ticket, _retry_after(response, self.retry.max_retry_after))


def _log_attempt(
    method: str,
    path: str,
    response: httpx.Response | None,
    sent_at: float,
    attempt: int,
    *,
    error: str | None = None,
) -> None:
    """Log one attempt as ``key=value`` pairs; params and bodies only at debug level."""
    if not log.isEnabledFor(logging.INFO):
        return
    fields: dict[str, object] = {
        "method": method,
        "path": path,
        "status": response.status_code if response is not None else "-",
        "duration_ms": round((time.monotonic() - sent_at) * 1000, 1),
        "attempt": attempt,
    }
    if error is not None:
        fields["error"] = error
    if response is not None:
        for header in _RATE_HEADERS:
            if header in response.headers:
                fields[header.removeprefix("x-hubspot-")] = response.headers[header]
        if log.isEnabledFor(logging.DEBUG):
            fields["query"] = response.request.url.query.decode() or "-"
    log.info("request " + " ".join(f"{k}={v}" for k, v in fields.items()))
