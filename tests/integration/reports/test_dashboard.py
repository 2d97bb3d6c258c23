"""The dashboard's figures on a district whose March is known by heart (worlds.py), and its denials."""

from __future__ import annotations

import dramatiq
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from tests import factories
from tests.conftest import drain, login, run_in_db
from tests.integration.reports.worlds import (
    DISTRICT,
    MARCH_FROM,
    MARCH_TO,
    OTHER_DISTRICT,
    TOWN_1,
    TOWN_2,
    A,
    World,
    march_world,
)

MARCH = {"from": MARCH_FROM, "to": MARCH_TO}


@pytest.fixture
async def world(settings: Settings) -> World:
    return await march_world(settings)


async def test_the_district_in_march(client: AsyncTestClient[Litestar], world: World) -> None:
    auditor = await login(client, "auditor")
    answer = await client.get(
        "/reports/dashboard", params={"region_code": DISTRICT, **MARCH}, headers=auditor
    )
    assert answer.status_code == 200, answer.text
    board = answer.json()
    assert board["region_name"] == "黄岛区"
    assert board["insured"] == {
        "blanket_households": 6,
        "blanket_people": 13,
        "voluntary_households": 2,
        "voluntary_people": 5,
    }
    # 10,000.00 blanket + 200.00 (A) + 200.00 (B, 23:30 on the 31st); not A's 200.00 of April 1st.
    assert board["premiums_fen"] == 1_040_000
    assert board["claims_reported"] == 3
    assert board["claims"] == [
        {"peril": "fire", "status": "accepted", "claims": 1},
        {"peril": "fire", "status": "paid", "claims": 1},
        {"peril": "theft", "status": "paid", "claims": 1},
    ]
    # c1 3,000 + c2 500 advance + 1,000 final + c4 800 (reported in February, paid in March).
    assert board["paid_fen"] == 530_000
    assert board["paid_advance_fen"] == 50_000
    # 530,000 / 1,040,000 = 50.96…% → 510 ‰.
    assert board["loss_ratio_permille"] == 510
    assert board["loss_ratio_text"] == "51.0%"
    # Paid in March: 48 h, 120 h, 96 h → mean 88 h; p90 (nearest rank, 3rd of 3) 120 h; 1 of 3 in 72 h.
    assert board["clock"] == {
        "paid_claims": 3,
        "mean_hours": "88.0",
        "p90_hours": "120.0",
        "within_target": 1,
        "within_target_permille": 333,
        "within_target_text": "33.3%",
    }
    assert board["rebates"] == {
        "accrued_fen": 100_000,
        "approved_fen": 0,
        "disbursed_fen": 60_000,
        "spent_fen": 80_000,
        "spent_by_category": {"patrol_staff": 30_000, "video_surveillance": 50_000},
    }
    assert board["parts"] == [
        {
            "code": TOWN_1,
            "name": "辛安街道",
            "claims_reported": 2,
            "paid_fen": 530_000,
            "premiums_fen": 40_000,
            "loss_ratio_text": "1325.0%",
        },
        {
            "code": TOWN_2,
            "name": "薛家岛街道",
            "claims_reported": 1,
            "paid_fen": 0,
            "premiums_fen": 0,
            "loss_ratio_text": "—",
        },
    ]
    exports = [link["href"] for link in board["exports"]]
    assert f"/reports/exports/claims.csv?region_code={DISTRICT}&from={MARCH_FROM}&to={MARCH_TO}" in exports
    assert (
        f"/reports/exports/expenditures.xlsx?region_code={DISTRICT}&from={MARCH_FROM}&to={MARCH_TO}"
        in exports
    )


async def test_a_town_and_a_village(client: AsyncTestClient[Litestar], world: World) -> None:
    officer = await login(client, "officer")
    town = (
        await client.get("/reports/dashboard", params={"region_code": TOWN_1, **MARCH}, headers=officer)
    ).json()
    # The district's blanket premium is the district's, not the town's.
    assert town["premiums_fen"] == 40_000
    assert town["insured"]["blanket_households"] == 5 and town["insured"]["blanket_people"] == 12
    assert [part["code"] for part in town["parts"]] == [A, "370211001002"]
    village = (
        await client.get("/reports/dashboard", params={"region_code": A, **MARCH}, headers=officer)
    ).json()
    assert village["parts"] == []
    assert village["paid_fen"] == 380_000

    claims = await client.get(
        "/reports/dashboard/claims", params={"village_code": A, **MARCH}, headers=officer
    )
    assert claims.status_code == 200, claims.text
    rows = claims.json()
    # c1 (reported and paid in March) and c4 (paid in March); not c5, reported in April.
    assert [(row["peril"], row["cycle_hours"], row["breached"]) for row in rows] == [
        ("fire", "48.0", False),
        ("theft", "96.0", True),
    ]
    assert rows[0]["trail_href"] == f"/reports/claims/{world.claims['c1']}/trail"


