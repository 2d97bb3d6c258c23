"""Every payout status change: a compare-and-set UPDATE … WHERE status = :expected, then the audit.

The row moves only if it is still in the state the caller saw; a concurrent mover that got there
first leaves nothing to move (rowcount 0) and the caller is told, so no payout is approved, sent
or paid twice whatever the concurrency: the database decides, not the code path.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from claims.domain import PAYOUT_IN_FLIGHT
from claims.models import Claim
from core import audit
from payouts import domain
from payouts.domain import PayoutStatus
from payouts.errors import PayoutTransitionNotAllowed
from payouts.models import Payout


async def move(
    session: AsyncSession,
    payout: Payout,
    action: str,
    *,
    actor: str,
    reason: str | None = None,
    values: dict[str, Any] | None = None,
    audited: dict[str, Any] | None = None,
) -> bool:
    """Move `payout` by `action` if it is still where the domain allows it; False if another got there
    first (nothing changed). `values` are the other columns set with the move; `audited` what the
    audit event shows of them (default: `values`)."""
    before = PayoutStatus(payout.status)
    after = domain.transition(before, action)
    values = values or {}
    result = await session.execute(
        update(Payout)
        .where(Payout.id == payout.id, Payout.status == before.value)
        .values(status=after.value, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    await session.refresh(payout)
    await audit.record(
        session,
        actor=actor,
        action=f"payout.{after.value}",
        subject_type="payout",
        subject_id=payout.id,
        region_code=payout.region_code,
        reason=reason,
        before={"status": before.value},
        after={
            "status": after.value,
            "claim_id": str(payout.claim_id),
            **(audited if audited is not None else values),
        },
    )
    return True


async def move_or_refuse(session: AsyncSession, payout: Payout, action: str, **kwargs: Any) -> None:
    """`move`, answering a lost race as the conflict it is."""
    if not await move(session, payout, action, **kwargs):
        await session.refresh(payout)
        raise PayoutTransitionNotAllowed(f"the payout is now {payout.status}", status=payout.status)


IN_FLIGHT = (PayoutStatus.PENDING.value, PayoutStatus.APPROVED.value, PayoutStatus.SENT.value)


async def sync_in_flight(session: AsyncSession, claim: Claim) -> None:
    """Mark the claim while any payout of it is pending, approved or at the bank (claims refuses to
    withdraw or reject it then); read from the payouts themselves, so it cannot drift from them."""
    await session.flush()
    flying = bool(
        await session.scalar(
            select(exists().where(Payout.claim_id == claim.id, Payout.status.in_(IN_FLIGHT)))
        )
    )
    others = [flag for flag in claim.flags or () if flag != PAYOUT_IN_FLIGHT]
    claim.flags = [*others, PAYOUT_IN_FLIGHT] if flying else others  # a new list: JSON is not mutable
