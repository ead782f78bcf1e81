"""Lock: what hubprops last wrote to each portal, and the one-apply-at-a-time guard.

``file`` is the lock file's model (ids, digests, last sync per object type) with atomic
read/write; ``guard`` keeps two applies off one lock; ``status`` turns the lock into the
original sync service's status shape.
"""

from hubprops.lock.file import (
    DEFAULT_LOCK_PATH,
    LastSync,
    Lock,
    LockedGroup,
    LockedObject,
    LockedPortal,
    LockedProperty,
    load_lock,
    save_lock,
)

__all__ = [
    "DEFAULT_LOCK_PATH",
    "LastSync",
    "Lock",
    "LockedGroup",
    "LockedObject",
    "LockedPortal",
    "LockedProperty",
    "load_lock",
    "save_lock",
]
