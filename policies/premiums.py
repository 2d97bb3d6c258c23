"""Premium payments: per household policy, or one lump sum from district finance for a blanket policy."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import record
from core.clock import utcnow
from core.views import from_row
from policies import domain, services
from policies.domain import PaymentChannel, PolicyStatus
from policies.errors import ReceiptAlreadyRecorded, WrongFunding
from policies.models import PremiumPayment
from policies.schemas import PaymentView


async def record_payment(
    session: AsyncSession,
    *,
    actor: str,
    policy_id: UUID,
    payer: str,
    amount_fen: int,
    channel: PaymentChannel | str,
    receipt_no: str,
    paid_at: datetime | None = None,
) -> PremiumPayment:
    """Record a premium payment; a household policy paid in full becomes active."""
    channel = PaymentChannel(channel)
    policy = await services.get_policy(session, policy_id, for_update=True)
    if (policy.household_id is None) != (channel is PaymentChannel.DISTRICT_FINANCE):
        raise WrongFunding("a blanket policy is paid by district finance, and only it is")
    if await session.scalar(
        select(PremiumPayment.id).where(
            PremiumPayment.channel == channel.value, PremiumPayment.receipt_no == receipt_no
        )
    ):
        raise ReceiptAlreadyRecorded(f"receipt {receipt_no} via {channel.value} is already recorded")
    policy.premium_paid_fen = domain.apply_payment(
        PolicyStatus(policy.status),
        blanket=policy.household_id is None,
        premium_due_fen=policy.premium_due_fen,
        premium_paid_fen=policy.premium_paid_fen,
        amount_fen=amount_fen,
    )
    payment = PremiumPayment(
        policy_id=policy.id,
        region_code=policy.region_code,
        payer=payer,
        amount_fen=amount_fen,
        channel=channel.value,
        receipt_no=receipt_no,
        paid_at=paid_at or utcnow(),
    )
    session.add(payment)
    await session.flush()
    await record(
        session,
        actor=actor,
        action="premium.paid",
        subject_type="policy",
        subject_id=policy.id,
        region_code=policy.region_code,
        after=from_row(payment, PaymentView),
    )
    if policy.status == PolicyStatus.IDLE and policy.premium_paid_fen >= policy.premium_due_fen:
        new = domain.activate(
            PolicyStatus.IDLE,
            premium_due_fen=policy.premium_due_fen,
            premium_paid_fen=policy.premium_paid_fen,
        )
        await services.change_status(session, policy, new, actor=actor)
    return payment


async def list_payments(session: AsyncSession, policy_id: UUID) -> list[PremiumPayment]:
    rows = await session.scalars(
        select(PremiumPayment).where(PremiumPayment.policy_id == policy_id).order_by(PremiumPayment.paid_at)
    )
    return list(rows)
