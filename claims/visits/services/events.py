"""A catastrophe's visits, planned together: every accepted claim of the event without a live visit,
with every adjuster covering the area, capacity never exceeded (the planner's rule).

Planning again (after more confirmations) keeps visits done, visits announced to residents, and
visits an officer placed by hand; only the planner's own unannounced visits are planned afresh,
together with the newly accepted claims. The plan's view answers the officer's questions: the
planned last day beside the lower bound, each adjuster's days, and how many adjusters of a given
daily capacity would finish the event within a given number of days.
"""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from sqlalchemy import func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.domain import ClaimStatus
from claims.models import Claim
from claims.services.catastrophes import get_visible_event
from claims.visits import domain, planner, schemas
from claims.visits.models import SiteVisit
from claims.visits.services.inputs import crew, lock_district
from claims.visits.services.planning import (
    announce_upcoming,
    announce_window,
    live_visit_of,
    requests_for,
    store,
)
from core import audit, clock, scope
from core.auth import Principal


async def plan_event(session: AsyncSession, principal: Principal, catastrophe_id: UUID) -> schemas.VisitPlan:
    """Plan (or plan again) the event's visits in the caller's villages."""
    event = await get_visible_event(session, principal, catastrophe_id)
    await lock_district(session, event.region_code)
    today = clock.today()
    in_scope = scope.region_clause(principal, SiteVisit.village_code)
    replaceable = list(
        await session.scalars(
            select(SiteVisit)
            .where(
                SiteVisit.catastrophe_id == event.id,
                SiteVisit.status == "planned",
                SiteVisit.announced_at.is_(None),
                SiteVisit.planned_by == domain.SYSTEM_PLANNER,
                in_scope,
            )
            .with_for_update()
        )
    )
    for visit in replaceable:
        visit.status = "cancelled"
    await audit.record_many(
        session,
        [
            audit.Event(
                actor=principal.username,
                action="visit.replaced",
                subject_type="visit",
                subject_id=visit.id,
                region_code=visit.village_code,
                before={"status": "planned", "visit_on": visit.visit_on.isoformat()},
                after={"status": "cancelled"},
            )
            for visit in replaceable
        ],
    )
    await session.flush()
    claims = {
        str(c.id): c
        for c in await session.scalars(
            select(Claim)
            .where(
                Claim.catastrophe_id == event.id,
                Claim.status.in_([ClaimStatus.ACCEPTED.value, ClaimStatus.VISIT_SCHEDULED.value]),
                scope.region_clause(principal, Claim.village_code),
                not_(live_visit_of(Claim.id)),
            )
            .order_by(Claim.village_code, Claim.number)
            .with_for_update()
        )
    }
    team = await crew(session, event.region_code, villages=event.village_codes, start=today)
    plan = planner.plan_visits(
        await requests_for(session, list(claims.values()), today=today),
        team.inputs,
        start=today,
        village_points=team.points,
    )
    window = announce_window(today)
    await store(session, plan, claims, team, announce_until=window)
    await announce_upcoming(session, until=window, catastrophe_id=event.id)
    await audit.record(
        session,
        actor=principal.username,
        action="catastrophe.visits_planned",
        subject_type="catastrophe",
        subject_id=event.id,
        region_code=event.region_code,
        after={
            "planned": len(plan.visits),
            "unplanned": len(plan.unplanned),
            "replaced": len(replaceable),
            "last_day": plan.last_day.isoformat() if plan.last_day else None,
        },
    )
    return await plan_view(session, principal, catastrophe_id)


async def plan_view(
    session: AsyncSession,
    principal: Principal,
    catastrophe_id: UUID,
    *,
    within_days: int | None = None,
    capacity: int | None = None,
) -> schemas.VisitPlan:
    """The event's live visits in the caller's villages, with the lower bound and, given
    `within_days` and `capacity`, how many adjusters it would take."""
    event = await get_visible_event(session, principal, catastrophe_id)
    rows = (
        await session.execute(
            select(SiteVisit.adjuster_id, SiteVisit.visit_on, func.count())
            .where(
                SiteVisit.catastrophe_id == event.id,
                SiteVisit.status != "cancelled",
                scope.region_clause(principal, SiteVisit.village_code),
            )
            .group_by(SiteVisit.adjuster_id, SiteVisit.visit_on)
        )
    ).all()
    unplanned = await session.scalar(
        select(func.count())
        .select_from(Claim)
        .where(
            Claim.catastrophe_id == event.id,
            Claim.status.in_([ClaimStatus.ACCEPTED.value, ClaimStatus.VISIT_SCHEDULED.value]),
            scope.region_clause(principal, Claim.village_code),
            not_(live_visit_of(Claim.id)),
        )
    )
    team = await crew(session, event.region_code, villages=event.village_codes, start=clock.today())
    by_adjuster: dict[UUID, dict[str, int]] = defaultdict(dict)
    for adjuster_id, day, count in rows:
        by_adjuster[adjuster_id][day.isoformat()] = count
    days = sorted({day for _, day, _ in rows})
    visits = sum(count for _, _, count in rows)
    households = visits + int(unplanned or 0)
    needed = (
        planner.adjusters_needed(households, daily_capacity=capacity, within_days=within_days)
        if within_days and capacity
        else None
    )
    return schemas.VisitPlan(
        catastrophe_id=event.id,
        visits=visits,
        unplanned=int(unplanned or 0),
        adjusters=len(team.inputs),
        first_day=days[0] if days else None,
        last_day=days[-1] if days else None,
        planned_days=(days[-1] - days[0]).days + 1 if days else 0,
        lower_bound_days=planner.lower_bound_days(households, team.inputs),
        per_adjuster=[
            schemas.AdjusterDays(
                adjuster_id=adjuster_id,
                name=team.names.get(adjuster_id, ""),
                visits_by_day=dict(sorted(counts.items())),
            )
            for adjuster_id, counts in sorted(by_adjuster.items(), key=lambda item: str(item[0]))
        ],
        within_days=within_days,
        capacity=capacity,
        adjusters_needed=needed,
    )
