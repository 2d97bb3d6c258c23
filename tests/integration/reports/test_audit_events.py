"""A district auditor reads the events of their district and the system's own, which have no region."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import record
from core.auth import Role
from core.settings import Settings
from policies.schemas import RegionView
from policies.services.regions import import_regions
from tests.conftest import login, make_user, run_in_db


async def test_a_district_auditor_sees_account_and_region_events_but_not_another_district(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await make_user(settings, "auditor", Role.AUDITOR, ["370211"])

    async def happen(session: AsyncSession) -> None:
        region = RegionView("370299", "另一个区", "district", None, None, None)
        await import_regions(session, actor="admin", rows=[region])
        for district in ("370211", "370299"):
            await record(
                session,
                actor="t",
                action="thing.changed",
                subject_type="thing",
                subject_id=district,
                region_code=district,
            )

    await run_in_db(settings, happen)
    response = await client.get("/audit/events", headers=await login(client, "auditor"))
    assert response.status_code == 200, response.text
    seen = [(event["action"], event["subject_id"]) for event in response.json()]
    assert [action for action, _ in seen] == ["thing.changed", "regions.imported", "user.created"]
    assert seen[0] == ("thing.changed", "370211")
