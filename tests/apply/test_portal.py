"""Which portal apply writes to (issue 17, item 3): HubSpot's account details win over
``--portal`` whenever the token can read them; ``--portal`` only fills in when it cannot."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from hubprops.apply.applier import apply_plan
from hubprops.errors import PermissionDenied, WrongPortal
from hubprops.hubspot import HubSpotClient
from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox
from tests.helpers.apply import (
    TOKEN,
    LockFile,
    make_plan,
    names,
    prop,
    sandbox_client,
    write_definitions,
    writes,
)

GROUP = {"name": "ops", "label": "Ops"}


def _plan_for(sb: Sandbox, tmp_path: Path, lockfile: LockFile):  # type: ignore[no-untyped-def]
    defs = write_definitions(tmp_path / "defs", "contacts", [prop("alpha", "ops")], [GROUP])
    with sandbox_client(sb) as client:
        return make_plan(client, defs, lockfile.load())


def test_portal_flag_does_not_override_the_portal_hubspot_names(tmp_path: Path) -> None:
    lockfile = LockFile(tmp_path / "hubprops.lock.json")
    staging, other = Sandbox(portal_id=62515), Sandbox(portal_id=77777)
    plan = _plan_for(staging, tmp_path, lockfile)
    with sandbox_client(other) as client, pytest.raises(WrongPortal) as info:
        apply_plan(client, plan, lockfile.load(), save=lockfile.save, portal_id=62515)
    assert "62515" in str(info.value) and "77777" in str(info.value)
    assert writes(other.requests) == []
    assert "alpha" not in names(other.properties("contacts"))
    assert not lockfile.path.exists()


def test_portal_flag_fills_in_when_the_token_may_not_read_account_details(
    tmp_path: Path,
) -> None:
    lockfile = LockFile(tmp_path / "hubprops.lock.json")
    sb = Sandbox(portal_id=62515)
    plan = _plan_for(sb, tmp_path, lockfile)
    inner = sb.transport()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/account-info/"):
            body = {"status": "error", "category": "MISSING_SCOPES", "message": "no scope"}
            return httpx.Response(403, json=body)
        return inner.handle_request(request)

    transport = httpx.MockTransport(handler)
    with HubSpotClient(SANDBOX_BASE_URL, TOKEN, transport=transport) as client:
        with pytest.raises(PermissionDenied):
            apply_plan(client, plan, lockfile.load(), save=lockfile.save)
        result = apply_plan(client, plan, lockfile.load(), save=lockfile.save, portal_id=62515)
    assert result.ok
    assert "62515" in lockfile.raw()["portals"]
