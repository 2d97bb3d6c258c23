"""Filing claims from the one page: who may file, which policies cover them, flags, numbers, audit.

Claims are checked and recorded in batches (claims/services/filing.py gathers the requests that
arrive together): a batch's checks read in three queries, and its writes take one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple
from uuid import UUID

from sqlalchemy import bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims import domain, schemas
from claims.domain import ClaimStatus
from claims.errors import ClaimantNotMember, NotYourHousehold
from claims.models import Catastrophe, Claim
from claims.services.building import Claimant, Payee, Suspicions, allocate_numbers, business_time, new_claim
from core import audit, scope
from core.auth import Principal, Role
from core.clock import business_date
from core.errors import DomainError
from policies.domain import Cover, normalize_phone
from policies.errors import HouseholdNotFound
from policies.models import Household, Person
from policies.services import cover as policy_cover

# The batch's reads are written by hand rather than through ClaimService: three statements per batch
# whatever its size is what keeps intake's throughput and p99 where bench/intake.py wants them.
_CATASTROPHES = select(
    Catastrophe.id, Catastrophe.peril, Catastrophe.starts_at, Catastrophe.ends_at, Catastrophe.village_codes
).where(Catastrophe.starts_at <= bindparam("latest"), Catastrophe.ends_at >= bindparam("earliest"))
# The households and their members, and whether any catastrophe spans the batch's loss times
# (there mostly is none, and then the catastrophes need no query of their own).
_HOUSEHOLDS = (
    select(
        Household.id,
        Household.village_code,
        Person.resident_id,
        Person.name,
        _CATASTROPHES.exists().label("any_catastrophe"),
    )
    .outerjoin(Person, Person.household_id == Household.id)
    .where(Household.id.in_(bindparam("household_ids", expanding=True)))
)
# Earlier claims that may make one of these look suspicious: the same household's (same loss?),
# and any naming the same claimant or account (from another household?).
_EARLIER_CLAIMS = (
    select(Claim.household_id, Claim.peril, Claim.loss_on, Claim.claimant_resident_id, Claim.payee_account)
    .where(
        or_(
            Claim.household_id.in_(bindparam("household_ids", expanding=True)),
            Claim.claimant_resident_id.in_(bindparam("resident_ids", expanding=True)),
            Claim.payee_account.in_(bindparam("accounts", expanding=True)),
        )
    )
    .distinct()
)


class Filing(NamedTuple):
    """One page as filed: by whom, and what it says."""

    principal: Principal
    data: schemas.ClaimCreate


class _Loss(NamedTuple):
    """A filing that passed the checks needing no database, with its times read."""

    filing: Filing
    resident_id: str
    loss_at: datetime
    loss_on: date


class _Household(NamedTuple):
    village_code: str
    members: dict[str, str]  # resident ID -> name


class _Surroundings(NamedTuple):
    """What the batch's reads found: households, earlier claims, catastrophes, covers."""

    households: dict[UUID, _Household]
    earlier: list[Any]  # rows, and the batch's own claims as it goes
    catastrophes: Sequence[Any]
    covers: dict[UUID, list[Cover]]

    def suspicions(self, loss: _Loss, household_id: UUID) -> Suspicions:
        """Same loss already claimed; claimant or account on another household's claims."""
        data = loss.filing.data
        same_loss = resident_elsewhere = account_elsewhere = False
        for row in self.earlier:
            if row.household_id == household_id:
                same_loss |= row.peril == data.peril.value and row.loss_on == loss.loss_on
            else:
                resident_elsewhere |= row.claimant_resident_id == loss.resident_id
                account_elsewhere |= row.payee_account == data.payee_account
        return Suspicions(same_loss, resident_elsewhere, account_elsewhere)

    def catastrophe_for(self, loss: _Loss, village_code: str) -> UUID | None:
        return next(
            (
                event.id
                for event in self.catastrophes
                if event.peril == loss.filing.data.peril.value
                and event.starts_at <= loss.loss_at <= event.ends_at
                and village_code in event.village_codes
            ),
            None,
        )


async def _surroundings(session: AsyncSession, losses: list[_Loss]) -> _Surroundings:
    """Everything the batch's checks read, in three queries whatever its size (four while a
    catastrophe is declared around its loss times)."""
    household_ids = sorted({loss.filing.data.household_id for loss in losses})
    window = {
        "earliest": min(loss.loss_at for loss in losses),
        "latest": max(loss.loss_at for loss in losses),
    }
    households: dict[UUID, _Household] = {}
    any_catastrophe = False
    for row in await session.execute(_HOUSEHOLDS, {"household_ids": household_ids, **window}):
        household = households.setdefault(row.id, _Household(row.village_code, {}))
        if row.resident_id is not None:
            household.members[row.resident_id] = row.name
        any_catastrophe = any_catastrophe or bool(row.any_catastrophe)
    earlier = await session.execute(
        _EARLIER_CLAIMS,
        {
            "household_ids": household_ids,
            "resident_ids": sorted({loss.resident_id for loss in losses}),
            "accounts": sorted({loss.filing.data.payee_account for loss in losses}),
        },
    )
    catastrophes = (await session.execute(_CATASTROPHES, window)).all() if any_catastrophe else []
    covers = await policy_cover.find_covers_for_households(
        session,
        {household_id: household.village_code for household_id, household in households.items()},
        first=min(loss.loss_on for loss in losses),
        last=max(loss.loss_on for loss in losses),
    )
    return _Surroundings(households, list(earlier), catastrophes, covers)


