"""Apply: execute a saved plan's changes against HubSpot, stage by stage, recording each result.

``applier`` checks the plan (portal, staleness) and runs it; ``stages`` sends each stage's
requests (groups, batched creates, concurrent updates, archives); ``recorder`` turns results
into the lock, written after every step, so a crash leaves a lock that matches HubSpot.
"""

from hubprops.apply.applier import ApplyResult, apply_plan, needs_apply
from hubprops.apply.recorder import ChangeResult, Progress

__all__ = ["ApplyResult", "ChangeResult", "Progress", "apply_plan", "needs_apply"]
