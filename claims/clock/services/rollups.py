"""Keeping the clock's rollup: the step hook (acceptance, payment), the recount of reported claims,
and the rebuild from the claims table (a backfill, and what the bench uses).

Filing writes nothing here, so intake keeps its speed: reported claims are recounted by month from
the claims' numbers ("AJ-YYYYMMDD-…", handed out by business day) through the unique index filing
already keeps, and the count is set, not added, so a recount run twice or concurrently is right.
The paid figures are added in the transaction of the payment (`on_step`), so they commit or roll
back with it; a claim reopened and accepted again counts two acceptances.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from claims import domain as claim_domain
from claims.clock import domain
from claims.clock.models import HISTOGRAM, STAGE_SUMS, clock_rollup
from claims.domain import ClaimStatus, ClockState
from claims.models import Claim
from claims.visits.models import SiteVisit
from core.auth import Principal
from core.clock import add_months

Key = tuple[str, date, str, str]  # kind, month, village, value (the peril, or the adjuster or '')
PERIL, ADJUSTER = "peril", "adjuster"
NO_ADJUSTER = ""
_KEYS = ("kind", "month", "village_code", "value")
_DIALECTS: dict[str, Any] = {"postgresql": postgresql, "sqlite": sqlite}
CHUNK = 500


def keys(month: date, village_code: str, peril: str, adjuster: str) -> tuple[Key, Key]:
    """The two rows an event counts in: its peril's and its adjuster's."""
    return (PERIL, month, village_code, peril), (ADJUSTER, month, village_code, adjuster)


def paid_figures(
    reported_at: datetime, times: Mapping[str, datetime | None], target_hours: int
) -> dict[str, int]:
    """The rollup columns one paid claim adds: its count, cycle, stage seconds and histogram bucket."""
    paid_at = times["paid_at"]
    assert paid_at is not None
    cycle = domain.seconds_between(reported_at, paid_at)
    spent = domain.stage_seconds(reported_at, times)
    return {
        "paid": 1,
        "paid_within_target": int(cycle <= target_hours * domain.HOUR),
        "cycle_s": cycle,
        **{column: spent[stage] for column, (stage, _) in zip(STAGE_SUMS, domain.STAGES, strict=True)},
        HISTOGRAM[domain.cycle_bucket(cycle)]: 1,
    }


def _upsert(session: AsyncSession, rows: list[dict[str, Any]], *, replace: tuple[str, ...] = ()) -> Any:
    """INSERT … ON CONFLICT: the given counts are added to the row's, or set for `replace` columns."""
    dialect = _DIALECTS[session.get_bind().dialect.name]
    statement = dialect.insert(clock_rollup).values(rows)
    columns = {name for row in rows for name in row} - set(_KEYS)
    return statement.on_conflict_do_update(
        index_elements=list(_KEYS),
        set_={
            name: statement.excluded[name]
            if name in replace
            else clock_rollup.c[name] + statement.excluded[name]
            for name in columns
        },
    )


async def add(session: AsyncSession, totals: Mapping[Key, Mapping[str, int]]) -> None:
    """Add counts to the rollup, many keys at once; every row of one statement names the same columns."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for key, counts in totals.items():
        by_columns[tuple(sorted(counts))].append(dict(zip(_KEYS, key, strict=True)) | dict(counts))
    for rows in by_columns.values():
        for start in range(0, len(rows), CHUNK):
            await session.execute(_upsert(session, rows[start : start + CHUNK]))


async def adjuster_of(session: AsyncSession, claim_id: UUID) -> str:
    """The adjuster of the claim's live visit, as the rollup names them ('' if none)."""
    adjuster = await session.scalar(
        select(SiteVisit.adjuster_id)
        .where(SiteVisit.claim_id == claim_id, SiteVisit.status != "cancelled")
        .order_by(SiteVisit.created_at.desc())
        .limit(1)
    )
    return str(adjuster) if adjuster else NO_ADJUSTER


def _times(claim: Any) -> dict[str, datetime | None]:
    return {column: getattr(claim, column) for column in domain.STAGE_COLUMNS}


