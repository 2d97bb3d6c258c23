"""Matches in another district are still found, but a district's auditor reads only how many there
are and in which districts: never the other district's claim numbers, villages or households."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from tests import factories
from tests.conftest import login, run_in_db
from tests.integration.reports.findings.worlds import (
    JANUARY,
    OTHER_DISTRICT,
    Home,
    World,
    account_of,
    add_paid_claim,
)

Client = AsyncTestClient[Litestar]


async def _findings(client: Client, who: str, **params: str) -> list[dict[str, Any]]:
    response = await client.get(
        "/reports/findings", params=JANUARY | params, headers=await login(client, who)
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["findings"]
    return found


async def _plant_elsewhere(settings: Settings, world: World, number: str, **facts: Any) -> None:
    """A paid claim of a household in the other district (its regions made on first use)."""

    async def work(session: AsyncSession) -> None:
        villages = await factories.region_tree(session, OTHER_DISTRICT, towns=1, villages_per_town=1)
        household = await factories.household(session, villages[0])
        head = next(person for person in household.people if person.relation == "head")
        policy = world.homes[0]  # the covers snapshot only: no rule reads the other district's policy
        home = Home(
            household.id, villages[0], head.resident_id, head.name, policy.policy_id, policy.policy_number
        )
        await add_paid_claim(session, world, home, number=number, **facts)

    await run_in_db(settings, work)


async def test_an_account_shared_with_another_district_shows_only_how_many_and_where(
    client: Client, settings: Settings, clean: World
) -> None:
    await _plant_elsewhere(settings, clean, "C202601200090", account=account_of(0))
    [found] = await _findings(client, "auditor", kind="shared_bank_account")
    assert found["subject_id"] == str(clean.claims[0][0])
    evidence = found["evidence"]
    assert (evidence["other_households"], evidence["other_claims"]) == (1, [])
    assert (evidence["claims_elsewhere"], evidence["districts_elsewhere"]) == (1, [OTHER_DISTRICT])
    [theirs] = await _findings(client, "far_auditor", kind="shared_bank_account", region_code=OTHER_DISTRICT)
    assert (theirs["evidence"]["other_claims"], theirs["evidence"]["districts_elsewhere"]) == ([], ["370211"])
    admin = await _findings(client, "admin", kind="shared_bank_account")
    [mine] = [f for f in admin if f["subject_id"] == str(clean.claims[0][0])]
    assert mine["evidence"]["other_claims"] == [
        {"claim_number": "C202601200090", "village_code": OTHER_DISTRICT + "001001"}
    ]


async def test_a_claimant_who_also_claims_in_another_district_shows_only_how_many_and_where(
    client: Client, settings: Settings, clean: World
) -> None:
    outsider = "370211199001011234"
    here = await run_in_db(
        settings,
        lambda session: add_paid_claim(
            session, clean, clean.homes[3], number="C202601200003", claimant_resident_id=outsider
        ),
    )
    await _plant_elsewhere(settings, clean, "C202601200091", claimant_resident_id=outsider)
    [found] = await _findings(client, "auditor", kind="claimant_several_households")
    assert found["subject_id"] == str(here)
    evidence = found["evidence"]
    assert evidence["households"] == 2
    assert [c["claim_number"] for c in evidence["claims"]] == ["C202601200003"]
    assert (evidence["claims_elsewhere"], evidence["districts_elsewhere"]) == (1, [OTHER_DISTRICT])
