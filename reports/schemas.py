"""Response and request Structs of the dashboard and the monthly report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

from core.schemas import RequestBody

DistrictCode = Annotated[str, msgspec.Meta(pattern=r"^\d{6}$", description="a district's 6-digit code")]
Month = Annotated[str, msgspec.Meta(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="a month, YYYY-MM")]


class PerilStatusCount(msgspec.Struct):
    peril: str
    status: str
    claims: int


class InsuredFigures(msgspec.Struct):
    """Covered in the month the period ends in (reports.services.coverage)."""

    blanket_households: int
    blanket_people: int
    voluntary_households: int
    voluntary_people: int


class ClockFigures(msgspec.Struct):
    """Claims confirmed paid in the period: their cycle (reported → paid) against the clock target."""

    paid_claims: int
    mean_hours: str
    p90_hours: str
    within_target: int
    within_target_permille: int | None
    within_target_text: str


class RebateFigures(msgspec.Struct):
    """Rebate ledger movements posted in the period (net of reversals) and village spending."""

    accrued_fen: int
    approved_fen: int
    disbursed_fen: int
    spent_fen: int
    spent_by_category: dict[str, int]


class MonthTrend(msgspec.Struct):
    month: str
    claims_reported: int
    paid_fen: int
    premiums_fen: int


class RegionPart(msgspec.Struct):
    """One town of a district or village of a town, for the drill-down."""

    code: str
    name: str
    claims_reported: int
    paid_fen: int
    premiums_fen: int
    loss_ratio_text: str


class ExportLink(msgspec.Struct):
    name: str
    href: str


class Dashboard(msgspec.Struct):
    region_code: str
    region_name: str
    level: str
    parent_code: str | None
    date_from: date
    date_to: date
    insured: InsuredFigures
    premiums_fen: int
    claims_reported: int
    claims: list[PerilStatusCount]
    paid_fen: int
    paid_advance_fen: int
    loss_ratio_permille: int | None
    loss_ratio_text: str
    clock: ClockFigures
    rebates: RebateFigures
    parts: list[RegionPart]
    exports: list[ExportLink]


class Chart(msgspec.Struct):
    key: str
    title: str
    svg: str


class DashboardCharts(msgspec.Struct):
    """The twelve months ending with the period's last, and the charts drawn from the figures."""

    trend: list[MonthTrend]
    charts: list[Chart]


class RegionClaim(msgspec.Struct):
    """A claim of a village, for the last level of the drill-down; the trail page has the rest."""

    id: UUID
    number: str
    peril: str
    status: str
    reported_at: datetime
    paid_at: datetime | None
    paid_fen: int
    cycle_hours: str
    breached: bool
    trail_href: str


class MonthlyReportRequest(RequestBody):
    district_code: DistrictCode
    month: Month


class MonthlyReportView(msgspec.Struct):
    id: UUID
    district_code: str
    month: str
    status: str
    requested_by: str
    requested_at: datetime
    built_at: datetime | None
    size_bytes: int | None
    download_href: str | None