async def on_step(session: AsyncSession, principal: Principal, claim: Claim, after: ClaimStatus) -> None:
    """lifecycle.move's hook: the rollup and the clock's own columns follow the step just made."""
    if after is ClaimStatus.ACCEPTED and claim.accepted_at is not None:
        claim.accepted_by = principal.username
        month = domain.month_of(claim.accepted_at)
        rows = keys(month, claim.village_code, claim.peril, NO_ADJUSTER)
        await add(session, {key: {"accepted": 1} for key in rows})
    elif after is ClaimStatus.PAID and claim.paid_at is not None:
        figures = paid_figures(claim.reported_at, _times(claim), claim.clock_target_hours)
        if not figures["paid_within_target"]:
            claim.clock_state = ClockState.BREACHED.value  # the sweep may not have run since
        month = domain.month_of(claim.paid_at)
        rows = keys(month, claim.village_code, claim.peril, await adjuster_of(session, claim.id))
        await add(session, {key: figures for key in rows})


def number_range(month: date) -> tuple[str, str]:
    """The claim numbers handed out in a business month: [first, next month's first)."""
    return claim_domain.claim_number(month, 0), claim_domain.claim_number(add_months(month, 1), 0)


async def recount_reported(session: AsyncSession, months: Iterable[date]) -> None:
    """Set the reported counts of these months from the claims (by their numbers' index)."""
    for month in months:
        low, high = number_range(month)
        counts = await session.execute(
            select(Claim.village_code, Claim.peril, func.count())
            .where(Claim.number >= low, Claim.number < high)
            .group_by(Claim.village_code, Claim.peril)
        )
        totals: dict[Key, int] = defaultdict(int)
        for village_code, peril, count in counts:
            for key in keys(month, village_code, peril, NO_ADJUSTER):
                totals[key] += count
        rows = [dict(zip(_KEYS, key, strict=True)) | {"reported": count} for key, count in totals.items()]
        for start in range(0, len(rows), CHUNK):
            await session.execute(_upsert(session, rows[start : start + CHUNK], replace=("reported",)))


async def reported_months(session: AsyncSession) -> list[date]:
    """Every business month from the first claim's to the last's."""
    first, last = (
        await session.execute(select(func.min(Claim.reported_at), func.max(Claim.reported_at)))
    ).one()
    if first is None:
        return []
    months, month = [], domain.month_of(first)
    while month <= domain.month_of(last):
        months.append(month)
        month = add_months(month, 1)
    return months


async def rebuild(session: AsyncSession) -> None:
    """Recompute the whole rollup from the claims, with the same figures the hook adds and the
    sweep's recount of reported claims."""
    await session.execute(delete(clock_rollup))
    columns = [Claim.village_code, Claim.peril, Claim.reported_at, Claim.clock_target_hours]
    query = (
        select(*columns, *(getattr(Claim, c) for c in domain.STAGE_COLUMNS), SiteVisit.adjuster_id)
        # A claim has at most one live visit (uq_site_visits_live_claim), so the join adds no rows.
        .outerjoin(SiteVisit, (SiteVisit.claim_id == Claim.id) & (SiteVisit.status != "cancelled"))
        .where(Claim.accepted_at.is_not(None))
    )
    totals: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    result = await session.stream(query.execution_options(yield_per=10_000))
    async for row in result:
        times: dict[str, datetime | None] = {column: getattr(row, column) for column in domain.STAGE_COLUMNS}
        accepted_at = times["accepted_at"]
        assert accepted_at is not None
        for key in keys(domain.month_of(accepted_at), row.village_code, row.peril, NO_ADJUSTER):
            totals[key]["accepted"] += 1
        if (paid_at := times["paid_at"]) is not None:
            adjuster = str(row.adjuster_id) if row.adjuster_id else NO_ADJUSTER
            figures = paid_figures(row.reported_at, times, row.clock_target_hours)
            for key in keys(domain.month_of(paid_at), row.village_code, row.peril, adjuster):
                for name, value in figures.items():
                    totals[key][name] += value
    # The table is empty: plain inserts, many rows a statement, then the recount's upserts.
    names = ("accepted", "paid", "paid_within_target", "cycle_s", *STAGE_SUMS, *HISTOGRAM)
    rows = [
        dict(zip(_KEYS, key, strict=True)) | {n: counts.get(n, 0) for n in names}
        for key, counts in totals.items()
    ]
    for start in range(0, len(rows), CHUNK * 10):
        await session.execute(insert(clock_rollup), rows[start : start + CHUNK * 10])
    await recount_reported(session, await reported_months(session))
