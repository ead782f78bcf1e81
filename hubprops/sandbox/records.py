"""Records (CRM objects) of the sandbox: stored values, seeding, batch read and batch update.

Each object type keeps ``{"nextId": int, "rows": {id: {"createdAt", "updatedAt",
"properties": {name: str}}}}``; values are strings, as HubSpot answers them. Records follow the
schema as HubSpot's do: archiving a property drops its values (they are no longer readable);
removing an option leaves the values that used it on the records. ``hs_object_id``,
``createdate`` and ``hs_lastmodifieddate`` (``lastmodifieddate`` on contacts) are computed.
"""

from __future__ import annotations

import json
import random
from typing import Any

from hubprops.sandbox.errors import ApiError, detail, invalid

SYSTEM = ("hs_object_id", "createdate", "hs_lastmodifieddate", "lastmodifieddate")
_WORDS = ("alpha", "bravo", "delta", "echo", "harbor", "maple", "nova", "orbit", "pine", "river")


def empty_records() -> dict[str, Any]:
    return {"nextId": 1, "rows": {}}


def system_values(object_type: str, record_id: str, row: dict[str, Any]) -> dict[str, str]:
    modified = "lastmodifieddate" if object_type == "contacts" else "hs_lastmodifieddate"
    return {"hs_object_id": record_id, "createdate": row["createdAt"], modified: row["updatedAt"]}


def fake_value(prop: dict[str, Any], i: int, rng: random.Random) -> str | None:
    """A realistic value for ``prop`` on the i-th record (None: leave it empty)."""
    if rng.random() < 0.2:
        return None
    type_, options = prop["type"], [o["value"] for o in prop.get("options", [])]
    if type_ == "enumeration" and options:
        if prop["fieldType"] == "checkbox":
            return ";".join(sorted(rng.sample(options, min(len(options), rng.randint(1, 2)))))
        return str(rng.choice(options))
    if type_ == "bool":
        return str(rng.choice(options or ["true", "false"]))
    if type_ == "number":
        return str(rng.randint(0, 5000))
    if type_ == "date":
        return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if type_ == "datetime":
        return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:00:00.000Z"
    if type_ == "phone_number" or prop["fieldType"] == "phonenumber":
        return f"+1 555 01{i % 100:02d}"
    if prop["name"] == "email" or "email" in prop["name"]:
        return f"person{i}@example.com"
    return f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {i}"


def check_value(prop: dict[str, Any] | None, name: str, raw: Any) -> tuple[str | None, Any]:
    """A record value to store (``None`` clears) or an ErrorDetail-ish problem."""
    if prop is None:
        return None, detail(f'Property "{name}" does not exist', name, "PROPERTY_DOESNT_EXIST")
    if prop["modificationMetadata"].get("readOnlyValue"):
        return None, detail(f'Property "{name}" is read-only', name, "READ_ONLY_VALUE")
    if raw is None or raw == "":
        return None, None
    if isinstance(raw, bool):
        value = "true" if raw else "false"
    elif isinstance(raw, (int, float, str)):
        value = str(raw)
    else:
        return None, detail(f'"{name}" must be a string, number or boolean', name, "INVALID_TYPE")
    if prop["type"] == "number":
        try:
            float(value)
        except ValueError:
            return None, detail(f"{value} is not a valid number", name, "INVALID_DECIMAL")
    if prop["type"] == "enumeration" and not prop.get("externalOptions"):
        allowed = {o["value"] for o in prop.get("options", [])}
        given = value.split(";") if prop["fieldType"] == "checkbox" else [value]
        bad = [v for v in given if v not in allowed]
        if bad:
            return None, detail(
                f"{bad[0]} was not one of the allowed options for {name}", name, "INVALID_OPTION"
            )
    return value, None


