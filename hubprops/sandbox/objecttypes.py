"""The object types the sandbox knows: HubSpot's standard ones and declared custom objects.

A standard type is addressed by name (``contacts``) or id (``0-1``); a custom object by id
(``2-N``) or fully-qualified name (``p{portalId}_{name}``). Anything else is HubSpot's 400
"Unable to infer object type from: X". Ids of the standard types are HubSpot's object type ids
(docs "Understanding the CRM" table); their default groups are the sandbox's choice
(``{singular}information``, as HubSpot names contacts' and deals').
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hubprops.sandbox.errors import invalid

#: name -> (objectTypeId, singular label, plural label).
STANDARD_TYPES: dict[str, tuple[str, str, str]] = {
    "contacts": ("0-1", "Contact", "Contacts"),
    "companies": ("0-2", "Company", "Companies"),
    "deals": ("0-3", "Deal", "Deals"),
    "tickets": ("0-5", "Ticket", "Tickets"),
    "products": ("0-7", "Product", "Products"),
    "line_items": ("0-8", "Line Item", "Line Items"),
    "quotes": ("0-14", "Quote", "Quotes"),
    "communications": ("0-18", "Communication", "Communications"),
    "feedback_submissions": ("0-19", "Feedback Submission", "Feedback Submissions"),
    "tasks": ("0-27", "Task", "Tasks"),
    "notes": ("0-46", "Note", "Notes"),
    "meetings": ("0-47", "Meeting", "Meetings"),
    "calls": ("0-48", "Call", "Calls"),
    "emails": ("0-49", "Email", "Emails"),
    "invoices": ("0-53", "Invoice", "Invoices"),
    "marketing_events": ("0-54", "Marketing Event", "Marketing Events"),
    "subscriptions": ("0-69", "Subscription", "Subscriptions"),
    "goal_targets": ("0-74", "Goal", "Goals"),
    "payments": ("0-101", "Payment", "Payments"),
    "postal_mail": ("0-116", "Postal Mail", "Postal Mail"),
    "orders": ("0-123", "Order", "Orders"),
    "leads": ("0-136", "Lead", "Leads"),
    "carts": ("0-142", "Cart", "Carts"),
    "services": ("0-162", "Service", "Services"),
    "courses": ("0-410", "Course", "Courses"),
    "listings": ("0-420", "Listing", "Listings"),
    "appointments": ("0-421", "Appointment", "Appointments"),
}
_CUSTOM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class ObjectType:
    """One object type: ``key`` names it in the store and the state file."""

    key: str
    type_id: str
    singular: str
    plural: str
    custom: bool = False

    @property
    def scope_name(self) -> str:
        """The object part of its scopes: ``crm.objects.<scope_name>.read``."""
        return "custom" if self.custom else self.key

    def default_groups(self) -> list[tuple[str, str]]:
        """(name, label) of the group(s) a fresh portal has for this type."""
        if self.custom:
            return [(f"{self.key.split('_', 1)[1]}_information", f"{self.singular} information")]
        stem = self.singular.lower().replace(" ", "")
        return [(f"{stem}information", f"{self.singular} information")]


class ObjectTypes:
    """Standard types plus the custom objects declared for one portal."""

    def __init__(self, portal_id: int, custom: list[dict[str, Any]] | None = None) -> None:
        self.portal_id = portal_id
        self._types = {k: ObjectType(k, *v) for k, v in STANDARD_TYPES.items()}
        for item in custom or []:
            self.add_custom(item["name"], item.get("objectTypeId"), item.get("labels"))

    def add_custom(
        self, name: str, type_id: str | None = None, labels: dict[str, str] | None = None
    ) -> ObjectType:
        """Declare a custom object ``name`` (its id is the next free ``2-N`` unless given)."""
        short = name.removeprefix(f"p{self.portal_id}_")
        if not _CUSTOM_NAME.match(short):
            raise ValueError(f"custom object name {name!r} must match ^[a-z][a-z0-9_]*$")
        key = f"p{self.portal_id}_{short}"
        if key in self._types:
            return self._types[key]
        if type_id is None:
            taken = [int(t.type_id[2:]) for t in self._types.values() if t.custom]
            type_id = f"2-{max(taken, default=0) + 1}"
        labels = labels or {}
        singular = labels.get("singular") or short.replace("_", " ").title()
        plural = labels.get("plural") or f"{singular}s"
        made = ObjectType(key, type_id, singular, plural, custom=True)
        self._types[key] = made
        return made

    def all(self) -> list[ObjectType]:
        """Every type, standard first."""
        return list(self._types.values())

    def declared(self) -> list[dict[str, Any]]:
        """The custom objects, as the state file keeps them."""
        return [
            {
                "name": t.key.split("_", 1)[1],
                "objectTypeId": t.type_id,
                "labels": {"singular": t.singular, "plural": t.plural},
            }
            for t in self._types.values()
            if t.custom
        ]

    def resolve(self, value: str) -> ObjectType:
        """``contacts``, ``0-1``, ``2-3`` or ``p123_widgets`` -> its type; else HubSpot's 400."""
        key = value.lower()
        found = self._types.get(key)
        if found is None:
            found = next((t for t in self._types.values() if t.type_id == key), None)
        if found is None:
            raise invalid(f"Unable to infer object type from: {value}")
        return found
