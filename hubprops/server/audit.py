"""The audit log and sync history: one SQLite row per sync (stdlib ``sqlite3``).

Who asked (``sub``; ``scheduler`` for scheduled syncs), when, the scope, dry run or not, the
counts, the duration, the status, the plan checksum and the error, if any. The database is
created and migrated when the store opens (``PRAGMA user_version`` counts the migrations
applied). No HubSpot token is ever passed in, so none can be written.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MIGRATIONS = (
    """
    CREATE TABLE syncs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        sync_id TEXT NOT NULL UNIQUE,
        user TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        finished_at TEXT,
        scope TEXT NOT NULL,
        dry_run INTEGER NOT NULL,
        status TEXT NOT NULL,
        created INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        duration_s REAL,
        plan_checksum TEXT,
        error TEXT
    )
    """,
    "CREATE INDEX syncs_scope ON syncs (scope, id)",
)

COLUMNS = (
    "id",
    "sync_id",
    "user",
    "requested_at",
    "finished_at",
    "scope",
    "dry_run",
    "status",
    "created",
    "updated",
    "skipped",
    "failed",
    "duration_s",
    "plan_checksum",
    "error",
)


@dataclass(frozen=True)
class Outcome:
    """The end of one sync, as recorded."""

    status: str
    finished_at: str
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    duration_s: float | None = None
    plan_checksum: str | None = None
    error: str | None = None


class AuditStore:
    """The sync history in one SQLite file; thread-safe (one connection, one mutex)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._mutex = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._migrate()

    def _migrate(self) -> None:
        with self._mutex:
            version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
            for number, statement in enumerate(MIGRATIONS[version:], start=version + 1):
                self._db.execute("BEGIN")
                self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")
                self._db.execute("COMMIT")

    def close(self) -> None:
        with self._mutex:
            self._db.close()

    def begin(
        self, *, sync_id: str, user: str, requested_at: str, scope: str, dry_run: bool, status: str
    ) -> None:
        """Record a sync as it is accepted."""
        with self._mutex:
            self._db.execute(
                "INSERT INTO syncs (sync_id, user, requested_at, scope, dry_run, status)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (sync_id, user, requested_at, scope, int(dry_run), status),
            )

    def set_status(self, sync_id: str, status: str) -> None:
        with self._mutex:
            self._db.execute("UPDATE syncs SET status = ? WHERE sync_id = ?", (status, sync_id))

    def finish(self, sync_id: str, outcome: Outcome) -> None:
        """Record how a sync ended."""
        with self._mutex:
            self._db.execute(
                "UPDATE syncs SET status = ?, finished_at = ?, created = ?, updated = ?,"
                " skipped = ?, failed = ?, duration_s = ?, plan_checksum = ?, error = ?"
                " WHERE sync_id = ?",
                (
                    outcome.status,
                    outcome.finished_at,
                    outcome.created,
                    outcome.updated,
                    outcome.skipped,
                    outcome.failed,
                    outcome.duration_s,
                    outcome.plan_checksum,
                    outcome.error,
                    sync_id,
                ),
            )

    def page(self, limit: int, before: int | None = None) -> list[dict[str, Any]]:
        """Up to ``limit`` rows, newest first, with ids below ``before`` when given."""
        sql = f"SELECT {', '.join(COLUMNS)} FROM syncs"
        args: list[Any] = []
        if before is not None:
            sql += " WHERE id < ?"
            args.append(before)
        sql += " ORDER BY id DESC LIMIT ?"
        args.append(limit)
        with self._mutex:
            rows = self._db.execute(sql, args).fetchall()
        return [_row(r) for r in rows]

    def get(self, sync_id: str) -> dict[str, Any] | None:
        with self._mutex:
            row = self._db.execute(
                f"SELECT {', '.join(COLUMNS)} FROM syncs WHERE sync_id = ?", (sync_id,)
            ).fetchone()
        return _row(row) if row else None

    def close_unfinished(self, finished_at: str) -> int:
        """Mark rows left pending or in progress by a server that stopped as failed."""
        with self._mutex:
            cursor = self._db.execute(
                "UPDATE syncs SET status = 'failed', finished_at = ?,"
                " error = 'the server stopped before this sync finished'"
                " WHERE status IN ('pending', 'in_progress')",
                (finished_at,),
            )
        return cursor.rowcount


def _row(row: tuple[Any, ...]) -> dict[str, Any]:
    data = dict(zip(COLUMNS, row, strict=True))
    data["dry_run"] = bool(data["dry_run"])
    return data
