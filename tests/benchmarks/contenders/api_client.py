"""The same loop on HubSpot's ``hubspot-api-client`` 12, as its README shows it: a ``HubSpot``
client with the README's urllib3 ``Retry`` on 429 (urllib3 does not retry POST or PATCH, so
those get a sleep-and-retry around the call as well)."""

# ruff: noqa: B023  (each lambda is called at once, inside its own loop iteration)
from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

from hubspot import HubSpot
from hubspot.crm.properties import PropertyCreate, PropertyGroupCreate, PropertyUpdate
from hubspot.crm.properties.exceptions import ApiException
from urllib3.util.retry import Retry

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
        except ApiException as exc:
            if exc.status != 429 or attempt == MAX_TRIES - 1:
                raise
            time.sleep(RETRY_SLEEP_S)
    raise AssertionError("unreachable")


def snake(prop: dict[str, Any]) -> dict[str, Any]:
    names = {"fieldType": "field_type", "groupName": "group_name", "displayOrder": "display_order"}
    return {names.get(k, k): v for k, v in prop.items()}


def main(folder: str) -> int:
    retry = Retry(total=5, backoff_factor=0.3, status_forcelist=(429,))
    api_client = HubSpot(access_token=TOKEN, retry=retry, host=BASE_URL)
    core = api_client.crm.properties.core_api
    groups_api = api_client.crm.properties.groups_api
    failed = 0
    for object_type, groups, props in definitions(folder):
        for group in groups:
            try:
                retried(lambda: groups_api.get_by_name(object_type, group["name"]))
            except ApiException as exc:
                if exc.status != 404:
                    raise
                body = PropertyGroupCreate(name=group["name"], label=group["label"])
                retried(lambda: groups_api.create(object_type, property_group_create=body))
        for prop in props:
            try:
                try:
                    retried(lambda: core.get_by_name(object_type, prop["name"]))
                except ApiException as exc:
                    if exc.status != 404:
                        raise
                    create = PropertyCreate(**snake(prop))
                    retried(lambda: core.create(object_type, property_create=create))
                else:
                    update = PropertyUpdate(**snake(update_body(prop)))
                    retried(lambda: core.update(object_type, prop["name"], property_update=update))
            except ApiException as exc:
                print(f"{object_type}.{prop['name']}: {exc.status}", file=sys.stderr)
                failed += 1
    print(f"failed: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
