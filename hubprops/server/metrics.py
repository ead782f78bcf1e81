"""Prometheus metrics of one app (its own registry, so several apps can live in one process),
and the transport wrapper that counts HubSpot's answers by status at the HTTP boundary."""

from __future__ import annotations

import time

import httpx
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

RATE_LIMIT_REMAINING = "x-hubspot-ratelimit-remaining"


class Metrics:
    """The service's figures."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.sync_duration = Histogram(
            "hubprops_sync_duration_seconds",
            "Duration of syncs (planning and applying), dry runs excluded.",
            ["scope", "status"],
            buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900),
            registry=self.registry,
        )
        self.properties_synced = Counter(
            "hubprops_properties_synced",
            "Properties created or updated, by object type.",
            ["object_type"],
            registry=self.registry,
        )
        self.properties_failed = Counter(
            "hubprops_properties_failed",
            "Property changes that failed or were skipped after a failure, by object type.",
            ["object_type"],
            registry=self.registry,
        )
        self.hubspot_requests = Counter(
            "hubprops_hubspot_requests",
            "Answers received from HubSpot, by HTTP status (error: no answer).",
            ["status"],
            registry=self.registry,
        )
        self.rate_limit_remaining = Gauge(
            "hubprops_hubspot_rate_limit_remaining",
            "X-HubSpot-RateLimit-Remaining of the last answer that carried it.",
            registry=self.registry,
        )
        self.last_sync = Gauge(
            "hubprops_last_sync_timestamp_seconds",
            "Unix time at which the last sync finished.",
            registry=self.registry,
        )

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

    def count_transport(self, inner: httpx.BaseTransport) -> httpx.BaseTransport:
        return CountingTransport(inner, self)

    def sync_finished(self) -> None:
        self.last_sync.set(time.time())


class CountingTransport(httpx.BaseTransport):
    """Delegates to ``inner``; counts each answer's status and keeps the rate-limit header."""

    def __init__(self, inner: httpx.BaseTransport, metrics: Metrics) -> None:
        self.inner = inner
        self.metrics = metrics

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self.inner.handle_request(request)
        except Exception:  # no answer (network error, lost response): counted, then re-raised
            self.metrics.hubspot_requests.labels(status="error").inc()
            raise
        self.metrics.hubspot_requests.labels(status=str(response.status_code)).inc()
        remaining = response.headers.get(RATE_LIMIT_REMAINING)
        if remaining is not None and remaining.strip().isdigit():
            self.metrics.rate_limit_remaining.set(int(remaining))
        return response

    def close(self) -> None:
        self.inner.close()
