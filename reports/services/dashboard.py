"""The dashboard of a district, town or village over a period, its charts and a village's claims."""

from __future__ import annotations

import asyncio
from datetime import date
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim
from core import scope
from core.auth import Principal
from core.clock import today
from core.documents.templating import PERIL_ZH
from payouts.rebates.domain import CATEGORY_NAMES_ZH
from policies.models import Region
from reports import charts, domain, schemas
from reports.domain import Period
from reports.errors import PeriodInvalid, RegionNotFound
from reports.services import coverage, figures

TREND_MONTHS = 12
LONGEST_PERIOD_DAYS = 3 * 366
EXPORTS = (
    ("claims", "理赔明细"),
    ("payouts", "赔款明细"),
    ("rebate-entries", "返还台账"),
    ("expenditures", "村级支出"),
)
CLAIMS_SHOWN = 500


async def readable_region(session: AsyncSession, principal: Principal, code: str) -> Region:
    """The region, if the caller's scope covers it (403 outside it: region codes are public)."""
    region = await session.get(Region, code)
    if region is None:
        raise RegionNotFound(code)
    scope.check_region(principal, code)
    return region


def period_of(date_from: date | None, date_to: date | None) -> Period:
    """The asked period; by default this month so far."""
    last = date_to or today()
    first = date_from or last.replace(day=1)
    if first > last or (last - first).days > LONGEST_PERIOD_DAYS:
        raise PeriodInvalid()
    return Period(first, last)


def export_links(code: str, period: Period) -> list[schemas.ExportLink]:
    query = urlencode({"region_code": code, "from": period.first.isoformat(), "to": period.last.isoformat()})
    return [
        schemas.ExportLink(name=f"{label}（{fmt.upper()}）", href=f"/reports/exports/{name}.{fmt}?{query}")
        for name, label in EXPORTS
        for fmt in ("csv", "xlsx")
    ]


def clock_figures(stats: domain.CycleStats) -> schemas.ClockFigures:
    return schemas.ClockFigures(
        paid_claims=stats.count,
        mean_hours=domain.hours_text(stats.mean_seconds),
        p90_hours=domain.hours_text(stats.p90_seconds),
        within_target=stats.within_target,
        within_target_permille=stats.within_target_permille,
        within_target_text=domain.percent_text(stats.within_target_permille),
    )


async def dashboard(
    session: AsyncSession, principal: Principal, *, code: str, date_from: date | None, date_to: date | None
) -> schemas.Dashboard:
    region = await readable_region(session, principal, code)
    period = period_of(date_from, date_to)
    claims = await figures.claims_by_peril_and_status(session, code, period)
    paid = await figures.paid_by_kind(session, code, period)
    premiums = await figures.premiums_received(session, code, period)
    cycles = await figures.paid_cycles(session, code, period)
    insured = await coverage.covered(session, code, period)
    rebates = await figures.rebates_by_kind(session, code, period)
    spending = await figures.spending_by_category(session, code, period)
    parts = await figures.parts(session, code, period)
    paid_fen = sum(paid.values())
    loss_ratio = domain.loss_ratio_permille(paid_fen, premiums)
    return schemas.Dashboard(
        region_code=region.code,
        region_name=region.name,
        level=region.level,
        parent_code=region.parent_code,
        date_from=period.first,
        date_to=period.last,
        insured=schemas.InsuredFigures(
            blanket_households=insured.blanket_households,
            blanket_people=insured.blanket_people,
            voluntary_households=insured.voluntary_households,
            voluntary_people=insured.voluntary_people,
        ),
        premiums_fen=premiums,
        claims_reported=sum(count for _, _, count in claims),
        claims=[schemas.PerilStatusCount(peril, status, count) for peril, status, count in sorted(claims)],
        paid_fen=paid_fen,
        paid_advance_fen=paid.get("advance", 0),
        loss_ratio_permille=loss_ratio,
        loss_ratio_text=domain.percent_text(loss_ratio),
        clock=clock_figures(domain.cycle_statistics(cycles)),
        rebates=schemas.RebateFigures(
            accrued_fen=rebates.get("accrual", 0),
            approved_fen=rebates.get("approval", 0),
            disbursed_fen=rebates.get("disbursement", 0),
            spent_fen=sum(spending.values()),
            spent_by_category=spending,
        ),
        parts=[
            schemas.RegionPart(
                code=part.code,
                name=part.name,
                claims_reported=part.claims_reported,
                paid_fen=part.paid_fen,
                premiums_fen=part.premiums_fen,
                loss_ratio_text=domain.percent_text(
                    domain.loss_ratio_permille(part.paid_fen, part.premiums_fen)
                ),
            )
            for part in parts
        ],
        exports=export_links(code, period),
    )


