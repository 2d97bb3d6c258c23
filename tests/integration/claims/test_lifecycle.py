"""The lifecycle over HTTP (accept, reject, reopen, withdraw), scoped reading, and documents."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import ClaimDocument
from core.audit import AuditEvent
from core.settings import Settings
from tests.conftest import login, run_in_db
from tests.integration.claims.worlds import build_world, claim_body

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


async def test_officer_rejects_reopens_and_accepts_with_stage_times_and_audit(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    filed = await client.post(
        "/claims", json=claim_body(world.insured), headers=await login(client, "resident")
    )
    claim_id = filed.json()["id"]
    officer = await login(client, "officer")
    no_reason = await client.post(f"/claims/{claim_id}/reject", json={}, headers=officer)
    assert (no_reason.status_code, no_reason.json()["code"]) == (422, "reason_required")
    rejected = await client.post(f"/claims/{claim_id}/reject", json={"reason": "无证明"}, headers=officer)
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "无证明"
    cannot = await client.post(f"/claims/{claim_id}/accept", headers=officer)
    assert (cannot.status_code, cannot.json()["code"]) == (409, "transition_not_allowed")
    reopened = await client.post(
        f"/claims/{claim_id}/reopen", json={"reason": "补交火灾证明"}, headers=officer
    )
    assert reopened.json()["status"] == "reopened"
    accepted = await client.post(f"/claims/{claim_id}/accept", headers=officer)
    body = accepted.json()
    assert body["status"] == "accepted"
    assert body["rejected_at"] and body["reopened_at"] and body["accepted_at"]

    async def actions(session: AsyncSession) -> list[tuple[str, str | None]]:
        rows = await session.execute(
            select(AuditEvent.action, AuditEvent.region_code)
            .where(AuditEvent.subject_id == claim_id)
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]

    village = world.villages[0]
    assert await run_in_db(settings, actions) == [
        ("claim.reported", village),
        ("claim.rejected", village),
        ("claim.reopened", village),
        ("claim.accepted", village),
    ]


async def test_roles_that_may_not_decide_are_refused_and_others_claims_are_invisible(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    filed = await client.post(
        "/claims", json=claim_body(world.insured), headers=await login(client, "resident")
    )
    claim_id = filed.json()["id"]
    for user in ("resident", "liaison", "auditor"):
        response = await client.post(f"/claims/{claim_id}/accept", headers=await login(client, user))
        assert response.status_code == 403, user
    stranger = await login(client, "stranger")
    assert (await client.post(f"/claims/{claim_id}/accept", headers=stranger)).status_code == 404
    assert (await client.get(f"/claims/{claim_id}", headers=stranger)).status_code == 404
    assert (await client.get("/claims", headers=stranger)).json()["total"] == 0
    auditor = await login(client, "auditor")
    assert (await client.get(f"/claims/{claim_id}", headers=auditor)).status_code == 200
    listed = await client.get("/claims", params={"status": "reported"}, headers=auditor)
    assert [c["id"] for c in listed.json()["items"]] == [claim_id]
    await client.post("/claims", json=claim_body(world.far), headers=await login(client, "officer"))
    liaison = await client.get("/claims", headers=await login(client, "liaison"))
    assert liaison.json()["total"] == 1
    withdrawn = await client.post(
        f"/claims/{claim_id}/withdraw", json={"reason": "已自行修好"}, headers=await login(client, "resident")
    )
    assert withdrawn.json()["status"] == "withdrawn"
    again = await client.post(
        f"/claims/{claim_id}/withdraw", json={}, headers=await login(client, "resident")
    )
    assert again.status_code == 409


async def test_documents_are_checked_by_content_stored_by_hash_and_scoped(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    resident = await login(client, "resident")
    claim_id = (await client.post("/claims", json=claim_body(world.insured), headers=resident)).json()["id"]
    url = f"/claims/{claim_id}/documents"
    photo = await client.post(
        url, data={"kind": "photo"}, files={"file": ("厨房.png", PNG, "image/png")}, headers=resident
    )
    assert photo.status_code == 201, photo.text
    doc = photo.json()
    stored = settings.storage_dir / doc["sha256"][:2] / doc["sha256"]
    assert stored.read_bytes() == PNG
    certificate = await client.post(
        url,
        data={"kind": "fire_certificate"},
        files={"file": ("证明.pdf", PDF, "application/pdf")},
        headers=resident,
    )
    assert certificate.status_code == 201
    bad = [
        ("photo", ("fake.jpg", PDF, "image/jpeg"), "file_type_mismatch"),
        ("photo", ("scan.pdf", PDF, "application/pdf"), "file_type_mismatch"),
        ("other", ("virus.exe", b"MZ\x90\x00", "application/octet-stream"), "unsupported_file"),
        ("other", ("note.pdf", b"hello", "application/pdf"), "unsupported_file"),
    ]
    for kind, file, code in bad:
        response = await client.post(url, data={"kind": kind}, files={"file": file}, headers=resident)
        assert (response.status_code, response.json()["code"]) == (422, code), file[0]
    listed = await client.get(url, headers=await login(client, "officer"))
    assert [d["kind"] for d in listed.json()] == ["photo", "fire_certificate"]
    download = await client.get(f"{url}/{doc['id']}", headers=resident)
    assert download.content == PNG
    assert download.headers["content-type"] == "image/png"
    stranger = await login(client, "stranger")
    assert (await client.get(f"{url}/{doc['id']}", headers=stranger)).status_code == 404
    assert (await client.get(url, headers=stranger)).status_code == 404
    auditor_upload = await client.post(
        url,
        data={"kind": "photo"},
        files={"file": ("a.png", PNG, "image/png")},
        headers=await login(client, "auditor"),
    )
    assert auditor_upload.status_code == 403

    async def documents(session: AsyncSession) -> int:
        return len((await session.scalars(select(ClaimDocument))).all())

    assert await run_in_db(settings, documents) == 2
