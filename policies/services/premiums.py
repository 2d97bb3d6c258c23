"""Premium payments: per household policy, or one lump sum from district finance for a blanket policy."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import record
from core.auth import Principal
from core.clock import utcnow
from core.views import from_row
from policies import domain, premium_shares
from policies.domain import PaymentChannel, PolicyStatus
from policies.errors import ReceiptAlreadyRecorded, WrongFunding
from policies.models import Policy, PremiumPayment, Program
from policies.premium_shares import Share
from policies.schemas import PaymentView
from policies.services import policies
from policies.services.programs import get_program


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
    """Record a payment of one share (its channel says whose); a policy with every share paid activates.

    principal: the caller over HTTP, whose scope must hold the policy's region; None for a trusted caller.
    """
    channel = PaymentChannel(channel)
    policy = await policies.get_policy(session, policy_id, for_update=True)
    if principal is not None:
        policies.check_may_act(principal, policy)
    blanket = policy.household_id is None
    share = premium_shares.share_of(channel)
    if blanket and channel is not PaymentChannel.DISTRICT_FINANCE:
        raise WrongFunding("a blanket policy is paid by district finance, and only it is")
    owed = await owed_shares(session, policy)
    if owed[share] == 0:
        raise WrongFunding(f"the program leaves nothing of this premium to the {share.value}")
    payments = PremiumPaymentService(session=session)
    if await payments.exists(channel=channel.value, receipt_no=receipt_no):
        raise ReceiptAlreadyRecorded(f"receipt {receipt_no} via {channel.value} is already recorded")
    paid = await paid_shares(session, policy.id)
    paid[share] = domain.apply_payment(
        PolicyStatus(policy.status),
        blanket=blanket,
        premium_due_fen=owed[share],
        premium_paid_fen=paid[share],
        amount_fen=amount_fen,
    )
    policy.premium_paid_fen += amount_fen
    payment = PremiumPayment(
        policy_id=policy.id,
        region_code=policy.region_code,
        payer=payer,
        amount_fen=amount_fen,
        channel=channel.value,
        receipt_no=receipt_no,
        paid_at=paid_at or utcnow(),
        share=share.value,
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
    await activate_if_paid(session, policy, owed, paid, actor=actor)
    return payment


async def owed_shares(session: AsyncSession, policy: Policy) -> dict[Share, int]:
    """What each payer owes for `policy`, by its program's shares."""
    program = await get_program(session, policy.program_id)
    return premium_shares.policy_shares(
        policy.premium_due_fen, blanket=policy.household_id is None, shares=program_shares(program)
    )


def program_shares(program: Program) -> dict[Share, int]:
    return {
        Share.HOUSEHOLD: program.household_share_bps,
        Share.DISTRICT: program.district_share_bps,
        Share.TOWNSHIP: program.township_share_bps,
    }


async def paid_shares(session: AsyncSession, policy_id: UUID) -> dict[Share, int]:
    """What each payer has paid so far (a sum the repository does not do)."""
    rows = await session.execute(
        select(PremiumPayment.share, func.sum(PremiumPayment.amount_fen))
        .where(PremiumPayment.policy_id == policy_id)
        .group_by(PremiumPayment.share)
    )
    paid = dict.fromkeys(Share, 0)
    paid.update({Share(share): int(total) for share, total in rows})
    return paid


async def activate_if_paid(
    session: AsyncSession, policy: Policy, owed: dict[Share, int], paid: dict[Share, int], *, actor: str
) -> None:
    """An idle policy whose every share is paid in full becomes active."""
    if policy.status == PolicyStatus.IDLE and premium_shares.fully_paid(owed, paid):
        new = domain.activate(
            PolicyStatus.IDLE,
            premium_due_fen=policy.premium_due_fen,
            premium_paid_fen=policy.premium_paid_fen,
        )
        await policies.change_status(session, policy, new, actor=actor)


async def list_payments(session: AsyncSession, principal: Principal, policy_id: UUID) -> list[PremiumPayment]:
    """The payments of a policy the caller may see, oldest first."""
    await policies.get_visible_policy(session, principal, policy_id)
    rows = await PremiumPaymentService(session=session).get_many(
        PremiumPayment.policy_id == policy_id, order_by=[PremiumPayment.paid_at.asc()]
    )
    return list(rows)
