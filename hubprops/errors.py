"""Every error hubprops raises on purpose, and the located diagnostic behind definition errors.

The tree (the CLI's one boundary turns any of these into one clear line and exit 1)::

    HubpropsError
    ├── DefinitionError            definitions failed to load or validate; carries Diagnostics
    ├── ConfigError                a missing token, a bad option combination, an unreadable file
    ├── RemoteError                HubSpot answered with an error (status, category, correlation id)
    │   ├── AuthenticationError    401: token missing, wrong or expired
    │   ├── PermissionDenied       403: the token lacks a scope
    │   ├── NotFound               404
    │   ├── ValidationFailed       400: HubSpot rejected the request body (field details kept)
    │   ├── Conflict               409: the property or group already exists
    │   ├── RateLimited            429 TEN_SECONDLY_ROLLING after retries ran out
    │   ├── DailyLimitReached      429 DAILY: final, never retried
    │   ├── ServerError            5xx after retries ran out
    │   └── RemoteUnavailable      network error or timeout after retries ran out; circuit open
    ├── PlanError                  the planner cannot produce a plan (e.g. read-only field changed)
    │   └── DestructiveChangeBlocked
    ├── PlanFileError              a saved plan cannot be used
    │   ├── ChecksumMismatch       the plan file was edited after it was written
    │   ├── StalePlan              HubSpot moved since the plan was made
    │   ├── WrongPortal            the plan was made for another portal
    │   └── UnsupportedFormatVersion
    └── LockError                  the lock file is unreadable, or another apply holds it

No message, repr or attribute of any of these ever contains the HubSpot token: errors are built
from HubSpot's response bodies and our own words, never from request headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Diagnostic:
    """One located problem in a definitions file.

    ``line`` and ``column`` are 1-based (0 when unknown); ``path`` is the JSON-path-like location
    inside the document (``properties[3].options[1].value``), empty for the whole file.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        prefix = "warning: " if self.severity == "warning" else ""
        loc = f"{self.path}: " if self.path else ""
        return f"{where}: {prefix}{loc}{self.message}"


class HubpropsError(Exception):
    """Root of every error hubprops raises on purpose."""

    def items(self) -> tuple[str, ...]:
        """The error's list of located or itemized problems, one line each (what ``--format
        json`` shows as ``diagnostics``); empty unless a subclass has such a list."""
        return ()


class ConfigError(HubpropsError):
    """Missing token, conflicting options, unreadable input: something the user sets right."""


class DefinitionError(HubpropsError):
    """Definitions did not load or validate. ``diagnostics`` holds every problem found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        errors = [d for d in self.diagnostics if d.severity == "error"]
        super().__init__(f"{len(errors)} problem(s) in definitions")

    def items(self) -> tuple[str, ...]:
        return tuple(str(d) for d in self.diagnostics)


class RemoteError(HubpropsError):
    """HubSpot answered with an error.

    ``status`` is the HTTP status (0 for network failures), ``category`` and ``sub_category``
    HubSpot's, ``correlation_id`` what HubSpot support asks for, ``details`` the messages of
    ``errors[]`` in the body.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        category: str | None = None,
        sub_category: str | None = None,
        correlation_id: str | None = None,
        details: Sequence[str] = (),
    ) -> None:
        self.message = message
        self.status = status
        self.category = category
        self.sub_category = sub_category
        self.correlation_id = correlation_id
        self.details = tuple(details)
        super().__init__(message)

    def __str__(self) -> str:
        text = self.message
        if self.details:
            text += " (" + "; ".join(self.details) + ")"
        if self.correlation_id:
            text += f" [correlationId {self.correlation_id}]"
        return text


class AuthenticationError(RemoteError):
    """401: the token is missing, wrong or expired."""


class PermissionDenied(RemoteError):
    """403: the token lacks a scope this call needs."""


class NotFound(RemoteError):
    """404: no such property, group or object type."""


class ValidationFailed(RemoteError):
    """400: HubSpot rejected the request body."""


class Conflict(RemoteError):
    """409: a property or group with that name already exists."""


class RateLimited(RemoteError):
    """429 on the rolling window, still failing after the client's retries."""


class DailyLimitReached(RemoteError):
    """429 with policy DAILY: the portal's daily allowance is spent; never retried."""


class ServerError(RemoteError):
    """5xx, still failing after the client's retries."""


class RemoteUnavailable(RemoteError):
    """Network error or timeout after retries, or the circuit breaker is open."""


#: Errors after which no further request to HubSpot can succeed (the token is refused, lacks a
#: scope, or the daily allowance is spent): batch calls raise them instead of keeping them per
#: item, and apply stops starting new requests.
FATAL_ERRORS: tuple[type[RemoteError], ...] = (
    AuthenticationError,
    PermissionDenied,
    DailyLimitReached,
)


class PlanError(HubpropsError):
    """The planner cannot produce a plan from these definitions and this remote state."""


class DestructiveChangeBlocked(PlanError):
    """The plan holds destructive changes and ``--allow-destructive`` was not given."""

    def __init__(
        self, reasons: Sequence[str], *, changes: int | None = None, plan: object | None = None
    ) -> None:
        """``reasons``: one line per reason (a change may have several); ``changes``: how many
        changes they belong to (default: one per reason); ``plan``: the whole plan, blocked
        (a ``hubprops.plan.types.Plan``), so that it can still be shown in full."""
        self.reasons = tuple(reasons)
        self.plan = plan
        count = len(self.reasons) if changes is None else changes
        lines = "\n".join(f"  - {r}" for r in self.reasons)
        super().__init__(
            f"Refusing: {count} destructive change(s).\n{lines}\n"
            "Re-run with --allow-destructive to include them."
        )

    def items(self) -> tuple[str, ...]:
        return self.reasons


class PlanFileError(HubpropsError):
    """A saved plan file cannot be used as it is."""


class ChecksumMismatch(PlanFileError):
    """The plan file's checksum does not match its content: it was edited after planning."""


class StalePlan(PlanFileError):
    """HubSpot changed since the plan was made; ``moved`` names what."""

    def __init__(self, moved: Sequence[str]) -> None:
        self.moved = tuple(moved)
        lines = "\n".join(f"  - {m}" for m in self.moved)
        super().__init__(
            f"Saved plan is stale: HubSpot changed since it was made.\n{lines}\n"
            "Run `hubprops plan` again and review the new plan."
        )

    def items(self) -> tuple[str, ...]:
        return self.moved


class WrongPortal(PlanFileError):
    """The plan was made for another portal than the token's."""


class UnsupportedFormatVersion(PlanFileError):
    """The plan or lock file was written by an incompatible hubprops version."""


class LockError(HubpropsError):
    """The lock file is unreadable or invalid, or another apply holds it."""


@dataclass(frozen=True)
class ErrorReport:
    """A failure recorded for one change during apply (kept, reported, never raised)."""

    object_type: str
    kind: str
    name: str
    message: str
    details: tuple[str, ...] = field(default=())
