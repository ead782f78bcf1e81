"""The contenders of the side-by-side benchmark. Each is one or more processes timed from
start to exit, talking to the sandbox named by ``HUBPROPS_API_BASE`` with the token in
``HUBSPOT_ACCESS_TOKEN``, syncing the definitions folder it is given.

- ``hubprops``: ``hubprops plan -o plan.json`` then ``hubprops apply plan.json`` (two processes);
- ``naive-httpx``: the original sync service's way with httpx: per property, read it, then
  create or update it;
- ``hubspot-api-client``: the same loop on HubSpot's ``hubspot-api-client`` 12 (urllib3);
- ``hubspot-sdk``: the same loop on HubSpot's new ``hubspot-sdk`` (date-versioned paths).

The three baselines add the retry a user adds after the first 429 (sleep, then try again).
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.benchmarks.harness import HUBPROPS

BASELINES = ("naive-httpx", "hubspot-api-client", "hubspot-sdk")
ALL = ("hubprops", *BASELINES)
_MODULES = {
    "naive-httpx": "tests.benchmarks.contenders.naive_httpx",
    "hubspot-api-client": "tests.benchmarks.contenders.api_client",
    "hubspot-sdk": "tests.benchmarks.contenders.sdk",
}


def commands(name: str, defs: Path, work: Path) -> list[list[str]]:
    """The processes that make one sync of ``defs`` (run in ``work``, one after another)."""
    if name == "hubprops":
        plan = str(work / "plan.json")
        return [
            [*HUBPROPS, "plan", "-d", str(defs), "-o", plan],
            [*HUBPROPS, "apply", plan],
        ]
    return [[sys.executable, "-m", _MODULES[name], str(defs)]]
