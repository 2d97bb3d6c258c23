"""Background work for visits: planning an accepted claim's visit after the accept has committed, a
catastrophe's visits when an officer asks (thousands of claims: longer than a request should
take), and telling residents of catastrophe visits as their day comes near."""

from __future__ import annotations

from uuid import UUID

from periodiq import cron
from sqlalchemy.ext.asyncio import AsyncSession

from claims import schemas as claim_schemas
from claims.visits import schemas
from claims.visits.services import events
from claims.visits.services.planning import announce_upcoming, announce_window, plan_claim
from core import clock
from core.auth import Principal
from core.outbox import OutboxActor, enqueue, outbox_actor
from users.models import User


@outbox_actor(actor_name="claims.plan_visit")
async def plan_visit(session: AsyncSession, claim_id: str) -> None:
    """Re-checks the claim (still accepted, no live visit) before planning: safe to run twice."""
    await plan_claim(session, UUID(claim_id))


@outbox_actor(actor_name="claims.plan_event_visits")
async def plan_event_visits(session: AsyncSession, catastrophe_id: str, user_id: str) -> None:
    """Plan the event in the villages of the officer who asked (their scope, read again now: a user
    deactivated since plans nothing). Safe to run twice: planning again keeps what it planned."""
    user = await session.get(User, UUID(user_id))
    if user is None or not user.active:
        return
    await events.plan_event(session, user.principal(), UUID(catastrophe_id))


async def plan_event_later(
    session: AsyncSession, principal: Principal, catastrophe_id: UUID
) -> schemas.VisitPlan:
    """The officer's request (the event must be theirs to see: 404 otherwise), planned after commit;
    the answer is the plan as it stands now."""
    current = await events.plan_view(session, principal, catastrophe_id)
    enqueue(session, plan_event_visits, str(catastrophe_id), str(principal.user_id))
    return current


@outbox_actor(actor_name="claims.announce_visits", periodic=cron("17 * * * *"))
async def announce_visits(session: AsyncSession) -> None:
    """Every hour: residents are told of planned visits now within the announcement window."""
    await announce_upcoming(session, until=announce_window(clock.today()))


def plan_when_accepted(session: AsyncSession, claim: claim_schemas.Claim) -> None:
    """Called in the accept's transaction: the visit is planned after commit, exactly once. A
    catastrophe's claims are planned together by the event's visit plan instead, not one by one."""
    if claim.catastrophe_id is None:
        enqueue(session, plan_visit, str(claim.id))


ACTORS: list[OutboxActor] = [plan_visit, plan_event_visits, announce_visits]
