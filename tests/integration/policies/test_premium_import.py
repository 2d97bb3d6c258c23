"""The premium collection import over HTTP and the CLI: mixed rows, re-imports, scope, activation."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pytest import MonkeyPatch
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent
from core.auth import Role
from core.settings import Settings
from policies import cli
from policies.domain import Funding
from policies.imports.services import import_households
from policies.models import Household, Policy, PremiumPayment
from policies.services import policies
from tests import factories
from tests.conftest import login, make_user, run_in_db
from tests.factories import resident_id

Client = AsyncTestClient[Litestar]
V1, V2, FAR = "370211001001", "370211002001", "370212001001"
HEAD1, HEAD2 = resident_id(9101), resident_id(9103)
HOUSEHOLDS = (
    "户编号,村代码,地址,户主姓名,联系电话,姓名,身份证号,与户主关系\n"
    f"HJ001,{V1},前石村1号,张建国,13800000001,张建国,{HEAD1},户主\n"
    f"HJ001,{V1},前石村1号,张建国,13800000001,王秀英,{resident_id(9102)},配偶\n"
    f"HJ002,{V2},后石村8号,李志强,13800000002,李志强,{HEAD2},户主\n"
    f"HJ003,{FAR},远村3号,赵伟,13800000003,赵伟,{resident_id(9104, area='370212')},户主\n"
    f"HJ004,{V1},前石村4号,孙丽,13800000004,孙丽,{resident_id(9105)},户主\n"
).encode()
HEADER = "户编号,户主身份证号,方案代码,金额,缴费日期,缴费方式,收据号,收款人\n"
GOOD = [
    "HJ001,,HA-2026,200,2026-03-05,现金,R001,王村委",  # line 2
    f",{HEAD2},HA-2026,200.00,2026/3/6,移动支付,T9001,王村委",  # line 3: found by the head's ID
]
BAD = [
    "HJ404,,HA-2026,200,2026-03-05,现金,R002,王村委",  # line 4: unknown household
    "HJ004,,HA-2026,150,2026-03-05,现金,R003,王村委",  # line 5: wrong amount
    "HJ004,,QD-2026,200,2026-03-05,现金,R004,王村委",  # line 6: a blanket program
    "HJ004,,HA-2026,200,2025-12-01,现金,R005,王村委",  # line 7: before the program opened
    "HJ004,,HA-2026,200,2026-03-05,现金,R001,王村委",  # line 8: receipt of line 2
]
FILE = (HEADER + "\n".join(GOOD + BAD) + "\n").encode("gbk")


async def world(settings: Settings) -> dict[str, Any]:
    """Two districts' households (imported as a clerk would), a voluntary and a blanket program."""

    async def work(session: AsyncSession) -> dict[str, Any]:
        await factories.region_tree(session)
        await factories.region_tree(session, district="370212", towns=1, villages_per_town=1)
        await import_households(session, HOUSEHOLDS, filename="h.csv", actor="t")
        voluntary = await factories.program(session, region_code="370211", code="HA-2026")
        await factories.program(
            session, funding=Funding.DISTRICT, region_code="370211", premium_fen=200_000_000, code="QD-2026"
        )
        households = {str(h.household_no): h.id for h in await session.scalars(select(Household))}
        return {"voluntary": voluntary.id} | households

    ids = await run_in_db(settings, work)
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "liaison", Role.LIAISON, [V1])
    await make_user(settings, "auditor", Role.AUDITOR, ["370211"])
    return ids


def upload(data: bytes, name: str = "缴费清单.csv") -> dict[str, Any]:
    return {"data": (name, data, "text/csv")}


async def ledger(settings: Settings) -> list[tuple[str | None, str, int, str, str, str | None]]:
    """Every policy's household number, status and paid amount with its payment's receipt and collector."""

    async def work(session: AsyncSession) -> list[Any]:
        rows = await session.execute(
            select(
                Household.household_no,
                Policy.status,
                Policy.premium_paid_fen,
                PremiumPayment.channel,
                PremiumPayment.receipt_no,
                PremiumPayment.collector,
            )
            .join(Household, Policy.household_id == Household.id)
            .join(PremiumPayment, PremiumPayment.policy_id == Policy.id)
            .order_by(PremiumPayment.receipt_no)
        )
        return [tuple(row) for row in rows]

    return await run_in_db(settings, work)


