"""Background work for visits: planning an accepted claim's visit after the accept has committed, and
telling residents of catastrophe visits as their day comes near."""

from __future__ import annotations

from uuid import UUID

from periodiq import cron
from sqlalchemy.ext.asyncio import AsyncSession

from claims import schemas as claim_schemas
from claims.visits.services.planning import announce_upcoming, announce_window, plan_claim
from core import clock
from core.outbox import OutboxActor, enqueue, outbox_actor


@outbox_actor(actor_name="claims.plan_visit")
async def plan_visit(session: AsyncSession, claim_id: str) -> None:
    """Re-checks the claim (still accepted, no live visit) before planning: safe to run twice."""
    await plan_claim(session, UUID(claim_id))


@outbox_actor(actor_name="claims.announce_visits", periodic=cron("17 * * * *"))
async def announce_visits(session: AsyncSession) -> None:
    """Every hour: residents are told of planned visits now within the announcement window."""
    await announce_upcoming(session, until=announce_window(clock.today()))


def plan_when_accepted(session: AsyncSession, claim: claim_schemas.Claim) -> None:
    """Called in the accept's transaction: the visit is planned after commit, exactly once. A
    catastrophe's claims are planned together by the event's visit plan instead, not one by one."""
    if claim.catastrophe_id is None:
        enqueue(session, plan_visit, str(claim.id))


ACTORS: list[OutboxActor] = [plan_visit, announce_visits]
