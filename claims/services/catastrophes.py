"""Catastrophe events: declaring one files a claim for every covered household at once; liaisons
then confirm or clear each claim."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims import domain, schemas
from claims.domain import ClaimStatus
from claims.errors import CatastropheNotFound, InvalidCatastrophe
from claims.models import Catastrophe, Claim
from claims.services.building import Claimant, Suspicions, allocate_numbers, business_time, new_claim
from claims.services.lifecycle import move
from claims.services.views import get_visible, to_view
from core import audit, scope
from core.auth import Principal
from core.clock import business_date, utcnow
from core.errors import OutsideYourRegion
from core.views import from_row
from policies.domain import Funding, Peril
from policies.models import Household, Person, Region
from policies.services import cover as policy_cover


class CatastropheService(SQLAlchemyAsyncRepositoryService[Catastrophe]):
    class Repo(SQLAlchemyAsyncRepository[Catastrophe]):
        model_type = Catastrophe

    repository_type = Repo


async def _claimants(session: AsyncSession, household_ids: list[UUID]) -> dict[UUID, Claimant]:
    """The head of each household (or, lacking one, any member) files on its behalf, reachable on
    their own phone or else the household's."""
    chosen: dict[UUID, Claimant] = {}
    for chunk in range(0, len(household_ids), 900):  # stay under SQLite's bound-parameter limit
        rows = await session.execute(
            select(
                Person.household_id,
                Person.name,
                Person.resident_id,
                Person.phone,
                Household.phone.label("household_phone"),
            )
            .join(Household, Household.id == Person.household_id)
            .where(Person.household_id.in_(household_ids[chunk : chunk + 900]))
            .order_by(Person.household_id, Person.relation != "head")
        )
        for row in rows:
            if row.household_id not in chosen:
                chosen[row.household_id] = Claimant(
                    row.name, row.resident_id, row.phone or row.household_phone
                )
    return chosen


async def _already_claimed(
    session: AsyncSession, village_codes: list[str], peril: Peril, on: date
) -> set[UUID]:
    rows = await session.scalars(
        select(Claim.household_id).where(
            Claim.village_code.in_(village_codes), Claim.peril == peril.value, Claim.loss_on == on
        )
    )
    return set(rows)


async def _check_villages(session: AsyncSession, principal: Principal, codes: list[str]) -> None:
    outside = [code for code in codes if not scope.covers(principal, code)]
    if outside:
        raise OutsideYourRegion(village_codes=outside)
    known = set(
        await session.scalars(select(Region.code).where(Region.code.in_(codes), Region.level == "village"))
    )
    unknown = sorted(set(codes) - known)
    if unknown:
        raise InvalidCatastrophe("unknown village codes", village_codes=unknown)


async def declare(
    session: AsyncSession,
    principal: Principal,
    data: schemas.CatastropheCreate,
    *,
    now: datetime | None = None,
) -> schemas.Catastrophe:
    now = now or utcnow()
    starts_at, ends_at = business_time(data.starts_at), business_time(data.ends_at)
    loss_on = domain.check_event_window(starts_at, ends_at, now=now)
    villages = sorted(set(data.village_codes))
    await _check_villages(session, principal, villages)

    event = Catastrophe(
        id=uuid4(),
        name=data.name,
        peril=data.peril.value,
        starts_at=starts_at,
        ends_at=ends_at,
        village_codes=villages,
        region_code=villages[0][:6],
        declared_by=principal.username,
    )
    session.add(event)
    await audit.record(
        session,
        actor=principal.username,
        action="catastrophe.declared",
        subject_type="catastrophe",
        subject_id=event.id,
        region_code=event.region_code,
        after={"name": data.name, "peril": data.peril.value, "villages": villages},
    )
    covered = await policy_cover.find_covers_in_villages(
        session, village_codes=villages, peril=data.peril, on=loss_on
    )
    claimants = await _claimants(session, list(covered))
    claimed = await _already_claimed(session, villages, data.peril, loss_on)
    households = [h for h in covered if h in claimants]
    numbers = await allocate_numbers(session, business_date(now), len(households)) if households else []
    # Thousands of claims from one event: built as rows and inserted in one statement, not as ORM
    # objects (bench/catastrophe.py: 4,000 claims well under its 3 s bound).
    rows = []
    for household_id, number in zip(households, numbers, strict=True):
        village, covers = covered[household_id]
        rows.append(
            new_claim(
                status=ClaimStatus.AWAITING_CONFIRMATION,
                number=number,
                household_id=household_id,
                village_code=village,
                catastrophe_id=event.id,
                peril=data.peril,
                loss_at=starts_at,
                loss_on=loss_on,
                description=data.name,
                covers=sorted(covers, key=lambda c: c.funding is not Funding.DISTRICT),
                claimant=claimants[household_id],
                suspicions=Suspicions(same_loss_exists=household_id in claimed),
                filed_by=principal.username,
                now=now,
            )
        )
    await session.flush()
    if rows:
        await session.execute(insert(Claim), rows)
    await audit.record_many(
        session,
        [
            audit.Event(
                actor=principal.username,
                action="claim.awaiting_confirmation",
                subject_type="claim",
                subject_id=row["id"],
                region_code=row["village_code"],
                after={"number": row["number"], "catastrophe_id": str(event.id), "flags": row["flags"]},
            )
            for row in rows
        ],
    )
    return await view(session, principal, event.id)


