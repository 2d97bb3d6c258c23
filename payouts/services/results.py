"""The bank's result file: each line marks one payout of the batch paid or failed.

Imports of one batch are served one at a time (the batch row is locked first), and each line moves
its payout by compare-and-set from `sent`, so the same file imported twice, or fifty times at once,
pays each payout once: a line already applied is `unchanged`. A line for an unknown payout, a payout
of another batch, an amount that differs from the payout's, a malformed amount or a final payout
whose claim can no longer be paid (checked before anything moves) is an error for that line alone
and changes nothing; the other lines still count.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.domain import ClaimStatus
from claims.models import Claim
from claims.services import lifecycle
from core import audit
from core.auth import Principal
from core.clock import utcnow
from core.notifications import Recipient, notify
from payouts import bank_files, schemas
from payouts.domain import BatchStatus, PayoutKind, PayoutStatus
from payouts.errors import ResultFileUnreadable
from payouts.models import PaymentBatch, Payout
from payouts.services import moves, views

# code -> (Chinese, English): what a result line can be refused for.
LINE_ERRORS = {
    "missing_reference": ("缺少付款参考号", "The line has no payout reference"),
    "malformed_amount": (
        "金额格式有误（应为元，最多两位小数）",
        "The amount is malformed (yuan, at most 2 decimals)",
    ),
    "unknown_status": ("状态应为 paid/成功 或 failed/失败", "The status must be paid or failed"),
    "unknown_reference": ("找不到该付款参考号对应的赔款", "No payout has this reference"),
    "other_batch": ("该赔款不属于本批次", "This payout belongs to another batch"),
    "amount_mismatch": ("金额与赔款金额不符", "The amount differs from the payout's"),
    "not_sent": ("该赔款尚未随银行文件发出", "This payout has not been sent to the bank"),
    "conflicting_result": ("与此前导入的结果相矛盾", "Contradicts a result imported before"),
    "claim_not_payable": (
        "案件当前状态不能记为已付款，请人工核查",
        "The claim cannot be marked paid in its current status: check it by hand",
    ),
}


def _error(line: bank_files.ResultLine, code: str) -> schemas.ResultLineError:
    zh, en = LINE_ERRORS[code]
    return schemas.ResultLineError(
        line=line.line, reference=line.reference, code=code, message_zh=zh, message_en=en
    )


async def import_results(
    session: AsyncSession, *, principal: Principal, batch_id: UUID, content: bytes
) -> schemas.ResultImport:
    batch = await views.get_visible_batch(session, principal, batch_id, for_update=True)
    text = bank_files.decode(content)
    lines = bank_files.parse_results(text) if text is not None else None
    if lines is None:
        raise ResultFileUnreadable()
    counts = {"paid": 0, "failed": 0, "unchanged": 0}
    errors: list[schemas.ResultLineError] = []
    for line in lines:
        outcome = await _apply(session, principal, batch, line)
        if outcome in counts:
            counts[outcome] += 1
        else:
            errors.append(_error(line, outcome))
    await _settle(session, principal, batch)
    return schemas.ResultImport(batch_id=batch.id, lines=len(lines), errors=errors, **counts)


async def _apply(
    session: AsyncSession, principal: Principal, batch: PaymentBatch, line: bank_files.ResultLine
) -> str:
    """paid | failed | unchanged, or the code of what is wrong with the line."""
    if line.problem is not None:
        return line.problem
    payout_id = views.payout_id_of(line.reference or "")
    payout = await session.get(Payout, payout_id) if payout_id is not None else None
    if payout is None or not views.may_see_payout(principal, payout):
        return "unknown_reference"
    if payout.batch_id != batch.id:
        return "other_batch"
    if payout.amount_fen != line.amount_fen:
        return "amount_mismatch"
    if payout.status == line.status:
        return "unchanged"
    if payout.status != PayoutStatus.SENT:
        return "not_sent" if payout.status == PayoutStatus.APPROVED else "conflicting_result"
    now = utcnow()
    claim = await session.scalar(select(Claim).where(Claim.id == payout.claim_id).with_for_update())
    assert claim is not None  # a payout's claim is never deleted (foreign key)
    if line.status == "failed":
        moved = await moves.move(
            session,
            payout,
            "fail",
            actor=principal.username,
            reason=line.reason,
            values={"failed_at": now, "failure_reason": line.reason or "bank refused"},
        )
        await moves.sync_in_flight(session, claim)
        return "failed" if moved else "unchanged"
    if payout.kind == PayoutKind.FINAL and claim.status != ClaimStatus.APPROVED:
        # Checked before anything moves: a refusal here would roll back every other line's result.
        return "claim_not_payable"
    moved = await moves.move(
        session,
        payout,
        "pay",
        actor=principal.username,
        values={"paid_at": now, "bank_reference": await _free_reference(session, line.bank_reference)},
    )
    if not moved:
        return "unchanged"
    await _claim_paid(session, principal, payout, claim)
    await moves.sync_in_flight(session, claim)
    return "paid"


async def _free_reference(session: AsyncSession, bank_reference: str | None) -> str | None:
    """The bank's own reference, kept unless the bank reused one (it is unique): then not kept."""
    if bank_reference is None:
        return None
    taken = await session.scalar(select(Payout.id).where(Payout.bank_reference == bank_reference))
    return None if taken is not None else bank_reference[:40]


