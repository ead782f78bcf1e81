"""Fixtures for the sandbox's own tests: a sandbox on a fake clock, and an httpx client on it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox, serve
from tests.helpers.clock import FakeClock

AUTH = {"Authorization": "Bearer test-token"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_sandbox(clock: FakeClock, **kw: Any) -> Sandbox:
    """A Sandbox driven by ``clock`` (rate limits and timestamps never depend on real time)."""
    return Sandbox(clock=clock, sleep=clock.sleep, now=clock.now, **kw)


@pytest.fixture
def sb(clock: FakeClock) -> Sandbox:
    return make_sandbox(clock)


@pytest.fixture(params=["in_process", "http"])
def client(sb: Sandbox, request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    """An httpx client on ``sb``: in process, and again over real HTTP on loopback."""
    if request.param == "in_process":
        with httpx.Client(transport=sb.transport(), base_url=SANDBOX_BASE_URL, headers=AUTH) as c:
            yield c
        return
    with serve(sb) as server, httpx.Client(base_url=server.url, headers=AUTH, verify=False) as c:
        yield c


def prop_body(name: str, **kw: Any) -> dict[str, Any]:
    """A minimal valid PropertyCreate for contacts."""
    body: dict[str, Any] = {
        "name": name,
        "label": name.title(),
        "type": "string",
        "fieldType": "text",
        "groupName": "contactinformation",
    }
    body.update(kw)
    return body


def enum_body(name: str, *values: str, **kw: Any) -> dict[str, Any]:
    """A valid select enumeration with ``values`` as options."""
    options = [{"label": v.title(), "value": v, "hidden": False} for v in values]
    return prop_body(name, type="enumeration", fieldType="select", options=options, **kw)
