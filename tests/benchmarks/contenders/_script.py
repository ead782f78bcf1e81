"""What the baseline scripts share, as a user's script would have it: read the definitions
files, the token and the base URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

BASE_URL = os.environ["HUBPROPS_API_BASE"]
TOKEN = os.environ["HUBSPOT_ACCESS_TOKEN"]
RETRY_SLEEP_S = 1.0  # what a user adds after the first 429: wait a second, try again
MAX_TRIES = 30


def definitions(folder: str) -> Iterator[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]]:
    """(object type, groups, properties) of every YAML file in the folder."""
    for path in sorted(Path(folder).glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        yield doc["objectType"], doc.get("groups", []), doc.get("properties", [])


def update_body(prop: dict[str, Any]) -> dict[str, Any]:
    """Everything but the name (HubSpot takes the name from the path)."""
    return {k: v for k, v in prop.items() if k != "name"}