async def test_the_trend_and_the_charts_in_the_cjk_font(
    client: AsyncTestClient[Litestar], world: World
) -> None:
    auditor = await login(client, "auditor")
    answer = await client.get(
        "/reports/dashboard/charts", params={"region_code": DISTRICT, **MARCH}, headers=auditor
    )
    assert answer.status_code == 200, answer.text
    trend = {m["month"]: m for m in answer.json()["trend"]}
    assert list(trend)[-1] == "2026-03" and len(trend) == 12
    assert trend["2026-03"] == {
        "month": "2026-03",
        "claims_reported": 3,
        "paid_fen": 530_000,
        "premiums_fen": 1_040_000,
    }
    assert trend["2026-02"] == {"month": "2026-02", "claims_reported": 1, "paid_fen": 0, "premiums_fen": 0}
    assert trend["2025-04"] == {"month": "2025-04", "claims_reported": 0, "paid_fen": 0, "premiums_fen": 0}
    charts = {chart["key"]: chart for chart in answer.json()["charts"]}
    assert set(charts) == {"trend", "perils", "spending"}
    for chart in charts.values():
        assert chart["svg"].lstrip().startswith("<?xml") and "<svg" in chart["svg"]
        assert "Noto Sans CJK" in chart["svg"]
    assert "火灾" in charts["perils"]["svg"] and "盗窃" in charts["perils"]["svg"]
    assert "视频监控" in charts["spending"]["svg"]


@pytest.mark.parametrize("username", ["finance", "liaison"])
async def test_roles_outside_the_readers_are_refused(
    client: AsyncTestClient[Litestar], world: World, username: str
) -> None:
    headers = await login(client, username)
    answer = await client.get("/reports/dashboard", params={"region_code": A, **MARCH}, headers=headers)
    assert answer.status_code == 403
    assert answer.json()["detail"] == "role_not_allowed"


async def test_regions_outside_the_callers_are_refused(
    client: AsyncTestClient[Litestar], world: World
) -> None:
    other = await login(client, "other_auditor")
    for path, params in (
        ("/reports/dashboard", {"region_code": DISTRICT}),
        ("/reports/dashboard/charts", {"region_code": TOWN_1}),
        ("/reports/dashboard/claims", {"village_code": A}),
    ):
        answer = await client.get(path, params={**params, **MARCH}, headers=other)
        assert answer.status_code == 403, (path, answer.text)
        assert answer.json()["code"] == "outside_your_region"
    # A town officer reads their town, not the district around it.
    town_officer = await login(client, "town_officer")
    answer = await client.get(
        "/reports/dashboard", params={"region_code": DISTRICT, **MARCH}, headers=town_officer
    )
    assert answer.status_code == 403
    own = await client.get(
        "/reports/dashboard", params={"region_code": TOWN_2, **MARCH}, headers=town_officer
    )
    assert own.status_code == 200 and own.json()["claims_reported"] == 1
    # The other district's auditor sees its one claim, and nothing of 370211.
    theirs = await client.get(
        "/reports/dashboard", params={"region_code": OTHER_DISTRICT, **MARCH}, headers=other
    )
    assert theirs.json()["paid_fen"] == 500_000


async def test_a_bad_period_or_region(client: AsyncTestClient[Litestar], world: World) -> None:
    admin = await login(client, "admin")
    backwards = await client.get(
        "/reports/dashboard",
        params={"region_code": DISTRICT, "from": "2026-03-31", "to": "2026-03-01"},
        headers=admin,
    )
    assert backwards.status_code == 422 and backwards.json()["code"] == "period_invalid"
    unknown = await client.get("/reports/dashboard", params={"region_code": "999999", **MARCH}, headers=admin)
    assert unknown.status_code == 404 and unknown.json()["code"] == "region_not_found"
    malformed = await client.get(
        "/reports/dashboard", params={"region_code": "37021", **MARCH}, headers=admin
    )
    assert malformed.status_code == 400


async def test_coverage_is_counted_at_night_and_added_up_on_read(
    client: AsyncTestClient[Litestar],
    world: World,
    worker: dramatiq.Worker,
    app: Litestar,
    settings: Settings,
) -> None:
    auditor = await login(client, "auditor")
    today = {"region_code": DISTRICT}
    app.state.broker.get_actor("reports.count_coverage").send()
    await drain(worker)
    counted = (await client.get("/reports/dashboard", params=today, headers=auditor)).json()["insured"]
    assert counted == {
        "blanket_households": 6,
        "blanket_people": 13,
        "voluntary_households": 2,
        "voluntary_people": 5,
    }

    async def move_in(session: AsyncSession) -> None:
        await factories.household(session, A, members=4)

    await run_in_db(settings, move_in)
    # Read from the night's counts: the new household shows after the next count.
    assert (await client.get("/reports/dashboard", params=today, headers=auditor)).json()[
        "insured"
    ] == counted
    app.state.broker.get_actor("reports.count_coverage").send()
    await drain(worker)
    recounted = (await client.get("/reports/dashboard", params=today, headers=auditor)).json()["insured"]
    assert (recounted["blanket_households"], recounted["blanket_people"]) == (7, 17)
