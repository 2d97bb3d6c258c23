"""The payout notice (赔款通知书): one Chinese page for the household once money has been paid."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim
from claims.services import views as claim_views
from core.auth import Principal
from core.clock import utcnow
from core.documents.pdf import render_pdf_async
from core.privacy import mask_account
from payouts.domain import PayoutStatus
from payouts.errors import NotPaidYet
from payouts.models import Payout
from payouts.services import views
from policies.models import Region


async def notice_pdf(session: AsyncSession, claim: Claim) -> bytes:
    """Every payout paid for the claim, with the totals; NotPaidYet while nothing is."""
    paid = list(
        await session.scalars(
            select(Payout)
            .where(Payout.claim_id == claim.id, Payout.status == PayoutStatus.PAID.value)
            .order_by(Payout.paid_at)
        )
    )
    if not paid:
        raise NotPaidYet()
    village = await session.scalar(select(Region.name).where(Region.code == claim.village_code))
    context = {
        "claim": claim,
        "village_name": village,
        "payouts": [
            {
                "kind_zh": "预赔款" if payout.kind == "advance" else "赔款",
                "amount_fen": payout.amount_fen,
                "payee_name": payout.payee_name,
                "payee_bank_name": payout.payee_bank_name,
                "account_masked": mask_account(payout.payee_account),
                "paid_at": payout.paid_at,
            }
            for payout in paid
        ],
        "printed_at": utcnow(),
    }
    return await render_pdf_async("payouts/pdf_payout_notice.html", context)


async def notice_for(session: AsyncSession, principal: Principal, claim_id: UUID) -> tuple[str, bytes]:
    claim = await views.get_visible_claim(session, principal, claim_id)
    return claim.number, await notice_pdf(session, claim)


async def public_notice(session: AsyncSession, *, number: str, phone_last4: str) -> tuple[str, bytes]:
    """By claim number and the phone's last four digits: the public status page's rule, so a wrong
    phone looks exactly like an unknown number."""
    await claim_views.public_status(session, number=number, phone_last4=phone_last4)
    claim = await session.scalar(select(Claim).where(Claim.number == number.strip().upper()))
    assert claim is not None  # public_status found it a moment ago in this transaction
    return claim.number, await notice_pdf(session, claim)
