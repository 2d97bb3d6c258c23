"""What covers a household on a day: one household (claim intake) or whole villages (catastrophes).

A household is covered by its own policies in force and by every blanket policy whose region
(its district) encloses the household's village, whenever the household registered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import groupby
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Principal
from policies import domain
from policies.domain import Cover, Funding, Peril
from policies.models import Household, Policy, Program, ProgramPeril
from policies.services.households import get_household, get_visible_household

# One row per (policy, peril): a program has a few perils. Ordered by policy so rows group.
_COVER_ROWS = (
    select(
        Policy.id,
        Policy.number,
        Policy.household_id,
        Policy.region_code,
        Policy.starts_on,
        Policy.ends_on,
        Policy.renewed_from_id,
        Program.id.label("program_id"),
        Program.code,
        Program.name,
        Program.funding,
        Program.per_claim_cap_fen,
        Program.combined_cap_fen,
        Program.clock_target_hours,
        Program.reporting_window_days,
        Program.deductible_fen,
        Program.advance_max_bps,
        ProgramPeril.peril,
        ProgramPeril.limit_fen,
    )
    .join(Program, Program.id == Policy.program_id)
    .outerjoin(ProgramPeril, ProgramPeril.program_id == Program.id)
    .where(
        Policy.status.in_([s.value for s in domain.COVERING_STATUSES]),
        Policy.starts_on <= bindparam("last"),
        Policy.ends_on > bindparam("first"),
    )
)

# Built once: intake runs this for every batch of claims.
_HOUSEHOLD_COVERS = _COVER_ROWS.where(
    or_(
        Policy.household_id.in_(bindparam("household_ids", expanding=True)),
        Policy.household_id.is_(None) & Policy.region_code.in_(bindparam("enclosing", expanding=True)),
    )
).order_by(Program.funding, Policy.starts_on, Policy.id)


def _grouped(rows: Iterable[Any]) -> list[tuple[Any, Cover]]:
    """Each policy's first row (for its household and region) with the cover its rows describe."""
    grouped = []
    for _policy_id, policy_rows in groupby(rows, key=lambda row: row.id):
        first, *rest = policy_rows
        grouped.append(
            (
                first,
                Cover(
                    policy_id=first.id,
                    policy_number=first.number,
                    program_id=first.program_id,
                    program_code=first.code,
                    program_name=first.name,
                    funding=Funding(first.funding),
                    perils={Peril(r.peril): r.limit_fen for r in (first, *rest) if r.peril is not None},
                    per_claim_cap_fen=first.per_claim_cap_fen,
                    combined_cap_fen=first.combined_cap_fen,
                    clock_target_hours=first.clock_target_hours,
                    reporting_window_days=first.reporting_window_days,
                    deductible_fen=first.deductible_fen,
                    advance_max_bps=first.advance_max_bps,
                    starts_on=first.starts_on,
                    ends_on=first.ends_on,
                    renewal=first.renewed_from_id is not None,
                ),
            )
        )
    return grouped


async def find_covering_policies(
    session: AsyncSession, *, household_id: UUID, on: date, principal: Principal | None = None
) -> list[Cover]:
    """The household's own policies in force on `on`, and every blanket policy over its village.

    principal: the caller over HTTP, who must see the household; None for a trusted caller (intake).
    """
    if principal is None:
        household = await get_household(session, household_id)
    else:
        household = await get_visible_household(session, principal, household_id)
    covers = await find_covers_for_households(
        session, {household.id: household.village_code}, first=on, last=on
    )
    return covers[household.id]


async def find_covers_for_households(
    session: AsyncSession, villages: Mapping[UUID, str], *, first: date, last: date
) -> dict[UUID, list[Cover]]:
    """For each household (id → village code), its covers in force on any day from `first` to `last`.

    Blanket policies come first. One query for a batch of claims whose loss dates differ; each
    claim then keeps the covers in force on its own day (`Cover.in_force`).
    """
    enclosing = {region for village in villages.values() for region in domain.enclosing_regions(village)}
    rows = await session.execute(
        _HOUSEHOLD_COVERS,
        {"household_ids": list(villages), "enclosing": sorted(enclosing), "first": first, "last": last},
    )
    found: dict[UUID, list[Cover]] = {household_id: [] for household_id in villages}
    for row, cover in _grouped(rows.all()):
        if row.household_id is not None:
            found[row.household_id].append(cover)
            continue
        for household_id, village in villages.items():
            if village.startswith(row.region_code):
                found[household_id].append(cover)
    return found


async def find_covers_in_villages(
    session: AsyncSession, *, village_codes: Sequence[str], peril: Peril, on: date
) -> dict[UUID, tuple[str, list[Cover]]]:
    """Every household in the villages that has cover for `peril` on `on`: its village and covers.

    The bulk form of find_covering_policies, in three queries whatever the number of households.
    """
    prefixes = {region for code in village_codes for region in domain.enclosing_regions(code)}
    blanket_rows = await session.execute(
        _COVER_ROWS.where(Policy.household_id.is_(None), Policy.region_code.in_(prefixes)).order_by(
            Policy.id
        ),
        {"first": on, "last": on},
    )
    blankets = [(row.region_code, cover) for row, cover in _grouped(blanket_rows) if peril in cover.perils]
    own_rows = await session.execute(
        _COVER_ROWS.join(Household, Household.id == Policy.household_id)
        .where(Household.village_code.in_(village_codes))
        .order_by(Policy.id),
        {"first": on, "last": on},
    )
    households = (
        await session.execute(
            select(Household.id, Household.village_code).where(Household.village_code.in_(village_codes))
        )
    ).all()
    found: dict[UUID, list[Cover]] = {
        household_id: [cover for region, cover in blankets if village.startswith(region)]
        for household_id, village in households
    }
    for row, cover in _grouped(own_rows):
        if peril in cover.perils:
            found[row.household_id].append(cover)
    return {
        household_id: (village, found[household_id])
        for household_id, village in households
        if found[household_id]
    }
