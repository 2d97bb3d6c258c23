"""visit_scheduled → the assessment at the door → assessed, over HTTP on both databases: the figures,
the replay, who reads what."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.assessments.models import Assessment
from claims.models import Claim
from claims.visits.models import SiteVisit
from core.audit import AuditEvent
from core.settings import Settings
from tests.conftest import login, run_in_db
from tests.integration.claims.assessments.worlds import PNG, assessment_body, build_visit_world


async def test_the_adjuster_records_at_the_door_and_the_claim_is_assessed(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_visit_world(settings, client)
    adjuster = await login(client, "adjuster")
    uploaded = await client.post(
        f"/visits/{world.visit_id}/photos",
        files=[("files", ("door.png", PNG, "image/png"))],
        headers=adjuster,
    )
    assert uploaded.status_code == 201, uploaded.text
    photo_id = uploaded.json()[0]["id"]
    assert uploaded.json()[0]["kind"] == "site_photo"

    key = {**adjuster, "Idempotency-Key": "assess-1"}
    recorded = await client.post(
        f"/visits/{world.visit_id}/assessment", json=assessment_body([photo_id]), headers=key
    )
    assert recorded.status_code == 201, recorded.text
    body = recorded.json()
    assert [line["value_fen"] for line in body["lines"]] == [420_000, 225_000, 2_500_000]
    assert body["assessed_loss_fen"] == 3_145_000
    assert body["deductible_fen"] == 50_000
    assert [(s["policy_number"], s["amount_fen"]) for s in body["shares"]] == [
        (world.blanket_number, 2_000_000),
        (world.voluntary_number, 1_095_000),
    ]
    assert body["payable_fen"] == 3_095_000
    assert (body["advance_paid_fen"], body["final_payout_fen"], body["owed_back_fen"]) == (
        500_000,
        2_595_000,
        0,
    )
    assert body["photo_ids"] == [photo_id]
    assert body["assessed_by"] == "adjuster"

    replay = await client.post(
        f"/visits/{world.visit_id}/assessment", json=assessment_body([photo_id]), headers=key
    )
    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replay"] == "true"
    assert replay.json() == body

    async def stored(session: AsyncSession) -> tuple[object, ...]:
        claim = await session.get_one(Claim, body["claim_id"])
        visit = await session.scalar(select(SiteVisit).where(SiteVisit.claim_id == claim.id))
        assert visit is not None
        count = len((await session.scalars(select(Assessment))).all())
        actions = list(
            await session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.subject_id.in_([world.claim_id, world.visit_id]))
                .order_by(AuditEvent.id)
            )
        )
        return (
            claim.status,
            claim.visited_at is not None,
            claim.assessed_at is not None,
            visit.status,
            (visit.done_at is not None),
            count,
            actions,
        )

    status, visited, assessed, visit_status, done, count, actions = await run_in_db(settings, stored)
    assert (status, visited, assessed, visit_status, done, count) == ("assessed", True, True, "done", True, 1)
    assert actions[-4:] == ["claim.document_added", "claim.assessed", "visit.done", "assessment.recorded"]

    again = await client.post(
        f"/visits/{world.visit_id}/assessment",
        json=assessment_body([photo_id]),
        headers={**adjuster, "Idempotency-Key": "assess-2"},
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_assessed")


async def test_who_reads_the_assessment(client: AsyncTestClient[Litestar], settings: Settings) -> None:
    world = await build_visit_world(settings, client)
    recorded = await client.post(
        f"/visits/{world.visit_id}/assessment",
        json=assessment_body(),
        headers=await login(client, "adjuster"),
    )
    assert recorded.status_code == 201, recorded.text
    for reader in ("officer", "auditor", "liaison", "adjuster"):
        headers = await login(client, reader)
        by_claim = await client.get(f"/claims/{world.claim_id}/assessment", headers=headers)
        by_visit = await client.get(f"/visits/{world.visit_id}/assessment", headers=headers)
        assert (by_claim.status_code, by_visit.status_code) == (200, 200), reader
        assert by_claim.json()["payable_fen"] == by_visit.json()["payable_fen"] == 3_095_000
        assert by_claim.json()["notes"] == "厨房及东屋烧毁，现场与报案一致"

    resident = await client.get(
        f"/claims/{world.claim_id}/assessment", headers=await login(client, "resident")
    )
    assert resident.status_code == 200
    assert (resident.json()["payable_fen"], resident.json()["notes"], resident.json()["assessed_by"]) == (
        3_095_000,
        None,
        None,
    )
    for outsider in ("stranger", "other_adjuster"):
        headers = await login(client, outsider)
        by_claim = await client.get(f"/claims/{world.claim_id}/assessment", headers=headers)
        by_visit = await client.get(f"/visits/{world.visit_id}/assessment", headers=headers)
        assert (by_claim.status_code, by_claim.json()["code"]) == (404, "claim_not_found"), outsider
        assert (by_visit.status_code, by_visit.json()["code"]) == (404, "visit_not_found"), outsider
    finance = await client.get(f"/claims/{world.claim_id}/assessment", headers=await login(client, "finance"))
    assert (finance.status_code, finance.json()["code"]) == (403, "forbidden")


async def test_the_sheet_for_the_door_and_an_assessment_not_yet_recorded(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_visit_world(settings, client)
    sheet = await client.get(
        f"/visits/{world.visit_id}/assessment-form", headers=await login(client, "adjuster")
    )
    assert sheet.status_code == 200, sheet.text
    assert (sheet.json()["claim_status"], sheet.json()["peril"], sheet.json()["assessment"]) == (
        "visit_scheduled",
        "fire",
        None,
    )
    assert sheet.json()["advance_paid_fen"] == 500_000
    other = await client.get(
        f"/visits/{world.visit_id}/assessment-form", headers=await login(client, "other_adjuster")
    )
    assert other.status_code == 404
    none_yet = await client.get(
        f"/claims/{world.claim_id}/assessment", headers=await login(client, "officer")
    )
    assert (none_yet.status_code, none_yet.json()["code"]) == (404, "assessment_not_found")
