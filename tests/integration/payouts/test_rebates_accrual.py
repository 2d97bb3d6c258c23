"""The accrual actor in a real Dramatiq worker: scheduled, on demand, twice, and after late premiums."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import dramatiq
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent
from core.auth import Role
from core.settings import Settings
from payouts.rebates import domain
from payouts.rebates.domain import EntryKind, PeriodKind, Share
from payouts.rebates.models import RebateEntry, RebatePeriod
from payouts.rebates.schemas import RebateAgreementCreate
from payouts.rebates.services import accruals, agreements
from payouts.rebates.tasks import accrue_rebates
from policies.domain import Funding
from policies.models import PremiumPayment
from tests import factories
from tests.conftest import drain, login, make_user, run_in_db
from tests.integration.payouts.worlds import DISTRICT, FINANCE, agreement_body, build_scene, count, pay

FEB = datetime(2025, 2, 10, 2, tzinfo=UTC)


async def accrual_sums(settings: Settings) -> dict[date, int]:
    async def read(session: AsyncSession) -> dict[date, int]:
        rows = await session.execute(
            select(RebatePeriod.starts_on, func.sum(RebateEntry.amount_fen))
            .join(RebatePeriod, RebatePeriod.id == RebateEntry.period_id)
            .where(RebateEntry.kind == EntryKind.ACCRUAL.value)
            .group_by(RebatePeriod.starts_on)
        )
        return {starts_on: int(total) for starts_on, total in rows.all()}

    return dict(await run_in_db(settings, read))


async def test_scheduled_run_accrues_every_closed_period_once(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    scene = await build_scene(settings, {0: 20_000, 1: 30_000})

    async def more_premiums(session: AsyncSession) -> None:
        await pay(
            session,
            scene.policies[scene.villages[0]],
            scene.villages[0],
            5_000,
            datetime(2025, 8, 1, tzinfo=UTC),
        )
        # 23:30 on 31 March in Shanghai is still Q1 in the business calendar, though 15:30 UTC.
        await pay(
            session,
            scene.policies[scene.villages[1]],
            scene.villages[1],
            1_000,
            datetime(2025, 3, 31, 15, 30, tzinfo=UTC),
        )

    await run_in_db(settings, more_premiums)
    finance = await login(client, "finance")
    created = await client.post("/rebates/agreements", json=agreement_body(scene), headers=finance)
    assert created.status_code == 201

    worker.broker.get_actor(accrue_rebates.actor_name).send()
    await drain(worker)
    expected = {date(2025, 1, 1): 5_100, date(2025, 7, 1): 500}
    assert await accrual_sums(settings) == expected
    periods = (
        await client.get(f"/rebates/agreements/{created.json()['id']}/periods", headers=finance)
    ).json()
    assert [p["period_id"] is not None for p in periods] == [True, True, True, True]
    assert [p["rebate_due_fen"] for p in periods] == [5_100, 0, 500, 0]
    entries, events = await count(settings, RebateEntry), await count(settings, AuditEvent)

    worker.broker.get_actor(accrue_rebates.actor_name).send()
    await drain(worker)
    assert await accrual_sums(settings) == expected
    assert (await count(settings, RebateEntry), await count(settings, AuditEvent)) == (entries, events)


async def test_late_premiums_are_trued_up_by_reversal_and_a_new_accrual(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    scene = await build_scene(settings, {0: 20_000, 1: 30_000})
    finance = await login(client, "finance")
    agreement_id = (
        await client.post("/rebates/agreements", json=agreement_body(scene), headers=finance)
    ).json()["id"]
    request = {"period_start": "2025-01-01", "reason": "一季度"}
    await client.post(f"/rebates/agreements/{agreement_id}/accruals", json=request, headers=finance)
    await drain(worker)
    first = (await client.get("/rebates/entries", headers=finance)).json()
    old = next(e for e in first if e["village_code"] == scene.villages[0])

    village = scene.villages[0]
    await run_in_db(settings, lambda s: pay(s, scene.policies[village], village, 10_000, FEB))
    request = {"period_start": "2025-01-01", "reason": "补录保费"}
    await client.post(f"/rebates/agreements/{agreement_id}/accruals", json=request, headers=finance)
    await drain(worker)
    entries = (await client.get("/rebates/entries", params={"village_code": village}, headers=finance)).json()
    assert [(e["amount_fen"], e["reverses_id"]) for e in entries] == [
        (2_000, None),
        (-2_000, old["id"]),
        (3_000, None),
    ]
    assert await accrual_sums(settings) == {date(2025, 1, 1): 6_000}
    actions = await run_in_db(
        settings,
        lambda s: s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("rebate%"))),
    )
    assert {"rebate_period.recomputed", "rebate.accrual_reversed", "rebate_period.accrual_requested"} <= set(
        actions
    )


async def test_district_lump_sum_is_split_by_households_registered_by_period_end(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    async def arrange(session: AsyncSession) -> UUID:
        villages = await factories.region_tree(session, DISTRICT)
        program = await factories.program(
            session,
            funding=Funding.DISTRICT,
            region_code=DISTRICT,
            starts_on=date(2025, 1, 1),
            term_months=12,
        )
        blanket = await factories.blanket_policy(session, program, starts_on=date(2025, 1, 1))
        for index, homes in ((0, 1), (1, 1), (2, 1), (4, 2)):
            for _ in range(homes):
                home = await factories.household(session, villages[index])
                home.registered_at = datetime(2024, 6, 1, tzinfo=UTC)
        await factories.household(session, villages[5])  # registered today: not yet there in 2025
        session.add(
            PremiumPayment(
                policy_id=blanket.id,
                region_code=DISTRICT,
                payer="黄岛区财政局",
                amount_fen=200_000_000,
                channel="district_finance",
                receipt_no="QD-2025-001",
                paid_at=FEB,
            )
        )
        return program.id

    program_id = await run_in_db(settings, arrange)
    await make_user(settings, "finance", Role.FINANCE, [DISTRICT])
    finance = await login(client, "finance")
    body = {
        "program_id": str(program_id),
        "period_kind": "year",
        "starts_on": "2025-01-01",
        "ends_on": "2026-01-01",
        "share_bps": 333,
    }
    agreement = await client.post("/rebates/agreements", json=body, headers=finance)
    assert agreement.status_code == 201, agreement.text
    worker.broker.get_actor(accrue_rebates.actor_name).send()
    await drain(worker)
    view = (await client.get(f"/rebates/districts/{DISTRICT}/villages", headers=finance)).json()
    # 3.33 % of 2,000,000.00 yuan = 66,600.00 yuan over 5 households: 13,320.00 each.
    assert [row["accrued_fen"] for row in view] == [1_332_000, 1_332_000, 1_332_000, 0, 2_664_000, 0]
    assert sum(row["accrued_fen"] for row in view) == domain.share_of_premiums(333, 200_000_000)


async def test_the_database_refuses_to_change_a_posted_entry(settings: Settings) -> None:
    scene = await build_scene(settings, {0: 20_000})
    accrual = await run_in_db(settings, lambda s: _agree_and_accrue(s, scene.program_id, Share(bps=1_000)))
    assert accrual.rebate_due_fen == 2_000
    for statement in ("UPDATE rebate_entries SET amount_fen = 1", "DELETE FROM rebate_entries"):

        async def change(session: AsyncSession, sql: str = statement) -> None:
            await session.execute(text(sql))

        with pytest.raises(Exception, match="append-only"):
            await run_in_db(settings, change)
    assert await count(settings, RebateEntry) == 1


async def _agree_and_accrue(session: AsyncSession, program_id: UUID, share: Share) -> RebatePeriod:
    agreement = await agreements.create_agreement(
        session,
        principal=FINANCE,
        data=RebateAgreementCreate(
            program_id=program_id,
            period_kind=PeriodKind.QUARTER,
            starts_on=date(2025, 1, 1),
            ends_on=date(2025, 4, 1),
            share_bps=share.bps,
            per_household_fen=share.per_household_fen,
        ),
    )
    return await accruals.accrue_period(session, agreement.id, date(2025, 1, 1))
