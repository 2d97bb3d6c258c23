"""Names are stored as a person reads them, implausible dates and mis-encoded files are refused."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Role
from core.clock import today
from core.settings import Settings
from policies.models import Household, Person, Policy, PremiumPayment, Program, Region
from tests import factories
from tests.conftest import login, make_user, run_in_db
from tests.integration.policies.conftest import Snapshot

Client = AsyncTestClient[Litestar]
FAR = today().year + 74  # "2100" whenever the suite runs


def household_body(village: str, head: str) -> dict[str, Any]:
    return {
        "village_code": village,
        "address": "幸福路\u3000８号",
        "phone": "13800000001",
        "members": [{"name": head, "resident_id": factories.resident_id(7001), "relation": "head"}],
    }


async def stored(settings: Settings, model: Any, *columns: Any, where: Any = True) -> list[tuple[Any, ...]]:
    async def work(session: AsyncSession) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in await session.execute(select(*columns).select_from(model).where(where))]

    return await run_in_db(settings, work)


async def test_a_head_name_with_invisible_characters_is_stored_as_read(
    client: Client, settings: Settings
) -> None:
    villages = await run_in_db(settings, factories.region_tree)
    await make_user(settings, "liaison", Role.LIAISON, [villages[0]])
    liaison = await login(client, "liaison")
    for invisible in ("\u200b", "\u202e", "\u2060", "\ufeff"):
        refused = await client.post(
            "/households", json=household_body(villages[0], invisible * 3), headers=liaison
        )
        assert refused.status_code == 400, invisible
    assert await stored(settings, Household, Household.id) == []

    created = await client.post(
        "/households", json=household_body(villages[0], "李\u200b四"), headers=liaison
    )
    assert created.status_code == 201, created.text
    assert await stored(settings, Household, Household.head_name, Household.address) == [
        ("李四", "幸福路 ８号")
    ]
    assert await stored(settings, Person, Person.name) == [("李四",)]


async def test_programs_policies_and_payments_outside_their_dates_are_refused(
    client: Client, settings: Settings, two_districts: dict[str, str], snapshot: Snapshot
) -> None:
    admin, liaison, finance = [await login(client, name) for name in ("admin", "liaison", "finance")]
    program = {
        "code": "LATE",
        "name": "方案",
        "insurer": "人保财险",
        "funding": "household",
        "region_code": "370211",
        "premium_fen": 20_000,
        "term_months": 12,
        "perils": [{"peril": "fire", "limit_fen": 5_000_000}],
        "per_claim_cap_fen": 5_000_000,
    }
    enroll = {"household_id": two_districts["neighbour"], "program_id": two_districts["voluntary"]}
    payment = {"payer": "张三", "amount_fen": 100, "channel": "cash", "receipt_no": "R-1"}
    before = await snapshot()
    cases = [
        ("/programs", program | {"starts_on": "1899-01-01"}, admin),
        ("/programs", program | {"starts_on": f"{FAR}-01-01"}, admin),
        ("/policies", enroll | {"starts_on": f"{FAR}-01-01"}, liaison),
        (
            "/policies/blanket",
            {"program_id": two_districts["blanket_program"], "starts_on": "1899-01-01"},
            admin,
        ),
        (
            f"/policies/{two_districts['neighbour_policy']}/payments",
            payment | {"paid_at": "1899-12-31T10:00:00+08:00"},
            finance,
        ),
        (
            f"/policies/{two_districts['neighbour_policy']}/payments",
            payment | {"paid_at": f"{FAR}-01-01T10:00:00+08:00"},
            finance,
        ),
    ]
    for url, body, headers in cases:
        refused = await client.post(url, json=body, headers=headers)
        assert (refused.status_code, refused.json()["code"]) == (422, "date_implausible"), (url, body)
    assert await snapshot() == before


async def test_a_payment_time_without_a_zone_is_beijing_time(
    client: Client, settings: Settings, two_districts: dict[str, str]
) -> None:
    finance = await login(client, "finance")
    url = f"/policies/{two_districts['neighbour_policy']}/payments"
    body = {
        "payer": "张三",
        "amount_fen": 100,
        "channel": "cash",
        "receipt_no": "R-2",
        "paid_at": "2026-01-05T09:30:00",
    }
    assert (await client.post(url, json=body, headers=finance)).status_code == 201
    ((paid_at,),) = await stored(
        settings, PremiumPayment, PremiumPayment.paid_at, where=PremiumPayment.receipt_no == "R-2"
    )
    assert paid_at.replace(tzinfo=paid_at.tzinfo or UTC) == datetime(2026, 1, 5, 1, 30, tzinfo=UTC)


async def test_a_latin1_file_is_refused_and_nothing_is_stored(client: Client, settings: Settings) -> None:
    villages = await run_in_db(settings, factories.region_tree)
    await make_user(settings, "admin", Role.ADMIN, [])
    admin = await login(client, "admin")
    header = "household_no,village_code,address,head_name,phone,name,resident_id,relation\n"
    rows = [
        f"H1,{villages[0]},Hauptstr. 1,,13800000001,Müller,{factories.resident_id(7101)},head",
        f"H2,{villages[0]},Rue 2,,13800000002,Gérard,{factories.resident_id(7102)},head",
    ]
    latin1 = (header + "\n".join(rows) + "\n").encode("latin-1")
    imported = await client.post(
        "/imports/households", files={"file": ("people.csv", latin1, "text/csv")}, headers=admin
    )
    assert (imported.status_code, imported.json()["code"]) == (422, "import_encoding_unsupported")
    assert "GBK/GB18030" in imported.json()["message_en"]
    assert await stored(settings, Person, Person.name) == []

    regions_before = await stored(settings, Region, Region.code)
    region_file = "code,name\n370212,Müller\n".encode("latin-1")
    refused = await client.post(
        "/regions/import", content=region_file, headers=admin | {"Content-Type": "text/csv"}
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_region_file")
    assert await stored(settings, Region, Region.code) == regions_before
    assert await stored(settings, Program, Program.id) == await stored(settings, Policy, Policy.id) == []


async def test_imported_names_are_cleaned_and_invisible_ones_are_bad_rows(
    client: Client, settings: Settings
) -> None:
    villages = await run_in_db(settings, factories.region_tree)
    await make_user(settings, "admin", Role.ADMIN, [])
    admin = await login(client, "admin")
    header = "户编号,村代码,地址,户主姓名,联系电话,姓名,身份证号,与户主关系\n"
    rows = [
        f"H1,{villages[0]},前石村1号,,13800000001,李\u200b四,{factories.resident_id(7201)},户主",
        f"H1,{villages[0]},前石村1号,,13800000001,\u2060\ufeff,{factories.resident_id(7202)},配偶",
    ]
    data = (header + "\n".join(rows) + "\n").encode("gb18030")
    imported = await client.post(
        "/imports/households", files={"file": ("户籍.csv", data, "text/csv")}, headers=admin
    )
    assert imported.status_code == 200, imported.text
    assert [(e["line"], e["column"], e["code"]) for e in imported.json()["errors"]] == [
        (3, "name", "missing_field")
    ]
    assert await stored(settings, Household, Household.head_name) == [("李四",)]
    assert await stored(settings, Person, Person.name) == [("李四",)]
