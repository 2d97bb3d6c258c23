"""What the payouts tests build their worlds from: a district with premiums paid, bodies, counts, files.

The worlds themselves (an accrued period, a paid-out village) are fixtures in conftest.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NamedTuple
from uuid import UUID, uuid4

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Principal, Role
from core.settings import Settings
from policies.domain import Funding
from policies.models import PremiumPayment
from tests import factories
from tests.conftest import make_user, run_in_db

DISTRICT = "370211"
FINANCE = Principal(user_id=UUID(int=1), username="finance", role=Role.FINANCE, regions=(DISTRICT,))


@dataclass
class Scene:
    villages: list[str]
    program_id: UUID
    policies: dict[str, UUID]  # village → its one voluntary policy


class Accrued(NamedTuple):
    scene: Scene
    agreement_id: str
    period_id: str


class Paid(NamedTuple):
    scene: Scene
    period_id: str


async def pay(
    session: AsyncSession, policy_id: UUID, village: str, amount_fen: int, paid_at: datetime
) -> None:
    """A premium received at a chosen moment (the factories' payments are dated today)."""
    session.add(
        PremiumPayment(
            policy_id=policy_id,
            region_code=village,
            payer="农户",
            amount_fen=amount_fen,
            channel="cash",
            receipt_no=f"R-{uuid4().hex[:12]}",
            paid_at=paid_at,
        )
    )
    await session.flush()


async def build_scene(settings: Settings, premiums: dict[int, int]) -> Scene:
    """A voluntary program sold from 2025 in one district; premiums paid in Q1 2025 by village index."""

    async def arrange(session: AsyncSession) -> Scene:
        villages = await factories.region_tree(session, DISTRICT)
        program = await factories.program(
            session, funding=Funding.HOUSEHOLD, region_code=DISTRICT, starts_on=date(2025, 1, 1)
        )
        policies = {}
        for index, amount in premiums.items():
            home = await factories.household(session, villages[index])
            policy = await factories.active_policy(session, home, program, starts_on=date(2025, 1, 1))
            policies[villages[index]] = policy.id
            await pay(session, policy.id, villages[index], amount, datetime(2025, 2, 10, 2, tzinfo=UTC))
        return Scene(villages, program.id, policies)

    scene: Scene = await run_in_db(settings, arrange)
    await make_user(settings, "finance", Role.FINANCE, [DISTRICT])
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, [DISTRICT])
    await make_user(settings, "auditor", Role.AUDITOR, [DISTRICT])
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "liaison", Role.LIAISON, [scene.villages[0]])
    await make_user(settings, "stranger", Role.FINANCE, ["370212"])
    return scene


def agreement_body(scene: Scene, **changes: Any) -> dict[str, Any]:
    body = {
        "program_id": str(scene.program_id),
        "period_kind": "quarter",
        "starts_on": "2025-01-01",
        "ends_on": "2026-01-01",
        "share_bps": 1_000,
    }
    return body | changes


async def count(settings: Settings, model: Any) -> int:
    async def counting(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)

    return int(await run_in_db(settings, counting))


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200)
PDF = b"%PDF-1.4\n%receipt\n" + bytes(100)


def spending(amount_fen: int, **changes: str) -> dict[str, str]:
    form = {
        "category": "video_surveillance",
        "amount_fen": str(amount_fen),
        "spent_on": "2025-03-06",
        "description": "村口安装摄像头两台",
    }
    return form | changes
