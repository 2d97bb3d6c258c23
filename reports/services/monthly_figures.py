"""The sums only the monthly report needs: breached claims, villages by loss, village funds.

Hand-written aggregates for the same reasons as figures.py (bench/report.py measures them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import and_, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.domain import ClaimStatus
from claims.models import Claim
from core.clock import utcnow
from payouts.models import Payout
from payouts.rebates.models import RebateEntry, SecurityExpenditure
from policies.models import PremiumPayment, Region
from reports import domain
from reports.domain import Period
from reports.services.figures import between, elapsed_seconds, in_region

STAGE_FIELDS = ("reported_at", *(field for field, _, _ in domain.STAGES))
# Ended without money: their clock stopped without a breach to report.
ENDED_UNPAID = (ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN, ClaimStatus.CLEARED)


@dataclass(frozen=True)
class BreachedClaim:
    number: str
    village_code: str
    peril: str
    paid: bool
    cycle_seconds: int
    target_hours: int
    stages: dict[str, int]

    @property
    def slowest_stage(self) -> str | None:
        return domain.slowest_stage(self.stages)


async def breached_claims(session: AsyncSession, code: str, period: Period) -> list[BreachedClaim]:
    """Claims paid in the period past their target, and claims still unpaid at its end past theirs."""
    columns = [Claim.number, Claim.village_code, Claim.peril, Claim.clock_target_hours, Claim.status]
    stamps = [getattr(Claim, field) for field in STAGE_FIELDS]
    target = Claim.clock_target_hours * 3600
    paid_rows = await session.execute(
        select(*columns, *stamps).where(
            in_region(Claim.village_code, code),
            between(Claim.paid_at, period),
            elapsed_seconds(Claim.reported_at, Claim.paid_at) > target,
        )
    )
    # Unpaid at the month's end: not paid yet, or paid after it. Two queries, so each can use an
    # index on paid_at instead of reading every claim ever reported.
    # (paid_at is bounded above by now so the planner sees a range, not half the table).
    unpaid = [Claim.paid_at.is_(None), and_(Claim.paid_at >= period.end, Claim.paid_at <= utcnow())]
    open_rows = [
        row
        for condition in unpaid
        for row in await session.execute(
            select(*columns, *stamps).where(
                in_region(Claim.village_code, code),
                condition,
                Claim.reported_at < period.end,
                elapsed_seconds(Claim.reported_at, literal(period.end, DateTimeUTC(timezone=True))) > target,
                Claim.status.not_in(ENDED_UNPAID),
            )
        )
    ]
    found = []
    for rows, paid in ((paid_rows, True), (open_rows, False)):
        for row in rows:
            times: dict[str, datetime | None] = {field: row._mapping[field] for field in STAGE_FIELDS}
            if not paid:
                times = {field: t for field, t in times.items() if t is None or t < period.end}
                times["paid_at"] = None
            reported = times["reported_at"]
            assert reported is not None
            stop = times["paid_at"] if paid else period.end
            assert stop is not None
            seconds = domain.cycle_seconds(reported, stop)
            if seconds > row.clock_target_hours * 3600:
                found.append(
                    BreachedClaim(
                        number=row.number,
                        village_code=row.village_code,
                        peril=row.peril,
                        paid=paid,
                        cycle_seconds=seconds,
                        target_hours=row.clock_target_hours,
                        stages=domain.stage_seconds(times),
                    )
                )
    found.sort(key=lambda claim: -claim.cycle_seconds)
    return found


@dataclass(frozen=True)
class VillageLoss:
    code: str
    name: str
    claims_paid: int
    paid_fen: int
    premiums_fen: int


async def villages_by_loss(
    session: AsyncSession, code: str, period: Period, *, top: int
) -> list[VillageLoss]:
    """The `top` villages by money paid in the period, with the premiums they paid in it."""
    # Added up here from the month's payouts (found by paid_at): grouped in SQL, SQLite would walk
    # the district's every payout by (status, region) to save itself a sort.
    claims: dict[str, set[Any]] = {}
    paid: dict[str, int] = {}
    for village, claim_id, amount in await session.execute(
        select(Payout.region_code, Payout.claim_id, Payout.amount_fen).where(
            Payout.status == "paid", in_region(Payout.region_code, code), between(Payout.paid_at, period)
        )
    ):
        claims.setdefault(village, set()).add(claim_id)
        paid[village] = paid.get(village, 0) + amount
    rows = sorted(((v, len(claims[v]), paid[v]) for v in paid), key=lambda row: (-row[2], row[0]))[:top]
    codes = [village for village, _, _ in rows]
    names = dict(
        (await session.execute(select(Region.code, Region.name).where(Region.code.in_(codes)))).all()
    )
    premiums = dict(
        (
            await session.execute(
                select(PremiumPayment.region_code, func.sum(PremiumPayment.amount_fen))
                .where(PremiumPayment.region_code.in_(codes), between(PremiumPayment.paid_at, period))
                .group_by(PremiumPayment.region_code)
            )
        ).all()
    )
    return [
        VillageLoss(
            village, names.get(village, village), int(count), int(paid), int(premiums.get(village, 0))
        )
        for village, count, paid in rows
    ]


@dataclass(frozen=True)
class VillageFund:
    code: str
    name: str
    spent_in_month_fen: int
    disbursed_to_date_fen: int
    spent_to_date_fen: int

    @property
    def overspent(self) -> bool:
        return self.spent_to_date_fen > self.disbursed_to_date_fen


async def village_funds(session: AsyncSession, code: str, period: Period, *, top: int) -> list[VillageFund]:
    """Villages that spent from their security fund in the period (most first), against what they
    were disbursed and spent up to its end."""
    spent_rows = (
        await session.execute(
            select(SecurityExpenditure.village_code, func.sum(SecurityExpenditure.amount_fen))
            .where(
                in_region(SecurityExpenditure.village_code, code),
                SecurityExpenditure.spent_on >= period.first,
                SecurityExpenditure.spent_on <= period.last,
            )
            .group_by(SecurityExpenditure.village_code)
            .order_by(func.sum(SecurityExpenditure.amount_fen).desc(), SecurityExpenditure.village_code)
            .limit(top)
        )
    ).all()
    codes = [village for village, _ in spent_rows]
    names = dict(
        (await session.execute(select(Region.code, Region.name).where(Region.code.in_(codes)))).all()
    )
    disbursed = dict(
        (
            await session.execute(
                select(RebateEntry.village_code, func.sum(RebateEntry.amount_fen))
                .where(
                    RebateEntry.village_code.in_(codes),
                    RebateEntry.kind == "disbursement",
                    RebateEntry.created_at < period.end,
                )
                .group_by(RebateEntry.village_code)
            )
        ).all()
    )
    spent_to_date = dict(
        (
            await session.execute(
                select(SecurityExpenditure.village_code, func.sum(SecurityExpenditure.amount_fen))
                .where(
                    SecurityExpenditure.village_code.in_(codes), SecurityExpenditure.spent_on <= period.last
                )
                .group_by(SecurityExpenditure.village_code)
            )
        ).all()
    )
    return [
        VillageFund(
            village,
            names.get(village, village),
            int(spent),
            int(disbursed.get(village, 0)),
            int(spent_to_date.get(village, 0)),
        )
        for village, spent in spent_rows
    ]