def draw_charts(board: schemas.Dashboard, trend: list[schemas.MonthTrend]) -> schemas.DashboardCharts:
    """The dashboard's three charts: the monthly trend, claims by peril, spending by category."""
    by_peril: dict[str, int] = {}
    for row in board.claims:
        by_peril[row.peril] = by_peril.get(row.peril, 0) + row.claims
    spending = board.rebates.spent_by_category
    return schemas.DashboardCharts(
        trend=trend,
        charts=[
            schemas.Chart(
                key="trend",
                title="逐月赔款与报案",
                svg=charts.trend_chart(
                    "逐月赔款与报案",
                    [m.month for m in trend],
                    [m.paid_fen / 1_000_000 for m in trend],
                    [m.claims_reported for m in trend],
                    amount_label="赔款（万元）",
                    count_label="报案（件）",
                ),
            ),
            schemas.Chart(
                key="perils",
                title="按险种报案",
                svg=charts.bar_chart(
                    "按险种报案",
                    [PERIL_ZH.get(peril, peril) for peril in by_peril],
                    list(by_peril.values()),
                    unit="件",
                ),
            ),
            schemas.Chart(
                key="spending",
                title="村级安全支出（按类别）",
                svg=charts.bar_chart(
                    "村级安全支出（按类别）",
                    [CATEGORY_NAMES_ZH.get(c, c) for c in spending],  # type: ignore[call-overload]
                    [fen / 100 for fen in spending.values()],
                    unit="元",
                ),
            ),
        ],
    )


async def dashboard_charts(
    session: AsyncSession, principal: Principal, *, code: str, date_from: date | None, date_to: date | None
) -> schemas.DashboardCharts:
    board = await dashboard(session, principal, code=code, date_from=date_from, date_to=date_to)
    months = await figures.monthly_trend(session, code, domain.months_ending(board.date_to, TREND_MONTHS))
    trend = [
        schemas.MonthTrend(f"{m.month:%Y-%m}", m.claims_reported, m.paid_fen, m.premiums_fen) for m in months
    ]
    # matplotlib holds the GIL for ~100 ms a chart: off the event loop.
    return await asyncio.to_thread(draw_charts, board, trend)


async def region_claims(
    session: AsyncSession, principal: Principal, *, code: str, date_from: date | None, date_to: date | None
) -> list[schemas.RegionClaim]:
    """The claims of a village reported or paid in the period (the last step of the drill-down)."""
    await readable_region(session, principal, code)
    period = period_of(date_from, date_to)
    rows = await session.scalars(
        select(Claim)
        .where(
            figures.in_region(Claim.village_code, code),
            scope.household_clause(principal, Claim.household_id, Claim.village_code),
            figures.between(Claim.reported_at, period) | figures.between(Claim.paid_at, period),
        )
        .order_by(Claim.reported_at.desc())
        .limit(CLAIMS_SHOWN)
    )
    result = []
    for claim in rows:
        seconds = domain.cycle_seconds(claim.reported_at, claim.paid_at) if claim.paid_at else None
        result.append(
            schemas.RegionClaim(
                id=claim.id,
                number=claim.number,
                peril=claim.peril,
                status=claim.status,
                reported_at=claim.reported_at,
                paid_at=claim.paid_at,
                paid_fen=claim.paid_fen,
                cycle_hours=domain.hours_text(seconds),
                breached=seconds is not None and seconds > claim.clock_target_hours * 3600,
                trail_href=f"/reports/claims/{claim.id}/trail",
            )
        )
    return result
