"""Approving payouts: the final payout of an assessed claim, an advance (预赔), the second officer's
approval above the first one's authority, and a failed payout's payee put right.

Each starts by locking the claim's row (SELECT … FOR UPDATE; on SQLite the transaction's write lock),
so two officers approving one claim at once are served one after the other, and the unique
(claim_id, kind) would refuse a second payout even if they were not.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.assessments import domain as assessment_rule
from claims.assessments.models import Assessment
from claims.domain import RUNNING, ClaimStatus
from claims.models import Claim
from claims.services import lifecycle
from core import audit
from core.auth import Principal
from core.clock import utcnow
from core.privacy import mask_account
from payouts import domain, schemas
from payouts.domain import PayoutKind, PayoutStatus
from payouts.errors import (
    AdvanceAmountOrShare,
    AdvanceInFlight,
    AlreadyApproved,
    AssessmentMissing,
    ClaimNotAssessed,
    ClaimNotPayable,
    PayeeMissing,
)
from payouts.models import Payout
from payouts.services import moves, views
from users.models import User


async def _limit_of(session: AsyncSession, principal: Principal) -> int | None:
    return await session.scalar(select(User.approval_limit_fen).where(User.id == principal.user_id))


async def _existing(session: AsyncSession, claim_id: UUID) -> dict[str, Payout]:
    rows = await session.scalars(select(Payout).where(Payout.claim_id == claim_id))
    return {row.kind: row for row in rows}


async def _create(
    session: AsyncSession,
    principal: Principal,
    claim: Claim,
    kind: PayoutKind,
    amount_fen: int,
    *,
    note: str | None,
) -> Payout:
    """A new payout, approved at once within the maker's authority, else pending a second officer."""
    if not (claim.payee_name and claim.payee_account):
        raise PayeeMissing()
    now = utcnow()
    alone = not domain.needs_second_approval(amount_fen, await _limit_of(session, principal))
    payout = Payout(
        claim_id=claim.id,
        kind=kind.value,
        amount_fen=amount_fen,
        region_code=claim.village_code,
        payee_name=claim.payee_name,
        payee_bank_name=claim.payee_bank_name,
        payee_account=claim.payee_account,
        status=(PayoutStatus.APPROVED if alone else PayoutStatus.PENDING).value,
        requested_by=principal.username,
        approved_by=principal.username,
        approved_at=now if alone else None,
    )
    session.add(payout)
    await session.flush()
    await moves.sync_in_flight(session, claim)
    await audit.record(
        session,
        actor=principal.username,
        action=f"payout.{payout.status}",
        subject_type="payout",
        subject_id=payout.id,
        region_code=payout.region_code,
        reason=note,
        after={
            "status": payout.status,
            "claim_id": str(claim.id),
            "kind": kind.value,
            "amount_fen": amount_fen,
            "payee_account": mask_account(payout.payee_account),
        },
    )
    return payout


async def approve_claim(
    session: AsyncSession, *, principal: Principal, claim_id: UUID, note: str | None = None
) -> schemas.ClaimPayouts:
    """The first approval of an assessed claim: its final payout is the payable amount less the
    advances paid. Within the officer's authority the claim is `approved` at once; above it the
    payout waits (`pending`) for a second officer. When a paid advance already covers the assessment
    there is nothing more to pay: the claim is approved, counted paid when its advance was, and
    closed; what was advanced beyond the assessment shows as owed back. Assessed at nothing with
    nothing advanced, no money moves: the claim is closed unpaid (no paid_at, the clock never
    counts it as paid)."""
    claim = await views.get_visible_claim(session, principal, claim_id, for_update=True)
    existing = await _existing(session, claim.id)
    if PayoutKind.FINAL in existing:
        raise AlreadyApproved()
    if claim.status != ClaimStatus.ASSESSED:
        raise ClaimNotAssessed(status=claim.status)
    assessment = await session.scalar(select(Assessment).where(Assessment.claim_id == claim.id))
    if assessment is None:
        raise AssessmentMissing()
    domain.check_maker(principal.username, assessed_by=assessment.assessed_by)
    advance = existing.get(PayoutKind.ADVANCE)
    if advance is not None and advance.status != PayoutStatus.PAID:
        raise AdvanceInFlight(advance_status=advance.status)
    amount = assessment_rule.final_payout(assessment.payable_fen, claim.advance_paid_fen)
    if amount == 0 and advance is not None:
        await _settle_by_advance(session, principal, claim, advance, assessment.payable_fen, note)
    elif amount == 0:
        why = "定损无应付金额，未付款结案 (nothing payable: closed without payment)"
        await lifecycle.move(session, principal, claim, "close_unpaid", reason=note or why)
    else:
        payout = await _create(session, principal, claim, PayoutKind.FINAL, amount, note=note)
        if payout.status == PayoutStatus.APPROVED:
            await lifecycle.move(session, principal, claim, "approve", reason=note)
    return await views.claim_payouts(session, claim)


