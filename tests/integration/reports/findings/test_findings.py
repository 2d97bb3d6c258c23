"""Each finding planted in otherwise clean data is found, with its evidence; the clean data has none."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from tests.conftest import login, run_in_db
from tests.integration.reports.findings.worlds import JANUARY, World, account_of, add_paid_claim

Client = AsyncTestClient[Litestar]


async def _findings(client: Client, who: str = "auditor", **params: str) -> dict[str, Any]:
    response = await client.get(
        "/reports/findings", params=JANUARY | params, headers=await login(client, who)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _found(body: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["kind"], f["subject_id"]) for f in body["findings"]}


async def _plant(settings: Settings, world: World, home: int, number: str, **facts: Any) -> str:
    async def work(session: AsyncSession) -> str:
        return str(await add_paid_claim(session, world, world.homes[home], number=number, **facts))

    return str(await run_in_db(settings, work))


async def test_the_clean_month_has_no_findings(client: Client, clean: World) -> None:
    body = await _findings(client)
    assert body["count"] == 0, body["findings"]
    assert len(body["kinds_checked"]) == 10
    assert "MAD" in body["cycle_rule"]


async def test_a_payout_to_an_account_another_household_uses(
    client: Client, settings: Settings, clean: World
) -> None:
    planted = await _plant(settings, clean, 1, "C202601200001", account=account_of(0))
    body = await _findings(client)
    first_claim = str(clean.claims[0][0])
    assert _found(body) == {("shared_bank_account", planted), ("shared_bank_account", first_claim)}
    evidence = next(f["evidence"] for f in body["findings"] if f["subject_id"] == planted)
    assert evidence["account"] == "6222020200000000"  # auditors see accounts in full
    assert evidence["other_claims"] == [
        {"claim_number": "C202601050000", "village_code": clean.homes[0].village_code}
    ]
    # A claims officer reads the same finding with the account masked.
    masked = await _findings(client, "officer", kind="shared_bank_account")
    assert {f["evidence"]["account"] for f in masked["findings"]} == {"6222********0000"}


async def test_a_claimant_registered_in_another_household(
    client: Client, settings: Settings, clean: World
) -> None:
    planted = await _plant(
        settings, clean, 2, "C202601200002", claimant_resident_id=clean.bystander.head_resident_id
    )
    body = await _findings(client)
    assert _found(body) == {("resident_id_two_households", planted)}
    evidence = body["findings"][0]["evidence"]
    assert evidence["registered_household_id"] == str(clean.bystander.household_id)
    assert evidence["claim_household_id"] == str(clean.homes[2].household_id)
    resident = clean.bystander.head_resident_id
    assert evidence["resident_id"] == resident[:6] + "********" + resident[-4:]


async def test_a_claimant_who_claims_for_several_households(
    client: Client, settings: Settings, clean: World
) -> None:
    outsider = "370211199001011234"  # on no household's register: a tenant, say
    first = await _plant(settings, clean, 3, "C202601200003", claimant_resident_id=outsider)
    await _plant(settings, clean, 4, "C202601200004", claimant_resident_id=outsider)
    body = await _findings(client)
    assert _found(body) == {("claimant_several_households", first)}
    evidence = body["findings"][0]["evidence"]
    assert evidence["households"] == 2
    assert [c["claim_number"] for c in evidence["claims"]] == ["C202601200003", "C202601200004"]


async def test_a_payout_above_the_limit(client: Client, settings: Settings, clean: World) -> None:
    planted = await _plant(settings, clean, 5, "C202601200005", paid_fen=1_000_001)
    body = await _findings(client)
    assert _found(body) == {("paid_over_limit", planted)}
    evidence = body["findings"][0]["evidence"]
    assert (evidence["paid_fen"], evidence["limit_fen"], evidence["over_fen"]) == (1_000_001, 1_000_000, 1)


async def test_a_loss_outside_the_policy_period(client: Client, settings: Settings, clean: World) -> None:
    planted = await _plant(settings, clean, 6, "C202601200006", loss_on=date(2025, 6, 30))
    body = await _findings(client)
    assert _found(body) == {("loss_outside_cover", planted)}
    evidence = body["findings"][0]["evidence"]
    assert evidence["loss_on"] == "2025-06-30"
    assert evidence["cover_periods"][0]["starts_on"] == "2025-07-01"


async def test_a_claim_paid_without_a_visit_but_not_an_advance(
    client: Client, settings: Settings, clean: World
) -> None:
    planted = await _plant(settings, clean, 7, "C202601200007", visited=False)
    await _plant(settings, clean, 8, "C202601200008", visited=False, kind="advance")
    body = await _findings(client)
    assert _found(body) == {("paid_without_visit", planted)}
    assert body["findings"][0]["evidence"] | {"paid_fen": 0} == {
        "claim_number": "C202601200007",
        "paid_fen": 0,
        "site_visit_done": False,
        "assessed": False,
    }


async def test_claims_paid_far_slower_or_faster_than_usual(
    client: Client, settings: Settings, clean: World
) -> None:
    slow = await _plant(settings, clean, 9, "C202601200009", cycle_hours=200)
    fast = await _plant(settings, clean, 10, "C202601200010", cycle_hours=3)
    body = await _findings(client)
    assert _found(body) == {("cycle_outlier", slow), ("cycle_outlier", fast)}
    by_id = {f["subject_id"]: f["evidence"] for f in body["findings"]}
    assert (by_id[slow]["direction"], by_id[fast]["direction"]) == ("slower", "faster")
    # 26 cycles: 3, 40…63 and 200 hours; the median is 51.5 and the MAD 6.5.
    assert by_id[slow]["district_median_hours"] == 51.5
    assert by_id[slow]["district_sample"] == 26


async def test_a_tampered_audit_event_breaks_the_chain(
    client: Client, settings: Settings, clean: World
) -> None:
    async def tamper(session: AsyncSession) -> int:
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
        else:
            await session.execute(text("DROP TRIGGER audit_events_no_update"))
        event_id = int(await session.scalar(text("SELECT min(id) + 3 FROM audit_events")) or 0)
        await session.execute(
            text("UPDATE audit_events SET actor = 'someone' WHERE id = :id"), {"id": event_id}
        )
        return event_id

    event_id = await run_in_db(settings, tamper)
    body = await _findings(client, kind="audit_chain_broken")
    assert _found(body) == {("audit_chain_broken", str(event_id))}
    assert body["findings"][0]["evidence"]["problem"] == "content does not match its hash"


async def test_findings_follow_the_region_and_period(
    client: Client, settings: Settings, clean: World
) -> None:
    planted = await _plant(settings, clean, 11, "C202601200011", visited=False)
    town = clean.homes[11].village_code[:9]
    assert _found(await _findings(client, region_code=town)) == {("paid_without_visit", planted)}
    other_town = "370211002" if town == "370211001" else "370211001"
    assert (await _findings(client, region_code=other_town))["count"] == 0
    assert (await _findings(client, **{"from": "2026-02-01", "to": "2026-02-28"}))["count"] == 0


async def test_who_may_read_findings(client: Client, clean: World) -> None:
    for who in ("liaison", "finance", "adjuster"):
        refused = await client.get("/reports/findings", params=JANUARY, headers=await login(client, who))
        assert refused.status_code == 403, who
    far = await client.get("/reports/findings", params=JANUARY, headers=await login(client, "far_auditor"))
    assert (far.status_code, far.json()["code"]) == (403, "outside_your_region")
    reversed_period = JANUARY | {"from": "2026-02-01"}
    wrong = await client.get(
        "/reports/findings", params=reversed_period, headers=await login(client, "auditor")
    )
    assert (wrong.status_code, wrong.json()["code"]) == (422, "period_reversed")
    too_early = JANUARY | {"from": "1999-12-31"}
    early = await client.get("/reports/findings", params=too_early, headers=await login(client, "auditor"))
    assert (early.status_code, early.json()["code"]) == (422, "period_implausible")