class RecordStore:
    """Records of every object type (plain dicts, kept small: 2,000+ per type is fine)."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.data: dict[str, dict[str, Any]] = data or {}
        self._dirty: set[str] = set(self.data)
        self._texts: dict[str, str] = {}

    def serialized(self) -> str:
        """The records as compact JSON; only the types that changed are re-serialized."""
        for key in self._dirty:
            if key in self.data:
                self._texts[key] = json.dumps(self.data[key], separators=(",", ":"))
        self._dirty.clear()
        return "{" + ",".join(f"{json.dumps(k)}:{self._texts[k]}" for k in self.data) + "}"

    def of(self, object_type: str) -> dict[str, Any]:
        if object_type not in self.data:
            self.data[object_type] = empty_records()
            self._dirty.add(object_type)
        return self.data[object_type]

    def rows(self, object_type: str) -> dict[str, dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = self.of(object_type)["rows"]
        return rows

    def add(self, object_type: str, values: dict[str, str], stamp: str) -> str:
        table = self.of(object_type)
        record_id = str(table["nextId"])
        table["nextId"] += 1
        table["rows"][record_id] = {"createdAt": stamp, "updatedAt": stamp, "properties": values}
        self._dirty.add(object_type)
        return record_id

    def seed(
        self, object_type: str, props: list[dict[str, Any]], count: int, stamp: str, seed: int
    ) -> int:
        """Top the type up to ``count`` records with values for ``props``; how many added."""
        rng = random.Random(f"{seed}:{object_type}")
        have = len(self.rows(object_type))
        writable = [p for p in props if not p["modificationMetadata"].get("readOnlyValue")]
        for i in range(have, count):
            values = {}
            for prop in writable:
                value = fake_value(prop, i, rng)
                if value is not None:
                    values[prop["name"]] = value
            self.add(object_type, values, stamp)
        return max(0, count - have)

    def drop_property(self, object_type: str, name: str) -> None:
        """An archived property's values are no longer readable: forget them."""
        for row in self.rows(object_type).values():
            if row["properties"].pop(name, None) is not None:
                self._dirty.add(object_type)

    def present(
        self, object_type: str, record_id: str, names: list[str] | None, active: dict[str, Any]
    ) -> dict[str, Any]:
        """A SimplePublicObject: requested (or default) properties, null when unset."""
        row = self.rows(object_type)[record_id]
        system = system_values(object_type, record_id, row)
        wanted = names if names is not None else list(system)
        out: dict[str, Any] = {}
        for name in wanted:
            if name in system:
                out[name] = system[name]
            elif name in active:
                out[name] = row["properties"].get(name)
        return {
            "id": record_id,
            "properties": out,
            "createdAt": row["createdAt"],
            "updatedAt": row["updatedAt"],
            "archived": False,
        }

    def update(
        self, object_type: str, inputs: list[Any], active: dict[str, Any], stamp: str
    ) -> tuple[list[str], list[str]]:
        """Validate every input, then apply all (all or nothing) -> (updated ids, missing)."""
        rows = self.rows(object_type)
        problems: list[dict[str, Any]] = []
        changes: list[tuple[str, dict[str, str | None]]] = []
        missing: list[str] = []
        for i, item in enumerate(inputs):
            if not isinstance(item, dict) or not isinstance(item.get("properties"), dict):
                problems.append(detail("input needs id and properties", f"inputs[{i}]"))
                continue
            record_id = str(item.get("id", ""))
            if record_id not in rows:
                missing.append(record_id)
                continue
            values: dict[str, str | None] = {}
            for name, raw in item["properties"].items():
                value, problem = check_value(active.get(name), name, raw)
                if problem is not None:
                    problems.append(problem)
                values[name] = value
            changes.append((record_id, values))
        if problems:
            raise ApiError(
                400,
                "Property values were not valid: " + "; ".join(p["message"] for p in problems),
                errors=problems,
            )
        for record_id, values in changes:
            props = rows[record_id]["properties"]
            for name, value in values.items():
                if value is None:
                    props.pop(name, None)
                else:
                    props[name] = value
            rows[record_id]["updatedAt"] = stamp
        self._dirty.add(object_type)
        return [rid for rid, _ in changes], missing


def batch_inputs(body: Any, max_batch: int) -> list[Any]:
    """The ``inputs`` of an objects batch body (at most ``max_batch``)."""
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), list):
        raise invalid("Invalid input JSON: expected an object with an 'inputs' array")
    inputs: list[Any] = body["inputs"]
    if len(inputs) > max_batch:
        raise invalid(
            f"Too many inputs: {len(inputs)} given, at most {max_batch} per batch request",
            [detail(f"at most {max_batch} inputs", "inputs", "TOO_MANY")],
        )
    return inputs