async def _settle_by_advance(
    session: AsyncSession,
    principal: Principal,
    claim: Claim,
    advance: Payout,
    payable_fen: int,
    note: str | None,
) -> None:
    owed = assessment_rule.owed_back(payable_fen, claim.advance_paid_fen)
    why = f"预赔款已覆盖定损金额，无需再付；应退 {owed} 分 (the advance covers it; {owed} fen owed back)"
    await lifecycle.move(session, principal, claim, "approve", reason=note or why)
    await lifecycle.move(
        session, principal, claim, "pay", reason=why, changes={"paid_at": advance.paid_at or utcnow()}
    )
    await lifecycle.move(session, principal, claim, "close", reason=why)


async def approve_payout(
    session: AsyncSession, *, principal: Principal, payout_id: UUID, note: str | None = None
) -> schemas.Payout:
    """The second officer's approval of a pending payout (new, or its payee corrected): never the
    maker (or the corrector), never the assessor, and within the approver's own limit."""
    payout = await views.get_visible_payout(session, principal, payout_id)
    claim = await views.get_visible_claim(session, principal, payout.claim_id, for_update=True)
    assessed_by = await session.scalar(select(Assessment.assessed_by).where(Assessment.claim_id == claim.id))
    domain.check_checker(principal.username, maker=payout.requested_by, assessed_by=assessed_by)
    domain.check_checker_limit(payout.amount_fen, await _limit_of(session, principal))
    await moves.move_or_refuse(
        session,
        payout,
        "approve",
        actor=principal.username,
        reason=note,
        values={"second_approved_by": principal.username, "approved_at": utcnow()},
    )
    if payout.kind == PayoutKind.FINAL and claim.status == ClaimStatus.ASSESSED:  # not on a re-approval
        await lifecycle.move(session, principal, claim, "approve", reason=note)
    return views.to_view(payout, claim.number)


async def request_advance(
    session: AsyncSession, *, principal: Principal, claim_id: UUID, data: schemas.AdvanceRequest
) -> schemas.ClaimPayouts:
    """An advance (预赔) for a catastrophe claim before its visit, within the program's share."""
    if (data.amount_fen is None) == (data.share_bps is None):
        raise AdvanceAmountOrShare()
    claim = await views.get_visible_claim(session, principal, claim_id, for_update=True)
    if PayoutKind.ADVANCE in await _existing(session, claim.id):
        raise AlreadyApproved("this claim already has its advance")
    amount = domain.advance_amount(
        status=ClaimStatus(claim.status),
        catastrophe=claim.catastrophe_id is not None,
        payable_cap_fen=claim.payable_cap_fen,
        allowed_bps=domain.advance_share_bps(claim.covers),
        amount_fen=data.amount_fen,
        share_bps=data.share_bps,
    )
    await _create(session, principal, claim, PayoutKind.ADVANCE, amount, note=None)
    return await views.claim_payouts(session, claim)


async def correct_payee(
    session: AsyncSession, *, principal: Principal, payout_id: UUID, data: schemas.PayeeCorrection
) -> schemas.Payout:
    """A failed payout's payee put right. A new account is a new payment: the payout waits
    (`pending`) for another officer's approval (POST /payouts/{id}/approve), the corrector now
    counting as its maker, before it joins a batch. Not for a claim that has ended meanwhile."""
    payout = await views.get_visible_payout(session, principal, payout_id)
    claim = await views.get_visible_claim(session, principal, payout.claim_id, for_update=True)
    if claim.status not in RUNNING:
        raise ClaimNotPayable(status=claim.status)
    before = {"payee_name": payout.payee_name, "payee_account": mask_account(payout.payee_account)}
    await moves.move_or_refuse(
        session,
        payout,
        "correct_payee",
        actor=principal.username,
        reason=data.reason,
        values={
            "payee_name": data.payee_name,
            "payee_bank_name": data.payee_bank_name,
            "payee_account": data.payee_account,
            "batch_id": None,
            "sent_at": None,
            "requested_by": principal.username,
            "approved_by": principal.username,
            "second_approved_by": None,
            "approved_at": None,
        },
        audited={
            "payee_before": before,
            "payee_name": data.payee_name,
            "payee_bank_name": data.payee_bank_name,
            "payee_account": mask_account(data.payee_account),
            "requested_by": principal.username,
        },
    )
    await moves.sync_in_flight(session, claim)
    return views.to_view(payout, claim.number)
