"""Rebates count the whole premium received, whoever paid its shares."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Principal, Role
from core.settings import Settings
from payouts.rebates.domain import Period
from payouts.rebates.services.accruals import period_basis
from policies.domain import PaymentChannel
from policies.premium_shares import GovernmentPayer
from policies.services import government, premiums
from policies.services.programs import get_program
from tests.conftest import run_in_db
from tests.integration.policies.cofunded import PAID_ON, cofunded_world


async def test_the_premium_received_counts_the_households_and_the_districts_shares(
    settings: Settings,
) -> None:
    ids = await cofunded_world(settings)

    async def work(session: AsyncSession) -> tuple[int, dict[str, int]]:
        await premiums.record_payment(
            session,
            actor="t",
            policy_id=UUID(ids["home_half"]),
            payer="王芳",
            amount_fen=2_500,
            channel=PaymentChannel.CASH,
            receipt_no="R1",
        )
        await government.pay_government_share(
            session,
            principal=Principal(user_id=uuid4(), username="admin", role=Role.ADMIN),
            program_id=UUID(ids["half"]),
            payer=GovernmentPayer.DISTRICT,
            receipt_no="G-1",
            paid_on=PAID_ON,
        )
        program = await get_program(session, UUID(ids["half"]))
        basis = await period_basis(session, program, Period(date(2026, 10, 1), date(2027, 1, 1)))
        return basis.premiums_fen, basis.premiums_by_village

    premiums_fen, by_village = await run_in_db(settings, work)
    # home: its 25 yuan and the district's 25; neighbour: the district's 25 only.
    assert premiums_fen == 7_500
    assert by_village == {ids["v0"]: 5_000, ids["v1"]: 2_500}
