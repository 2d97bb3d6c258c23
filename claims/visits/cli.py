"""The visits' `litestar anju …` command: seed-demo-adjusters (the demo adjuster's villages and days)."""

from __future__ import annotations

from uuid import UUID

import click
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.visits import schemas
from claims.visits.models import Adjuster
from claims.visits.services import adjusters
from core.auth import Principal, Role
from core.cli import run_in_session
from policies.models import Region
from users.models import User

DEMO_DISTRICT = "370211"
SEEDER = Principal(user_id=UUID(int=0), username="seed-demo", role=Role.ADMIN)


async def seed_demo_adjusters(session: AsyncSession) -> int:
    """Every demo user with the adjuster role covers the demo district's villages, 12 visits a day,
    Monday to Saturday; users already registered as adjusters are left as they are."""
    villages = list(
        await session.scalars(
            select(Region.code)
            .where(Region.level == "village", Region.code.startswith(DEMO_DISTRICT))
            .order_by(Region.code)
        )
    )
    if not villages:
        return 0
    registered = select(Adjuster.user_id)
    users = await session.scalars(
        select(User.id).where(User.role == Role.ADJUSTER.value, User.id.not_in(registered))
    )
    created = 0
    for user_id in users:
        data = schemas.AdjusterCreate(user_id=user_id, village_codes=villages, home_village_code=villages[0])
        await adjusters.create(session, SEEDER, data)
        created += 1
    return created


@click.command("seed-demo-adjusters", help="Register the demo adjusters (run after seed-demo; idempotent).")
def seed_demo_adjusters_command() -> None:
    created = run_in_session(seed_demo_adjusters)
    click.echo(f"{created} adjusters registered")


COMMANDS: list[click.Command] = [seed_demo_adjusters_command]
