"""The three property batch endpoints: create (201/207), read (200/207), archive (204).

Batch create is modelled strictly (its real behaviour is [UNCONFIRMED]): every input is
validated and created on its own, in order, so valid inputs are created even when others fail;
all created -> 201 BatchResponseProperty; any failure -> 207 BatchResponsePropertyWithErrors,
one StandardError per failed input with ``context: {"name": [<input name>]}``. A second input
with the same name as an earlier one fails with OBJECT_ALREADY_EXISTS. Batch archive validates
the whole batch first: a HubSpot-defined or non-archivable property rejects it (400, nothing
archived); missing or already archived names are ignored (204, as HubSpot documents).
"""

from __future__ import annotations

from typing import Any

from hubprops.sandbox.errors import OBJECT_NOT_FOUND, ApiError, detail, invalid
from hubprops.sandbox.store import SENSITIVITIES, Store
from hubprops.sandbox.versions import V3, ApiVersion


def _inputs(body: Any, max_batch: int, what: str) -> list[Any]:
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), list):
        raise invalid(
            f"Invalid input JSON: {what} needs an object with an 'inputs' array",
            [detail("inputs is required", "inputs", "REQUIRED")],
        )
    inputs: list[Any] = body["inputs"]
    if len(inputs) > max_batch:
        raise invalid(
            f"Too many inputs: {len(inputs)} given, at most {max_batch} per batch request",
            [detail(f"at most {max_batch} inputs", "inputs", "TOO_MANY")],
        )
    return inputs


def _names(inputs: list[Any]) -> list[str]:
    bad = [i for i, item in enumerate(inputs) if not isinstance(item, dict)]
    bad += [
        i
        for i, item in enumerate(inputs)
        if isinstance(item, dict) and not isinstance(item.get("name"), str)
    ]
    if bad:
        raise invalid(
            "Invalid input JSON: every input needs a 'name' string",
            [detail("name is required", f"inputs[{i}].name", "REQUIRED") for i in sorted(bad)],
        )
    return [item["name"] for item in inputs]


def _response(
    store: Store, started: str, results: list[dict[str, Any]], errors: list[dict[str, Any]]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "status": "COMPLETE",
        "results": results,
        "startedAt": started,
        "completedAt": store.now_text(),
    }
    if errors:
        out["numErrors"] = len(errors)
        out["errors"] = errors
    return out


def batch_create(
    store: Store, object_type: str, body: Any, max_batch: int, version: ApiVersion = V3
) -> tuple[int, dict[str, Any]]:
    """``{inputs: [PropertyCreate]}`` -> (201 or 207, batch response)."""
    store.list_properties(object_type)  # unknown object type: 400 before anything else
    started = store.now_text()
    results: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for item in _inputs(body, max_batch, "batch create"):
        try:
            results.append(store.create_property(object_type, item, version))
        except ApiError as exc:
            name = item.get("name") if isinstance(item, dict) else None
            errors.append(exc.batch_item(name if isinstance(name, str) else ""))
    return (207 if errors else 201), _response(store, started, results, errors)


def batch_read(
    store: Store, object_type: str, body: Any, max_batch: int
) -> tuple[int, dict[str, Any]]:
    """``{archived, dataSensitivity, inputs: [{name}]}`` (all required) -> (200 or 207, ...)."""
    inputs = _inputs(body, max_batch, "batch read")
    problems = []
    if not isinstance(body.get("archived"), bool):
        problems.append(detail("archived (boolean) is required", "archived", "REQUIRED"))
    if body.get("dataSensitivity") not in SENSITIVITIES:
        problems.append(
            detail(
                "dataSensitivity is required: one of " + ", ".join(SENSITIVITIES),
                "dataSensitivity",
                "REQUIRED",
            )
        )
    if problems:
        raise invalid("Invalid input JSON: " + "; ".join(p["message"] for p in problems), problems)
    started = store.now_text()
    results: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for name in _names(inputs):
        try:
            results.append(
                store.get_property(
                    object_type,
                    name,
                    archived=body["archived"],
                    sensitivity=body["dataSensitivity"],
                )
            )
        except ApiError as exc:
            if exc.category != OBJECT_NOT_FOUND:
                raise
            errors.append(exc.batch_item(name))
    return (207 if errors else 200), _response(store, started, results, errors)


def batch_archive(store: Store, object_type: str, body: Any, max_batch: int) -> None:
    """``{inputs: [{name}]}`` -> archive every active one (204 whatever their prior state)."""
    names = _names(_inputs(body, max_batch, "batch archive"))
    active = store.objects[store.resolve(object_type)]["properties"]
    present = [n for n in dict.fromkeys(names) if n in active]
    for name in present:
        store.check_archivable(object_type, name)
    for name in present:
        store.archive_property(object_type, name)
