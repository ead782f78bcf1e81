"""How often an apply re-lists an object type's properties before updating them (see
``stages.Freshness``): a constant the plan's request estimate shares (``plan.estimate``), in a
module of its own so that a plan does not import the applier to read it."""

from __future__ import annotations

#: Re-list an object type's properties before an update at least this often (updates, seconds).
REREAD_EVERY = 100
REREAD_SECONDS = 30.0
