"""A claim's names and free text are stored as a person reads them; invisible ones are refused."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim
from core.settings import Settings
from tests.conftest import login, run_in_db
from tests.integration.claims.worlds import build_world, claim_body, counts, event

Client = AsyncTestClient[Litestar]


async def test_invisible_payee_names_are_refused_and_hidden_characters_removed(
    client: Client, settings: Settings
) -> None:
    world = await build_world(settings)
    officer = await login(client, "officer")
    for invisible in ("\u200b", "\u202e", "\u2060", "\ufeff", "\u200b \u2060"):
        refused = await client.post(
            "/claims", json=claim_body(world.insured, payee_name=invisible), headers=officer
        )
        assert refused.status_code == 400, invisible
    assert await counts(settings) == (0, 0)

    body = claim_body(world.insured, payee_name="李\u200b四", description="厨房\u202e起火，\n烧毁家具")
    filed = await client.post("/claims", json=body, headers=officer)
    assert filed.status_code == 201, filed.text

    async def row(session: AsyncSession) -> tuple[str | None, str]:
        claim = await session.scalar(select(Claim))
        assert claim is not None
        return claim.payee_name, claim.description

    assert await run_in_db(settings, row) == ("李四", "厨房起火， 烧毁家具")


async def test_a_catastrophe_starting_in_1899_is_refused(client: Client, settings: Settings) -> None:
    world = await build_world(settings)
    officer = await login(client, "officer")
    body = event(
        world.villages[:1], starts_at="1899-07-01T00:00:00+08:00", ends_at="1899-07-02T00:00:00+08:00"
    )
    refused = await client.post("/catastrophes", json=body, headers=officer)
    assert (refused.status_code, refused.json()["code"]) == (422, "loss_time_implausible")