async def _claim_paid(session: AsyncSession, principal: Principal, payout: Payout, claim: Claim) -> None:
    """Money confirmed: the claim's totals grow; the final payout makes it paid and closes it
    (automatically: the assessment and the approvals were the checks)."""
    changes = {"paid_fen": claim.paid_fen + payout.amount_fen}
    if payout.kind == PayoutKind.ADVANCE:
        changes["advance_paid_fen"] = claim.advance_paid_fen + payout.amount_fen
        for field, value in changes.items():
            setattr(claim, field, value)
        await _audit_advance(session, principal, claim, payout)
    else:
        await lifecycle.move(session, principal, claim, "pay", changes=changes)
        await lifecycle.move(session, principal, claim, "close", reason="赔款已到账 (paid)")
    await notify(
        session,
        recipient_kind=Recipient.HOUSEHOLD,
        recipient_id=claim.household_id,
        phone=claim.claimant_phone,
        text_zh=f"您的理赔案件 {claim.number} 赔款 {bank_files.yuan(payout.amount_fen)} 元已到账。",
        subject_type="claim",
        subject_id=claim.id,
        region_code=claim.village_code,
        key=f"payout.paid:{payout.id}",
    )


async def _audit_advance(session: AsyncSession, principal: Principal, claim: Claim, payout: Payout) -> None:
    await audit.record(
        session,
        actor=principal.username,
        action="claim.advance_paid",
        subject_type="claim",
        subject_id=claim.id,
        region_code=claim.village_code,
        after={
            "advance_paid_fen": claim.advance_paid_fen,
            "paid_fen": claim.paid_fen,
            "payout_id": str(payout.id),
        },
    )


async def _settle(session: AsyncSession, principal: Principal, batch: PaymentBatch) -> None:
    """A batch whose every payout has its answer from the bank is settled."""
    open_ones = await session.scalar(
        select(Payout.id)
        .where(
            Payout.batch_id == batch.id,
            Payout.status.in_([PayoutStatus.APPROVED.value, PayoutStatus.SENT.value]),
        )
        .limit(1)
    )
    if open_ones is None and batch.status != BatchStatus.SETTLED:
        before = batch.status
        batch.status = BatchStatus.SETTLED.value
        await audit.record(
            session,
            actor=principal.username,
            action="payment_batch.settled",
            subject_type="payment_batch",
            subject_id=batch.id,
            region_code=batch.region_code,
            before={"status": before},
            after={"status": batch.status, "number": batch.number},
        )
