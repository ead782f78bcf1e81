"""The same loop on HubSpot's new ``hubspot-sdk`` (date-versioned ``/crm/properties/2026-03/``
paths), as its README shows it: a ``HubSpot`` client; its own retries (2 by default) are
raised to what a user sets after the first 429, plus a sleep-and-retry around each call."""

# ruff: noqa: B023  (each lambda is called at once, inside its own loop iteration)
from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

import hubspot_sdk
from hubspot_sdk import HubSpot

from tests.benchmarks.contenders._script import (
    BASE_URL,
    MAX_TRIES,
    RETRY_SLEEP_S,
    TOKEN,
    definitions,
    update_body,
)

T = TypeVar("T")


def retried(call: Callable[[], T]) -> T:
    for attempt in range(MAX_TRIES):
        try:
            return call()
        except hubspot_sdk.RateLimitError:
            if attempt == MAX_TRIES - 1:
                raise
            time.sleep(RETRY_SLEEP_S)
    raise AssertionError("unreachable")


def snake(prop: dict[str, Any]) -> dict[str, Any]:
    names = {"fieldType": "field_type", "groupName": "group_name", "displayOrder": "display_order"}
    out = {names.get(k, k): v for k, v in prop.items()}
    if "options" in out:
        out["options"] = [
            {"hidden": False, **{names.get(k, k): v for k, v in o.items()}} for o in out["options"]
        ]
    return out


def main(folder: str) -> int:
    client = HubSpot(access_token=TOKEN, base_url=BASE_URL, max_retries=5)
    failed = 0
    for object_type, groups, props in definitions(folder):
        for group in groups:
            try:
                retried(
                    lambda: client.crm.properties.groups.get(group["name"], object_type=object_type)
                )
            except hubspot_sdk.NotFoundError:
                retried(
                    lambda: client.crm.properties.groups.create(
                        object_type, name=group["name"], label=group["label"]
                    )
                )
        for prop in props:
            try:
                try:
                    retried(
                        lambda: client.crm.properties.get(prop["name"], object_type=object_type)
                    )
                except hubspot_sdk.NotFoundError:
                    retried(lambda: client.crm.properties.create(object_type, **snake(prop)))
                else:
                    body = snake(update_body(prop))
                    retried(
                        lambda: client.crm.properties.update(
                            prop["name"], object_type=object_type, **body
                        )
                    )
            except hubspot_sdk.APIStatusError as exc:
                print(f"{object_type}.{prop['name']}: {exc.status_code}", file=sys.stderr)
                failed += 1
    print(f"failed: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
