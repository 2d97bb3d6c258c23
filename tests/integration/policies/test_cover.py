"""What covers a household on a day: its own policies and the blanket policy over its district."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from policies.domain import Funding, Peril
from policies.errors import HouseholdNotFound
from policies.services import cover, premiums
from policies.services import policies as services
from tests import factories
from tests.conftest import run_in_db


async def test_household_holds_blanket_and_voluntary_cover_at_once(session: AsyncSession) -> None:
    villages = await factories.region_tree(session)
    home = await factories.household(session, villages[0])
    blanket_program = await factories.program(
        session, funding=Funding.DISTRICT, region_code="370211", premium_fen=200_000_000, term_months=12
    )
    voluntary = await factories.program(
        session, region_code="370211", perils={Peril.FIRE: 5_000_000, Peril.LIVESTOCK: 300_000}
    )
    blanket = await factories.blanket_policy(session, blanket_program)
    own = await factories.active_policy(session, home, voluntary, starts_on=date(2026, 3, 1))

    covers = await cover.find_covering_policies(session, household_id=home.id, on=date(2026, 6, 1))
    assert {c.policy_id for c in covers} == {blanket.id, own.id}
    by_policy = {c.policy_id: c for c in covers}
    assert by_policy[own.id].perils == {Peril.FIRE: 5_000_000, Peril.LIVESTOCK: 300_000}
    assert by_policy[blanket.id].funding is Funding.DISTRICT
    assert by_policy[own.id].ends_on == date(2029, 3, 1)

    before_own = await cover.find_covering_policies(session, household_id=home.id, on=date(2026, 2, 1))
    assert [c.policy_id for c in before_own] == [blanket.id]
    after_blanket = await cover.find_covering_policies(session, household_id=home.id, on=date(2027, 1, 1))
    assert [c.policy_id for c in after_blanket] == [own.id]


async def test_blanket_covers_households_registered_later_but_not_other_districts(settings: Settings) -> None:
    async def arrange(session: AsyncSession) -> tuple[object, object, object]:
        villages = await factories.region_tree(session)
        elsewhere = await factories.region_tree(session, district="370212", towns=1, villages_per_town=1)
        program = await factories.program(
            session, funding=Funding.DISTRICT, region_code="370211", premium_fen=0, term_months=12
        )
        blanket = await factories.blanket_policy(session, program)
        return blanket.id, villages[-1], elsewhere[0]

    blanket_id, village, other_village = await run_in_db(settings, arrange)

    async def later(session: AsyncSession) -> list[list[object]]:
        newcomer = await factories.household(session, village)
        outsider = await factories.household(session, other_village)
        return [
            [
                c.policy_id
                for c in await cover.find_covering_policies(session, household_id=h.id, on=date(2026, 5, 1))
            ]
            for h in (newcomer, outsider)
        ]

    assert await run_in_db(settings, later) == [[blanket_id], []]


async def test_unpaid_suspended_and_expired_policies_do_not_cover(session: AsyncSession) -> None:
    villages = await factories.region_tree(session)
    home = await factories.household(session, villages[0])
    program = await factories.program(session, region_code="370211")
    unpaid = await services.issue_household_policy(
        session, actor="t", household_id=home.id, program_id=program.id, starts_on=date(2026, 1, 1)
    )
    assert unpaid.status == "idle"
    assert await cover.find_covering_policies(session, household_id=home.id, on=date(2026, 2, 1)) == []
    other = await factories.household(session, villages[1])
    paid = await factories.active_policy(session, other, program, starts_on=date(2026, 1, 1))
    await services.suspend_policy(session, actor="t", policy_id=paid.id, reason="核查中")
    assert await cover.find_covering_policies(session, household_id=other.id, on=date(2026, 2, 1)) == []


async def test_unknown_household_is_not_found(session: AsyncSession) -> None:
    import uuid

    with pytest.raises(HouseholdNotFound):
        await cover.find_covering_policies(session, household_id=uuid.uuid4(), on=date(2026, 1, 1))


async def test_a_paid_renewal_is_cover_that_continues(session: AsyncSession) -> None:
    villages = await factories.region_tree(session)
    home = await factories.household(session, villages[0])
    voluntary = await factories.program(session, region_code="370211", term_months=12)
    first = await factories.active_policy(session, home, voluntary, starts_on=date(2026, 3, 1))
    second = await services.renew_policy(session, actor="t", policy_id=first.id)
    await premiums.record_payment(
        session,
        actor="t",
        policy_id=second.id,
        payer="户主",
        amount_fen=second.premium_due_fen,
        channel="cash",
        receipt_no="R-renewal",
    )
    (old,) = await cover.find_covering_policies(session, household_id=home.id, on=date(2026, 6, 1))
    (new,) = await cover.find_covering_policies(session, household_id=home.id, on=date(2027, 3, 2))
    assert (old.policy_id, old.renewal) == (first.id, False)
    assert (new.policy_id, new.renewal) == (second.id, True)
