"""Every refusal of the assessment at the door: a clear 4xx in the problem format, and nothing changed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.assessments.models import Assessment
from claims.models import Claim, ClaimDocument
from claims.visits.models import Adjuster, SiteVisit
from core.audit import AuditEvent
from core.auth import Role
from core.settings import Settings
from tests.conftest import login, make_user, run_in_db
from tests.integration.claims.assessments.worlds import (
    PNG,
    assessment_body,
    build_visit_world,
    plan_visit,
)
from tests.integration.claims.worlds import LOSS_AT, claim_body
from users.models import User

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


async def state(settings: Settings, claim_id: str) -> tuple[Any, ...]:
    """What a refused request must leave as it was."""

    async def read(session: AsyncSession) -> tuple[Any, ...]:
        claim = await session.get_one(Claim, UUID(claim_id))
        visit = await session.scalar(select(SiteVisit).where(SiteVisit.claim_id == claim.id))
        assert visit is not None
        assessments = await session.scalar(select(func.count()).select_from(Assessment))
        photos = await session.scalar(select(func.count()).select_from(ClaimDocument))
        events = await session.scalar(select(func.count()).select_from(AuditEvent))
        return claim.status, claim.visited_at, visit.status, assessments, photos, events

    return await run_in_db(settings, read)


def line(**changes: Any) -> dict[str, Any]:
    return {"item": "冰箱", "quantity": 1, "unit_value_fen": 600_000} | changes


BAD_LINES = [
    pytest.param([line(quantity=0)], id="quantity-zero"),
    pytest.param([line(quantity=-2)], id="quantity-negative"),
    pytest.param([line(quantity=10_001)], id="quantity-absurd"),
    pytest.param([line(unit_value_fen=-100)], id="value-negative"),
    pytest.param([line(unit_value_fen=100_000_001)], id="value-absurd"),
    pytest.param([line(depreciation_bps=10_001)], id="depreciation-over-whole"),
    pytest.param([line(depreciation_bps=-1)], id="depreciation-negative"),
    pytest.param([line(age_years=101)], id="age-absurd"),
    pytest.param([line(age_years=2, depreciation_bps=2_000)], id="age-and-rate"),
    pytest.param([line(item="\u200b ")], id="item-invisible"),
    pytest.param([], id="no-lines"),
]


@pytest.mark.parametrize("lines", BAD_LINES)
async def test_absurd_lines_are_refused(
    client: AsyncTestClient[Litestar], settings: Settings, lines: list[dict[str, Any]]
) -> None:
    world = await build_visit_world(settings, client)
    before = await state(settings, world.claim_id)
    refused = await client.post(
        f"/visits/{world.visit_id}/assessment",
        json=assessment_body(lines=lines),
        headers=await login(client, "adjuster"),
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "validation_failed"), refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert await state(settings, world.claim_id) == before


async def test_who_may_not_record_and_what_may_not_be_recorded(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_visit_world(settings, client)
    url = f"/visits/{world.visit_id}/assessment"
    before = await state(settings, world.claim_id)

    other = await client.post(url, json=assessment_body(), headers=await login(client, "other_adjuster"))
    assert (other.status_code, other.json()["code"]) == (404, "visit_not_found")
    for role in ("officer", "resident", "auditor", "liaison"):
        denied = await client.post(url, json=assessment_body(), headers=await login(client, role))
        assert (denied.status_code, denied.json()["code"]) == (403, "forbidden"), role
    unknown = await client.post(
        f"/visits/{uuid4()}/assessment", json=assessment_body(), headers=await login(client, "adjuster")
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "visit_not_found")

    adjuster = await login(client, "adjuster")
    unticked = await client.post(url, json=assessment_body(acknowledged=False), headers=adjuster)
    assert (unticked.status_code, unticked.json()["code"]) == (422, "not_acknowledged")
    nameless = await client.post(url, json=assessment_body(acknowledged_by=" "), headers=adjuster)
    assert (nameless.status_code, nameless.json()["code"]) == (400, "validation_failed")
    stray = await client.post(url, json=assessment_body([str(uuid4())]), headers=adjuster)
    assert (stray.status_code, stray.json()["code"]) == (422, "photo_not_of_visit")
    assert await state(settings, world.claim_id) == before


async def test_a_photo_of_another_claims_visit_is_refused(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_visit_world(settings, client)
    resident = await login(client, "resident")
    a_week_earlier = (LOSS_AT - timedelta(days=7)).isoformat(timespec="seconds")
    second = await client.post(
        "/claims", json=claim_body(world.insured, loss_at=a_week_earlier), headers=resident
    )
    assert second.status_code == 201, second.text
    await client.post(f"/claims/{second.json()['id']}/accept", headers=await login(client, "officer"))
    second_visit = await plan_visit(settings, UUID(second.json()["id"]), world.village)
    adjuster = await login(client, "adjuster")
    elsewhere = await client.post(
        f"/visits/{second_visit}/photos", files=[("files", ("b.png", PNG, "image/png"))], headers=adjuster
    )
    assert elsewhere.status_code == 201, elsewhere.text
    before = await state(settings, world.claim_id)
    refused = await client.post(
        f"/visits/{world.visit_id}/assessment",
        json=assessment_body([elsewhere.json()[0]["id"]]),
        headers=adjuster,
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "photo_not_of_visit")
    assert await state(settings, world.claim_id) == before


async def test_a_claim_not_awaiting_its_visit_is_refused(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_visit_world(settings, client)

    async def back_to_accepted(session: AsyncSession) -> None:
        claim = await session.get_one(Claim, UUID(world.claim_id))
        claim.status = "accepted"

    await run_in_db(settings, back_to_accepted)
    before = await state(settings, world.claim_id)
    refused = await client.post(
        f"/visits/{world.visit_id}/assessment",
        json=assessment_body(),
        headers=await login(client, "adjuster"),
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "transition_not_allowed")
    assert await state(settings, world.claim_id) == before


async def test_a_cancelled_visit_takes_no_assessment_and_no_photo(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_visit_world(settings, client)

    async def cancel(session: AsyncSession) -> None:
        visit = await session.get_one(SiteVisit, UUID(world.visit_id))
        visit.status = "cancelled"

    await run_in_db(settings, cancel)
    adjuster = await login(client, "adjuster")
    before = await state(settings, world.claim_id)
    refused = await client.post(
        f"/visits/{world.visit_id}/assessment", json=assessment_body(), headers=adjuster
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "visit_not_open")
    photo = await client.post(
        f"/visits/{world.visit_id}/photos", files=[("files", ("a.png", PNG, "image/png"))], headers=adjuster
    )
    assert (photo.status_code, photo.json()["code"]) == (409, "visit_not_open")
    assert await state(settings, world.claim_id) == before


async def test_photos_must_be_images_of_ones_own_visit_and_a_retry_returns_the_same_record(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_visit_world(settings, client)
    url = f"/visits/{world.visit_id}/photos"
    adjuster = await login(client, "adjuster")
    before = await state(settings, world.claim_id)
    text = await client.post(
        url, files=[("files", ("a.png", b"not an image at all", "image/png"))], headers=adjuster
    )
    assert (text.status_code, text.json()["code"]) == (422, "unsupported_file")
    pdf = await client.post(url, files=[("files", ("a.pdf", PDF, "application/pdf"))], headers=adjuster)
    assert (pdf.status_code, pdf.json()["code"]) == (422, "file_type_mismatch")
    mixed = await client.post(
        url,
        files=[("files", ("a.png", PNG, "image/png")), ("files", ("b.png", b"junk", "image/png"))],
        headers=adjuster,
    )
    assert (mixed.status_code, mixed.json()["code"]) == (422, "unsupported_file")
    other = await client.post(
        url, files=[("files", ("a.png", PNG, "image/png"))], headers=await login(client, "other_adjuster")
    )
    assert (other.status_code, other.json()["code"]) == (404, "visit_not_found")
    officer = await client.post(
        url, files=[("files", ("a.png", PNG, "image/png"))], headers=await login(client, "officer")
    )
    assert officer.status_code == 403
    assert await state(settings, world.claim_id) == before

    first = await client.post(url, files=[("files", ("a.png", PNG, "image/png"))], headers=adjuster)
    retry = await client.post(url, files=[("files", ("again.png", PNG, "image/png"))], headers=adjuster)
    assert first.status_code == retry.status_code == 201
    assert first.json()[0]["id"] == retry.json()[0]["id"]
    two = await client.post(
        url,
        files=[("files", ("a.png", PNG, "image/png")), ("files", ("c.png", PNG + b"\x01", "image/png"))],
        headers=adjuster,
    )
    ids = [photo["id"] for photo in two.json()]
    assert ids[0] == first.json()[0]["id"]
    assert len(set(ids)) == 2


async def test_an_adjuster_outside_the_claims_region_is_refused_even_when_named(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_visit_world(settings, client)
    await make_user(settings, "far_adjuster", Role.ADJUSTER, ["370212"])

    async def hand_to_far_adjuster(session: AsyncSession) -> None:
        user = await session.scalar(select(User).where(User.username == "far_adjuster"))
        assert user is not None
        far = Adjuster(
            user_id=user.id,
            region_code="370212",
            village_codes=[world.village],
            home_village_code=world.village,
            daily_capacity=12,
            working_weekdays=[1, 2, 3, 4, 5],
        )
        session.add(far)
        await session.flush()
        visit = await session.get_one(SiteVisit, UUID(world.visit_id))
        visit.adjuster_id = far.id

    await run_in_db(settings, hand_to_far_adjuster)
    before = await state(settings, world.claim_id)
    far = await login(client, "far_adjuster")
    refused = await client.post(f"/visits/{world.visit_id}/assessment", json=assessment_body(), headers=far)
    assert (refused.status_code, refused.json()["code"]) == (404, "visit_not_found")
    photo = await client.post(
        f"/visits/{world.visit_id}/photos", files=[("files", ("a.png", PNG, "image/png"))], headers=far
    )
    assert (photo.status_code, photo.json()["code"]) == (404, "visit_not_found")
    read = await client.get(f"/claims/{world.claim_id}/assessment", headers=far)
    assert (read.status_code, read.json()["code"]) == (404, "claim_not_found")
    assert await state(settings, world.claim_id) == before
