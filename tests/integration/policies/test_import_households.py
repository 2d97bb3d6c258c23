"""The household import over HTTP and the CLI: counts, bad rows, idempotent re-runs, denials, bad files."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import msgspec
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import AsyncTestClient
from openpyxl import Workbook
from pytest import MonkeyPatch
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import create_app
from core.audit import AuditEvent
from core.auth import Role
from core.settings import Settings
from policies import cli
from policies.imports.services import ImportReport, import_households
from policies.models import Household, Person
from tests.conftest import login, make_user, run_in_db
from tests.factories import region_tree, resident_id

Client = AsyncTestClient[Litestar]
V1, V2 = "370211001001", "370211002001"  # villages in two towns of region_tree's district
HEADER = "户编号,村代码,地址,户主姓名,联系电话,姓名,身份证号,与户主关系\n"
GOOD = [
    f"HJ001,{V1},前石村1号,张建国,13800000001,张建国,{resident_id(9001)},户主",
    f"HJ001,{V1},前石村1号,张建国,13800000001,王秀英,{resident_id(9002)},配偶",
    f"HJ002,{V2},后石村8号,,0532-86001234,李志强,{resident_id(9003)},户主",
]
WRONG_CHECK_DIGIT = resident_id(9004)[:17] + ("1" if resident_id(9004)[17] == "0" else "0")
BAD = [
    f"HJ002,{V2},后石村8号,,0532-86001234,李明,{WRONG_CHECK_DIGIT},子女",  # line 5
    f"HJ003,370211009009,某村,,13800000003,赵伟,{resident_id(9005)},户主",  # line 6: unknown village
    f"HJ001,{V1},前石村1号,张建国,13800000001,张芳,{resident_id(9001)},子女",  # line 7: duplicate ID
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE = (HEADER + "\n".join(GOOD + BAD) + "\n").encode("gbk")


async def counts(settings: Settings) -> tuple[int, int, int]:
    async def work(session: AsyncSession) -> tuple[int, int, int]:
        households = await session.scalar(select(func.count()).select_from(Household)) or 0
        people = await session.scalar(select(func.count()).select_from(Person)) or 0
        imports = await session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "households.imported")
        )
        return households, people, imports or 0

    return await run_in_db(settings, work)


async def setup(settings: Settings) -> None:
    await run_in_db(settings, region_tree)
    await make_user(settings, "admin", Role.ADMIN, [])


def upload(data: bytes, filename: str = "户籍.csv", media: str = "text/csv") -> dict[str, Any]:
    return {"file": (filename, data, media)}


async def test_admin_import_reports_bad_rows_and_a_rerun_changes_nothing(
    client: Client, settings: Settings
) -> None:
    await setup(settings)
    admin = await login(client, "admin")
    first = await client.post("/imports/households", files=upload(FILE), headers=admin)
    assert first.status_code == 200, first.text
    body = first.json()
    assert {k: body[k] for k in ("rows", "households_created", "people_created", "bad_rows")} == {
        "rows": 6,
        "households_created": 2,
        "people_created": 3,
        "bad_rows": 3,
    }
    assert [(e["line"], e["code"]) for e in body["errors"]] == [
        (5, "invalid_resident_id"),
        (6, "unknown_village"),
        (7, "duplicate_resident_id"),
    ]
    assert await counts(settings) == (2, 3, 1)

    async def check_rows(session: AsyncSession) -> None:
        household = await session.scalar(select(Household).where(Household.household_no == "HJ002"))
        assert household is not None
        assert (household.village_code, household.head_name, household.phone) == (
            V2,
            "李志强",
            "0532-86001234",
        )
        event = await session.scalar(select(AuditEvent).where(AuditEvent.action == "households.imported"))
        assert event is not None
        assert (event.actor, event.subject_id, event.region_code) == ("admin", body["file_sha256"], "370211")
        assert event.after["people_created"] == 3

    await run_in_db(settings, check_rows)

    again = await client.post("/imports/households", files=upload(FILE), headers=admin)
    assert (again.json()["people_created"], again.json()["already_enrolled"]) == (0, 3)
    assert again.json()["households_existing"] == 2
    assert await counts(settings) == (2, 3, 1)

    fixed = HEADER + BAD[0].replace(WRONG_CHECK_DIGIT, resident_id(9004)) + "\n"
    added = await client.post("/imports/households", files=upload(fixed.encode()), headers=admin)
    assert (added.json()["households_created"], added.json()["people_created"]) == (0, 1)
    assert await counts(settings) == (2, 4, 2)


async def test_xlsx_upload_and_idempotency_key_replay(client: Client, settings: Settings) -> None:
    await setup(settings)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in [HEADER.strip(), *GOOD]:
        sheet.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    xlsx = upload(
        out.getvalue(), "户籍.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    admin = await login(client, "admin") | {"Idempotency-Key": "import-1"}
    first = await client.post("/imports/households", files=xlsx, headers=admin)
    assert (first.status_code, first.json()["people_created"], first.json()["bad_rows"]) == (200, 3, 0)
    replay = await client.post("/imports/households", files=xlsx, headers=admin)
    assert replay.json() == first.json()
    assert replay.headers["Idempotent-Replay"] == "true"


async def test_only_admins_and_liaisons_in_their_own_villages_may_import(
    client: Client, settings: Settings
) -> None:
    await setup(settings)
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"])
    await make_user(settings, "auditor", Role.AUDITOR, ["370211"])
    await make_user(settings, "liaison", Role.LIAISON, [V1])
    assert (await client.post("/imports/households", files=upload(FILE))).status_code == 401
    for user in ("officer", "auditor"):
        denied = await client.post(
            "/imports/households", files=upload(FILE), headers=await login(client, user)
        )
        assert (denied.status_code, denied.json()["code"]) == (403, "forbidden")
    assert await counts(settings) == (0, 0, 0)

    liaison = await login(client, "liaison")
    response = await client.post("/imports/households", files=upload(FILE), headers=liaison)
    body = response.json()
    assert (body["households_created"], body["people_created"]) == (1, 2)
    assert [(e["line"], e["code"]) for e in body["errors"] if e["code"] == "village_out_of_scope"] == [
        (4, "village_out_of_scope"),
        (5, "village_out_of_scope"),
    ]
    assert await counts(settings) == (1, 2, 1)


async def test_bad_files_are_refused_and_change_nothing(client: Client, settings: Settings) -> None:
    await setup(settings)
    admin = await login(client, "admin")
    refused = [
        (upload(FILE.decode("gbk").encode("utf-16")), 422, "import_encoding_unsupported"),
        (
            upload(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png", "image/png"),
            422,
            "import_file_unsupported",
        ),
        (upload(b"%PDF-1.7", "scan.pdf", "application/pdf"), 422, "import_file_unsupported"),
        (upload(FILE, "book.xlsx"), 422, "import_file_unsupported"),
        (upload(b"name,phone\n", "a.csv"), 422, "import_columns_invalid"),
    ]
    for files, status, code in refused:
        response = await client.post("/imports/households", files=files, headers=admin)
        assert (response.status_code, response.json()["code"]) == (status, code), response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    not_multipart = await client.post("/imports/households", json={"rows": []}, headers=admin)
    assert (not_multipart.status_code, not_multipart.json()["code"]) == (415, "unsupported_media_type")
    assert await counts(settings) == (0, 0, 0)


async def test_an_oversized_upload_is_refused(settings: Settings) -> None:
    await setup(settings)
    small = create_app(msgspec.structs.replace(settings, max_upload_bytes=len(FILE) + 100))
    async with AsyncTestClient(app=small) as client:
        admin = await login(client, "admin")
        big = FILE + b"\n" * 4096
        response = await client.post("/imports/households", files=upload(big), headers=admin)
        assert (response.status_code, response.json()["code"]) == (413, "too_large"), response.text
    assert await counts(settings) == (0, 0, 0)


def test_cli_imports_with_a_summary_and_every_bad_row(
    settings: Settings, monkeypatch: MonkeyPatch, tmp_path: Path
) -> None:
    asyncio.run(run_in_db(settings, region_tree))
    monkeypatch.setattr("core.cli.get_settings", lambda: settings)
    path = tmp_path / "户籍.csv"
    path.write_bytes(FILE)
    runner = CliRunner()
    result = runner.invoke(cli.import_households, [str(path), "--actor", "clerk"])
    assert result.exit_code == 1, result.output
    assert "2 households and 3 people imported" in result.output
    assert "3 bad rows" in result.output
    for line in ("line 5\tresident_id\tinvalid_resident_id", "line 6\tvillage_code", "line 7\tresident_id"):
        assert line in result.output
    again = runner.invoke(cli.import_households, [str(path)])
    assert "0 households and 0 people imported; 3 people already enrolled" in again.output
    assert asyncio.run(counts(settings)) == (2, 3, 1)

    path.write_bytes(b"\xff\xfe\x00\x00garbage")
    unreadable = runner.invoke(cli.import_households, [str(path)])
    assert unreadable.exit_code == 2
    assert "UTF-8" in unreadable.output


async def test_the_import_reports_its_progress(settings: Settings) -> None:
    villages = await run_in_db(settings, region_tree)
    rows = [
        f"H{n},{villages[0]},某路{n}号,1380000{n:04d},户主{n},{number},户主"
        for n, number in enumerate(resident_id(n, birth="19550505") for n in range(30))
    ]
    data = ("户编号,村代码,地址,联系电话,姓名,身份证号,与户主关系\n" + "\n".join(rows)).encode("utf-8-sig")
    seen: list[tuple[str, int, int]] = []

    async def work(session: AsyncSession) -> ImportReport:
        return await import_households(
            session, data, filename="x.csv", actor="t", progress=lambda *step: seen.append(step)
        )

    report = await run_in_db(settings, work)
    assert (report.households_created, report.people_created, report.bad_rows) == (30, 30, 0)
    assert seen[0] == ("check", 30, 30)
    assert seen[-1] == ("insert", 60, 60)
