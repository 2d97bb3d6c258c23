"""The sums behind the dashboard and the monthly report, one SQL aggregate per figure.

Written by hand (not the repository service): they are sums and groupings across packages, and
bench/report.py measures them. A region is selected as a range of codes ([code, next code)),
which an index on the code column can serve on SQLite and PostgreSQL alike (LIKE 'code%' is not
index-friendly on either without special collations). Time filters are half-open UTC ranges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import expression

from claims.models import Catastrophe, Claim
from payouts.models import Payout
from payouts.rebates.models import RebateEntry, SecurityExpenditure
from policies.models import PremiumPayment, Region
from reports.domain import Period, month_period


def in_region(column: Any, code: str) -> ColumnElement[bool]:
    """Codes starting with `code` (all digits): code ≤ column < the next code of the same length."""
    upper = str(int(code) + 1).zfill(len(code))
    if len(upper) > len(code):  # "999…": no next code of that length
        return column >= code
    return and_(column >= code, column < upper)


class elapsed_seconds(expression.FunctionElement[float]):
    """Seconds from one time column to another, computed by the database (so a listing of cycles
    moves two numbers a row, not two datetimes to parse)."""

    type = Float()
    inherit_cache = True


@compiles(elapsed_seconds)
def _elapsed_seconds_default(element: elapsed_seconds, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


@compiles(elapsed_seconds, "sqlite")
def _elapsed_seconds_sqlite(element: elapsed_seconds, compiler: Any, **kw: Any) -> str:
    start, end = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


def between(column: Any, period: Period) -> ColumnElement[bool]:
    return and_(column >= period.start, column < period.end)


async def claims_by_peril_and_status(
    session: AsyncSession, code: str, period: Period
) -> list[tuple[str, str, int]]:
    """Claims reported in the period: (peril, status, count)."""
    rows = await session.execute(
        select(Claim.peril, Claim.status, func.count())
        .where(in_region(Claim.village_code, code), between(Claim.reported_at, period))
        .group_by(Claim.peril, Claim.status)
    )
    return [(peril, status, count) for peril, status, count in rows]


async def paid_by_kind(session: AsyncSession, code: str, period: Period) -> dict[str, int]:
    """Payouts confirmed paid in the period, by kind (advance, final)."""
    rows = await session.execute(
        select(Payout.kind, func.coalesce(func.sum(Payout.amount_fen), 0))
        .where(Payout.status == "paid", in_region(Payout.region_code, code), between(Payout.paid_at, period))
        .group_by(Payout.kind)
    )
    return {kind: int(total) for kind, total in rows}


async def premiums_received(session: AsyncSession, code: str, period: Period) -> int:
    """Premiums paid in the period for policies in the region. A blanket premium is the district's:
    it counts for the district, not for a town or village inside it."""
    total = await session.scalar(
        select(func.coalesce(func.sum(PremiumPayment.amount_fen), 0)).where(
            in_region(PremiumPayment.region_code, code), between(PremiumPayment.paid_at, period)
        )
    )
    return int(total or 0)


async def paid_cycles(session: AsyncSession, code: str, period: Period) -> list[tuple[int, int]]:
    """(cycle seconds, target hours) of the claims whose money was confirmed paid in the period."""
    rows = await session.execute(
        select(elapsed_seconds(Claim.reported_at, Claim.paid_at), Claim.clock_target_hours).where(
            in_region(Claim.village_code, code), between(Claim.paid_at, period)
        )
    )
    return [(round(seconds), target) for seconds, target in rows]


async def rebates_by_kind(session: AsyncSession, code: str, period: Period) -> dict[str, int]:
    """Rebate ledger movements posted in the period, net of reversals, by kind."""
    rows = await session.execute(
        select(RebateEntry.kind, func.coalesce(func.sum(RebateEntry.amount_fen), 0))
        .where(in_region(RebateEntry.village_code, code), between(RebateEntry.created_at, period))
        .group_by(RebateEntry.kind)
    )
    return {kind: int(total) for kind, total in rows}


async def spending_by_category(session: AsyncSession, code: str, period: Period) -> dict[str, int]:
    rows = await session.execute(
        select(SecurityExpenditure.category, func.sum(SecurityExpenditure.amount_fen))
        .where(
            in_region(SecurityExpenditure.village_code, code),
            SecurityExpenditure.spent_on >= period.first,
            SecurityExpenditure.spent_on <= period.last,
        )
        .group_by(SecurityExpenditure.category)
    )
    return {category: int(total) for category, total in rows}


@dataclass(frozen=True)
class MonthFigures:
    month: date
    claims_reported: int
    paid_fen: int
    premiums_fen: int


async def monthly_trend(session: AsyncSession, code: str, months: Sequence[date]) -> list[MonthFigures]:
    """Claims reported, money paid and premiums received in each of `months`: three small range
    queries a month, each served by an index on its time column (one scan with a CASE per month
    was five times slower on SQLite)."""
    trend = []
    for month in months:
        period = month_period(month)
        in_month = between(Claim.reported_at, period)
        claims = await session.scalar(
            select(func.count()).where(in_region(Claim.village_code, code), in_month)
        )
        paid = sum((await paid_by_kind(session, code, period)).values())
        premiums = await premiums_received(session, code, period)
        trend.append(MonthFigures(month, int(claims or 0), paid, premiums))
    return trend


@dataclass(frozen=True)
class PartFigures:
    code: str
    name: str
    claims_reported: int
    paid_fen: int
    premiums_fen: int


async def parts(session: AsyncSession, code: str, period: Period) -> list[PartFigures]:
    """The region's direct parts (a district's towns, a town's villages), each with its sums."""
    children = (
        await session.execute(select(Region.code, Region.name).where(Region.parent_code == code))
    ).all()
    if not children:
        return []
    length = len(children[0].code)

    async def grouped(column: Any, value: Any, *where: Any) -> dict[str, int]:
        part = func.substr(column, 1, length)
        rows = await session.execute(
            select(part, func.coalesce(func.sum(value), 0))
            .where(in_region(column, code), *where)
            .group_by(part)
        )
        return {key: int(total) for key, total in rows}

    claims = await grouped(Claim.village_code, 1, between(Claim.reported_at, period))
    paid = await grouped(
        Payout.region_code, Payout.amount_fen, Payout.status == "paid", between(Payout.paid_at, period)
    )
    premiums = await grouped(
        PremiumPayment.region_code, PremiumPayment.amount_fen, between(PremiumPayment.paid_at, period)
    )
    return [
        PartFigures(child, name, claims.get(child, 0), paid.get(child, 0), premiums.get(child, 0))
        for child, name in sorted(children)
    ]


async def catastrophes(session: AsyncSession, code: str, period: Period) -> list[tuple[str, str, int, int]]:
    """Catastrophes in the district whose window overlaps the period: (name, peril, claims, paid fen)."""
    rows = await session.execute(
        select(
            Catastrophe.name,
            Catastrophe.peril,
            func.count(Claim.id),
            func.coalesce(func.sum(Claim.paid_fen), 0),
        )
        .outerjoin(Claim, and_(Claim.catastrophe_id == Catastrophe.id, in_region(Claim.village_code, code)))
        .where(
            in_region(Catastrophe.region_code, code[:6]),
            Catastrophe.starts_at < period.end,
            Catastrophe.ends_at >= period.start,
        )
        .group_by(Catastrophe.id, Catastrophe.name, Catastrophe.peril, Catastrophe.starts_at)
        .order_by(Catastrophe.starts_at)
    )
    return [(name, peril, int(count), int(paid)) for name, peril, count, paid in rows]
