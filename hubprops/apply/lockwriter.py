"""The lock written behind the apply: one writer thread, newest snapshot wins.

Saving a lock of a few thousand properties (``model_dump``, pretty JSON, fsync) takes tens of
milliseconds, more than the apply spends per step at HubSpot's rate limit. Saved inline, under
the recorder's mutex, it serialized every worker behind the disk. Instead the recorder tells
``LockWriter.changed()`` after each step and returns at once; the writer thread takes a
``snapshot`` (a cheap copy, under the recorder's mutex) and saves it outside the mutex. Steps
that finish while a save is under way are coalesced into the next save.

What this keeps (the crash-safety contract): saves are made one at a time, each of a snapshot
at least as new as the one before, so the file on disk only moves forward; it never records
more than HubSpot acknowledged (a snapshot holds only recorded steps), and lags it by at most
the steps finished since the last save began. After a kill, the next plan finds those steps
already done in HubSpot and records them (``Plan.in_sync``), as it always did for a step cut off
between HubSpot's answer and the save. ``flush()`` waits until every change made so far is on
disk (before the first write to HubSpot, at the end, at a rename's checkpoints).

A save that fails (the folder became read-only, the disk is full) stops the writer: ``on_error``
is told (the applier stops starting requests) and ``flush()`` raises that error from then on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from hubprops.lock.encode import LockEncoder
from hubprops.lock.file import Lock, attach


class LockWriter:
    """Saves the newest ``snapshot()`` through ``save`` on its own thread (started on demand).

    ``changed()`` after every change to the lock; ``flush()`` to wait until all of them are on
    disk; ``close()`` to write what is left and stop the thread (idempotent, never raises).
    """

    def __init__(
        self,
        save: Callable[[Lock], None],
        snapshot: Callable[[], Lock],
        *,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._save = save
        self._snapshot = snapshot
        self._on_error = on_error
        self._cond = threading.Condition()
        self._wanted = 0  # changes announced so far
        self._written = 0  # changes that a completed save included (at least)
        self._error: BaseException | None = None
        self._closed = False
        self._ended = False  # the thread has returned: nothing more will be written
        self._thread: threading.Thread | None = None
        #: How many saves were made (coalescing makes it at most one per change).
        self.saves = 0

    def changed(self) -> None:
        """The lock changed (the change is already made): save a snapshot soon."""
        with self._cond:
            self._wanted += 1
            self._start()
            self._cond.notify_all()

    def flush(self) -> None:
        """Block until a save that includes every change announced so far has completed;
        raise the error of a failed save instead."""
        with self._cond:
            target = self._wanted
            self._start()
            while self._written < target and self._error is None:
                if self._ended or (self._closed and self._thread is None):
                    raise RuntimeError("the lock writer was closed before these changes")
                self._cond.wait()
            if self._error is not None:
                raise self._error

    def close(self) -> None:
        """Save what is left, then stop the thread. Errors stay for ``flush()`` to raise."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    @property
    def error(self) -> BaseException | None:
        """The error that stopped the writer, if any."""
        with self._cond:
            return self._error

    def _start(self) -> None:
        """Start the thread (call with ``_cond`` held)."""
        if self._thread is None and not self._closed:
            # A daemon: a bug that leaves it waiting must not keep the process alive.
            self._thread = threading.Thread(target=self._run, name="hubprops-lock", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._written >= self._wanted and not self._closed:
                    self._cond.wait()
                if self._written >= self._wanted:
                    self._ended = True  # closed, nothing left to write
                    self._cond.notify_all()
                    return
                target = self._wanted
            try:
                # Taken after reading ``target``: it holds every change announced up to it.
                self._save(self._snapshot())
            except BaseException as exc:  # reported through flush(); the thread must end cleanly
                with self._cond:
                    self._error, self._ended = exc, True
                    self._cond.notify_all()
                if self._on_error is not None:
                    self._on_error(exc)
                return
            with self._cond:
                self._written = max(self._written, target)
                self.saves += 1
                self._cond.notify_all()


def snapshot(lock: Lock, encoder: LockEncoder | None = None) -> Lock:
    """A copy of ``lock`` that later steps cannot change, made in microseconds: the containers
    are copied, the entries shared. Sound because the recorder never changes a recorded
    property, group or last_sync in place (it replaces them); migrations, which a rename does
    change in place, are copied. With ``encoder``, saving the snapshot re-encodes only the
    properties and groups recorded since the last save (``encode.LockEncoder``)."""
    portals = {}
    for key, portal in lock.portals.items():
        objects = {
            object_type: entry.model_copy(
                update={
                    "properties": dict(entry.properties),
                    "groups": dict(entry.groups),
                    "migrations": None
                    if entry.migrations is None
                    else {name: m.model_copy() for name, m in entry.migrations.items()},
                }
            )
            for object_type, entry in portal.objects.items()
        }
        portals[key] = portal.model_copy(update={"objects": objects})
    copy = lock.model_copy(update={"portals": portals})
    return attach(copy, encoder) if encoder is not None else copy
