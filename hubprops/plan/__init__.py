"""Plan: what apply would change in a portal, as data.

``types`` holds only the plan's types (``Action``, ``Change``, ``Plan``, ...); ``remote`` reads
the portal at a constant number of calls per object type; ``planner`` (with ``objects`` per
object type and ``diff`` per field) compares definitions, remote state and lock; ``file``
encodes, checksums and verifies saved plan files.
"""

from hubprops.plan.file import check_portal, check_stale, decode, encode, read_plan, write_plan
from hubprops.plan.planner import plan
from hubprops.plan.remote import plan_against, read_remote
from hubprops.plan.types import Action, Change, FieldDiff, InSync, KeptItem, Kind, Plan, PlanOptions

__all__ = [
    "Action",
    "Change",
    "FieldDiff",
    "InSync",
    "KeptItem",
    "Kind",
    "Plan",
    "PlanOptions",
    "check_portal",
    "check_stale",
    "decode",
    "encode",
    "plan",
    "plan_against",
    "read_plan",
    "read_remote",
    "write_plan",
]
