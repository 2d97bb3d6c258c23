"""Issue 3 read line by line: each role's denials on every claim write, upload size, catastrophe audit."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import create_app
from claims.models import Claim, ClaimDocument
from core.audit import AuditEvent
from core.auth import Role
from core.settings import Settings
from tests.conftest import login, make_user, run_in_db
from tests.integration.claims.worlds import DISTRICT, build_world, claim_body, event

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def snapshot(settings: Settings) -> tuple[list[tuple[str, str]], int, int]:
    """Every claim's number and status, the documents and the audit events: what a write would move."""

    async def read(session: AsyncSession) -> tuple[list[tuple[str, str]], int, int]:
        claims = (await session.execute(select(Claim.number, Claim.status).order_by(Claim.number))).all()
        documents = await session.scalar(select(func.count()).select_from(ClaimDocument))
        events = await session.scalar(select(func.count()).select_from(AuditEvent))
        return [(number, status) for number, status in claims], int(documents or 0), int(events or 0)

    result: tuple[list[tuple[str, str]], int, int] = await run_in_db(settings, read)
    return result


async def test_every_claim_write_is_refused_to_those_who_may_not_and_changes_nothing(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    await make_user(settings, "neighbour", Role.RESIDENT, [world.villages[0]], world.neighbour.id)
    await make_user(settings, "far_liaison", Role.LIAISON, [world.villages[3]])
    for name, role in (("adjuster", Role.ADJUSTER), ("finance", Role.FINANCE)):
        await make_user(settings, name, role, [DISTRICT])
    await make_user(settings, "admin", Role.ADMIN, [])
    filed = await client.post(
        "/claims", json=claim_body(world.insured), headers=await login(client, "resident")
    )
    claim_id = filed.json()["id"]
    officer = await login(client, "officer")
    cat = (await client.post("/catastrophes", json=event([world.villages[0]]), headers=officer)).json()
    waiting = next(
        c["id"]
        for c in (await client.get("/claims", params={"catastrophe_id": cat["id"]}, headers=officer)).json()[
            "items"
        ]
        if c["household_id"] == str(world.insured.id)
    )
    before = await snapshot(settings)

    upload: dict[str, Any] = {"data": {"kind": "photo"}, "files": {"file": ("a.png", PNG, "image/png")}}
    confirm = f"/catastrophes/{cat['id']}/claims/{waiting}/confirm"
    clear = f"/catastrophes/{cat['id']}/claims/{waiting}/clear"
    writes: list[tuple[str, dict[str, Any]]] = [
        ("/claims", {"json": claim_body(world.insured)}),
        (f"/claims/{claim_id}/accept", {}),
        (f"/claims/{claim_id}/reject", {"json": {"reason": "x"}}),
        (f"/claims/{claim_id}/reopen", {"json": {"reason": "x"}}),
        (f"/claims/{claim_id}/withdraw", {"json": {"reason": "x"}}),
        (f"/claims/{claim_id}/documents", upload),
        ("/catastrophes", {"json": event([world.villages[0]])}),
        (confirm, {"json": {"estimated_loss_fen": 100}}),
        (clear, {"json": {"reason": "x"}}),
    ]
    auditor = await login(client, "auditor")
    for url, body in writes:
        response = await client.post(url, headers=auditor, **body)
        assert response.status_code == 403, (url, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    for name in ("adjuster", "finance", "admin"):
        response = await client.post(
            "/claims", json=claim_body(world.insured), headers=await login(client, name)
        )
        assert response.status_code == 403, name

    # Those who may write, but not on this household or village, learn nothing of the claim.
    for name in ("neighbour", "far_liaison"):
        headers = await login(client, name)
        for url, body in [
            (f"/claims/{claim_id}/withdraw", {"json": {"reason": "x"}}),
            (f"/claims/{claim_id}/documents", upload),
        ]:
            response = await client.post(url, headers=headers, **body)
            assert (response.status_code, response.json()["code"]) == (404, "claim_not_found"), (name, url)
        for url in (
            f"/claims/{claim_id}",
            f"/claims/{claim_id}/documents",
            f"/claims/{claim_id}/summary.pdf",
        ):
            assert (await client.get(url, headers=headers)).status_code == 404, (name, url)
    far = await login(client, "far_liaison")
    for url, body in [(confirm, {"estimated_loss_fen": 100}), (clear, {"reason": "x"})]:
        assert (await client.post(url, json=body, headers=far)).status_code == 404, url
    assert (await client.get(f"/catastrophes/{cat['id']}", headers=far)).status_code == 404
    assert await snapshot(settings) == before


async def test_an_oversized_attachment_is_refused_and_nothing_is_stored(settings: Settings) -> None:
    small = create_app(msgspec.structs.replace(settings, max_upload_bytes=2_000))
    async with AsyncTestClient(app=small) as client:
        world = await build_world(settings)
        resident = await login(client, "resident")
        claim_id = (await client.post("/claims", json=claim_body(world.insured), headers=resident)).json()[
            "id"
        ]
        before = await snapshot(settings)
        url = f"/claims/{claim_id}/documents"
        big = {"file": ("大.png", PNG + bytes(5_000), "image/png")}
        response = await client.post(url, data={"kind": "photo"}, files=big, headers=resident)
        assert (response.status_code, response.json()["code"]) == (413, "too_large")
        assert await snapshot(settings) == before
        stored = settings.storage_dir
        assert not stored.exists() or not any(path.is_file() for path in stored.rglob("*"))
        fits = {"file": ("小.png", PNG, "image/png")}
        assert (
            await client.post(url, data={"kind": "photo"}, files=fits, headers=resident)
        ).status_code == 201


async def test_catastrophe_claims_are_audited_and_time_stamped_at_every_stage(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    officer = await login(client, "officer")
    cat = (await client.post("/catastrophes", json=event([world.villages[0]]), headers=officer)).json()
    claims = (await client.get("/claims", params={"catastrophe_id": cat["id"]}, headers=officer)).json()[
        "items"
    ]
    assert sorted(c["status"] for c in claims) == ["awaiting_confirmation"] * 2
    assert all(c["reported_at"] and c["expected_payment_by"] for c in claims)
    liaison = await login(client, "liaison")
    base = f"/catastrophes/{cat['id']}/claims"
    first, second = claims
    confirmed = (
        await client.post(
            f"{base}/{first['id']}/confirm", json={"estimated_loss_fen": 300_000}, headers=liaison
        )
    ).json()
    assert confirmed["confirmed_at"] and confirmed["estimated_loss_fen"] == 300_000
    no_reason = await client.post(f"{base}/{second['id']}/clear", json={}, headers=liaison)
    assert (no_reason.status_code, no_reason.json()["code"]) == (422, "reason_required")
    cleared = (
        await client.post(f"{base}/{second['id']}/clear", json={"reason": "无损失"}, headers=liaison)
    ).json()
    assert cleared["cleared_at"] and cleared["status"] == "cleared"

    async def trail(session: AsyncSession) -> list[tuple[str, str, str, str | None]]:
        rows = await session.execute(
            select(AuditEvent.action, AuditEvent.subject_id, AuditEvent.actor, AuditEvent.reason).order_by(
                AuditEvent.id
            )
        )
        return [(action, str(subject), actor, reason) for action, subject, actor, reason in rows]

    events = await run_in_db(settings, trail)
    assert ("catastrophe.declared", cat["id"], "officer", None) in events
    assert sorted(e[1] for e in events if e[0] == "claim.awaiting_confirmation") == sorted(
        c["id"] for c in claims
    )
    assert (f"claim.{confirmed['status']}", first["id"], "liaison", None) in events
    assert ("claim.cleared", second["id"], "liaison", "无损失") in events
