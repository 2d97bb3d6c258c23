"""Adjusters as officers and admins manage them: create, update, list, and days off (which re-plan
the visits of that day). An officer manages an adjuster who covers any village in the officer's
regions (a town officer manages the adjusters who visit their town, not only a district officer),
and gives or takes away only villages in the officer's own regions. An adjuster's villages lie in
one district and inside their own login's regions (else they could not open their claims). A new or
changed adjuster also picks up the accepted claims of their villages that no one could visit."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.domain import ClaimStatus
from claims.models import Claim
from claims.visits import schemas, tasks
from claims.visits.errors import (
    AdjusterExists,
    AdjusterNotFound,
    DayInPast,
    DayOffExists,
    NotAnAdjuster,
    UnknownVillages,
    VillagesInSeveralDistricts,
    VillagesOutsideAdjusterRegions,
)
from claims.visits.models import Adjuster, AdjusterDayOff, SiteVisit
from claims.visits.services.inputs import lock_district, names
from claims.visits.services.planning import live_visit_of, replan
from core import audit, clock, scope
from core.auth import Principal, Role
from core.outbox import enqueue
from core.views import from_row
from policies.models import Region
from users.models import User


class AdjusterService(SQLAlchemyAsyncRepositoryService[Adjuster]):
    class Repo(SQLAlchemyAsyncRepository[Adjuster]):
        model_type = Adjuster

    repository_type = Repo


async def get_managed(
    session: AsyncSession, principal: Principal, adjuster_id: UUID, *, for_update: bool = False
) -> Adjuster:
    """The adjuster if they work in the caller's regions; otherwise 404, as for an unknown id."""
    adjuster = await AdjusterService(session=session).get_one_or_none(
        Adjuster.id == adjuster_id, with_for_update=for_update
    )
    if adjuster is None or not manages(principal, adjuster):
        raise AdjusterNotFound()
    return adjuster


def manages(principal: Principal, adjuster: Adjuster) -> bool:
    """The officer's regions hold the adjuster's district or any of their villages (module docstring)."""
    return scope.covers(principal, adjuster.region_code) or any(
        scope.covers(principal, code) for code in adjuster.village_codes
    )


async def _check_villages(
    session: AsyncSession, principal: Principal, codes: list[str], *, changed: set[str], user: User
) -> str:
    """The `changed` villages lie in the caller's regions (403 otherwise); all exist, lie inside
    the adjuster's login regions, and share one district, which is returned: the adjuster works for it."""
    for code in sorted(changed):
        scope.check_region(principal, code)
    known = set(
        await session.scalars(select(Region.code).where(Region.code.in_(codes), Region.level == "village"))
    )
    unknown = sorted(set(codes) - known)
    if unknown:
        raise UnknownVillages(village_codes=unknown)
    theirs = user.principal()
    outside = [code for code in codes if not scope.covers(theirs, code)]
    if outside:
        raise VillagesOutsideAdjusterRegions(village_codes=outside)
    districts = {code[:6] for code in codes}
    if len(districts) > 1:
        raise VillagesInSeveralDistricts(districts=sorted(districts))
    return districts.pop()


async def to_view(session: AsyncSession, adjuster: Adjuster) -> schemas.Adjuster:
    return from_row(adjuster, schemas.Adjuster, name=(await names(session, [adjuster]))[adjuster.id])


async def create(
    session: AsyncSession, principal: Principal, data: schemas.AdjusterCreate
) -> schemas.Adjuster:
    user = await session.get(User, data.user_id)
    if user is None or user.role != Role.ADJUSTER.value or not user.active:
        raise NotAnAdjuster(user_id=str(data.user_id))
    if await AdjusterService(session=session).exists(Adjuster.user_id == data.user_id):
        raise AdjusterExists()
    villages = sorted(set(data.village_codes))
    codes = sorted({*villages, data.home_village_code})
    district = await _check_villages(session, principal, codes, changed=set(codes), user=user)
    adjuster = await AdjusterService(session=session).create(
        Adjuster(
            user_id=data.user_id,
            region_code=district,
            village_codes=villages,
            home_village_code=data.home_village_code,
            daily_capacity=data.daily_capacity,
            working_weekdays=sorted(set(data.working_weekdays)),
        )
    )
    await _audit(session, principal, adjuster, "adjuster.created", after=_facts(adjuster))
    await _plan_waiting(session, adjuster)
    return await to_view(session, adjuster)


