"""Payment batches: gathering approved payouts (on demand and at the daily cut-off), exporting a
batch, which hands its payouts to the bank (approved → sent), and its bank files, read-only.

A payout joins a batch only by a compare-and-set (approved, no batch yet → this batch) in one UPDATE,
so two batches built at the same moment, by finance and by the cut-off, never share a payout.
"""

from __future__ import annotations

import secrets
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim
from core import audit, scope
from core.auth import Principal
from core.clock import business_date, utcnow
from payouts import bank_files, schemas
from payouts.domain import BatchStatus, PayoutKind, PayoutStatus
from payouts.errors import BatchNotExported, NothingToBatch
from payouts.models import PaymentBatch, Payout
from payouts.services import moves, views

SYSTEM = "system:cut-off"


def batch_number() -> str:
    return f"PB-{business_date(utcnow()):%Y%m%d}-{secrets.token_hex(4).upper()}"


async def gather(session: AsyncSession, *, region_code: str, actor: str) -> PaymentBatch | None:
    """A batch of every approved payout of the region not in a batch yet; None (and no batch) if none."""
    batch = PaymentBatch(
        number=batch_number(), region_code=region_code, built_by=actor, status=BatchStatus.OPEN.value
    )
    session.add(batch)
    await session.flush()
    joined = (
        await session.execute(
            update(Payout)
            .where(
                Payout.status == PayoutStatus.APPROVED.value,
                Payout.batch_id.is_(None),
                Payout.region_code.startswith(region_code, autoescape=True),
            )
            .values(batch_id=batch.id)
            .returning(Payout.id, Payout.amount_fen)
            .execution_options(synchronize_session=False)
        )
    ).all()
    if not joined:
        await session.delete(batch)
        await session.flush()
        return None
    batch.payout_count = len(joined)
    batch.total_fen = sum(amount for _, amount in joined)
    await audit.record(
        session,
        actor=actor,
        action="payment_batch.built",
        subject_type="payment_batch",
        subject_id=batch.id,
        region_code=region_code,
        after={
            "number": batch.number,
            "payout_count": batch.payout_count,
            "total_fen": batch.total_fen,
            "payouts": sorted(str(payout_id) for payout_id, _ in joined),
        },
    )
    return batch


async def build_batch(
    session: AsyncSession, *, principal: Principal, data: schemas.BatchCreate
) -> schemas.PaymentBatch:
    """Finance's batch on demand, for a region of its own."""
    scope.check_region(principal, data.region_code)
    batch = await gather(session, region_code=data.region_code, actor=principal.username)
    if batch is None:
        raise NothingToBatch()
    return views.batch_view(batch)


async def build_daily_batches(session: AsyncSession) -> list[PaymentBatch]:
    """The cut-off: one batch per district with approved payouts waiting."""
    villages = await session.scalars(
        select(Payout.region_code)
        .where(Payout.status == PayoutStatus.APPROVED.value, Payout.batch_id.is_(None))
        .distinct()
    )
    built = []
    for district in sorted({village[:6] for village in villages}):
        if (batch := await gather(session, region_code=district, actor=SYSTEM)) is not None:
            built.append(batch)
    return built


async def _lines(session: AsyncSession, batch: PaymentBatch) -> tuple[list[Payout], dict[UUID, str]]:
    payouts = list(
        await session.scalars(select(Payout).where(Payout.batch_id == batch.id).order_by(Payout.created_at))
    )
    numbers = await views.claim_numbers(session, payouts)
    return payouts, numbers


async def export(
    session: AsyncSession, *, principal: Principal, batch_id: UUID
) -> tuple[schemas.PaymentBatch, bool]:
    """Hand the batch to the bank: its payouts approved → sent, the batch exported (audited). Once
    only: a batch already exported is returned unchanged (False), so a retried POST sends nothing."""
    batch = await views.get_visible_batch(session, principal, batch_id, for_update=True)
    if batch.status != BatchStatus.OPEN:
        return views.batch_view(batch), False
    payouts, _ = await _lines(session, batch)
    now = utcnow()
    for payout in payouts:
        if payout.status == PayoutStatus.APPROVED and await moves.move(
            session,
            payout,
            "send",
            actor=principal.username,
            values={"sent_at": now},
            audited={"batch": batch.number},
        ):
            await _mark_claim_sent(session, principal, payout)
    batch.status = BatchStatus.EXPORTED.value
    batch.exported_at = now
    await audit.record(
        session,
        actor=principal.username,
        action="payment_batch.exported",
        subject_type="payment_batch",
        subject_id=batch.id,
        region_code=batch.region_code,
        before={"status": BatchStatus.OPEN.value},
        after={"status": batch.status, "exported_at": now, "number": batch.number},
    )
    return views.batch_view(batch), True


async def _exported_lines(
    session: AsyncSession, principal: Principal, batch_id: UUID
) -> tuple[PaymentBatch, list[bank_files.BankLine]]:
    """An exported batch's lines, read-only: every payout of the batch with its amount whatever the
    bank answered since, so each download of the file is the same."""
    batch = await views.get_visible_batch(session, principal, batch_id)
    if batch.exported_at is None:
        raise BatchNotExported()
    payouts, numbers = await _lines(session, batch)
    lines = [
        bank_files.BankLine(
            reference=views.reference(payout.id),
            claim_number=numbers[payout.claim_id],
            payee_name=payout.payee_name,
            payee_bank=payout.payee_bank_name,
            payee_account=payout.payee_account,
            amount_fen=payout.amount_fen,
        )
        for payout in payouts
    ]
    return batch, lines


async def _mark_claim_sent(session: AsyncSession, principal: Principal, payout: Payout) -> None:
    """The final payout's bank file out is the claim's `sent` stage time (the clock reads it)."""
    if payout.kind != PayoutKind.FINAL:
        return
    claim = await session.get_one(Claim, payout.claim_id)
    claim.sent_at = payout.sent_at
    await audit.record(
        session,
        actor=principal.username,
        action="claim.sent",
        subject_type="claim",
        subject_id=claim.id,
        region_code=claim.village_code,
        after={"sent_at": payout.sent_at, "payout_id": str(payout.id)},
    )


async def bank_csv(session: AsyncSession, *, principal: Principal, batch_id: UUID) -> tuple[str, bytes]:
    batch, lines = await _exported_lines(session, principal, batch_id)
    return batch.number, bank_files.bank_csv(lines)


async def pain001(session: AsyncSession, *, principal: Principal, batch_id: UUID) -> tuple[str, bytes]:
    """The pain.001 of an exported batch, created (CreDtTm) when it was exported."""
    batch, lines = await _exported_lines(session, principal, batch_id)
    created = batch.exported_at
    assert created is not None  # _exported_lines refuses a batch not exported
    return batch.number, bank_files.pain001(batch.number, created, business_date(created), lines)
