"""Clock reports for a region and a period, from the rollup (claims.clock.models): one grouped
SELECT of sums, then the figures in Python, and a bounded list of breached claims from their index.

Counts are of events in the period's months: claims reported, acceptances, payments. Cycle figures
(average, median, 90th percentile, share within target, time per stage) are of the claims paid in
the period. Periods are whole business months (a date stands for its month).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.clock import domain, schemas
from claims.clock.errors import PeriodInvalid
from claims.clock.models import COUNTS, HISTOGRAM, STAGE_SUMS, clock_rollup
from claims.clock.schemas import GroupBy
from claims.clock.services import rollups
from claims.domain import ClaimStatus, ClockState
from claims.models import Claim
from claims.visits.models import Adjuster
from core import scope
from core.auth import Principal
from core.clock import start_of_business_day, today, utcnow
from core.dates import EARLIEST
from core.documents.templating import PERIL_ZH
from policies.domain import Peril
from policies.models import Region
from users.models import User

BREACHED_LIMIT = 20
MAX_MONTHS = 120
NO_ADJUSTER_LABEL = "未经查勘"
SUMMED = (*COUNTS, "cycle_s", *STAGE_SUMS, *HISTOGRAM)


async def clock_report(
    session: AsyncSession,
    principal: Principal,
    *,
    region: str | None,
    start: date,
    end: date,
    by: GroupBy,
) -> schemas.ClockReport:
    """The figures of `region` (default: all the caller covers) for the months from `start` to `end`."""
    period = domain.Period.covering(start, end)
    months = (period.last.year - period.first.year) * 12 + period.last.month - period.first.month
    latest = today() + timedelta(days=366)
    if not (period.first >= EARLIEST and period.last <= latest and 0 <= months < MAX_MONTHS):
        raise PeriodInvalid()
    if region is not None:
        scope.check_region(principal, region)
    in_region = _region_filter(principal, region, clock_rollup.c.village_code)
    group = _group_column(by, region)
    rows = await session.execute(
        select(group.label("key"), *(func.sum(clock_rollup.c[name]).label(name) for name in SUMMED))
        .where(
            clock_rollup.c.kind == (rollups.ADJUSTER if by is GroupBy.ADJUSTER else rollups.PERIL),
            clock_rollup.c.month.between(period.first, period.last),
            in_region,
        )
        .group_by(group)
        .order_by(group)
    )
    sums = [(str(row.key), [int(row._mapping[name] or 0) for name in SUMMED]) for row in rows]
    labels = await _labels(session, by, [key for key, _ in sums])
    groups = [figures(key, labels.get(key, key), values) for key, values in sums]
    total = [sum(column) for column in zip(*(values for _, values in sums), strict=True)] or [0] * len(SUMMED)
    return schemas.ClockReport(
        region_code=region,
        by=by,
        period_from=period.first,
        period_to=period.end_day(),
        total=figures("total", "合计", total),
        groups=groups,
        breached=await breached_claims(session, principal, region=region, period=period),
    )


def figures(key: str, label: str, values: Sequence[int]) -> schemas.ClockFigures:
    """One group's figures from its sums (in SUMMED's order)."""
    named = dict(zip(SUMMED, values, strict=True))
    paid = named["paid"]
    histogram = [named[name] for name in HISTOGRAM]

    def hours(seconds: int) -> float | None:
        return round(seconds / paid / domain.HOUR, 2) if paid else None

    def percentile(q: float) -> float | None:
        found = domain.percentile_hours(histogram, q)
        return None if found is None else round(found, 2)

    return schemas.ClockFigures(
        key=key,
        label=label,
        reported=named["reported"],
        accepted=named["accepted"],
        paid=paid,
        average_cycle_hours=hours(named["cycle_s"]),
        median_cycle_hours=percentile(0.5),
        p90_cycle_hours=percentile(0.9),
        share_paid_within_target=round(named["paid_within_target"] / paid, 4) if paid else None,
        stages=[
            schemas.StageTime(stage=stage, average_hours=hours(named[column]))
            for column, (stage, _) in zip(STAGE_SUMS, domain.STAGES, strict=True)
        ],
    )


async def breached_claims(
    session: AsyncSession, principal: Principal, *, region: str | None, period: domain.Period
) -> list[schemas.BreachedClaim]:
    """The breached claims reported in the period, latest first, each with where its time went."""
    rows = await session.scalars(
        select(Claim)
        .where(
            Claim.clock_state == ClockState.BREACHED.value,
            Claim.reported_at >= start_of_business_day(period.first),
            Claim.reported_at < start_of_business_day(period.end_day()) + timedelta(days=1),
            _region_filter(principal, region, Claim.village_code),
        )
        .order_by(Claim.reported_at.desc())
        .limit(BREACHED_LIMIT)
    )
    now = utcnow()
    return [_breached(claim, now=now) for claim in rows]


def _breached(claim: Claim, *, now: datetime) -> schemas.BreachedClaim:
    status = ClaimStatus(claim.status)
    times = {column: getattr(claim, column) for column in domain.STAGE_COLUMNS}
    return schemas.BreachedClaim(
        id=claim.id,
        number=claim.number,
        village_code=claim.village_code,
        peril=Peril(claim.peril),
        status=status,
        reported_at=claim.reported_at,
        expected_payment_by=claim.expected_payment_by,
        paid_at=claim.paid_at,
        stage=domain.where_time_went(status, claim.reported_at, times, now=now),
    )


def _region_filter(principal: Principal, region: str | None, column: Any) -> ColumnElement[bool]:
    mine = scope.region_clause(principal, column)
    return mine if region is None else (column.startswith(region, autoescape=True) & mine)


def _group_column(by: GroupBy, region: str | None) -> Any:
    if by in (GroupBy.PERIL, GroupBy.ADJUSTER):
        return clock_rollup.c.value
    if by is GroupBy.MONTH:
        return clock_rollup.c.month
    length = next((n for n in scope.REGION_CODE_LENGTHS if n > len(region or "")), len(region or ""))
    return func.substr(clock_rollup.c.village_code, 1, length)


async def _labels(session: AsyncSession, by: GroupBy, keys: list[str]) -> dict[str, str]:
    """What people read for each group's key: a region's or adjuster's name, a peril in Chinese."""
    if by is GroupBy.PERIL:
        return {key: PERIL_ZH.get(key, key) for key in keys}
    if by is GroupBy.MONTH:
        return {key: key[:7] for key in keys}
    if by is GroupBy.REGION:
        found = await session.execute(select(Region.code, Region.name).where(Region.code.in_(keys)))
        return {code: name for code, name in found}
    ids = [UUID(key) for key in keys if key]
    adjusters = await session.execute(
        select(Adjuster.id, User.display_name)
        .join(User, User.id == Adjuster.user_id)
        .where(Adjuster.id.in_(ids))
    )
    return {"": NO_ADJUSTER_LABEL} | {str(adjuster_id): name for adjuster_id, name in adjusters}
