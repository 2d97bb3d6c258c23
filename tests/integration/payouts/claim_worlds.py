"""The worlds the claim payout tests pay into: a district with its officers (each with an authority
limit), finance, an adjuster, and claims set up directly as rows (assessed, or a catastrophe claim
before its visit), with the bank's result file they would send back."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.assessments.models import Assessment
from claims.models import Catastrophe, Claim
from claims.visits.models import Adjuster, SiteVisit
from core.auth import Role
from core.clock import business_date, utcnow
from core.settings import Settings
from tests import factories
from tests.conftest import make_user, run_in_db
from users.models import User

DISTRICT = "370211"
OTHER_DISTRICT = "370212"
PHONE = "13800001234"
ACCOUNT = "6228480012345678901"
_numbers = itertools.count(1)


@dataclass
class PayoutWorld:
    villages: list[str]
    household_id: UUID
    adjuster_id: UUID


async def _set_limit(settings: Settings, username: str, limit_fen: int | None) -> None:
    async def update(session: AsyncSession) -> None:
        user = await session.scalar(select(User).where(User.username == username))
        assert user is not None
        user.approval_limit_fen = limit_fen

    await run_in_db(settings, update)


async def build_world(settings: Settings) -> PayoutWorld:
    """Officers: `officer` may approve 10,000.00 yuan alone, `senior` 1,000,000.00, `junior` nothing."""

    async def arrange(session: AsyncSession) -> tuple[list[str], UUID]:
        villages = await factories.region_tree(session, DISTRICT)
        home = await factories.household(session, villages[0], phone=PHONE)
        return villages, home.id

    villages, household_id = await run_in_db(settings, arrange)
    for name, role, regions in [
        ("officer", Role.CLAIMS_OFFICER, [DISTRICT]),
        ("senior", Role.CLAIMS_OFFICER, [DISTRICT]),
        ("junior", Role.CLAIMS_OFFICER, [DISTRICT]),
        ("far_officer", Role.CLAIMS_OFFICER, [OTHER_DISTRICT]),
        ("finance", Role.FINANCE, [DISTRICT]),
        ("far_finance", Role.FINANCE, [OTHER_DISTRICT]),
        ("auditor", Role.AUDITOR, [DISTRICT]),
        ("adjuster", Role.ADJUSTER, [DISTRICT]),
        ("liaison", Role.LIAISON, [villages[0]]),
    ]:
        await make_user(settings, name, role, regions)
    await make_user(settings, "resident", Role.RESIDENT, [villages[0]], household_id)
    await _set_limit(settings, "officer", 1_000_000)
    await _set_limit(settings, "senior", 100_000_000)
    # An officer who also assesses (a small district): may not approve what they assessed.
    await make_user(settings, "assessing_officer", Role.CLAIMS_OFFICER, [DISTRICT])
    await _set_limit(settings, "assessing_officer", 100_000_000)

    async def adjuster(session: AsyncSession) -> UUID:
        user_id = await session.scalar(select(User.id).where(User.username == "adjuster"))
        row = Adjuster(
            user_id=user_id,
            region_code=DISTRICT,
            village_codes=villages,
            home_village_code=villages[0],
            daily_capacity=12,
            working_weekdays=[1, 2, 3, 4, 5, 6, 7],
        )
        session.add(row)
        await session.flush()
        return row.id

    return PayoutWorld(villages, household_id, await run_in_db(settings, adjuster))


async def claim_row(
    settings: Settings,
    world: PayoutWorld,
    *,
    status: str = "assessed",
    payable_fen: int | None = 500_000,
    payable_cap_fen: int = 2_000_000,
    advance_bps: int | None = None,
    catastrophe: bool = False,
    assessed_by: str = "adjuster",
    payee_account: str | None = ACCOUNT,
) -> dict[str, Any]:
    """A claim as a row in `status`; with `payable_fen`, its visit done and its assessment recorded."""

    async def arrange(session: AsyncSession) -> dict[str, Any]:
        now = utcnow()
        cover: dict[str, Any] = {
            "policy_number": "P-1",
            "program_name": "安居保险方案",
            "funding": "household",
        }
        if advance_bps is not None:
            cover["advance_max_bps"] = advance_bps
        event_id = None
        if catastrophe:
            event = Catastrophe(
                name="11·20 龙卷风",
                peril="natural_disaster",
                starts_at=now - timedelta(days=2),
                ends_at=now - timedelta(days=1),
                village_codes=world.villages,
                region_code=DISTRICT,
                declared_by="officer",
            )
            session.add(event)
            await session.flush()
            event_id = event.id
        claim = Claim(
            number=f"AJ-{business_date(now):%Y%m%d}-{900000 + next(_numbers):06d}",
            status=status,
            household_id=world.household_id,
            village_code=world.villages[0],
            catastrophe_id=event_id,
            peril="natural_disaster" if catastrophe else "fire",
            loss_at=now - timedelta(days=1),
            loss_on=business_date(now - timedelta(days=1)),
            loss_place="东屋",
            description="厨房起火",
            claimant_name="王建国",
            claimant_resident_id=factories.resident_id(1),
            claimant_phone=PHONE,
            payee_name="王建国" if payee_account else None,
            payee_bank_name="青岛农商银行" if payee_account else None,
            payee_account=payee_account,
            filed_by="resident",
            covers=[cover],
            payable_cap_fen=payable_cap_fen,
            clock_target_hours=72,
            reported_at=now - timedelta(hours=30),
            expected_payment_by=now + timedelta(hours=42),
            accepted_at=now - timedelta(hours=29),
        )
        session.add(claim)
        await session.flush()
        if payable_fen is not None:
            visit = SiteVisit(
                claim_id=claim.id,
                adjuster_id=world.adjuster_id,
                village_code=claim.village_code,
                visit_on=business_date(now),
                status="done",
                done_at=now - timedelta(hours=3),
                planned_by="officer",
            )
            session.add(visit)
            await session.flush()
            session.add(
                Assessment(
                    claim_id=claim.id,
                    visit_id=visit.id,
                    adjuster_id=world.adjuster_id,
                    assessed_by=assessed_by,
                    lines=[],
                    assessed_loss_fen=payable_fen,
                    deductible_fen=0,
                    payable_fen=payable_fen,
                    steps=[],
                    shares=[],
                    acknowledged_by="王建国",
                )
            )
            claim.assessed_at = now - timedelta(hours=2)
        return {"id": str(claim.id), "number": claim.number}

    return await run_in_db(settings, arrange)


async def claim_state(settings: Settings, claim_id: str) -> Claim:
    async def read(session: AsyncSession) -> Claim:
        claim = await session.get(Claim, UUID(claim_id))
        assert claim is not None
        session.expunge(claim)
        return claim

    return await run_in_db(settings, read)


def result_csv(*lines: tuple[str, str, str], header: str = "reference,amount,status,bank_reference") -> bytes:
    """(reference, amount in yuan, status) lines; each gets a bank reference of its own."""
    rows = [header] + [
        f"{ref},{amount},{status},B{i:06d}{ref[:6]}" for i, (ref, amount, status) in enumerate(lines)
    ]
    return ("\n".join(rows) + "\n").encode()


async def pay_through_a_batch(client: Any, finance: dict[str, str], payout: dict[str, Any], yuan: str) -> str:
    """Batch the approved payouts, export the batch and import the bank's `paid` for `payout`."""
    built = await client.post("/payment-batches", json={"region_code": DISTRICT}, headers=finance)
    assert built.status_code == 201, built.text
    batch_id = built.json()["id"]
    assert (await client.post(f"/payment-batches/{batch_id}/export", headers=finance)).status_code == 201
    assert (
        await client.get(f"/payment-batches/{batch_id}/bank-file.csv", headers=finance)
    ).status_code == 200
    upload = result_csv((payout["reference"], yuan, "paid"))
    imported = await client.post(
        f"/payment-batches/{batch_id}/results",
        content=upload,
        headers={**finance, "Content-Type": "text/csv"},
    )
    assert imported.json()["paid"] == 1, imported.text
    return str(batch_id)


async def set_claim(settings: Settings, claim_id: str, **values: Any) -> None:
    """Move a claim on as another package's work would (the visit done, the assessment recorded)."""

    async def update(session: AsyncSession) -> None:
        claim = await session.get(Claim, UUID(claim_id))
        assert claim is not None
        for field, value in values.items():
            setattr(claim, field, value)

    await run_in_db(settings, update)
