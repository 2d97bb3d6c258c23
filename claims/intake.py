"""Filing a claim from the one page: who may file, which policies cover it, flags, number, audit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple
from uuid import UUID, uuid4

from sqlalchemy import and_, bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from claims import domain, schemas
from claims.domain import ClaimStatus
from claims.errors import ClaimantNotMember, NotYourHousehold, OutsideYourRegion
from claims.models import Catastrophe, Claim
from claims.services import allocate_numbers, to_view
from core import audit
from core.auth import Principal, Role
from core.clock import BUSINESS_TZ, as_utc, business_date, utcnow
from core.database import reading
from policies import cover as policy_cover
from policies.domain import Cover, Peril, normalize_phone
from policies.errors import HouseholdNotFound
from policies.models import Household, Person


def cover_snapshot(cover: Cover, peril: Peril) -> dict[str, Any]:
    return {
        "policy_id": str(cover.policy_id),
        "policy_number": cover.policy_number,
        "program_id": str(cover.program_id),
        "program_name": cover.program_name,
        "funding": cover.funding.value,
        "limit_fen": domain.cover_limit(cover, peril),
        "combined_cap_fen": cover.combined_cap_fen,
    }


def business_time(moment: datetime) -> datetime:
    """A time typed on the page carries no zone: it is Beijing time."""
    return as_utc(moment.replace(tzinfo=BUSINESS_TZ) if moment.tzinfo is None else moment)


_OTHER_HOUSEHOLD = Claim.household_id != bindparam("household_id")
# Built once, as intake runs it for every claim: the household; the claimant if a member; whether
# this loss was already claimed; whether the claimant or the account turn up on another household's
# claims; and whether any catastrophe of this peril spans the loss time.
_FILING_CONTEXT = (
    select(
        Household,
        Person,
        exists().where(
            Claim.household_id == bindparam("household_id"),
            Claim.peril == bindparam("peril"),
            Claim.loss_on == bindparam("loss_on"),
        ),
        exists().where(_OTHER_HOUSEHOLD, Claim.claimant_resident_id == bindparam("resident_id")),
        exists().where(_OTHER_HOUSEHOLD, Claim.payee_account == bindparam("account")),
        exists().where(
            Catastrophe.peril == bindparam("peril"),
            Catastrophe.starts_at <= bindparam("loss_at"),
            Catastrophe.ends_at >= bindparam("loss_at"),
        ),
    )
    .outerjoin(
        Person, and_(Person.household_id == Household.id, Person.resident_id == bindparam("resident_id"))
    )
    .where(Household.id == bindparam("household_id"))
    .options(raiseload(Household.people))
)


class Suspicions(NamedTuple):
    same_loss: bool
    resident_elsewhere: bool
    account_elsewhere: bool
    any_catastrophe: bool


async def _filing_context(
    session: AsyncSession, data: schemas.ClaimCreate, *, resident_id: str, loss_at: datetime, loss_on: date
) -> tuple[Household, Person | None, Suspicions]:
    """Who files and what looks suspicious, in one round trip (intake is latency-bound).

    The household stays in the session's identity map, so find_covering_policies finds it there.
    """
    row = (
        await session.execute(
            _FILING_CONTEXT,
            {
                "household_id": data.household_id,
                "resident_id": resident_id,
                "peril": data.peril.value,
                "loss_on": loss_on,
                "loss_at": loss_at,
                "account": data.payee_account,
            },
        )
    ).first()
    if row is None:
        raise HouseholdNotFound()
    household, claimant, *flags = row
    return household, claimant, Suspicions(*(bool(flag) for flag in flags))


async def _catastrophe_for(
    session: AsyncSession, *, village_code: str, peril: Peril, loss_at: datetime
) -> UUID | None:
    rows = await session.execute(
        select(Catastrophe.id, Catastrophe.village_codes).where(
            Catastrophe.peril == peril.value, Catastrophe.starts_at <= loss_at, Catastrophe.ends_at >= loss_at
        )
    )
    return next((row.id for row in rows if village_code in row.village_codes), None)


async def report_claim(
    session: AsyncSession, principal: Principal, data: schemas.ClaimCreate, *, now: datetime | None = None
) -> schemas.Claim:
    """File one claim. Every refusal is raised before anything is written."""
    now = now or utcnow()
    if principal.role is Role.RESIDENT and principal.household_id != data.household_id:
        raise NotYourHousehold()
    resident_id = data.claimant_resident_id.strip().upper()
    loss_at = business_time(data.loss_at)
    loss_on = domain.check_loss_time(loss_at, now=now)
    # Everything up to the claim number is checked before the write transaction (see `reading`).
    async with reading(session):
        household, claimant, suspicions = await _filing_context(
            session, data, resident_id=resident_id, loss_at=loss_at, loss_on=loss_on
        )
        if principal.role is not Role.RESIDENT and not principal.covers(household.village_code):
            raise OutsideYourRegion()
        if claimant is None:
            raise ClaimantNotMember(field="claimant_resident_id")
        phone = normalize_phone(data.claimant_phone)

        reported_on = business_date(now)
        on_day = await policy_cover.find_covering_policies(session, household_id=household.id, on=loss_on)
        covers = domain.covers_for(on_day, data.peril, loss_on=loss_on, reported_on=reported_on)
        catastrophe_id = (
            await _catastrophe_for(
                session, village_code=household.village_code, peril=data.peril, loss_at=loss_at
            )
            if suspicions.any_catastrophe
            else None
        )
    domain.check_evidence(
        data.peril,
        police_report_no=data.police_report_no,
        fire_certificate_no=data.fire_certificate_no,
        liaison_confirmed=principal.role is Role.LIAISON,
        in_catastrophe=catastrophe_id is not None,
    )
    cap = domain.payable_cap(covers, data.peril)
    domain.check_estimate(data.estimated_loss_fen, cap)
    flags = domain.review_flags(
        covers=covers,
        reported_on=reported_on,
        same_loss_exists=suspicions.same_loss,
        resident_id_elsewhere=suspicions.resident_elsewhere,
        bank_account_elsewhere=suspicions.account_elsewhere,
    )
    target = domain.clock_target_hours(covers)
    (number,) = await allocate_numbers(session, reported_on, 1)
    claim = Claim(
        id=uuid4(),
        number=number,
        status=ClaimStatus.REPORTED.value,
        household_id=household.id,
        village_code=household.village_code,
        catastrophe_id=catastrophe_id,
        peril=data.peril.value,
        loss_at=loss_at,
        loss_on=loss_on,
        loss_place=data.loss_place,
        description=data.description,
        estimated_loss_fen=data.estimated_loss_fen,
        claimant_name=claimant.name,
        claimant_resident_id=resident_id,
        claimant_phone=phone,
        payee_name=data.payee_name,
        payee_bank_name=data.payee_bank_name,
        payee_account=data.payee_account,
        police_report_no=data.police_report_no,
        fire_certificate_no=data.fire_certificate_no,
        liaison_confirmed=principal.role is Role.LIAISON,
        filed_by=principal.username,
        covers=[cover_snapshot(cover, data.peril) for cover in covers],
        payable_cap_fen=cap,
        flags=[flag.value for flag in flags],
        clock_target_hours=target,
        reported_at=now,
        expected_payment_by=domain.expected_payment_by(now, target),
        created_at=now,
        updated_at=now,
    )
    session.add(claim)
    await audit.record(
        session,
        actor=principal.username,
        action="claim.reported",
        subject_type="claim",
        subject_id=claim.id,
        region_code=claim.village_code,
        after={"number": number, "status": claim.status, "peril": claim.peril, "flags": claim.flags},
    )
    return to_view(claim, now=now)
