"""Region import and look-up over HTTP, and the idempotent demo seed."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent
from core.auth import Role, make_hasher
from core.settings import Settings
from policies.models import Region
from policies.services import demo
from tests.conftest import login, make_user, run_in_db

Client = AsyncTestClient[Litestar]

CSV = """code,name,level,parent_code,latitude,longitude
370211001001,前湾村,village,370211001,35.95,120.20
370211,黄岛区,district,,35.96,120.19
370211001,辛安街道,,,35.95,120.18
370211002,薛家岛街道,,,35.90,120.22
"""


async def region_count(settings: Settings) -> int:
    async def work(session: AsyncSession) -> int:
        return await session.scalar(select(func.count()).select_from(Region)) or 0

    return await run_in_db(settings, work)


async def test_import_is_idempotent_and_all_or_nothing(client: Client, settings: Settings) -> None:
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "liaison", Role.LIAISON, ["370211001001"])
    admin = await login(client, "admin")
    csv_type = {"Content-Type": "text/csv"}
    first = await client.post("/regions/import", content=CSV.encode("gbk"), headers=admin | csv_type)
    assert first.json() == {"created": 4, "updated": 0, "unchanged": 0}, first.text
    again = await client.post("/regions/import", content=CSV.encode("utf-8-sig"), headers=admin | csv_type)
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 4}
    renamed = CSV.replace("前湾村", "前湾社区")
    assert (await client.post("/regions/import", content=renamed, headers=admin | csv_type)).json()[
        "updated"
    ] == 1

    bad_files = [
        CSV + "37021100300,坏代码,,,1,1\n",
        CSV + "370211003001,无上级村,,,35.9,120.1\n",
        CSV + "370211002001,纬度错,,,135.9,120.1\n",
        CSV.replace(",town,", ",district,") + "370211002002,层级错,district,,35.9,120.1\n",
        "name\n黄岛区\n",
    ]
    for body in bad_files:
        response = await client.post("/regions/import", content=body, headers=admin | csv_type)
        assert (response.status_code, response.json()["code"]) == (422, "invalid_region_file"), body
    wrong_type = await client.post("/regions/import", json={"code": "370211"}, headers=admin)
    assert (wrong_type.status_code, wrong_type.json()["code"]) == (415, "unsupported_media_type")
    assert await region_count(settings) == 4

    liaison = await login(client, "liaison")
    denied = await client.post("/regions/import", content=CSV, headers=liaison | csv_type)
    assert denied.status_code == 403
    towns = await client.get("/regions", params={"level": "town"}, headers=admin)
    assert [r["code"] for r in towns.json()] == ["370211001", "370211002"]
    seen = await client.get("/regions", headers=liaison)
    assert [r["code"] for r in seen.json()] == ["370211", "370211001", "370211001001"]
    assert (await client.get("/regions/370211001001", headers=liaison)).json()["name"] == "前湾社区"
    unknown = await client.get("/regions/370299", headers=admin)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "region_not_found")
    assert (await client.get("/regions/370211002", headers=liaison)).json() == unknown.json()


async def test_demo_seed_twice_changes_nothing(settings: Settings) -> None:
    first = await run_in_db(settings, lambda session: demo.seed(session, make_hasher(settings)))
    assert first["households"] == demo.HOUSEHOLDS
    assert 0.3 < (first["policies"] - 1) / first["households"] < 0.5

    async def events(session: AsyncSession) -> int:
        return await session.scalar(select(func.count()).select_from(AuditEvent)) or 0

    audited = await run_in_db(settings, events)
    assert await run_in_db(settings, lambda session: demo.seed(session, make_hasher(settings))) == first
    assert await run_in_db(settings, events) == audited
