"""Response bodies for the work queue and the clock reports."""

from __future__ import annotations

import enum
from datetime import date, datetime
from uuid import UUID

import msgspec

from claims.clock.domain import Stage, WaitingOn
from claims.domain import ClaimStatus, ClockState
from policies.domain import Peril


class QueueItem(msgspec.Struct, kw_only=True):
    """An open claim as the officer's queue shows it: how long is left and whose move it is."""

    id: UUID
    number: str
    status: ClaimStatus
    village_code: str
    peril: Peril
    claimant_name: str
    estimated_loss_fen: int | None
    reported_at: datetime
    expected_payment_by: datetime
    time_left_seconds: int  # negative once the target has passed
    clock: ClockState
    waiting_in: Stage | None
    waiting_on: WaitingOn | None
    adjuster_name: str | None = None  # the adjuster of the claim's visit, once one is planned


class GroupBy(enum.StrEnum):
    REGION = "region"  # the child regions of the one asked for (districts, towns or villages)
    PERIL = "peril"
    ADJUSTER = "adjuster"
    MONTH = "month"


class StageTime(msgspec.Struct):
    stage: Stage
    average_hours: float | None  # over the claims paid in the period; None if none was


class ClockFigures(msgspec.Struct, kw_only=True):
    """One group's figures; cycles are of the claims paid in the period (report to payment)."""

    key: str
    label: str
    reported: int
    accepted: int
    paid: int
    average_cycle_hours: float | None
    median_cycle_hours: float | None
    p90_cycle_hours: float | None
    share_paid_within_target: float | None
    stages: list[StageTime]


class BreachedClaim(msgspec.Struct, kw_only=True):
    id: UUID
    number: str
    village_code: str
    peril: Peril
    status: ClaimStatus
    reported_at: datetime
    expected_payment_by: datetime
    paid_at: datetime | None
    stage: Stage  # where most of its time went (for an open claim, its current stage counts to now)


class ClockReport(msgspec.Struct, kw_only=True):
    region_code: str | None  # None: every region the caller covers
    by: GroupBy
    period_from: date  # whole business months: the first day of the first
    period_to: date  # and the last day of the last
    total: ClockFigures
    groups: list[ClockFigures]
    breached: list[BreachedClaim]  # the latest reported in the period, at most BREACHED_LIMIT
