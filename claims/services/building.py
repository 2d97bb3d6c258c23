"""A new claim's row, built by one function whoever files it (the one page or a catastrophe), and
the claim numbers handed out for it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple
from uuid import UUID, uuid4

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from claims import domain
from claims.domain import ClaimStatus
from claims.models import ClaimNumberCounter
from core.clock import business_date
from core.clock import business_time as business_time  # intake and catastrophes read it from here
from policies.domain import Cover, Peril


class Claimant(NamedTuple):
    """Who the claim is filed for: named on the page, or the household's head in a catastrophe."""

    name: str
    resident_id: str
    phone: str


class Payee(NamedTuple):
    name: str | None = None
    bank_name: str | None = None
    account: str | None = None


class Suspicions(NamedTuple):
    """What earlier claims say about this one (see domain.review_flags)."""

    same_loss_exists: bool = False
    resident_id_elsewhere: bool = False
    bank_account_elsewhere: bool = False


def cover_snapshot(cover: Cover, peril: Peril) -> dict[str, Any]:
    return {
        "policy_id": str(cover.policy_id),
        "policy_number": cover.policy_number,
        "program_id": str(cover.program_id),
        "program_name": cover.program_name,
        "funding": cover.funding.value,
        "limit_fen": domain.cover_limit(cover, peril),
        "combined_cap_fen": cover.combined_cap_fen,
        "per_claim_cap_fen": cover.per_claim_cap_fen,
        "deductible_fen": cover.deductible_fen,
        "advance_max_bps": cover.advance_max_bps,
    }


def new_claim(
    *,
    status: ClaimStatus,
    household_id: UUID,
    village_code: str,
    peril: Peril,
    loss_at: datetime,
    loss_on: date,
    covers: Sequence[Cover],
    claimant: Claimant,
    description: str,
    filed_by: str,
    now: datetime,
    loss_place: str = "",
    number: str | None = None,
    catastrophe_id: UUID | None = None,
    estimated_loss_fen: int | None = None,
    payee: Payee = Payee(),
    police_report_no: str | None = None,
    fire_certificate_no: str | None = None,
    liaison_confirmed: bool = False,
    suspicions: Suspicions = Suspicions(),
) -> dict[str, Any]:
    """The columns of a new claim: its covers as they stand (blanket first), what they can pay, its
    flags and its clock. Raises EstimateOverCap. The one page makes a Claim of it; a catastrophe
    inserts thousands of these rows in one statement."""
    cap = domain.payable_cap(covers, peril)
    domain.check_estimate(estimated_loss_fen, cap)
    flags = domain.review_flags(
        covers=covers,
        reported_on=business_date(now),
        same_loss_exists=suspicions.same_loss_exists,
        resident_id_elsewhere=suspicions.resident_id_elsewhere,
        bank_account_elsewhere=suspicions.bank_account_elsewhere,
    )
    target = domain.clock_target_hours(covers)
    return {
        "id": uuid4(),
        "number": number,
        "status": status.value,
        "household_id": household_id,
        "village_code": village_code,
        "catastrophe_id": catastrophe_id,
        "peril": peril.value,
        "loss_at": loss_at,
        "loss_on": loss_on,
        "loss_place": loss_place,
        "description": description,
        "estimated_loss_fen": estimated_loss_fen,
        "claimant_name": claimant.name,
        "claimant_resident_id": claimant.resident_id,
        "claimant_phone": claimant.phone,
        "payee_name": payee.name,
        "payee_bank_name": payee.bank_name,
        "payee_account": payee.account,
        "police_report_no": police_report_no,
        "fire_certificate_no": fire_certificate_no,
        "liaison_confirmed": liaison_confirmed,
        "filed_by": filed_by,
        "covers": [cover_snapshot(cover, peril) for cover in covers],
        "payable_cap_fen": cap,
        "flags": [flag.value for flag in flags],
        "clock_target_hours": target,
        "reported_at": now,
        "expected_payment_by": domain.expected_payment_by(now, target),
        "created_at": now,
        "updated_at": now,
    }


def _number_upsert(dialect: Any) -> Any:
    table = ClaimNumberCounter.__table__
    return (
        dialect.insert(table)
        .values(day=bindparam("day"), last=bindparam("count"))
        .on_conflict_do_update(index_elements=["day"], set_={"last": table.c.last + bindparam("count")})
        .returning(table.c.last)
    )


_NUMBER_UPSERT = {"postgresql": _number_upsert(postgresql), "sqlite": _number_upsert(sqlite)}


async def allocate_numbers(session: AsyncSession, day: date, count: int) -> list[str]:
    """`count` fresh claim numbers for `day` in one statement; the row lock keeps them unique."""
    upsert = _NUMBER_UPSERT[session.get_bind().dialect.name]
    last = (await session.execute(upsert, {"day": day, "count": count})).scalar_one()
    return [domain.claim_number(day, n) for n in range(last - count + 1, last + 1)]
