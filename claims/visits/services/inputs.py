"""What the planner is given, read from the database: adjusters with their days off and bookings,
village coordinates, and the people named on visits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.visits import domain
from claims.visits.models import Adjuster, AdjusterDayOff, SiteVisit
from claims.visits.planner import AdjusterInput, Point
from policies.models import Region
from users.models import User


@dataclass
class Crew:
    """The adjusters a plan may use, as the planner sees them and as stored."""

    inputs: list[AdjusterInput]
    rows: dict[str, Adjuster]
    names: dict[UUID, str]
    points: dict[str, Point]  # homes and booked villages, for plan_visits' `village_points`


async def village_points(session: AsyncSession, codes: Iterable[str]) -> dict[str, Point]:
    """Each village's coordinate; a village without one stands at the middle of the others (rare:
    imported villages carry coordinates), so it is still planned, only its travel is guessed."""
    wanted = sorted(set(codes))
    rows = (
        await session.execute(
            select(Region.code, Region.latitude, Region.longitude).where(Region.code.in_(wanted))
        )
    ).all()
    known = {code: Point(lat, lon) for code, lat, lon in rows if lat is not None and lon is not None}
    if not known:
        return dict.fromkeys(wanted, Point(0.0, 0.0))
    middle = Point(
        sum(p.lat for p in known.values()) / len(known), sum(p.lon for p in known.values()) / len(known)
    )
    return {code: known.get(code, middle) for code in wanted}


async def names(session: AsyncSession, adjusters: Iterable[Adjuster]) -> dict[UUID, str]:
    """Adjuster id → the user's display name."""
    by_user = {a.user_id: a.id for a in adjusters}
    rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(list(by_user))))
    return {by_user[user_id]: name for user_id, name in rows}


async def lock_district(session: AsyncSession, district: str) -> None:
    """Serialise planning in one district before its bookings are read: two plans (or a plan and a
    move) that both read a day as having a free place would otherwise both take it. PostgreSQL:
    the district's adjuster rows, in id order so two lockers never deadlock; SQLite's BEGIN
    IMMEDIATE already lets one writer at a time."""
    await session.execute(
        select(Adjuster.id).where(Adjuster.region_code == district).order_by(Adjuster.id).with_for_update()
    )


async def crew(
    session: AsyncSession,
    district: str,
    *,
    villages: Collection[str],
    start: date,
    ignore_visits: Collection[UUID] = (),
) -> Crew:
    """The active adjusters of `district` covering any of `villages`, with their days off and the
    visits already in their days from `start` on (except `ignore_visits`, about to be re-planned)."""
    wanted = set(villages)
    rows = [
        a
        for a in await session.scalars(
            select(Adjuster).where(Adjuster.region_code == district, Adjuster.active.is_(True))
        )
        if wanted & set(a.village_codes)
    ]
    ids = [a.id for a in rows]
    days_off: dict[UUID, set[date]] = defaultdict(set)
    for adjuster_id, day in await session.execute(
        select(AdjusterDayOff.adjuster_id, AdjusterDayOff.day).where(
            AdjusterDayOff.adjuster_id.in_(ids), AdjusterDayOff.day >= start
        )
    ):
        days_off[adjuster_id].add(day)
    # The visits already in each adjuster-day, in route order: they use capacity, and new visits
    # are routed around them.
    booked: dict[UUID, dict[date, list[str]]] = defaultdict(lambda: defaultdict(list))
    query = (
        select(SiteVisit.adjuster_id, SiteVisit.visit_on, SiteVisit.village_code)
        .where(
            SiteVisit.adjuster_id.in_(ids),
            SiteVisit.visit_on >= start,
            SiteVisit.status.in_(domain.LIVE),
        )
        .order_by(SiteVisit.adjuster_id, SiteVisit.visit_on, SiteVisit.route_order)
    )
    if ignore_visits:
        query = query.where(SiteVisit.id.not_in(list(ignore_visits)))
    for adjuster_id, day, village in await session.execute(query):
        booked[adjuster_id][day].append(village)
    booked_villages = {v for days in booked.values() for stops in days.values() for v in stops}
    points = await village_points(session, {a.home_village_code for a in rows} | booked_villages)
    inputs = [
        AdjusterInput(
            id=str(a.id),
            home=points[a.home_village_code],
            villages=frozenset(a.village_codes),
            daily_capacity=a.daily_capacity,
            working_weekdays=frozenset(a.working_weekdays),
            days_off=frozenset(days_off[a.id]),
            booked={day: len(stops) for day, stops in booked[a.id].items()},
            booked_villages=dict(booked[a.id]),
        )
        for a in rows
    ]
    return Crew(inputs, {str(a.id): a for a in rows}, await names(session, rows), points)
