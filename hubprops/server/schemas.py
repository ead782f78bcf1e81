"""Response models: the original sync service's shapes, field by field, for OpenAPI (/docs)
and for the schemathesis run that checks every answer against them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SyncStatus = Literal["completed", "in_progress", "failed", "partial", "pending"]
PropertyStatus = Literal["created", "updated", "skipped", "failed"]


class _Open(BaseModel):
    """Extra keys allowed: per object type entries, additive fields."""

    model_config = ConfigDict(extra="allow")


class ErrorResponse(BaseModel):
    success: Literal[False] = False
    error: str
    details: dict[str, Any]
    status_code: int


class PropertyResult(BaseModel):
    name: str
    label: str | None
    sync_status: PropertyStatus
    hubspot_property_id: str | None
    reason: str | None = Field(default=None, description="Why it was skipped or failed.")


class SyncDetails(BaseModel):
    created: int
    updated: int
    skipped: int
    errors: int


class ObjectSyncData(BaseModel):
    object_type: str
    sync_status: SyncStatus
    synced_properties: int
    failed_properties: int
    properties: list[PropertyResult]
    sync_details: SyncDetails


class ObjectSyncResponse(BaseModel):
    success: bool
    data: ObjectSyncData


class ObjectSummary(BaseModel):
    status: Literal["success", "partial_failure", "failed"]
    synced_properties: int
    failed_properties: int
    properties: list[str] = Field(description="Names of the properties created or updated.")


class SyncSummary(_Open):
    total_synced: int
    total_failed: int
    sync_duration: str = Field(examples=["2.4s"])


class SyncAllData(_Open):
    sync_status: SyncStatus
    contacts: ObjectSummary | None = None
    leads: ObjectSummary | None = None
    summary: SyncSummary


class SyncAllResponse(BaseModel):
    success: bool
    data: SyncAllData


class PlannedChange(BaseModel):
    action: Literal["create", "update", "archive"]
    kind: Literal["property", "group"]
    object_type: str
    name: str
    destructive: bool
    applied_by_service: bool = Field(description="False: destructive, held back for review.")
    reasons: list[str]


class DryRunData(BaseModel):
    dry_run: Literal[True] = True
    sync_type: str
    portal_id: int
    plan_checksum: str
    summary: dict[str, int]
    changes: list[PlannedChange]


class DryRunResponse(BaseModel):
    success: Literal[True] = True
    data: DryRunData


class AcceptedData(BaseModel):
    sync_id: str
    sync_type: str
    sync_status: SyncStatus
    status_url: str


class AcceptedResponse(BaseModel):
    success: Literal[True] = True
    data: AcceptedData


class LastSync(BaseModel):
    timestamp: str | None
    status: str
    duration: str | None
    total_properties: int
    successful: int
    failed: int


class StatusData(_Open):
    sync_type: str
    last_sync: LastSync
    next_scheduled_sync: str | None


class StatusResponse(BaseModel):
    success: Literal[True] = True
    data: StatusData


class HistoryItem(BaseModel):
    id: int
    sync_id: str
    user: str
    requested_at: str
    finished_at: str | None
    scope: str
    dry_run: bool
    status: str
    created: int
    updated: int
    skipped: int
    failed: int
    duration_s: float | None
    plan_checksum: str | None
    error: str | None


class HistoryData(BaseModel):
    items: list[HistoryItem]
    next_before: int | None = Field(description="Pass as ?before= for the next (older) page.")


class HistoryResponse(BaseModel):
    success: Literal[True] = True
    data: HistoryData


class Health(BaseModel):
    status: Literal["ok"] = "ok"
