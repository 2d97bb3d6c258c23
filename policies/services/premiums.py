"""Premium payments: per household policy, or one lump sum from district finance for a blanket policy."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import record
from core.auth import Principal
from core.clock import utcnow
from core.views import from_row
from policies import domain
from policies.domain import PaymentChannel, PolicyStatus
from policies.errors import ReceiptAlreadyRecorded, WrongFunding
from policies.models import PremiumPayment
from policies.schemas import PaymentView
from policies.services import policies


class PremiumPaymentService(SQLAlchemyAsyncRepositoryService[PremiumPayment]):
    class Repo(SQLAlchemyAsyncRepository[PremiumPayment]):
        model_type = PremiumPayment

    repository_type = Repo


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
    principal: Principal | None = None,
) -> PremiumPayment:
    """Record a premium payment; a household policy paid in full becomes active.

    principal: the caller over HTTP, whose scope must hold the policy's region; None for a trusted caller.
    """
    channel = PaymentChannel(channel)
    policy = await policies.get_policy(session, policy_id, for_update=True)
    if principal is not None:
        policies.check_may_act(principal, policy)
    if (policy.household_id is None) != (channel is PaymentChannel.DISTRICT_FINANCE):
        raise WrongFunding("a blanket policy is paid by district finance, and only it is")
    payments = PremiumPaymentService(session=session)
    if await payments.exists(channel=channel.value, receipt_no=receipt_no):
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
        await policies.change_status(session, policy, new, actor=actor)
    return payment


async def list_payments(session: AsyncSession, principal: Principal, policy_id: UUID) -> list[PremiumPayment]:
    """The payments of a policy the caller may see, oldest first."""
    await policies.get_visible_policy(session, principal, policy_id)
    rows = await PremiumPaymentService(session=session).get_many(
        PremiumPayment.policy_id == policy_id, order_by=[PremiumPayment.paid_at.asc()]
    )
    return list(rows)
