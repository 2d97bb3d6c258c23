"""Households and people covered, per village and month: counted in the background, added up on read.

A household counts as covered in a month when a policy covered it at some time in that month:
blanket when a blanket policy's region (a district, or a town inside it) holds its village, voluntary
when it has a household policy of its own (a household may be both). Counting people means reading
every person of the district (800,000 in Huai'an), so the counts are kept per village and month
(`CoverageCount`): every night for the current month, and by a report build for a month it needs.
The dashboard adds up the villages of its region for the month its period ends in; a month never
counted is counted live (slow for a big district, exact).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, delete, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import utcnow
from policies.domain import PolicyStatus
from policies.models import Household, Person, Policy, Region
from reports.domain import Period, month_period
from reports.models import CoverageCount
from reports.services.figures import in_region

# A policy that covered anyone: issued and paid (idle never covered), not suspended.
INSURING = (PolicyStatus.ACTIVE, PolicyStatus.RENEWED, PolicyStatus.EXPIRED)


@dataclass(frozen=True)
class Insured:
    blanket_households: int = 0
    blanket_people: int = 0
    voluntary_households: int = 0
    voluntary_people: int = 0

    def __add__(self, other: Insured) -> Insured:
        return Insured(
            self.blanket_households + other.blanket_households,
            self.blanket_people + other.blanket_people,
            self.voluntary_households + other.voluntary_households,
            self.voluntary_people + other.voluntary_people,
        )


def _overlaps(period: Period) -> ColumnElement[bool]:
    return and_(Policy.starts_on <= period.last, Policy.ends_on > period.first, Policy.status.in_(INSURING))


async def _per_village(session: AsyncSession, query: object) -> dict[str, int]:
    return {village: int(count) for village, count in await session.execute(query)}  # type: ignore[call-overload]


async def count_by_village(session: AsyncSession, code: str, period: Period) -> dict[str, Insured]:
    """The live count: each village of `code` with anyone covered in the period."""
    blanket_regions = list(
        await session.scalars(
            select(Policy.region_code)
            .distinct()
            .where(Policy.household_id.is_(None), _overlaps(period))
            .where(or_(in_region(Policy.region_code, code), literal(code).startswith(Policy.region_code)))
        )
    )
    village = Household.village_code
    blanket_homes: dict[str, int] = {}
    blanket_people: dict[str, int] = {}
    if blanket_regions:
        where = and_(in_region(village, code), or_(*(in_region(village, r) for r in blanket_regions)))
        blanket_homes = await _per_village(
            session, select(village, func.count()).where(where).group_by(village)
        )
        blanket_people = await _per_village(
            session,
            select(village, func.count()).select_from(Person).join(Household).where(where).group_by(village),
        )
    voluntary = select(Policy.household_id).where(
        Policy.household_id.is_not(None), in_region(Policy.region_code, code), _overlaps(period)
    )
    voluntary_homes = await _per_village(
        session,
        select(village, func.count()).where(Household.id.in_(voluntary)).group_by(village),
    )
    voluntary_people = await _per_village(
        session,
        select(village, func.count())
        .select_from(Person)
        .join(Household)
        .where(Household.id.in_(voluntary))
        .group_by(village),
    )
    villages = set(blanket_homes) | set(voluntary_homes)
    return {
        v: Insured(
            blanket_homes.get(v, 0),
            blanket_people.get(v, 0),
            voluntary_homes.get(v, 0),
            voluntary_people.get(v, 0),
        )
        for v in villages
    }


async def count_month(session: AsyncSession, district: str, month: date) -> None:
    """Count (again) the district's villages for the month and keep the counts."""
    counts = await count_by_village(session, district, month_period(month))
    await session.execute(
        delete(CoverageCount).where(
            in_region(CoverageCount.village_code, district), CoverageCount.month == month
        )
    )
    now = utcnow()
    session.add_all(
        CoverageCount(
            village_code=village,
            month=month,
            blanket_households=c.blanket_households,
            blanket_people=c.blanket_people,
            voluntary_households=c.voluntary_households,
            voluntary_people=c.voluntary_people,
            counted_at=now,
        )
        for village, c in counts.items()
    )
    await session.flush()


async def is_counted(session: AsyncSession, district: str, month: date) -> bool:
    found = await session.scalar(
        select(CoverageCount.id)
        .where(in_region(CoverageCount.village_code, district), CoverageCount.month == month)
        .limit(1)
    )
    return found is not None


async def count_months(session: AsyncSession, district: str, months: Sequence[date]) -> None:
    """Count the months not counted yet (a report build's needs)."""
    for month in months:
        if not await is_counted(session, district, month):
            await count_month(session, district, month)


async def districts(session: AsyncSession) -> list[str]:
    return list(await session.scalars(select(Region.code).where(Region.level == "district")))


async def covered(session: AsyncSession, code: str, period: Period) -> Insured:
    """Covered in the month the period ends in, from the kept counts (live when never counted)."""
    month = period.last.replace(day=1)
    if not await is_counted(session, code[:6], month):
        return sum((await count_by_village(session, code, month_period(month))).values(), Insured())
    row = (
        await session.execute(
            select(
                func.coalesce(func.sum(CoverageCount.blanket_households), 0),
                func.coalesce(func.sum(CoverageCount.blanket_people), 0),
                func.coalesce(func.sum(CoverageCount.voluntary_households), 0),
                func.coalesce(func.sum(CoverageCount.voluntary_people), 0),
            ).where(in_region(CoverageCount.village_code, code), CoverageCount.month == month)
        )
    ).one()
    return Insured(*(int(value) for value in row))