async def get_visible_event(session: AsyncSession, principal: Principal, catastrophe_id: UUID) -> Catastrophe:
    event = await CatastropheService(session=session).get_one_or_none(Catastrophe.id == catastrophe_id)
    if event is None or not any(scope.covers(principal, code) for code in event.village_codes):
        raise CatastropheNotFound()
    return event


async def view(session: AsyncSession, principal: Principal, catastrophe_id: UUID) -> schemas.Catastrophe:
    """The event with its claims counted by village and stage, within the caller's regions."""
    event = await get_visible_event(session, principal, catastrophe_id)
    rows = await session.execute(
        select(Claim.village_code, Claim.status, func.count())
        .where(Claim.catastrophe_id == event.id, scope.region_clause(principal, Claim.village_code))
        .group_by(Claim.village_code, Claim.status)
    )
    villages: dict[str, dict[str, int]] = {
        code: {} for code in event.village_codes if scope.covers(principal, code)
    }
    by_status: dict[str, int] = defaultdict(int)
    for village, status, count in rows:
        villages.setdefault(village, {})[status] = count
        by_status[status] += count
    return from_row(
        event,
        schemas.Catastrophe,
        declared_at=event.created_at,
        claims=sum(by_status.values()),
        by_status=dict(by_status),
        villages=[
            schemas.VillageCounts(village_code=code, by_status=counts, total=sum(counts.values()))
            for code, counts in sorted(villages.items())
        ],
    )


async def list_events(session: AsyncSession, principal: Principal) -> list[schemas.Catastrophe]:
    """Events touching any of the caller's villages, newest first (events are few: filter here)."""
    events = (await session.execute(select(Catastrophe.id, Catastrophe.village_codes))).all()
    visible = [event_id for event_id, codes in events if any(scope.covers(principal, code) for code in codes)]
    return sorted(
        [await view(session, principal, event_id) for event_id in visible],
        key=lambda event: event.starts_at,
        reverse=True,
    )


async def _catastrophe_claim(
    session: AsyncSession, principal: Principal, catastrophe_id: UUID, claim_id: UUID
) -> Claim:
    claim = await get_visible(session, principal, claim_id, for_update=True)
    if claim.catastrophe_id != catastrophe_id:
        raise CatastropheNotFound("the claim does not belong to this catastrophe")
    return claim


async def confirm(
    session: AsyncSession,
    principal: Principal,
    catastrophe_id: UUID,
    claim_id: UUID,
    data: schemas.Confirmation,
) -> schemas.Claim:
    """The liaison saw the loss: the claim goes on like any other, with the resident's estimate."""
    claim = await _catastrophe_claim(session, principal, catastrophe_id, claim_id)
    domain.check_estimate(data.estimated_loss_fen, claim.payable_cap_fen)
    changes: dict[str, Any] = {"estimated_loss_fen": data.estimated_loss_fen, "liaison_confirmed": True}
    for field in ("payee_name", "payee_bank_name", "payee_account"):
        if getattr(data, field) is not None:
            changes[field] = getattr(data, field)
    await move(session, principal, claim, "confirm", changes=changes)
    return to_view(claim)


async def clear(
    session: AsyncSession, principal: Principal, catastrophe_id: UUID, claim_id: UUID, reason: str | None
) -> schemas.Claim:
    """The liaison found no loss at this household: the claim ends here."""
    claim = await _catastrophe_claim(session, principal, catastrophe_id, claim_id)
    await move(session, principal, claim, "clear", reason=reason)
    return to_view(claim)