async def test_good_rows_enroll_and_activate_bad_rows_are_reported_and_a_reimport_changes_nothing(
    client: Client, settings: Settings
) -> None:
    await world(settings)
    admin = await login(client, "admin")
    first = await client.post("/imports/premiums", files=upload(FILE), headers=admin)
    assert first.status_code == 200, first.text
    body = first.json()
    counted = ("rows", "payments_recorded", "policies_created", "policies_activated", "bad_rows")
    assert {k: body[k] for k in counted} == {
        "rows": 7,
        "payments_recorded": 2,
        "policies_created": 2,
        "policies_activated": 2,
        "bad_rows": 5,
    }
    assert [(e["line"], e["code"]) for e in body["errors"]] == [
        (4, "unknown_household"),
        (5, "wrong_amount"),
        (6, "blanket_program"),
        (7, "paid_before_program"),
        (8, "duplicate_receipt"),
    ]
    expected = [
        ("HJ001", "active", 20_000, "cash", "R001", "王村委"),
        ("HJ002", "active", 20_000, "mobile", "T9001", "王村委"),
    ]
    assert await ledger(settings) == expected

    async def import_event(session: AsyncSession) -> tuple[str, str | None, int]:
        event = await session.scalar(select(AuditEvent).where(AuditEvent.action == "premiums.imported"))
        assert event is not None and event.after is not None
        return event.subject_id, event.region_code, event.after["payments_recorded"]

    assert await run_in_db(settings, import_event) == (body["file_sha256"], "370211", 2)

    again = await client.post("/imports/premiums", files=upload(FILE), headers=admin)
    assert {k: again.json()[k] for k in ("payments_recorded", "already_recorded", "bad_rows")} == {
        "payments_recorded": 0,
        "already_recorded": 2,
        "bad_rows": 5,
    }
    assert again.json()["errors"][-1]["code"] == "receipt_used"  # line 8: now recorded for HJ001
    assert await ledger(settings) == expected


async def test_a_liaison_imports_only_for_their_villages(client: Client, settings: Settings) -> None:
    await world(settings)
    liaison = await login(client, "liaison")
    response = await client.post("/imports/premiums", files=upload(FILE), headers=liaison)
    assert response.status_code == 200, response.text
    refused = {e["line"]: e["code"] for e in response.json()["errors"]}
    assert refused[3] == "household_out_of_scope"  # HJ002 lives in another town's village
    assert [row[0] for row in await ledger(settings)] == ["HJ001"]


async def test_who_may_import(client: Client, settings: Settings) -> None:
    await world(settings)
    anonymous = await client.post("/imports/premiums", files=upload(FILE))
    assert anonymous.status_code == 401
    auditor = await login(client, "auditor")
    denied = await client.post("/imports/premiums", files=upload(FILE), headers=auditor)
    assert denied.status_code == 403
    assert await ledger(settings) == []


async def test_an_idle_policy_is_activated_by_its_full_payment(client: Client, settings: Settings) -> None:
    ids = await world(settings)

    async def issue(session: AsyncSession) -> str:
        policy = await policies.issue_household_policy(
            session,
            actor="t",
            household_id=ids["HJ004"],
            program_id=ids["voluntary"],
            starts_on=date(2026, 2, 1),
        )
        return policy.number

    number = await run_in_db(settings, issue)
    admin = await login(client, "admin")
    partial = HEADER + "HJ004,,HA-2026,100,2026-03-05,银行,B77,农商行\n"
    refused = await client.post("/imports/premiums", files=upload(partial.encode()), headers=admin)
    assert [e["message_en"] for e in refused.json()["errors"]] == ["The amount due is 200.00 yuan"]
    full = HEADER + "HJ004,,HA-2026,200,2026-03-05,银行,B78,农商行\n"
    paid = await client.post("/imports/premiums", files=upload(full.encode()), headers=admin)
    assert (paid.json()["policies_created"], paid.json()["policies_activated"]) == (0, 1)

    async def state(session: AsyncSession) -> tuple[str, int, bool]:
        policy = await session.scalar(select(Policy).where(Policy.number == number))
        assert policy is not None
        return policy.status, policy.premium_paid_fen, policy.activated_at is not None

    assert await run_in_db(settings, state) == ("active", 20_000, True)


def test_cli_imports_with_a_summary_and_every_bad_row(
    settings: Settings, monkeypatch: MonkeyPatch, tmp_path: Path
) -> None:
    asyncio.run(world(settings))
    monkeypatch.setattr("core.cli.get_settings", lambda: settings)
    path = tmp_path / "缴费清单.csv"
    path.write_bytes(FILE)
    runner = CliRunner()
    result = runner.invoke(cli.import_premiums, [str(path), "--actor", "clerk"])
    assert result.exit_code == 1, result.output
    assert "7 rows: 2 payments recorded, 2 households enrolled, 2 policies activated" in result.output
    assert "line 5\tamount\twrong_amount" in result.output
    again = runner.invoke(cli.import_premiums, [str(path)])
    assert (
        "0 payments recorded, 0 households enrolled, 0 policies activated; 2 already recorded" in again.output
    )
    path.write_bytes(FILE.decode("gbk").encode("utf-16"))
    unreadable = runner.invoke(cli.import_premiums, [str(path)])
    assert unreadable.exit_code == 2
    assert "UTF-8" in unreadable.output
