"""status_data (hubprops/status.py): the original system's status ``data`` object from a lock."""

from __future__ import annotations

import pytest

from hubprops.lock.file import LastSync, Lock, LockedProperty
from hubprops.lock.status import choose_portal, format_duration, status_data

DIGEST = "b" * 64


def add_props(lock: Lock, portal: int, object_type: str, count: int) -> None:
    entry = lock.entry(portal, object_type)
    for i in range(count):
        entry.properties[f"p{i}"] = LockedProperty(id=f"x/p{i}", sha256=DIGEST)


def synced_lock() -> Lock:
    lock = Lock()
    add_props(lock, 1, "contacts", 15)
    add_props(lock, 1, "leads", 25)
    ts = "2024-01-15T10:30:00Z"
    lock.entry(1, "contacts").last_sync = LastSync(timestamp=ts, status="completed", created=8)
    lock.entry(1, "leads").last_sync = LastSync(timestamp=ts, status="completed", created=12)
    lock.portal(1).last_sync = LastSync(
        timestamp=ts, status="completed", duration_s=2.4, object_types=["contacts", "leads"]
    )
    return lock


def test_all_has_the_original_endpoint_shape() -> None:
    assert status_data(synced_lock(), "all") == {
        "sync_type": "all",
        "last_sync": {
            "timestamp": "2024-01-15T10:30:00Z",
            "status": "completed",
            "duration": "2.4s",
            "total_properties": 40,
            "successful": 40,
            "failed": 0,
        },
        "contacts": {
            "status": "completed",
            "properties_synced": 15,
            "last_update": "2024-01-15T10:30:00Z",
        },
        "leads": {
            "status": "completed",
            "properties_synced": 25,
            "last_update": "2024-01-15T10:30:00Z",
        },
    }


def test_one_object_type_reports_only_it() -> None:
    lock = synced_lock()
    lock.entry(1, "leads").last_sync = LastSync(
        timestamp="2024-01-16T09:00:00Z", status="partial", duration_s=61.0, failed=3
    )
    data = status_data(lock, "leads")
    assert set(data) == {"sync_type", "last_sync", "leads"}
    assert data["sync_type"] == "leads"
    assert data["last_sync"] == {
        "timestamp": "2024-01-16T09:00:00Z",
        "status": "partial",
        "duration": "61.0s",
        "total_properties": 28,
        "successful": 25,
        "failed": 3,
    }


def test_object_type_id_means_the_same_type() -> None:
    assert status_data(synced_lock(), "0-1")["sync_type"] == "contacts"


def test_failures_of_the_last_sync_are_counted_for_the_types_it_covered() -> None:
    lock = synced_lock()
    lock.entry(1, "contacts").last_sync = LastSync(
        timestamp="2024-01-17T00:00:00Z", status="partial", failed=2
    )
    lock.portal(1).last_sync = LastSync(
        timestamp="2024-01-17T00:00:00Z",
        status="partial",
        duration_s=1.0,
        failed=2,
        object_types=["contacts"],
    )
    last = status_data(lock, "all")["last_sync"]
    assert last["status"] == "partial"
    assert (last["total_properties"], last["successful"], last["failed"]) == (17, 15, 2)


def test_never_synced_lock() -> None:
    data = status_data(Lock(), "all")
    assert data["last_sync"]["status"] == "never"
    assert data["last_sync"]["timestamp"] is None
    assert data["contacts"] == {"status": "never", "properties_synced": 0, "last_update": None}
    assert data["leads"]["status"] == "never"


def test_extra_object_types_in_the_lock_are_listed_after_contacts_and_leads() -> None:
    lock = synced_lock()
    add_props(lock, 1, "deals", 2)
    assert [k for k in status_data(lock) if k not in ("sync_type", "last_sync")] == [
        "contacts",
        "leads",
        "deals",
    ]


def test_most_recently_synced_portal_is_chosen_unless_one_is_given() -> None:
    lock = synced_lock()
    add_props(lock, 2, "contacts", 3)
    lock.portal(2).last_sync = LastSync(timestamp="2024-02-01T00:00:00Z", status="failed")
    add_props(lock, 3, "contacts", 1)  # never synced
    assert choose_portal(lock) == "2"
    assert status_data(lock)["contacts"]["properties_synced"] == 3
    assert choose_portal(lock, 1) == "1"
    assert status_data(lock, "all", portal_id=1)["contacts"]["properties_synced"] == 15
    assert choose_portal(Lock()) is None


@pytest.mark.parametrize(("seconds", "text"), [(2.4, "2.4s"), (0, "0.0s"), (185, "3m05s")])
def test_duration_format(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
