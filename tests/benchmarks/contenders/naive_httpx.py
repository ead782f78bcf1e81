"""The original sync service's way, with httpx: for each property, read it, then create it
(404) or update it; the group first, the same way. One request at a time."""

from __future__ import annotations

import sys
import time
from typing import Any

import httpx

from tests.benchmarks.contenders._script import (
    BASE_URL,
    MAX_TRIES,
    RETRY_SLEEP_S,
    TOKEN,
    definitions,
    update_body,
)


def call(client: httpx.Client, method: str, url: str, **kw: Any) -> httpx.Response:
    for _ in range(MAX_TRIES):
        answer = client.request(method, url, **kw)
        if answer.status_code != 429:
            return answer
        time.sleep(RETRY_SLEEP_S)
    return answer


def main(folder: str) -> int:
    failed = 0
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=BASE_URL, headers=headers, timeout=30) as client:
        for object_type, groups, props in definitions(folder):
            base = f"/crm/v3/properties/{object_type}"
            for group in groups:
                found = call(client, "GET", f"{base}/groups/{group['name']}")
                if found.status_code == 404:
                    made = call(client, "POST", f"{base}/groups", json=group)
                    failed += made.status_code >= 300
            for prop in props:
                found = call(client, "GET", f"{base}/{prop['name']}")
                if found.status_code == 404:
                    done = call(client, "POST", base, json=prop)
                else:
                    done = call(client, "PATCH", f"{base}/{prop['name']}", json=update_body(prop))
                failed += done.status_code >= 300
    print(f"failed: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
