"""The worlds the visit tests work in: the claims world (tests/integration/claims/worlds.py) with
adjusters, and helpers to file and accept a claim and read visits and messages back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.visits.models import Adjuster, SiteVisit
from core.audit import AuditEvent
from core.auth import Role
from core.notifications import Notification
from core.settings import Settings
from tests import factories
from tests.conftest import login, make_user, run_in_db
from tests.integration.claims.worlds import World, claim_body
from users.models import User

EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]


async def user_id(settings: Settings, username: str) -> UUID:
    async def read(session: AsyncSession) -> UUID:
        found = await session.scalar(select(User.id).where(User.username == username))
        assert found is not None
        return found

    result: UUID = await run_in_db(settings, read)
    return result


async def add_adjuster(
    settings: Settings,
    username: str,
    villages: Sequence[str],
    *,
    capacity: int = 12,
    weekdays: Sequence[int] = EVERY_DAY,
) -> UUID:
    """An adjuster-role user (display name = username) and their adjuster row, in the district."""
    await make_user(settings, username, Role.ADJUSTER, [villages[0][:6]])
    owner = await user_id(settings, username)

    async def create(session: AsyncSession) -> UUID:
        adjuster = Adjuster(
            user_id=owner,
            region_code=villages[0][:6],
            village_codes=list(villages),
            home_village_code=villages[0],
            daily_capacity=capacity,
            working_weekdays=list(weekdays),
        )
        session.add(adjuster)
        await session.flush()
        return adjuster.id

    result: UUID = await run_in_db(settings, create)
    return result


async def file_and_accept(
    client: AsyncTestClient[Litestar], household: Any, **changes: Any
) -> dict[str, Any]:
    """The officer files for the household and accepts: the accepted claim as the API returns it."""
    officer = await login(client, "officer")
    filed = await client.post("/claims", json=claim_body(household, **changes), headers=officer)
    assert filed.status_code == 201, filed.text
    accepted = await client.post(f"/claims/{filed.json()['id']}/accept", headers=officer)
    assert accepted.status_code == 200, accepted.text
    body: dict[str, Any] = accepted.json()
    return body


async def visits_of(settings: Settings, claim_id: str) -> list[tuple[str, UUID, str, str]]:
    """(status, adjuster id, business day, planned_by) of each of the claim's visits, oldest first."""

    async def read(session: AsyncSession) -> list[tuple[str, UUID, str, str]]:
        rows = await session.execute(
            select(SiteVisit.status, SiteVisit.adjuster_id, SiteVisit.visit_on, SiteVisit.planned_by)
            .where(SiteVisit.claim_id == UUID(claim_id))
            .order_by(SiteVisit.created_at)
        )
        return [(status, adjuster, day.isoformat(), by) for status, adjuster, day, by in rows]

    result: list[tuple[str, UUID, str, str]] = await run_in_db(settings, read)
    return result


async def messages_about(settings: Settings, claim_id: str) -> list[tuple[str, str | None, bool]]:
    """(text, phone, sent) of every message about the claim, oldest first."""

    async def read(session: AsyncSession) -> list[tuple[str, str | None, bool]]:
        rows = await session.scalars(
            select(Notification)
            .where(Notification.subject_id == UUID(claim_id))
            .order_by(Notification.created_at)
        )
        return [(n.text_zh, n.phone, n.sent_at is not None) for n in rows]

    result: list[tuple[str, str | None, bool]] = await run_in_db(settings, read)
    return result


async def more_households(settings: Settings, world: World, count: int) -> list[Any]:
    async def arrange(session: AsyncSession) -> list[Any]:
        return [await factories.household(session, world.villages[0]) for _ in range(count)]

    result: list[Any] = await run_in_db(settings, arrange)
    return result


async def events_about(settings: Settings, subject_id: object) -> list[tuple[str, str, Any, Any]]:
    """(action, actor, before, after) of every audit event about the subject, oldest first."""

    async def read(session: AsyncSession) -> list[tuple[str, str, Any, Any]]:
        rows = await session.scalars(
            select(AuditEvent).where(AuditEvent.subject_id == str(subject_id)).order_by(AuditEvent.id)
        )
        return [(e.action, e.actor, e.before, e.after) for e in rows]

    result: list[tuple[str, str, Any, Any]] = await run_in_db(settings, read)
    return result
