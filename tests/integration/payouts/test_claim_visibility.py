"""One rule for who sees a claim (claims.services.views.get_visible): payouts only tells it whether
finance is assigned, by a payout naming the claim."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from claims.errors import ClaimNotFound
from claims.services.views import get_visible
from core.auth import Principal, Role
from core.settings import Settings
from tests.conftest import login, run_in_db
from tests.integration.payouts.claim_worlds import DISTRICT, build_world, claim_row

FINANCE = Principal(user_id=uuid4(), username="finance", role=Role.FINANCE, regions=(DISTRICT,))


async def test_finance_sees_a_claim_through_claims_rule_once_a_payout_names_it(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    claim = await claim_row(settings, world, payable_fen=100_000)
    claim_id = UUID(claim["id"])

    async def read(session: AsyncSession, assigned: bool) -> str:
        return (await get_visible(session, FINANCE, claim_id, assigned=assigned)).number

    assert await run_in_db(settings, lambda session: read(session, True)) == claim["number"]
    with pytest.raises(ClaimNotFound):
        await run_in_db(settings, lambda session: read(session, False))

    finance = await login(client, "finance")
    path = f"/claims/{claim['id']}/payouts"
    assert (await client.get(path, headers=finance)).status_code == 404
    await client.post(f"/claims/{claim['id']}/approve", json={}, headers=await login(client, "senior"))
    assert (await client.get(path, headers=finance)).json()["claim_number"] == claim["number"]
