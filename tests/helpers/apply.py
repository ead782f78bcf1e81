"""Helpers shared by the applier, apply-command and reliability tests: definitions folders
written on the fly, a client on an in-process sandbox, plans, and lock checks."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from hubprops.definitions.loader import load_definitions
from hubprops.hubspot import HubSpotClient, RetryPolicy
from hubprops.lock.file import Lock, load_lock, save_lock
from hubprops.plan.remote import plan_against
from hubprops.plan.types import Plan, PlanOptions
from hubprops.sandbox import SANDBOX_BASE_URL, LoggedRequest, Sandbox

REPO = Path(__file__).resolve().parents[2]
LOCK_SCHEMA = json.loads((REPO / "hubprops" / "schemas" / "lock.schema.json").read_text())
TOKEN = "test-token-not-secret"


def lock_errors(data: Any) -> list[str]:
    """Schema violations of a lock document (empty when valid)."""
    validator = Draft202012Validator(LOCK_SCHEMA)
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]


def prop(name: str, group: str, label: str | None = None, **extra: Any) -> dict[str, Any]:
    """A custom string/text property definition."""
    return {
        "name": name,
        "label": label or name.replace("_", " ").title(),
        "type": "string",
        "fieldType": "text",
        "groupName": group,
        **extra,
    }


def enum_prop(name: str, group: str, values: Sequence[str]) -> dict[str, Any]:
    return {
        "name": name,
        "label": name.title(),
        "type": "enumeration",
        "fieldType": "select",
        "groupName": group,
        "options": [{"label": v.title(), "value": v} for v in values],
    }


def write_definitions(
    folder: Path,
    object_type: str,
    properties: Sequence[dict[str, Any]],
    groups: Sequence[dict[str, Any]] = (),
) -> Path:
    """Write ``<folder>/<object_type>.yaml``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    doc: dict[str, Any] = {"objectType": object_type}
    if groups:
        doc["groups"] = list(groups)
    doc["properties"] = list(properties)
    (folder / f"{object_type}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    return folder


def many(prefix: str, count: int, group: str, label_suffix: str = "") -> list[dict[str, Any]]:
    return [
        prop(f"{prefix}_{i:03d}", group, label=f"{prefix} {i}{label_suffix}") for i in range(count)
    ]


def fast_retry(seed: int = 0) -> RetryPolicy:
    """Retries without real sleeping (the sandbox has no real outage to wait out)."""
    import random

    return RetryPolicy(base_delay=0.0, max_delay=0.0, rng=random.Random(seed), sleep=lambda s: None)


@contextmanager
def sandbox_client(sb: Sandbox, **kw: Any) -> Iterator[HubSpotClient]:
    with HubSpotClient(SANDBOX_BASE_URL, TOKEN, transport=sb.transport(), **kw) as client:
        yield client


def make_plan(
    client: HubSpotClient,
    definitions: Path,
    lock: Lock,
    *,
    objects: Sequence[str] = (),
    prune: bool = False,
    allow_destructive: bool = False,
) -> Plan:
    loaded = load_definitions(definitions)
    options = PlanOptions(objects=tuple(objects), prune=prune, allow_destructive=allow_destructive)
    return plan_against(
        client, loaded.definitions, lock, options=options, api_base=SANDBOX_BASE_URL
    )


def writes(requests: Sequence[LoggedRequest]) -> list[LoggedRequest]:
    """Every request that could change HubSpot (anything but GET)."""
    return [r for r in requests if r.method != "GET"]


def per_object_type(requests: Sequence[LoggedRequest]) -> dict[str, list[str]]:
    """``{"contacts": ["GET /crm/v3/properties/contacts", ...]}`` (account-info left out)."""
    out: dict[str, list[str]] = {}
    for r in requests:
        parts = r.path.split("/")
        if len(parts) > 4 and parts[1:4] == ["crm", "v3", "properties"]:
            out.setdefault(parts[4], []).append(f"{r.method} {r.path}")
    return out


class LockFile:
    """A lock on disk with the save callback apply needs, validating every write."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.saves = 0

    def load(self) -> Lock:
        return load_lock(self.path)

    def save(self, lock: Lock) -> None:
        save_lock(self.path, lock)
        self.saves += 1

    def raw(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        return data


def names(items: Sequence[dict[str, Any]]) -> list[str]:
    return sorted(str(i["name"]) for i in items)
