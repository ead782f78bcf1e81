"""The HubSpot client: the one place hubprops talks to HubSpot.

Public API::

    from hubprops.hubspot import HubSpotClient, RateLimiter, RetryPolicy

    with HubSpotClient(base_url, token, max_workers=8) as client:
        portal = client.get_portal_id()
        props = client.list_properties("contacts")
        result = client.create_properties("contacts", bodies)   # chunked batch/create
        outcomes = client.map(lambda n: client.archive_property("contacts", n), names)
        client.stats.snapshot()

Modules: ``client`` (typed calls, reconciliation of lost writes), ``_http`` (one request:
limiter, retries, circuit breaker), ``ratelimit``, ``retry``, ``errors`` (HubSpot bodies and
httpx failures -> hubprops errors), ``batch`` (results, chunking, the thread-pool runner),
``reconcile`` (sent vs. read back), ``stats``. Only this package imports httpx's exceptions.
"""

from hubprops.hubspot.batch import BatchResult, ItemError, Outcome
from hubprops.hubspot.client import USER_AGENT, HubSpotClient
from hubprops.hubspot.ratelimit import RateLimiter
from hubprops.hubspot.retry import CircuitBreaker, RetryPolicy
from hubprops.hubspot.stats import ClientStats

__all__ = [
    "USER_AGENT",
    "BatchResult",
    "CircuitBreaker",
    "ClientStats",
    "HubSpotClient",
    "ItemError",
    "Outcome",
    "RateLimiter",
    "RetryPolicy",
]
