"""One ``batch/create`` call for one chunk, with per-input reconciliation.

HubSpot answers 201 when every input was created and 207 with ``errors[]`` otherwise
(docs/hubspot-api.md, "Batch answers"). When an earlier attempt's answer was lost, the retry's
"already exists" errors for inputs we sent are our own creates: each is read back and compared
(``reconcile.py``). Which input an error belongs to is read from its ``context``
(``{"name": [...]}``), else from the names its message mentions, else from the one input that
has neither a result nor an error.
If HubSpot refuses the whole chunk with 409, the inputs are settled one by one.

It is given what it needs from the client explicitly (the requester, the object type's
properties path, and how to read back, create one and count a reconciliation), so it does not
import the client.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hubprops.errors import Conflict, RemoteError
from hubprops.hubspot._http import Answer, Requester
from hubprops.hubspot.batch import BatchResult, ItemError
from hubprops.hubspot.errors import error_from_item, is_already_exists
from hubprops.hubspot.reconcile import require_same

Body = dict[str, Any]


@dataclass(frozen=True)
class _Calls:
    """What settling one input needs: read a sent body back, create one body, count a
    reconciliation."""

    read_back: Callable[[Body], Body | None]
    create_one: Callable[[Body], Body]
    on_reconciled: Callable[[], None]


def create_chunk(
    requester: Requester,
    properties_path: str,
    chunk: Sequence[Body],
    *,
    read_back: Callable[[Body], Body | None],
    create_one: Callable[[Body], Body],
    on_reconciled: Callable[[], None],
) -> BatchResult:
    """Create ``chunk`` (at most ``batch_size`` bodies) with one ``batch/create`` call to
    ``<properties_path>/batch/create``."""
    calls = _Calls(read_back, create_one, on_reconciled)
    answer = requester.send("POST", f"{properties_path}/batch/create", json={"inputs": list(chunk)})
    if answer.status == 409:
        return _one_by_one(calls, chunk, answer)
    body = answer.ok_json()
    by_name = {str(b.get("name")): b for b in chunk}
    results: list[dict[str, Any]] = list(body.get("results") or [])
    settled = {str(r.get("name")) for r in results}
    errors: list[ItemError] = []
    for item in body.get("errors") or []:
        if not isinstance(item, dict):
            continue
        name = _error_name(item, by_name, settled)
        settled.add(name)
        if answer.resent and is_already_exists(item) and name in by_name:
            try:
                results.append(_reconcile(calls, by_name[name], answer.what))
            except RemoteError as exc:
                errors.append(ItemError(name, exc))
            continue
        errors.append(ItemError(name or "?", error_from_item(item, answer.what)))
    return BatchResult(results=results, errors=errors)


def _reconcile(calls: _Calls, sent: Body, what: str) -> Body:
    name = str(sent.get("name"))
    found = require_same("property", name, sent, calls.read_back(sent), what)
    calls.on_reconciled()
    return found


def _one_by_one(calls: _Calls, chunk: Sequence[Body], answer: Answer) -> BatchResult:
    """The whole chunk met 409: read each input back; create the missing ones singly,
    reconcile ours (after a lost answer), and report the rest as conflicts."""
    result = BatchResult()
    for sent in chunk:
        name = str(sent.get("name"))
        try:
            remote = calls.read_back(sent)
            if remote is None:
                result.results.append(calls.create_one(sent))
            elif answer.resent:
                result.results.append(_reconcile(calls, sent, answer.what))
            else:
                raise Conflict(
                    f"{answer.what}: property {name!r} already exists in HubSpot (409); "
                    "run plan again to adopt it",
                    status=409,
                )
        except RemoteError as exc:
            result.errors.append(ItemError(name, exc))
    return result


def _error_name(item: dict[str, Any], by_name: dict[str, Any], settled: set[str]) -> str:
    context = item.get("context")
    if isinstance(context, dict):
        for name in context.get("name") or []:
            if name in by_name:
                return str(name)
    message = str(item.get("message", ""))
    mentioned = sorted((n for n in by_name if n and n in message), key=len, reverse=True)
    if mentioned:
        return mentioned[0]
    unsettled = [n for n in by_name if n not in settled]
    return unsettled[0] if len(unsettled) == 1 else ""
