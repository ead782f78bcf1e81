"""hubprops/apply/stages.py: a UI edit during a long apply is never overwritten (issue 17,
item 4). The update stage re-lists properties at least every 100 updates or 30 s and skips a
property that moved since the plan, reporting it as stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hubprops.apply.applier import Progress, apply_plan
from hubprops.apply.stages import REREAD_EVERY, STALE_DURING_APPLY
from hubprops.sandbox import Sandbox
from tests.helpers.apply import (
    LockFile,
    enum_prop,
    make_plan,
    prop,
    sandbox_client,
    write_definitions,
)

GROUP = {"name": "ops", "label": "Ops"}


def _setup(sb: Sandbox, tmp_path: Path, lockfile: LockFile, count: int) -> tuple[Path, list[Any]]:
    props = [prop(f"p{i:03d}", "ops") for i in range(count - 1)]
    props.append(enum_prop("zz_size", "ops", ["a", "b"]))
    defs = write_definitions(tmp_path / "defs", "contacts", props, [GROUP])
    with sandbox_client(sb) as client:
        lock = lockfile.load()
        assert apply_plan(client, make_plan(client, defs, lock), lock, save=lockfile.save).ok
    relabeled = [{**p, "label": p["label"] + " v2"} for p in props]
    write_definitions(defs, "contacts", relabeled, [GROUP])
    return defs, relabeled


def _ui_adds_option(sb: Sandbox) -> None:
    size = next(p for p in sb.properties("contacts") if p["name"] == "zz_size")
    options = [*size["options"], {"label": "C", "value": "c", "displayOrder": 2, "hidden": False}]
    sb.put_property("contacts", {"name": "zz_size", "options": options})


def _values(sb: Sandbox) -> list[str]:
    size = next(p for p in sb.properties("contacts") if p["name"] == "zz_size")
    return [o["value"] for o in size["options"]]


def test_ui_edit_after_many_updates_is_skipped_as_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sb = Sandbox(rate_limit=(100000, 10.0))
    lockfile = LockFile(tmp_path / "hubprops.lock.json")
    count = REREAD_EVERY + 20
    defs, _ = _setup(sb, tmp_path, lockfile, count)
    edited = False

    def on_progress(progress: Progress) -> None:
        nonlocal edited
        if not edited and progress.done >= 5:
            edited = True
            _ui_adds_option(sb)  # someone adds an option in HubSpot's UI mid-apply

    with sandbox_client(sb) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock)
        assert len(plan.changes) == count
        result = apply_plan(client, plan, lock, save=lockfile.save, on_progress=on_progress)
    stale = [r for r in result.results if r.status == "skipped"]
    assert [r.change.name for r in stale] == ["zz_size"]
    assert STALE_DURING_APPLY in (stale[0].message or "")
    assert _values(sb) == ["a", "b", "c"]  # the option added in the UI is still there
    assert sum(r.status == "applied" for r in result.results) == count - 1
    assert result.status == "partial"


def test_ui_edit_after_thirty_seconds_is_skipped_as_stale(tmp_path: Path) -> None:
    sb = Sandbox(rate_limit=(100000, 10.0))
    lockfile = LockFile(tmp_path / "hubprops.lock.json")
    defs, _ = _setup(sb, tmp_path, lockfile, 3)
    now = [1000.0]
    edited = False

    def on_progress(progress: Progress) -> None:
        nonlocal edited
        if not edited:
            edited = True
            now[0] += 31.0
            _ui_adds_option(sb)

    with sandbox_client(sb, max_workers=1) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock)
        result = apply_plan(
            client, plan, lock, save=lockfile.save, on_progress=on_progress, clock=lambda: now[0]
        )
    by_name = {r.change.name: r for r in result.results}
    assert by_name["zz_size"].status == "skipped"
    assert STALE_DURING_APPLY in (by_name["zz_size"].message or "")
    assert by_name["p000"].status == "applied" and by_name["p001"].status == "applied"
    assert _values(sb) == ["a", "b", "c"]


# -- item 15: a create that meets an identical property adopts it --------------------------------
def _racing_transport(sb: Sandbox, labels: dict[str, str]):  # type: ignore[no-untyped-def]
    """The sandbox, where another checkout creates the properties just before our batch create
    reaches HubSpot (after our staleness check): identical ones, except ``labels``."""
    import json

    import httpx

    inner = sb.transport()
    raced = False

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal raced
        if not raced and request.method == "POST" and request.url.path.endswith("/batch/create"):
            raced = True
            for body in json.loads(request.content)["inputs"]:
                sb.put_property(
                    "contacts", {**body, "label": labels.get(body["name"], body["label"])}
                )
        return inner.handle_request(request)

    return httpx.MockTransport(handler)


def test_second_checkout_adopts_identical_properties_and_names_a_difference(
    tmp_path: Path,
) -> None:
    from hubprops.hubspot import HubSpotClient
    from hubprops.sandbox import SANDBOX_BASE_URL
    from tests.helpers.apply import TOKEN

    sb = Sandbox(rate_limit=(100000, 10.0))
    sb.put_group("contacts", GROUP)
    props = [prop(f"p{i:03d}", "ops") for i in range(5)]
    defs = write_definitions(tmp_path / "defs", "contacts", props)
    lockfile = LockFile(tmp_path / "hubprops.lock.json")
    transport = _racing_transport(sb, {"p004": "Someone Else's"})
    with HubSpotClient(SANDBOX_BASE_URL, TOKEN, transport=transport) as client:
        lock = lockfile.load()
        plan = make_plan(client, defs, lock)
        result = apply_plan(client, plan, lock, save=lockfile.save)
    by_name = {r.change.name: r for r in result.results}
    assert [n for n, r in by_name.items() if r.status == "applied"] == [f"p00{i}" for i in range(4)]
    failed = by_name["p004"]
    assert failed.status == "failed"
    assert "already exists in HubSpot and differs in label" in (failed.message or "")
    recorded = lockfile.raw()["portals"][str(sb.portal_id)]["objects"]["contacts"]["properties"]
    assert sorted(recorded) == [f"p00{i}" for i in range(4)]
    assert recorded["p000"]["created_by_hubprops"] is False  # adopted, not made here
