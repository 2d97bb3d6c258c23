"""Site visits as people read and move them: the adjuster's own day, the officer's list, and an
officer's reschedule or reassignment (checked, audited, the resident told)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim
from claims.visits import domain, schemas
from claims.visits.errors import VisitClosed, VisitNotFound
from claims.visits.models import Adjuster, AdjusterDayOff, SiteVisit
from claims.visits.services.adjusters import get_managed
from claims.visits.services.inputs import lock_district, names
from claims.visits.services.planning import announce, flag
from core import audit, clock, scope
from core.audit import AuditEvent
from core.auth import Principal
from core.privacy import mask_phone
from policies.models import Household, Region
from users.models import User

# An https map any phone opens (Amap's marker URL takes longitude first); the geo: link opens the
# phone's own map app. Both are built here: the page itself loads nothing from outside.
MAP_URL = "https://uri.amap.com/marker?position={lon:.6f},{lat:.6f}&name={name}"


def _day_query() -> Any:
    return (
        select(SiteVisit, Claim, Household, Region, User.display_name)
        .join(Claim, Claim.id == SiteVisit.claim_id)
        .join(Household, Household.id == Claim.household_id)
        .join(Region, Region.code == SiteVisit.village_code)
        .join(Adjuster, Adjuster.id == SiteVisit.adjuster_id)
        .join(User, User.id == Adjuster.user_id)
        .where(SiteVisit.status != "cancelled")
        .order_by(SiteVisit.visit_on, User.display_name, SiteVisit.route_order)
    )


def _view(row: Any, *, full_phone: bool) -> schemas.Visit:
    visit, claim, household, village, adjuster_name = row
    lat, lon = village.latitude, village.longitude
    located = lat is not None and lon is not None
    return schemas.Visit(
        id=visit.id,
        claim_id=claim.id,
        claim_number=claim.number,
        adjuster_id=visit.adjuster_id,
        adjuster_name=adjuster_name,
        visit_on=visit.visit_on,
        route_order=visit.route_order,
        status=visit.status,
        at_risk=visit.at_risk,
        announced_at=visit.announced_at,
        village_code=village.code,
        village_name=village.name,
        address=household.address,
        head_name=household.head_name,
        phone=claim.claimant_phone if full_phone else mask_phone(claim.claimant_phone),
        peril=claim.peril,
        estimated_loss_fen=claim.estimated_loss_fen,
        latitude=lat,
        longitude=lon,
        geo_link=f"geo:{lat:.6f},{lon:.6f}" if located else None,
        map_link=MAP_URL.format(lat=lat, lon=lon, name=village.name) if located else None,
        assess_link=f"/adjuster/visits/{visit.id}/assess",
    )


async def my_day(session: AsyncSession, principal: Principal, on: date) -> list[schemas.Visit]:
    """The calling adjuster's visits of one day in route order, with the phone to call in full."""
    rows = await session.execute(_day_query().where(User.id == principal.user_id, SiteVisit.visit_on == on))
    return [_view(row, full_phone=True) for row in rows]


async def list_visits(
    session: AsyncSession, principal: Principal, *, on: date, adjuster_id: UUID | None = None
) -> list[schemas.Visit]:
    """Visits of one day in the caller's villages (one adjuster's, if named): phones masked."""
    query = _day_query().where(
        SiteVisit.visit_on == on, scope.region_clause(principal, SiteVisit.village_code)
    )
    if adjuster_id is not None:
        query = query.where(SiteVisit.adjuster_id == adjuster_id)
    return [_view(row, full_phone=False) for row in await session.execute(query)]


async def get_one(session: AsyncSession, principal: Principal, visit_id: UUID) -> schemas.Visit:
    row = (
        await session.execute(
            _day_query().where(
                SiteVisit.id == visit_id, scope.region_clause(principal, SiteVisit.village_code)
            )
        )
    ).first()
    if row is None:
        raise VisitNotFound()
    return _view(row, full_phone=False)


async def move_visit(
    session: AsyncSession, principal: Principal, visit_id: UUID, data: schemas.VisitMove
) -> schemas.Visit:
    """Another day, another adjuster, or both; checked first, so a refusal changes nothing. A visit
    an officer placed is kept by later re-planning of its event."""
    village = await session.scalar(select(SiteVisit.village_code).where(SiteVisit.id == visit_id))
    if village is None or not scope.covers(principal, village):
        raise VisitNotFound()
    await lock_district(session, village[:6])  # before reading the day's bookings, as every planner
    visit = await session.get(SiteVisit, visit_id, with_for_update=True, populate_existing=True)
    assert visit is not None  # visits are never deleted
    if visit.status in ("done", "cancelled"):
        raise VisitClosed(status=visit.status)
    adjuster_id = data.adjuster_id if isinstance(data.adjuster_id, UUID) else visit.adjuster_id
    day = data.visit_on if isinstance(data.visit_on, date) else visit.visit_on
    adjuster = await get_managed(session, principal, adjuster_id)
    if (adjuster.id, day) == (visit.adjuster_id, visit.visit_on):
        return await get_one(session, principal, visit.id)
    booked = await session.scalar(
        select(func.count()).where(
            SiteVisit.adjuster_id == adjuster.id,
            SiteVisit.visit_on == day,
            SiteVisit.status.in_(domain.LIVE),
            SiteVisit.id != visit.id,
        )
    )
    days_off = await session.scalars(
        select(AdjusterDayOff.day).where(AdjusterDayOff.adjuster_id == adjuster.id, AdjusterDayOff.day == day)
    )
    domain.check_visit(
        village=visit.village_code,
        day=day,
        today=clock.today(),
        villages=adjuster.village_codes,
        working_weekdays=adjuster.working_weekdays if adjuster.active else [],
        days_off=list(days_off),
        booked=int(booked or 0),
        daily_capacity=adjuster.daily_capacity,
    )
    claim = await session.get(Claim, visit.claim_id, with_for_update=True)
    assert claim is not None  # a visit's claim is never deleted (foreign key)
    before = {"adjuster_id": str(visit.adjuster_id), "visit_on": visit.visit_on.isoformat()}
    last = await session.scalar(
        select(func.max(SiteVisit.route_order)).where(
            SiteVisit.adjuster_id == adjuster.id, SiteVisit.visit_on == day, SiteVisit.status.in_(domain.LIVE)
        )
    )
    visit.adjuster_id, visit.visit_on = adjuster.id, day
    visit.route_order = int(last or 0) + 1  # at the end of the day: the adjuster's route so far stands
    visit.at_risk = day > domain.due_by(claim.expected_payment_by, today=clock.today())
    visit.planned_by = principal.username
    await audit.record(
        session,
        actor=principal.username,
        action="visit.moved",
        subject_type="visit",
        subject_id=visit.id,
        region_code=visit.village_code,
        before=before,
        after={"adjuster_id": str(adjuster.id), "visit_on": day.isoformat(), "at_risk": visit.at_risk},
    )
    await flag(session, claim, domain.FLAG_VISIT_AT_RISK, visit.at_risk, actor=principal.username)
    moves = await session.scalar(
        select(func.count()).where(AuditEvent.subject_id == str(visit.id), AuditEvent.action == "visit.moved")
    )
    name = (await names(session, [adjuster]))[adjuster.id]
    announced = await announce(
        session, visit, claim, name, moved=True, moves=int(moves or 0), actor=principal.username
    )
    await audit.record_many(session, [announced])
    await session.flush()
    return await get_one(session, principal, visit.id)
