"""The assessment read later shows the final payout and what is owed back from the advances paid
by then (the one rule payouts pays by); its steps keep the figures as at the assessment."""

from __future__ import annotations

from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim
from core.settings import Settings
from tests.conftest import login, run_in_db
from tests.integration.claims.assessments.worlds import assessment_body, build_visit_world


async def test_an_advance_paid_after_the_assessment_counts_in_what_is_read(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_visit_world(settings, client)
    recorded = await client.post(
        f"/visits/{world.visit_id}/assessment",
        json=assessment_body(),
        headers=await login(client, "adjuster"),
    )
    assert recorded.status_code == 201, recorded.text
    assert (recorded.json()["advance_paid_fen"], recorded.json()["final_payout_fen"]) == (500_000, 2_595_000)

    async def advance_paid(session: AsyncSession, amount_fen: int) -> None:
        claim = await session.get_one(Claim, UUID(world.claim_id))
        claim.advance_paid_fen = amount_fen  # as the bank's result for an advance does (payouts)

    officer = await login(client, "officer")
    for paid, final, owed in ((800_000, 2_295_000, 0), (3_195_000, 0, 100_000)):
        await run_in_db(settings, lambda session, paid=paid: advance_paid(session, paid))
        body = (await client.get(f"/claims/{world.claim_id}/assessment", headers=officer)).json()
        assert (body["advance_paid_fen"], body["final_payout_fen"], body["owed_back_fen"]) == (
            paid,
            final,
            owed,
        )
        steps = {step["step"]: step["amount_fen"] for step in body["steps"]}
        assert (steps["advance_paid"], steps["final_payout"]) == (500_000, 2_595_000)  # as at assessment
