"""Shared fixtures. Every test runs against the project's own sandbox, never a real portal."""

from __future__ import annotations

import os

import pytest

RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--record-mode",
        default="none",
        choices=RECORD_MODES,
        help="vcrpy record mode for tests/hubspot/test_cassettes.py (rewrite: delete, record)",
    )
    parser.addoption(
        "--long",
        action="store_true",
        help="tests/reliability: the long form (hundreds of fault runs, 50 kills; minutes)",
    )


@pytest.fixture(autouse=True)
def _no_real_hubspot(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach api.hubapi.com: drop any token and base URL from the environment."""
    if os.environ.get("HUBPROPS_LIVE") != "1":
        monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
        monkeypatch.delenv("HUBPROPS_API_BASE", raising=False)
