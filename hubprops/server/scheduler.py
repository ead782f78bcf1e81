"""Scheduled syncs: every ``every`` seconds, a sync of ``all`` as user ``scheduler``.

A scheduled sync that finds another sync running is not queued: the next tick tries again.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timezone

from hubprops.server.errors import ApiError
from hubprops.server.sync import SyncService

log = logging.getLogger("hubprops.server")
USER = "scheduler"


class Scheduler:
    """A daemon thread that runs ``service``'s sync of ``all`` at a fixed interval."""

    def __init__(self, service: SyncService, every: float) -> None:
        self.service = service
        self.every = every
        self._stop = threading.Event()
        self._next = time.time() + every
        self._thread = threading.Thread(target=self._loop, name="hubprops-scheduler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def next_run(self) -> str:
        """When the next scheduled sync starts (UTC, ISO 8601)."""
        moment = datetime.fromtimestamp(self._next, timezone.utc).replace(microsecond=0)
        return moment.isoformat().replace("+00:00", "Z")

    def _loop(self) -> None:
        while not self._stop.wait(max(0.0, self._next - time.time())):
            self._next = time.time() + self.every
            try:
                job = self.service.accept("all", USER)
            except ApiError:
                log.info("scheduled sync skipped: another sync is running")
                continue
            reply = self.service.run(job)
            log.info("scheduled sync %s answered %s", job.sync_id, reply.status_code)
