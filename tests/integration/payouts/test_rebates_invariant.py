"""The ledger invariant over random data in a real database (SQLite): whatever premiums arrive, whenever,
and whatever is approved, paid or reversed, a period's accruals add up to the agreement applied to the
premiums received, and no stage ever holds more than the stage before it."""

from __future__ import annotations

import asyncio
import itertools
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.database import make_engine, make_sessionmaker, session_scope
from core.errors import Conflict
from payouts.rebates import domain
from payouts.rebates.domain import EntryKind, PeriodBasis, PeriodKind, Share
from payouts.rebates.models import RebateEntry
from payouts.rebates.schemas import RebateAgreementCreate, StageMovement
from payouts.rebates.services import accruals, agreements, ledger
from policies.domain import Funding
from tests import factories
from tests.integration.payouts.worlds import DISTRICT, FINANCE, pay

Q1 = date(2025, 1, 1)
_examples = itertools.count()
Step = tuple[Any, ...]

shares = st.one_of(
    st.builds(Share, bps=st.integers(0, 10_000)),
    st.builds(Share, per_household_fen=st.integers(0, 50_000)),
)
payments = st.lists(st.tuples(st.integers(0, 5), st.integers(1, 5_000_000), st.integers(-3, 92)), max_size=8)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("late_premiums"), payments),
        st.tuples(st.sampled_from(["approve", "disburse"]), st.integers(0, 5), st.integers(1, 500_000)),
        st.tuples(st.just("reverse"), st.integers(0, 50)),
    ),
    max_size=6,
)


@dataclass
class Book:
    """What the test itself knows was paid in Q1, to check the service against."""

    policies: dict[str, UUID]
    premiums: dict[str, int] = field(default_factory=dict)


@pytest.fixture(scope="module")
def invariant_database(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("invariant") / "anju.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


async def _pay_all(
    session: AsyncSession, book: Book, villages: list[str], batch: list[tuple[int, int, int]]
) -> None:
    for index, amount, day in batch:
        village = villages[index]
        if village not in book.policies:
            continue
        paid_at = datetime(2025, 1, 1, 4, tzinfo=UTC) + timedelta(days=day)
        await pay(session, book.policies[village], village, amount, paid_at)
        if Q1 <= paid_at.date() < date(2025, 4, 1):  # 04:00 UTC is noon in Shanghai: same day
            book.premiums[village] = book.premiums.get(village, 0) + amount


async def _scenario(
    url: str, share: Share, homes: list[int], first: list[tuple[int, int, int]], plan: list[Step]
) -> None:
    engine = make_engine(url)
    maker = make_sessionmaker(engine)
    try:
        async with session_scope(maker) as session:
            villages = await factories.region_tree(session, DISTRICT)
            program = await factories.program(
                session,
                funding=Funding.HOUSEHOLD,
                region_code=DISTRICT,
                starts_on=Q1,
                code=f"INV-{next(_examples)}",
            )
            book = Book(policies={})
            for index in sorted(set(homes)):
                home = await factories.household(session, villages[index], members=1)
                book.policies[villages[index]] = (
                    await factories.active_policy(session, home, program, Q1)
                ).id
            await _pay_all(session, book, villages, first)
            agreement = await agreements.create_agreement(
                session,
                principal=FINANCE,
                data=RebateAgreementCreate(
                    program_id=program.id,
                    period_kind=PeriodKind.QUARTER,
                    starts_on=Q1,
                    ends_on=date(2025, 4, 1),
                    share_bps=share.bps,
                    per_household_fen=share.per_household_fen,
                ),
            )
            period = await accruals.accrue_period(session, agreement.id, Q1)
        await _check(maker, period.id, share, book)
        for step in plan:
            try:
                async with session_scope(maker) as session:
                    await _apply(session, step, book, villages, agreement.id, period.id)
            except Conflict:
                pass  # a refused movement must leave the books as they were: checked next
            await _check(maker, period.id, share, book)
    finally:
        await engine.dispose()


async def _apply(
    session: AsyncSession, step: Step, book: Book, villages: list[str], agreement_id: UUID, period_id: UUID
) -> None:
    if step[0] == "late_premiums":
        await _pay_all(session, book, villages, step[1])
        await accruals.accrue_period(session, agreement_id, Q1)
    elif step[0] == "reverse":
        entries = (await session.scalars(select(RebateEntry.id).order_by(RebateEntry.created_at))).all()
        if entries:
            target = entries[step[1] % len(entries)]
            await ledger.reverse_entry(session, principal=FINANCE, entry_id=target, reason="更正")
    else:
        kind = EntryKind.APPROVAL if step[0] == "approve" else EntryKind.DISBURSEMENT
        movement = StageMovement(
            period_id=period_id, village_code=villages[step[1]], amount_fen=step[2], reason="x"
        )
        await ledger.move_stage(session, principal=FINANCE, kind=kind, data=movement)


async def _check(maker: async_sessionmaker[AsyncSession], period_id: UUID, share: Share, book: Book) -> None:
    async with session_scope(maker) as session:
        basis = PeriodBasis(
            district_funded=False,
            premiums_fen=sum(book.premiums.values()),
            premiums_by_village=book.premiums,
            households_by_village=dict.fromkeys(book.policies, 1),
        )
        accrued = await session.scalar(
            select(func.coalesce(func.sum(RebateEntry.amount_fen), 0)).where(
                RebateEntry.period_id == period_id, RebateEntry.kind == EntryKind.ACCRUAL.value
            )
        )
        assert accrued == domain.rebate_due(share, basis)
        for village in book.policies:
            held = await ledger.stages(session, period_id, village)
            assert 0 <= held.disbursed_fen <= held.approved_fen <= held.accrued_fen


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(share=shares, homes=st.lists(st.integers(0, 5), min_size=1, max_size=6), first=payments, plan=steps)
def test_accruals_always_equal_the_agreement_applied_to_premiums_received(
    invariant_database: str,
    share: Share,
    homes: list[int],
    first: list[tuple[int, int, int]],
    plan: list[Step],
) -> None:
    asyncio.run(_scenario(invariant_database, share, homes, first, plan))
