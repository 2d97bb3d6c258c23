"""Planning visits: one accepted claim (the `claims.plan_visit` actor), a catastrophe's claims together,
and the visits an adjuster's day off frees. The planner (claims/visits/planner.py) decides; this
reads its inputs, stores its plan, moves the claims to `visit_scheduled`, audits and tells residents.

A routine claim's resident is told at once. A catastrophe's residents are told only of visits within
ANNOUNCE_DAYS (the rest may still move when more claims are confirmed and the event is planned again);
the hourly `claims.announce_visits` actor, and planning the event again, announce the visits that have
come inside that window.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Exists, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.domain import ClaimStatus
from claims.models import Claim
from claims.services.lifecycle import move
from claims.visits import domain
from claims.visits.models import Adjuster, SiteVisit
from claims.visits.planner import Plan, PlannedVisit, VisitRequest, plan_visits
from claims.visits.services.inputs import Crew, crew, lock_district, village_points
from claims.visits.services.routes import renumber
from core import audit, clock
from core.auth import Principal, Role
from core.notifications import Recipient, notify
from users.models import User

ANNOUNCE_DAYS = 2  # a catastrophe's visits are announced once they are at most this many days ahead
PLANNER = Principal(user_id=UUID(int=0), username=domain.SYSTEM_PLANNER, role=Role.ADMIN)


def live_visit_of(claim_id: Any) -> Exists:
    """SQL: the claim has a visit that is not cancelled."""
    return exists().where(SiteVisit.claim_id == claim_id, SiteVisit.status != "cancelled")


async def announce(
    session: AsyncSession,
    visit: SiteVisit,
    claim: Claim,
    adjuster_name: str,
    *,
    moved: bool = False,
    moves: int = 0,
    actor: str = domain.SYSTEM_PLANNER,
) -> audit.Event:
    """Tell the household its visit day and who comes; the caller records the returned audit event
    in the same transaction (record_many for a batch). The key is one per announcement of the
    visit: `moves` counts the officer's moves so far, so a visit moved back to a day and adjuster it
    had before is announced again, while a job that runs twice still sends once."""
    before = {"status": visit.status, "announced_at": visit.announced_at}
    await notify(
        session,
        recipient_kind=Recipient.HOUSEHOLD,
        recipient_id=claim.household_id,
        phone=claim.claimant_phone,
        text_zh=domain.visit_text(
            claim_number=claim.number, day=visit.visit_on, adjuster_name=adjuster_name, moved=moved
        ),
        subject_type="claim",
        subject_id=claim.id,
        region_code=claim.village_code,
        key=f"visit:{visit.id}:{moves}",
    )
    visit.announced_at = clock.utcnow()
    if visit.status == "planned":
        visit.status = "announced"
    return audit.Event(
        actor=actor,
        action="visit.announced",
        subject_type="visit",
        subject_id=visit.id,
        region_code=visit.village_code,
        before=before,
        after={"status": visit.status, "announced_at": visit.announced_at, "visit_on": visit.visit_on},
    )


async def flag(session: AsyncSession, claim: Claim, name: str, on: bool, *, actor: str) -> None:
    """Set or clear one of this package's flags on the claim, audited when it changes."""
    flags = domain.with_flag(list(claim.flags or []), name, on)
    if sorted(flags) == sorted(claim.flags or []):
        return
    before = list(claim.flags or [])
    claim.flags = flags
    await audit.record_many(session, [_flagged(claim, before, flags, actor=actor)])


async def store(
    session: AsyncSession,
    plan: Plan,
    claims: dict[str, Claim],
    team: Crew,
    *,
    announce_until: date | None,
    moved: bool = False,
) -> list[SiteVisit]:
    """Write the planned visits, move accepted claims to `visit_scheduled`, flag, audit and announce
    (visits on or before `announce_until`; None: all)."""
    stored: list[SiteVisit] = []
    events: list[audit.Event] = []
    announced: list[audit.Event] = []
    for planned in plan.visits:
        claim = claims[planned.claim_id]
        adjuster = team.rows[planned.adjuster_id]
        # The id is given here, not by a flush per visit: an event's thousands of visits are one flush.
        visit = SiteVisit(
            id=uuid4(),
            claim_id=claim.id,
            adjuster_id=adjuster.id,
            village_code=claim.village_code,
            catastrophe_id=claim.catastrophe_id,
            visit_on=planned.day,
            route_order=planned.route_order,
            at_risk=planned.at_risk,
            planned_by=domain.SYSTEM_PLANNER,
        )
        session.add(visit)
        before = list(claim.flags or [])
        flags = domain.with_flag(before, domain.FLAG_NO_ADJUSTER, False)
        flags = domain.with_flag(flags, domain.FLAG_VISIT_AT_RISK, planned.at_risk)
        if claim.status == ClaimStatus.ACCEPTED:
            await move(session, PLANNER, claim, "schedule_visit", changes={"flags": flags})
        elif sorted(flags) != sorted(before):
            claim.flags = flags
            events.append(_flagged(claim, before, flags, actor=domain.SYSTEM_PLANNER))
        events.append(
            audit.Event(
                actor=domain.SYSTEM_PLANNER,
                action="visit.planned",
                subject_type="visit",
                subject_id=visit.id,
                region_code=claim.village_code,
                after=_facts(visit, planned),
            )
        )
        if announce_until is None or planned.day <= announce_until:
            announced.append(await announce(session, visit, claim, team.names[adjuster.id], moved=moved))
        stored.append(visit)
    await audit.record_many(session, events + announced)
    await renumber(session, stored, actor=domain.SYSTEM_PLANNER)
    for claim_id in plan.unplanned:
        await flag(session, claims[claim_id], domain.FLAG_NO_ADJUSTER, True, actor=domain.SYSTEM_PLANNER)
    return stored


