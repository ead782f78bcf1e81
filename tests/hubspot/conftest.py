"""Fixtures for the HubSpot client tests: a fake clock, clients over a fake transport or the
sandbox, and the tiny ``--record-mode`` option for the vcrpy cassette tests.

``--record-mode`` (none | once | new_episodes | all | rewrite; default none) decides whether
``test_cassettes.py`` replays its cassettes (the default, and CI) or records them again (the
option is declared in tests/conftest.py so that pytest knows it from any folder)::

    pytest tests/hubspot/test_cassettes.py --record-mode=rewrite           # against the sandbox
    HUBPROPS_LIVE=1 HUBSPOT_ACCESS_TOKEN=pat-... \
        pytest tests/hubspot/test_cassettes.py -m live --record-mode=rewrite  # a real test portal
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from hubprops.hubspot import HubSpotClient, RateLimiter, RetryPolicy
from tests.helpers.clock import FakeClock

TEST_TOKEN = "pat-na1-test-token-0000"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


ClientFactory = Callable[..., HubSpotClient]


@pytest.fixture
def mock_client(clock: FakeClock) -> Iterator[ClientFactory]:
    """``mock_client(handler, **kw)``: a client over ``httpx.MockTransport(handler)`` whose
    limiter and retries run on the fake clock (so backoff and waits cost no real time)."""
    made: list[HubSpotClient] = []

    def make(handler: Callable[[httpx.Request], httpx.Response], **kw: object) -> HubSpotClient:
        kw.setdefault("limiter", RateLimiter(clock=clock, sleep=clock.sleep))
        kw.setdefault("retry", RetryPolicy(sleep=clock.sleep, clock=clock))
        client = HubSpotClient(
            "https://api.hubapi.test",
            TEST_TOKEN,
            transport=httpx.MockTransport(handler),
            **kw,  # type: ignore[arg-type]
        )
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
