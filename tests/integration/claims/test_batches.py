"""Claims filed at the same moment are written together, and each is answered as if alone.

The HTTP test client sends one request at a time, so these submit to the app's ClaimFilings
directly, as concurrent requests do; HTTP itself is covered by test_claims_intake.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

import msgspec
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from claims import schemas
from claims.services import intake
from claims.services.filing import ClaimFilings, Submission
from core import idempotency
from core.audit import verify_chain
from core.auth import Principal, Role
from core.database import make_engine, make_sessionmaker
from core.errors import IdempotencyKeyReused
from core.settings import Settings
from policies.errors import HouseholdNotFound
from tests.conftest import run_in_db
from tests.integration.claims.worlds import DISTRICT, World, build_world, claim_body, counts


@pytest.fixture
async def filings(settings: Settings) -> AsyncIterator[ClaimFilings]:
    engine = make_engine(settings.database_url)
    yield ClaimFilings(make_sessionmaker(engine))
    await engine.dispose()


@pytest.fixture
def batch_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many filings each batch checked: proof that the submissions really went together."""
    sizes: list[int] = []
    check_claims = intake.check_claims

    async def counted(session: AsyncSession, filings: Sequence[intake.Filing], **kwargs: Any) -> Any:
        sizes.append(len(filings))
        return await check_claims(session, filings, **kwargs)

    monkeypatch.setattr(intake, "check_claims", counted)
    return sizes


def submission(who: Principal, body: dict[str, Any], key: str) -> Submission:
    data = msgspec.convert(body, schemas.ClaimCreate, strict=False)
    fingerprint = hashlib.sha256(msgspec.json.encode(body, order="sorted")).hexdigest()
    return Submission(intake.Filing(who, data), idempotency.Ticket(who.username, key, fingerprint))


def people(world: World) -> tuple[Principal, Principal, Principal]:
    officer = Principal(uuid.uuid4(), "officer", Role.CLAIMS_OFFICER, (DISTRICT,))
    liaison = Principal(uuid.uuid4(), "liaison", Role.LIAISON, (world.villages[0],))
    resident = Principal(uuid.uuid4(), "resident", Role.RESIDENT, (world.villages[0],), world.insured.id)
    return officer, liaison, resident


async def test_a_batch_answers_each_filing_alone(
    filings: ClaimFilings, settings: Settings, batch_sizes: list[int]
) -> None:
    world = await build_world(settings)
    officer, liaison, _ = people(world)
    unknown = claim_body(world.insured, household_id=str(uuid.uuid4()))
    outcomes = await asyncio.gather(
        filings.submit(submission(officer, claim_body(world.insured), "first")),
        filings.submit(submission(liaison, claim_body(world.neighbour, payee_account="62220202009999"), "n")),
        filings.submit(submission(liaison, claim_body(world.far), "outside")),
        filings.submit(submission(officer, unknown, "unknown")),
        filings.submit(submission(liaison, claim_body(world.insured), "same-loss")),
        return_exceptions=True,
    )
    assert batch_sizes == [5]
    first, neighbour, outside, missing, same_loss = outcomes
    assert isinstance(outside, HouseholdNotFound) and isinstance(missing, HouseholdNotFound)
    filed = [json.loads(r.content) for r in (first, neighbour, same_loss)]  # type: ignore[union-attr]
    assert len({claim["number"] for claim in filed}) == 3
    assert filed[1]["flags"] == []
    # The same loss filed twice in one batch: the second is marked for review, as if it came later.
    assert "possible_duplicate" not in filed[0]["flags"] and "possible_duplicate" in filed[2]["flags"]
    assert await counts(settings) == (3, 3)

    async def chain(session: AsyncSession) -> Any:
        return await verify_chain(session)

    assert (await run_in_db(settings, chain)).ok


async def test_a_double_tap_in_one_batch_files_once(
    filings: ClaimFilings, settings: Settings, batch_sizes: list[int]
) -> None:
    world = await build_world(settings)
    _, _, resident = people(world)
    body = claim_body(world.insured)
    first, second, reused = await asyncio.gather(
        filings.submit(submission(resident, body, "tap")),
        filings.submit(submission(resident, body, "tap")),
        filings.submit(submission(resident, claim_body(world.insured, loss_place="西屋"), "tap")),
        return_exceptions=True,
    )
    assert batch_sizes[0] == 3  # all three went together; the clash sent them on one by one
    assert isinstance(reused, IdempotencyKeyReused)
    assert first.status_code == second.status_code == 201  # type: ignore[union-attr]
    assert json.loads(first.content) == json.loads(second.content)  # type: ignore[union-attr]
    assert second.headers.get("Idempotent-Replay") == "true"  # type: ignore[union-attr]
    assert await counts(settings) == (1, 1)
