"""The topology test's world, arranged in a process of its own with the topology's settings (so its
audit events are signed with the same key as the app's): `python -m tests.integration.core.topology_world`
prints the ids the test needs as one JSON line.

A district with a blanket program (every household covered, so any of them may claim), households to
file claims for, and rebate agreements whose four 2025 quarters each hold one premium of 100.00 yuan.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Principal, Role, make_hasher
from core.database import transaction
from core.settings import get_settings
from payouts.rebates.domain import PeriodKind
from payouts.rebates.schemas import RebateAgreementCreate
from payouts.rebates.services import agreements
from policies.domain import Funding
from policies.models import PremiumPayment
from tests import factories
from users.services import UserService

DISTRICT = "370211"
PASSWORD = "topology test password"
CLAIM_HOUSEHOLDS = 36
AGREEMENTS = 4
QUARTER_PREMIUM_FEN = 10_000
SHARE_BPS = 1_000
PAID_AT = [datetime(2025, month, 10, 2, tzinfo=UTC) for month in (2, 5, 8, 11)]
USERS = {"officer": Role.CLAIMS_OFFICER, "finance": Role.FINANCE, "admin": Role.ADMIN}


async def _agreement(session: AsyncSession, village: str) -> str:
    """A voluntary program from 2025 with one policy in `village`, paid once a quarter, and its agreement."""
    program = await factories.program(
        session, funding=Funding.HOUSEHOLD, region_code=DISTRICT, starts_on=date(2025, 1, 1)
    )
    home = await factories.household(session, village)
    policy = await factories.active_policy(session, home, program, starts_on=date(2025, 1, 1))
    for paid_at in PAID_AT:
        session.add(
            PremiumPayment(
                policy_id=policy.id,
                region_code=village,
                payer="农户",
                amount_fen=QUARTER_PREMIUM_FEN,
                channel="cash",
                receipt_no=f"R-{uuid4().hex[:12]}",
                paid_at=paid_at,
            )
        )
    finance = Principal(user_id=UUID(int=1), username="finance", role=Role.FINANCE, regions=(DISTRICT,))
    data = RebateAgreementCreate(
        program_id=program.id,
        period_kind=PeriodKind.QUARTER,
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 1, 1),
        share_bps=SHARE_BPS,
    )
    agreement = await agreements.create_agreement(session, principal=finance, data=data)
    return str(agreement.id)


async def arrange() -> dict[str, Any]:
    settings = get_settings()
    async with transaction(settings.database_url) as session:
        villages = await factories.region_tree(session, DISTRICT)
        blanket = await factories.program(session, funding=Funding.DISTRICT, region_code=DISTRICT)
        await factories.blanket_policy(session, blanket)
        homes = [
            await factories.household(session, villages[n % len(villages)]) for n in range(CLAIM_HOUSEHOLDS)
        ]
        agreement_ids = [await _agreement(session, villages[n % len(villages)]) for n in range(AGREEMENTS)]
        users = UserService(session, hasher=make_hasher(settings))
        for username, role in USERS.items():
            await users.create_user(
                actor="topology",
                username=username,
                password=PASSWORD,
                role=role,
                display_name=username,
                regions=[] if role == Role.ADMIN else [DISTRICT],
                household_id=None,
            )
        households = [
            {"id": str(home.id), "resident_id": home.people[0].resident_id, "name": home.people[0].name}
            for home in homes
        ]
    return {"villages": villages, "households": households, "agreements": agreement_ids}


if __name__ == "__main__":
    print(msgspec.json.encode(asyncio.run(arrange())).decode())