def _flagged(claim: Claim, before: list[str], flags: list[str], *, actor: str) -> audit.Event:
    return audit.Event(
        actor=actor,
        action="claim.flagged",
        subject_type="claim",
        subject_id=claim.id,
        region_code=claim.village_code,
        before={"flags": before},
        after={"flags": flags},
    )


def _facts(visit: SiteVisit, planned: PlannedVisit) -> dict[str, object]:
    return {
        "claim_id": str(visit.claim_id),
        "adjuster_id": planned.adjuster_id,
        "visit_on": planned.day.isoformat(),
        "route_order": planned.route_order,
        "at_risk": planned.at_risk,
    }


async def requests_for(session: AsyncSession, claims: Sequence[Claim], *, today: date) -> list[VisitRequest]:
    points = await village_points(session, [c.village_code for c in claims])
    return [
        VisitRequest(
            claim_id=str(c.id),
            village=c.village_code,
            point=points[c.village_code],
            due_by=domain.due_by(c.expected_payment_by, today=today),
        )
        for c in claims
    ]


async def plan_claim(session: AsyncSession, claim_id: UUID) -> SiteVisit | None:
    """Plan one accepted routine claim: the earliest slot that keeps it in time (the planner's
    choice), or the earliest at all, flagged at risk; no covering adjuster: flagged for the officer.
    Safe to run twice: a claim no longer `accepted`, or with a live visit, is left alone."""
    village = await session.scalar(select(Claim.village_code).where(Claim.id == claim_id))
    if village is None:
        return None
    await lock_district(session, village[:6])  # before the claim: every planner locks in this order
    claim = await session.get(Claim, claim_id, with_for_update=True, populate_existing=True)
    if claim is None or claim.status != ClaimStatus.ACCEPTED or claim.catastrophe_id is not None:
        return None
    if await session.scalar(select(live_visit_of(claim.id))):
        return None
    today = clock.today()
    team = await crew(session, claim.village_code[:6], villages=[claim.village_code], start=today)
    requests = await requests_for(session, [claim], today=today)
    plan = plan_visits(requests, team.inputs, start=today, village_points=team.points)
    stored = await store(session, plan, {str(claim.id): claim}, team, announce_until=None)
    return stored[0] if stored else None


async def replan(
    session: AsyncSession, visits: Sequence[SiteVisit], *, start: date, actor: str
) -> tuple[int, int]:
    """Cancel `visits` and plan their claims again from `start` (an adjuster's day off: their day
    off is already recorded, so the planner will not put them back on it). Residents are told the
    new day, or that their visit is off and will be arranged again. Returns (re-planned, unplanned)."""
    if not visits:
        return 0, 0
    district = visits[0].village_code[:6]  # an adjuster's visits lie in their one district
    await lock_district(session, district)
    # Only claims still waiting for their visit are planned again; a withdrawn one's visit just goes.
    claims = {
        str(c.id): c
        for c in await session.scalars(
            select(Claim)
            .where(
                Claim.id.in_([v.claim_id for v in visits]),
                Claim.status.in_([ClaimStatus.ACCEPTED.value, ClaimStatus.VISIT_SCHEDULED.value]),
            )
            .with_for_update()
        )
    }
    for visit in visits:
        before = {"status": visit.status, "visit_on": visit.visit_on.isoformat()}
        visit.status = "cancelled"
        await audit.record(
            session,
            actor=actor,
            action="visit.cancelled",
            subject_type="visit",
            subject_id=visit.id,
            region_code=visit.village_code,
            before=before,
            after={"status": "cancelled"},
        )
    await session.flush()
    if not claims:
        return 0, 0
    villages = {c.village_code for c in claims.values()}
    team = await crew(session, district, villages=villages, start=start)
    requests = await requests_for(session, list(claims.values()), today=start)
    plan = plan_visits(requests, team.inputs, start=start, village_points=team.points)
    await store(session, plan, claims, team, announce_until=None, moved=True)
    for claim_id in plan.unplanned:
        claim = claims[claim_id]
        await notify(
            session,
            recipient_kind=Recipient.HOUSEHOLD,
            recipient_id=claim.household_id,
            phone=claim.claimant_phone,
            text_zh=domain.visit_off_text(claim_number=claim.number),
            subject_type="claim",
            subject_id=claim.id,
            region_code=claim.village_code,
        )
    return len(plan.visits), len(plan.unplanned)


def announce_window(today: date) -> date:
    return today + timedelta(days=ANNOUNCE_DAYS)


async def announce_upcoming(session: AsyncSession, *, until: date, catastrophe_id: UUID | None = None) -> int:
    """Tell the residents of planned visits that have come within the window (of one event, or all).
    Safe to repeat: an announced visit is not planned any more, and each message has its key."""
    query = (
        select(SiteVisit, Claim, User.display_name)
        .join(Claim, Claim.id == SiteVisit.claim_id)
        .join(Adjuster, Adjuster.id == SiteVisit.adjuster_id)
        .join(User, User.id == Adjuster.user_id)
        .where(SiteVisit.status == "planned", SiteVisit.announced_at.is_(None), SiteVisit.visit_on <= until)
        .with_for_update(of=SiteVisit)
    )
    if catastrophe_id is not None:
        query = query.where(SiteVisit.catastrophe_id == catastrophe_id)
    rows = (await session.execute(query)).all()
    events = [await announce(session, visit, claim, name) for visit, claim, name in rows]
    await audit.record_many(session, events)
    return len(rows)
