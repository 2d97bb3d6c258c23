"""Government shares of co-funded premiums: one payment by district or township finance for many households.

One GovernmentPayment row and one PremiumPayment per policy paid, in the caller's one transaction;
what could not be paid is reported per household, not refused as a whole.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import scope
from core.audit import record
from core.auth import Principal
from core.clock import start_of_business_day
from core.views import from_row
from policies import domain, premium_shares
from policies.domain import PaymentChannel, PolicyStatus
from policies.errors import HouseholdOutsideProgram, ReceiptAlreadyRecorded, WrongFunding
from policies.models import GovernmentPayment, Household, Policy, PremiumPayment
from policies.premium_shares import GovernmentPayer, Share
from policies.schemas import GovernmentPaymentView, HouseholdNotPaid, PaymentView
from policies.services import policies
from policies.services.premiums import program_shares
from policies.services.programs import get_program

CHANNEL = {
    GovernmentPayer.DISTRICT: PaymentChannel.DISTRICT_FINANCE,
    GovernmentPayer.TOWNSHIP: PaymentChannel.TOWNSHIP_FINANCE,
}


async def pay_government_share(
    session: AsyncSession,
    *,
    principal: Principal,
    program_id: UUID,
    payer: GovernmentPayer,
    receipt_no: str,
    paid_on: date,
    term_day: date | None = None,
    household_ids: list[UUID] | None = None,
    village_code: str | None = None,
) -> GovernmentPaymentView:
    """Pay `payer`'s share still owed on each listed household's policy; report the households left unpaid.

    A named village or the program's region must be in the caller's scope (403 otherwise); named
    households the caller may not act on are reported as having no policy, as unknown ones are.
    """
    program = await get_program(session, program_id)
    share = Share(payer.value)
    if program.funding != domain.Funding.HOUSEHOLD or program_shares(program)[share] == 0:
        raise WrongFunding(f"the program leaves no share of its premium to the {payer.value}")
    region = village_code or program.region_code
    if village_code is not None and not village_code.startswith(program.region_code):
        raise HouseholdOutsideProgram(f"the program is sold in {program.region_code} only")
    if household_ids is None:
        scope.check_region(principal, region)
    if await session.scalar(
        select(GovernmentPayment.id).where(
            GovernmentPayment.payer == payer.value, GovernmentPayment.receipt_no == receipt_no
        )
    ):
        raise ReceiptAlreadyRecorded(f"receipt {receipt_no} of {payer.value} finance is already recorded")
    day = term_day or paid_on
    where: list[ColumnElement[bool]] = [
        Policy.program_id == program.id,
        Policy.household_id.is_not(None),
        Policy.starts_on <= day,
        Policy.ends_on > day,
        scope.region_clause(principal, Policy.region_code),
    ]
    if household_ids is not None:
        where.append(Policy.household_id.in_(household_ids))
    else:
        where.append(Policy.region_code.startswith(region))
    # Locked: two payments for the same households must not both pay one share.
    found = list(
        (await session.scalars(select(Policy).where(*where).order_by(Policy.number).with_for_update())).all()
    )
    paid = await _paid(session, [p.id for p in found], share)
    listed = household_ids if household_ids is not None else await _households(session, region)
    unpaid = [
        HouseholdNotPaid(h, "no_policy")
        for h in dict.fromkeys(listed)
        if h not in {p.household_id for p in found}
    ]
    gov = GovernmentPayment(
        program_id=program.id,
        payer=payer.value,
        region_code=region,
        receipt_no=receipt_no,
        paid_on=paid_on,
        amount_fen=0,
        policies_paid=0,
        actor=principal.username,
    )
    session.add(gov)
    await session.flush()
    paid_at = start_of_business_day(paid_on)
    for policy in found:
        assert policy.household_id is not None
        owed = premium_shares.split_premium(policy.premium_due_fen, program_shares(program))
        remaining = owed[share] - paid.get(policy.id, 0)
        if remaining <= 0:
            unpaid.append(HouseholdNotPaid(policy.household_id, "share_already_paid"))
            continue
        if policy.status == PolicyStatus.EXPIRED:
            unpaid.append(HouseholdNotPaid(policy.household_id, "policy_expired"))
            continue
        payment = PremiumPayment(
            policy_id=policy.id,
            region_code=policy.region_code,
            payer=f"{payer.value} finance",
            amount_fen=remaining,
            channel=CHANNEL[payer].value,
            receipt_no=receipt_no,
            paid_at=paid_at,
            share=share.value,
            government_payment_id=gov.id,
        )
        session.add(payment)
        policy.premium_paid_fen += remaining
        gov.amount_fen += remaining
        gov.policies_paid += 1
        await session.flush()
        await record(
            session,
            actor=principal.username,
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
            await policies.change_status(session, policy, new, actor=principal.username)
    await session.flush()
    view = from_row(gov, GovernmentPaymentView, payer=payer, unpaid=unpaid)
    await record(
        session,
        actor=principal.username,
        action="premium.government_paid",
        subject_type="program",
        subject_id=program.id,
        region_code=region,
        after=_summary(view),
    )
    return view


def _summary(view: GovernmentPaymentView) -> dict[str, object]:
    return {
        "id": str(view.id),
        "payer": view.payer.value,
        "receipt_no": view.receipt_no,
        "paid_on": view.paid_on.isoformat(),
        "amount_fen": view.amount_fen,
        "policies_paid": view.policies_paid,
        "unpaid": len(view.unpaid),
    }


async def _paid(session: AsyncSession, policy_ids: list[UUID], share: Share) -> dict[UUID, int]:
    """What `share` has paid on each policy (a sum the repository does not do)."""
    if not policy_ids:
        return {}
    rows = await session.execute(
        select(PremiumPayment.policy_id, func.sum(PremiumPayment.amount_fen))
        .where(PremiumPayment.policy_id.in_(policy_ids), PremiumPayment.share == share.value)
        .group_by(PremiumPayment.policy_id)
    )
    return {policy_id: int(total) for policy_id, total in rows}


async def _households(session: AsyncSession, region: str) -> list[UUID]:
    return list(
        (await session.scalars(select(Household.id).where(Household.village_code.startswith(region)))).all()
    )
