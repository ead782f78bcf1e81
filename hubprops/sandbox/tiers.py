"""HubSpot's account tiers: API rate limits (per 10 s), daily limits and the custom-property
quota per object type (API-FACTS sections 6 and 11; S6, Aug 2025).

``api-add-on`` is Enterprise with one API Limit Increase pack (250 per 10 s, +1,000,000 a day).
Professional's daily limit is 625,000 (S6; an older changelog said 650,000).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tier:
    """The limits of one tier."""

    per_ten_seconds: int
    daily: int
    custom_properties: int


TIERS: dict[str, Tier] = {
    "free": Tier(100, 250_000, 10),
    "starter": Tier(100, 250_000, 1000),
    "professional": Tier(190, 625_000, 1000),
    "enterprise": Tier(190, 1_000_000, 1000),
    "api-add-on": Tier(250, 2_000_000, 1000),
}