def _read_loss(filing: Filing, *, now: datetime) -> _Loss:
    principal, data = filing
    if principal.role is Role.RESIDENT and principal.household_id != data.household_id:
        raise NotYourHousehold()
    loss_at = business_time(data.loss_at)
    return _Loss(
        filing, data.claimant_resident_id.strip().upper(), loss_at, domain.check_loss_time(loss_at, now=now)
    )


def _claim_for(loss: _Loss, found: _Surroundings, *, now: datetime) -> Claim:
    """The claim this filing becomes, numbered later; or the refusal, raised before any write."""
    (principal, data), resident_id = loss.filing, loss.resident_id
    household = found.households.get(data.household_id)
    # Another's household is answered as an unknown one, so household ids cannot be probed.
    if household is None or not scope.may_see_household(principal, data.household_id, household.village_code):
        raise HouseholdNotFound()
    claimant_name = household.members.get(resident_id)
    if claimant_name is None:
        raise ClaimantNotMember(field="claimant_resident_id")
    phone = normalize_phone(data.claimant_phone)
    on_day = [c for c in found.covers[data.household_id] if c.in_force(loss.loss_on)]
    covers = domain.covers_for(on_day, data.peril, loss_on=loss.loss_on, reported_on=business_date(now))
    catastrophe_id = found.catastrophe_for(loss, household.village_code)
    liaison = principal.role is Role.LIAISON
    domain.check_evidence(
        data.peril,
        police_report_no=data.police_report_no,
        fire_certificate_no=data.fire_certificate_no,
        liaison_confirmed=liaison,
        in_catastrophe=catastrophe_id is not None,
    )
    row = new_claim(
        status=ClaimStatus.REPORTED,
        household_id=data.household_id,
        village_code=household.village_code,
        catastrophe_id=catastrophe_id,
        peril=data.peril,
        loss_at=loss.loss_at,
        loss_on=loss.loss_on,
        loss_place=data.loss_place,
        description=data.description,
        estimated_loss_fen=data.estimated_loss_fen,
        covers=covers,
        claimant=Claimant(claimant_name, resident_id, phone),
        payee=Payee(data.payee_name, data.payee_bank_name, data.payee_account),
        police_report_no=data.police_report_no,
        fire_certificate_no=data.fire_certificate_no,
        liaison_confirmed=liaison,
        suspicions=found.suspicions(loss, data.household_id),
        filed_by=principal.username,
        now=now,
    )
    return Claim(**row)


async def check_claims(
    session: AsyncSession, filings: Sequence[Filing], *, now: datetime
) -> list[Claim | DomainError]:
    """Each filing's claim, not yet numbered nor added, or the error that refuses it. Reads only,
    so a caller on SQLite runs it in `reading`, outside the write lock."""
    outcomes: dict[int, Claim | DomainError] = {}
    losses: dict[int, _Loss] = {}
    for index, filing in enumerate(filings):
        try:
            losses[index] = _read_loss(filing, now=now)
        except DomainError as error:
            outcomes[index] = error
    if losses:
        found = await _surroundings(session, list(losses.values()))
        for index, loss in losses.items():
            try:
                claim = _claim_for(loss, found, now=now)
            except DomainError as error:
                outcomes[index] = error
                continue
            outcomes[index] = claim
            found.earlier.append(claim)  # two filings of one loss in a batch: the second is flagged
    return [outcomes[index] for index in range(len(filings))]


async def record_claims(session: AsyncSession, claims: Sequence[Claim], *, now: datetime) -> None:
    """Number the checked claims, add them and audit them, in the caller's write transaction."""
    numbers = await allocate_numbers(session, business_date(now), len(claims))
    for claim, number in zip(claims, numbers, strict=True):
        claim.number = number
    session.add_all(claims)
    await audit.record_many(
        session,
        [
            audit.Event(
                actor=claim.filed_by,
                action="claim.reported",
                subject_type="claim",
                subject_id=claim.id,
                region_code=claim.village_code,
                after={
                    "number": claim.number,
                    "status": claim.status,
                    "peril": claim.peril,
                    "flags": claim.flags,
                },
            )
            for claim in claims
        ],
    )
