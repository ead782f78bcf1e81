"""Shared fixtures. Every test runs against the project's own sandbox, never a real portal."""

from __future__ import annotations

import os
import signal
import tempfile

import pytest

RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")


def pytest_configure(config: pytest.Config) -> None:
    """A test run started in the background (``pytest &``, some CI runners) inherits SIGINT
    ignored, and so would every hubprops process a test starts: tests that press Ctrl-C on a
    real process would then hang. Give this process, and through exec its children, the
    disposition a terminal user has."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    # The parse cache of every command (and of the processes tests start) lives in this run's
    # temporary folder, never in the user's ~/.cache; tests that check the cache set their own.
    if "HUBPROPS_CACHE_DIR" not in os.environ:
        os.environ["HUBPROPS_CACHE_DIR"] = tempfile.mkdtemp(prefix="hubprops-test-cache-")


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
