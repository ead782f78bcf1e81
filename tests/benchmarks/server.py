"""The sandbox as a benchmark subprocess: HubSpot's API over HTTP on a free loopback port, plus
a control pipe on stdin/stdout that reads the request log and the portal's state without
sending HTTP (so checking a contender's result neither costs it rate limit nor shows in its
request count).

Run: ``python -m tests.benchmarks.server --latency MS --rate-limit N/SECONDS [--quota N]``.
It prints ``{"url": ...}`` as its first line, then answers one JSON line per command line:

- ``{"op": "stats"}``: requests since the last reset: total, by method, 429s, lost, 5xx;
- ``{"op": "reset"}``: forget the request log;
- ``{"op": "state", "types": [...]}``: the active custom properties and groups per type;
- ``{"op": "seed", "type": T, "properties": [...], "groups": [...]}``: put them directly;
- ``{"op": "log"}``: every logged request as ``[method, path, status, lost]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections import Counter
from typing import Any

from hubprops.sandbox import Sandbox, SandboxHTTPServer


class _QuietServer(SandboxHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client killed mid-request (the reliability kills) resets its socket: not news."""


def _stats(sb: Sandbox) -> dict[str, Any]:
    log = sb.requests
    return {
        "requests": len(log),
        "by_method": dict(Counter(r.method for r in log)),
        "throttled": sum(r.status == 429 for r in log),
        "server_errors": sum(r.status >= 500 for r in log),
        "lost": sum(r.lost for r in log),
    }


def _state(sb: Sandbox, types: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for t in types:
        props = [p for p in sb.properties(t) if not p.get("hubspotDefined")]
        out[t] = {
            "properties": props,
            "archived": [p["name"] for p in sb.properties(t, archived=True)],
            "groups": sb.groups(t),
        }
    return out


def _answer(sb: Sandbox, command: dict[str, Any]) -> Any:
    op = command.get("op")
    if op == "stats":
        return _stats(sb)
    if op == "reset":
        sb.clear_requests()
        return {"ok": True}
    if op == "state":
        return _state(sb, list(command["types"]))
    if op == "seed":
        for g in command.get("groups", []):
            sb.put_group(command["type"], g)
        for p in command.get("properties", []):
            sb.put_property(command["type"], p)
        return {"ok": True}
    if op == "log":
        return [[r.method, r.path, r.status, r.lost] for r in sb.requests]
    return {"error": f"unknown op {op!r}"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.server")
    parser.add_argument("--latency", type=float, default=100.0, help="ms per request")
    parser.add_argument("--rate-limit", default="190/10", help="N/SECONDS rolling window")
    parser.add_argument("--quota", type=int, default=None, help="custom properties per type")
    # HubSpot sends X-HubSpot-RateLimit-Daily(-Remaining) on every response to a private app's
    # token (API-FACTS section 6); 1,000,000 is Enterprise's daily limit.
    parser.add_argument("--daily-limit", type=int, default=1_000_000, help="requests per day")
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--lost-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.quota is not None:
        # Lifting HubSpot's 1,000-per-type quota (only to time a plan at 10,000 per type).
        import hubprops.sandbox.store as store

        store.CUSTOM_PROPERTY_LIMIT = args.quota
    count, _, seconds = args.rate_limit.partition("/")
    sb = Sandbox(
        rate_limit=(int(count), float(seconds)),
        daily_limit=args.daily_limit,
        latency_ms=args.latency,
        fault_rate=args.fault_rate,
        lost_response_rate=args.lost_rate,
        seed=args.seed,
    )
    server = _QuietServer(sb, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    print(json.dumps({"url": server.url, "portal_id": sb.portal_id}), flush=True)
    for line in sys.stdin:  # the parent closes stdin to stop us
        if line.strip():
            print(json.dumps(_answer(sb, json.loads(line))), flush=True)
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