async def update(
    session: AsyncSession, principal: Principal, adjuster_id: UUID, data: schemas.AdjusterUpdate
) -> schemas.Adjuster:
    """Change what is given. Visits already planned stay: an officer moves them if need be."""
    adjuster = await get_managed(session, principal, adjuster_id, for_update=True)
    before = _facts(adjuster)
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    if "village_codes" in changes:
        changes["village_codes"] = sorted(set(changes["village_codes"]))
    if "working_weekdays" in changes:
        changes["working_weekdays"] = sorted(set(changes["working_weekdays"]))
    if "village_codes" in changes or "home_village_code" in changes:
        villages = changes.get("village_codes", adjuster.village_codes)
        home = changes.get("home_village_code", adjuster.home_village_code)
        # Villages given or taken away must be the caller's; another town's villages may stay.
        changed = set(villages) ^ set(adjuster.village_codes) | ({home} - {adjuster.home_village_code})
        user = await session.get(User, adjuster.user_id)
        assert user is not None  # an adjuster's user is never deleted (foreign key)
        district = await _check_villages(
            session, principal, sorted({*villages, home}), changed=changed, user=user
        )
        if district != adjuster.region_code:
            raise VillagesInSeveralDistricts(districts=sorted({district, adjuster.region_code}))
    for field, value in changes.items():
        setattr(adjuster, field, value)
    await session.flush()
    await _audit(session, principal, adjuster, "adjuster.updated", before=before, after=_facts(adjuster))
    await _plan_waiting(session, adjuster)
    return await to_view(session, adjuster)


async def list_adjusters(session: AsyncSession, principal: Principal) -> list[schemas.Adjuster]:
    # Villages are a JSON list: the districts are narrowed in SQL, the villages checked here.
    districts = {code[:6] for code in principal.regions}
    query = select(Adjuster).order_by(Adjuster.region_code, Adjuster.created_at)
    if principal.role is not Role.ADMIN:
        query = query.where(Adjuster.region_code.in_(sorted(districts)))
    rows = [a for a in await session.scalars(query) if manages(principal, a)]
    named = await names(session, rows)
    return [from_row(a, schemas.Adjuster, name=named[a.id]) for a in rows]


async def add_day_off(
    session: AsyncSession, principal: Principal, adjuster_id: UUID, data: schemas.DayOffCreate
) -> schemas.DayOff:
    """The adjuster is off that day: their visits of the day are planned again, residents told."""
    adjuster = await get_managed(session, principal, adjuster_id)
    await lock_district(session, adjuster.region_code)  # locks this adjuster too, in planners' order
    today = clock.today()
    if data.day < today:
        raise DayInPast(day=data.day.isoformat())
    taken = await session.scalar(
        select(AdjusterDayOff.id).where(
            AdjusterDayOff.adjuster_id == adjuster.id, AdjusterDayOff.day == data.day
        )
    )
    if taken is not None:
        raise DayOffExists(day=data.day.isoformat())
    day_off = AdjusterDayOff(adjuster_id=adjuster.id, day=data.day, reason=data.reason)
    session.add(day_off)
    await session.flush()
    await _audit(
        session,
        principal,
        adjuster,
        "adjuster.day_off",
        reason=data.reason,
        after={"day": data.day.isoformat()},
    )
    visits = list(
        await session.scalars(
            select(SiteVisit)
            .where(
                SiteVisit.adjuster_id == adjuster.id,
                SiteVisit.visit_on == data.day,
                SiteVisit.status.in_(["planned", "announced"]),
            )
            .with_for_update()
        )
    )
    replanned, unplanned = await replan(session, visits, start=max(data.day, today), actor=principal.username)
    return from_row(day_off, schemas.DayOff, replanned=replanned, unplanned=unplanned)


async def _plan_waiting(session: AsyncSession, adjuster: Adjuster) -> None:
    """Accepted routine claims in the adjuster's villages still without a visit (flagged
    no_adjuster) are planned now that someone may come: after commit, through the outbox."""
    if not adjuster.active:
        return
    waiting = await session.scalars(
        select(Claim.id).where(
            Claim.status == ClaimStatus.ACCEPTED.value,
            Claim.catastrophe_id.is_(None),
            Claim.village_code.in_(adjuster.village_codes),
            not_(live_visit_of(Claim.id)),
        )
    )
    for claim_id in waiting:
        enqueue(session, tasks.plan_visit, str(claim_id))


def _facts(adjuster: Adjuster) -> dict[str, Any]:
    return {
        "user_id": str(adjuster.user_id),
        "village_codes": list(adjuster.village_codes),
        "home_village_code": adjuster.home_village_code,
        "daily_capacity": adjuster.daily_capacity,
        "working_weekdays": list(adjuster.working_weekdays),
        "active": adjuster.active,
    }


async def _audit(
    session: AsyncSession,
    principal: Principal,
    adjuster: Adjuster,
    action: str,
    *,
    reason: str | None = None,
    before: Any = None,
    after: Any = None,
) -> None:
    await audit.record(
        session,
        actor=principal.username,
        action=action,
        subject_type="adjuster",
        subject_id=adjuster.id,
        region_code=adjuster.region_code,
        reason=reason,
        before=before,
        after=after,
    )
