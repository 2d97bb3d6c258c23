"""Issue 2 as a whole: settings, SQLite tuning, error format, audit scope, and every role's denials."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar import Litestar, get
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app import create_app
from core.audit import AuditEvent, record
from core.auth import Role
from core.database import make_engine
from core.outbox import enqueue, outbox_actor
from core.settings import DEVELOPMENT_SECRET, Settings, get_settings
from policies import demo, importer, services
from policies.domain import Funding
from policies.models import Household, Person, Policy, PremiumPayment, Program, Region
from tests import factories
from tests.conftest import PASSWORD, add_actors, login, make_user, run_in_db
from users.models import User

Client = AsyncTestClient[Litestar]
REPO = Path(__file__).resolve().parents[2]
ROLES = [role for role in Role if role is not Role.ADMIN]


def test_settings_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("ANJU_"):
            monkeypatch.delenv(name)
    defaults = get_settings.__wrapped__()  # past the lru_cache
    assert defaults.database_url == "sqlite+aiosqlite:///var/anju.db"
    assert (defaults.broker_url, defaults.storage_dir) == ("", Path("var/files"))
    assert defaults.secret_key == DEVELOPMENT_SECRET
    assert (defaults.max_upload_bytes, defaults.token_hours, defaults.debug) == (10 * 1024 * 1024, 12, False)

    monkeypatch.setenv("ANJU_DATABASE_URL", "postgresql+asyncpg://anju:pw@db/anju")
    monkeypatch.setenv("ANJU_BROKER_URL", "redis://redis:6379/0")
    monkeypatch.setenv("ANJU_STORAGE_DIR", "/srv/anju/files")
    monkeypatch.setenv("ANJU_SECRET_KEY", "s3cret")
    monkeypatch.setenv("ANJU_MAX_UPLOAD_BYTES", "2048")
    configured = get_settings.__wrapped__()
    assert configured.database_url == "postgresql+asyncpg://anju:pw@db/anju"
    assert (configured.broker_url, configured.storage_dir) == (
        "redis://redis:6379/0",
        Path("/srv/anju/files"),
    )
    assert (configured.secret_key, configured.max_upload_bytes) == ("s3cret", 2048)


async def test_engine_is_tuned_for_a_service(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                pragmas = [
                    (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar()
                    for name in ("journal_mode", "foreign_keys", "busy_timeout")
                ]
                assert pragmas == ["wal", 1, 30000]
            else:
                assert (engine.dialect.name, engine.dialect.driver) == ("postgresql", "asyncpg")
                assert (await connection.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await engine.dispose()


def assert_problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code
    assert body["message_zh"] and body["message_en"]
    assert re.search(r"[\u4e00-\u9fff]", body["message_zh"]), body


async def test_framework_errors_are_problems_too(settings: Settings) -> None:
    @get("/boom", sync_to_thread=False)
    def boom() -> None:
        raise RuntimeError("unexpected")

    await make_user(settings, "admin", Role.ADMIN, [])
    app = create_app(msgspec.structs.replace(settings, max_upload_bytes=1000))
    app.register(boom)
    async with AsyncTestClient(app=app) as client:
        assert_problem(await client.get("/households"), 401, "not_authenticated")
        admin = await login(client, "admin")
        assert_problem(await client.get("/no-such-route", headers=admin), 404, "not_found")
        assert_problem(await client.delete("/programs", headers=admin), 405, "method_not_allowed")
        big = {"file": ("big.csv", b"x" * 5000, "text/csv")}
        assert_problem(await client.post("/imports/households", files=big, headers=admin), 413, "too_large")
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        assert_problem(
            await client.post("/households", content=b"a=b", headers=admin | form), 400, "bad_request"
        )
        json_to_csv = await client.post("/regions/import", json={"code": "370211"}, headers=admin)
        assert_problem(json_to_csv, 415, "unsupported_media_type")
        assert_problem(
            await client.get("/households", params={"limit": "x"}, headers=admin), 400, "validation_failed"
        )
        assert_problem(await client.get("/boom", headers=admin), 500, "internal_error")
        assert "unexpected" not in (await client.get("/boom", headers=admin)).text
        page = await client.get("/schema")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")


async def test_audit_events_commit_or_roll_back_with_their_change(settings: Settings) -> None:
    villages = await run_in_db(settings, factories.region_tree)

    async def audited(session: AsyncSession) -> tuple[int, int]:
        households = await session.scalar(select(func.count()).select_from(Household)) or 0
        events = await session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        return households, events

    before = await run_in_db(settings, audited)

    async def register_then_fail(session: AsyncSession) -> None:
        await factories.household(session, villages[0])
        raise RuntimeError("the change fails after its audit event was written")

    with pytest.raises(RuntimeError):
        await run_in_db(settings, register_then_fail)
    assert await run_in_db(settings, audited) == before
    await run_in_db(settings, lambda session: factories.household(session, villages[0]))
    assert await run_in_db(settings, audited) == (before[0] + 1, before[1] + 1)


# --- who may do what on households, programs, policies and premiums --------------------------------


async def arrange_two_districts(settings: Settings) -> dict[str, str]:
    """370211 (villages v0, v1) with a blanket and a voluntary program; 370212 with its own program."""

    async def work(session: AsyncSession) -> dict[str, str]:
        villages = await factories.region_tree(session)
        far_village = (await factories.region_tree(session, district="370212", towns=1, villages_per_town=1))[
            0
        ]
        home = await factories.household(session, villages[0], members=3)
        neighbour = await factories.household(session, villages[1])
        far = await factories.household(session, far_village)
        voluntary = await factories.program(session, region_code="370211", starts_on=date(2026, 1, 1))
        blanket_program = await factories.program(
            session, funding=Funding.DISTRICT, region_code="370211", premium_fen=200_000_000, term_months=12
        )
        far_program = await factories.program(session, region_code="370212")
        home_policy = await factories.active_policy(session, home, voluntary, starts_on=date(2026, 1, 1))
        neighbour_policy = await services.issue_household_policy(
            session, actor="t", household_id=neighbour.id, program_id=voluntary.id, starts_on=date(2026, 1, 1)
        )
        far_policy = await factories.active_policy(session, far, far_program, starts_on=date(2026, 1, 1))
        blanket = await factories.blanket_policy(session, blanket_program)
        return {
            "v0": villages[0],
            "v1": villages[1],
            "far_village": far_village,
            "home": str(home.id),
            "home_child": str(home.people[2].id),
            "neighbour": str(neighbour.id),
            "far": str(far.id),
            "voluntary": str(voluntary.id),
            "blanket_program": str(blanket_program.id),
            "home_policy": str(home_policy.id),
            "neighbour_policy": str(neighbour_policy.id),
            "far_policy": str(far_policy.id),
            "blanket": str(blanket.id),
        }

    ids = await run_in_db(settings, work)
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "resident", Role.RESIDENT, [], household_id=ids["home"])
    await make_user(settings, "liaison", Role.LIAISON, [ids["v0"]])
    for role in (Role.ADJUSTER, Role.CLAIMS_OFFICER, Role.FINANCE, Role.AUDITOR):
        await make_user(settings, role.value, role, ["370211"])
    return ids


async def snapshot(settings: Settings) -> dict[str, Any]:
    async def work(session: AsyncSession) -> dict[str, Any]:
        counted = {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Household, Person, Program, Policy, PremiumPayment, Region, User, AuditEvent)
        }
        policies = await session.execute(select(Policy.id, Policy.status, Policy.premium_paid_fen))
        addresses = await session.execute(select(Household.id, Household.address, Household.phone))
        return counted | {
            "policies": sorted(map(tuple, policies)),
            "households": sorted(map(tuple, addresses)),
        }

    return await run_in_db(settings, work)


def writes(ids: dict[str, str]) -> list[tuple[str, str, dict[str, Any], frozenset[Role]]]:
    """Every enrollment write: method, path, request arguments, and the roles it is open to."""
    household = {
        "village_code": ids["v0"],
        "address": "幸福路 9 号",
        "phone": "13800009999",
        "members": [
            {
                "name": "新户主",
                "resident_id": factories.resident_id(7001, birth="19650505"),
                "relation": "head",
            }
        ],
    }
    member = {
        "name": "新成员",
        "resident_id": factories.resident_id(7002, birth="19650505"),
        "relation": "child",
    }
    program = {
        "code": "NEW-1",
        "name": "新方案",
        "insurer": "人保财险",
        "funding": "household",
        "region_code": "370211",
        "premium_fen": 20_000,
        "term_months": 12,
        "perils": [{"peril": "fire", "limit_fen": 1_000_000}],
        "per_claim_cap_fen": 1_000_000,
        "starts_on": "2026-01-01",
    }
    payment = {"payer": "李四", "amount_fen": 1_000, "channel": "cash", "receipt_no": "DENIED-1"}
    user = {"username": "newbie", "password": PASSWORD, "role": "liaison", "display_name": "新人"}
    csv = f"户编号,村代码,地址,联系电话,姓名,身份证号,与户主关系\nX1,{ids['v0']},某路,13800001111,赵六,"
    csv += f"{factories.resident_id(7003, birth='19650505')},户主\n"
    home, policy = f"/households/{ids['home']}", f"/policies/{ids['home_policy']}"
    enrollers, admin = frozenset({Role.ADMIN, Role.LIAISON}), frozenset({Role.ADMIN})
    return [
        ("POST", "/households", {"json": household}, enrollers),
        ("PATCH", home, {"json": {"address": "改址"}}, enrollers),
        ("POST", f"{home}/people", {"json": member}, enrollers),
        ("PATCH", f"{home}/people/{ids['home_child']}", {"json": {"name": "改名"}}, enrollers),
        ("DELETE", f"{home}/people/{ids['home_child']}", {}, enrollers),
        (
            "POST",
            "/policies",
            {"json": {"household_id": ids["home"], "program_id": ids["voluntary"]}},
            enrollers,
        ),
        ("POST", "/policies/blanket", {"json": {"program_id": ids["blanket_program"]}}, admin),
        ("POST", f"{policy}/suspend", {"json": {"reason": "核查"}}, admin),
        ("POST", f"{policy}/resume", {"json": {"reason": "核查"}}, admin),
        ("POST", f"{policy}/renew", {}, enrollers),
        ("POST", f"/policies/{ids['neighbour_policy']}/payments", {"json": payment}, admin | {Role.FINANCE}),
        ("POST", "/programs", {"json": program}, admin),
        (
            "POST",
            "/regions/import",
            {"content": "code,name\n370213,新区\n", "headers": {"Content-Type": "text/csv"}},
            admin,
        ),
        ("POST", "/imports/households", {"files": {"file": ("a.csv", csv.encode(), "text/csv")}}, enrollers),
        ("POST", "/users", {"json": user}, admin),
    ]


async def test_every_role_is_refused_the_writes_it_may_not_make(client: Client, settings: Settings) -> None:
    ids = await arrange_two_districts(settings)
    before = await snapshot(settings)
    denied = 0
    for role in ROLES:
        headers = await login(client, role.value)
        for method, path, arguments, allowed in writes(ids):
            if role in allowed:
                continue
            extra = arguments.get("headers", {})
            rest = {k: v for k, v in arguments.items() if k != "headers"}
            response = await client.request(method, path, headers=headers | extra, **rest)
            assert (response.status_code, response.json()["code"]) == (403, "forbidden"), (role, method, path)
            denied += 1
    assert denied > 60
    # Allowed roles, but outside their region: the liaison beyond their village, finance beyond the district.
    liaison, finance = await login(client, "liaison"), await login(client, "finance")
    neighbour_household = {"household_id": ids["neighbour"], "program_id": ids["voluntary"]}
    scope_denials = [
        await client.post("/policies", json=neighbour_household, headers=liaison),
        await client.post(f"/policies/{ids['neighbour_policy']}/renew", headers=liaison),
        await client.post(f"/policies/{ids['blanket']}/renew", headers=liaison),
        await client.patch(f"/households/{ids['neighbour']}", json={"address": "改址"}, headers=liaison),
        await client.post(
            f"/policies/{ids['far_policy']}/payments",
            json={"payer": "王五", "amount_fen": 1, "channel": "cash", "receipt_no": "FAR-1"},
            headers=finance,
        ),
    ]
    for response in scope_denials:
        assert (response.status_code, response.json()["code"]) == (403, "outside_your_region"), response.text
    assert await snapshot(settings) == before


async def test_each_role_reads_only_its_own_scope(client: Client, settings: Settings) -> None:
    ids = await arrange_two_districts(settings)
    district = {ids["home_policy"], ids["neighbour_policy"], ids["blanket"]}
    sees_policies = {
        Role.RESIDENT: {ids["home_policy"]},
        Role.LIAISON: {ids["home_policy"], ids["blanket"]},
        Role.ADJUSTER: district,
        Role.CLAIMS_OFFICER: district,
        Role.FINANCE: district,
        Role.AUDITOR: district,
    }
    sees_households = {Role.RESIDENT: {ids["home"]}, Role.LIAISON: {ids["home"]}}
    for role in ROLES:
        headers = await login(client, role.value)
        listed = (await client.get("/policies", headers=headers)).json()["items"]
        assert {p["id"] for p in listed} == sees_policies[role], role
        households = (await client.get("/households", headers=headers)).json()["items"]
        assert {h["id"] for h in households} == sees_households.get(role, {ids["home"], ids["neighbour"]}), (
            role
        )
        outside = [
            f"/policies/{ids['far_policy']}",
            f"/policies/{ids['far_policy']}/payments",
            f"/households/{ids['far']}",
            f"/households/{ids['far']}/covers",
            f"/regions/{ids['far_village']}",
        ]
        if role in (Role.RESIDENT, Role.LIAISON):
            outside += [
                f"/policies/{ids['neighbour_policy']}",
                f"/policies/{ids['neighbour_policy']}/payments",
                f"/households/{ids['neighbour']}",
                f"/households/{ids['neighbour']}/covers",
            ]
        for path in outside:
            response = await client.get(path, headers=headers)
            assert (response.status_code, response.json()["code"]) == (403, "outside_your_region"), (
                role,
                path,
            )
        assert (await client.get(f"/households/{ids['home']}", headers=headers)).status_code == 200
    admin = await login(client, "admin")
    assert (await client.get("/policies", headers=admin)).json()["total"] == 4


async def test_auditors_read_the_audit_log_of_their_district_only(client: Client, settings: Settings) -> None:
    ids = await arrange_two_districts(settings)

    async def elsewhere(session: AsyncSession) -> None:
        await record(session, actor="t", action="thing.changed", subject_type="thing", subject_id="x")

    await run_in_db(settings, elsewhere)
    auditor = await login(client, "auditor")
    events = (await client.get("/audit/events", params={"limit": 500}, headers=auditor)).json()
    assert events and all((e["region_code"] or "").startswith("370211") for e in events)
    far = await client.get("/audit/events", params={"subject_id": ids["far"]}, headers=auditor)
    assert far.json() == []
    admin = await login(client, "admin")
    assert (
        len((await client.get("/audit/events", params={"subject_id": ids["far"]}, headers=admin)).json()) == 1
    )
    verified = await client.get("/audit/verify", headers=auditor)
    assert verified.json()["ok"] is True
    for role in (Role.RESIDENT, Role.LIAISON, Role.FINANCE, Role.CLAIMS_OFFICER, Role.ADJUSTER):
        response = await client.get("/audit/events", headers=await login(client, role.value))
        assert (response.status_code, response.json()["code"]) == (403, "forbidden"), role


# --- the demo the README promises ---------------------------------------------------------------


async def test_demo_data_is_what_the_readme_says(client: Client, settings: Settings) -> None:
    readme = (REPO / "README.md").read_text()
    assert f"**`{demo.DEMO_PASSWORD}`**" in readme
    towns = len(demo.TOWNS)
    villages = sum(len(names) for _name, names in demo.TOWNS.values())
    assert f"{towns} towns, {villages} villages and {demo.HOUSEHOLDS:,} households" in readme
    listed = re.findall(r"^\| `([a-z_]+)` \| ", readme, flags=re.MULTILINE)
    assert sorted(listed) == sorted(role.value for role in Role)

    await run_in_db(settings, demo.seed)

    async def seeded(session: AsyncSession) -> tuple[dict[str, Any], list[str]]:
        users = {
            u.username: (u.role, list(u.regions), u.household_id) for u in await session.scalars(select(User))
        }
        funding = sorted(await session.scalars(select(Program.funding)))
        return users, funding

    users, funding = await run_in_db(settings, seeded)
    assert funding == ["district", "household"]
    for role in Role:
        user_role, regions, household_id = users[role.value]
        assert user_role == role.value
        if role is Role.ADMIN:
            assert regions == []
        elif role is Role.RESIDENT:
            assert (regions, household_id is not None) == ([], True)
        elif role is Role.LIAISON:
            assert len(regions) == 2 and all(len(code) == 12 for code in regions)
        else:
            assert regions == [demo.DISTRICT[0]]
        response = await client.post(
            "/auth/login", json={"username": role.value, "password": demo.DEMO_PASSWORD}
        )
        assert response.status_code == 200, role


# --- the set-up commands, the outbox at start-up, the import's progress ----------------------------


def test_litestar_database_upgrade_builds_an_empty_database(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "anju.db"
    env = os.environ | {"ANJU_DATABASE_URL": f"sqlite+aiosqlite:///{db}", "ANJU_BROKER_URL": "stub"}
    command = [
        sys.executable,
        "-m",
        "litestar",
        "--app",
        "app:create_app",
        "database",
        "upgrade",
        "--no-prompt",
    ]
    for _ in range(2):  # the second run finds nothing to do
        upgraded = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
        assert upgraded.returncode == 0, upgraded.stderr
    with sqlite3.connect(db) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        head = connection.execute("SELECT version_num FROM alembic_versions").fetchall()
    assert {"households", "people", "programs", "policies", "audit_events", "outbox_messages"} <= tables
    assert len(head) == 1


noted: list[str] = []


@outbox_actor(actor_name="tests.review_noted")
async def note(_session: AsyncSession, value: str) -> None:
    noted.append(value)


async def test_work_lost_before_the_broker_is_sent_again_at_start_up(settings: Settings) -> None:
    noted.clear()

    async def committed(session: AsyncSession) -> None:
        enqueue(session, note, "lost in transit")

    await run_in_db(settings, committed)  # no broker: as if the process died before sending
    assert noted == []
    embedded = create_app(msgspec.structs.replace(settings, broker_url=""))
    add_actors(embedded, note)
    async with AsyncTestClient(app=embedded):
        for _ in range(200):
            if noted:
                break
            await asyncio.sleep(0.05)
    assert noted == ["lost in transit"]


async def test_the_import_reports_its_progress_and_passwords_are_argon2id(settings: Settings) -> None:
    villages = await run_in_db(settings, factories.region_tree)
    rows = [
        f"H{n},{villages[0]},某路{n}号,1380000{n:04d},户主{n},{resident_id},户主"
        for n, resident_id in enumerate(factories.resident_id(n, birth="19550505") for n in range(30))
    ]
    data = ("户编号,村代码,地址,联系电话,姓名,身份证号,与户主关系\n" + "\n".join(rows)).encode("utf-8-sig")
    seen: list[tuple[str, int, int]] = []

    async def work(session: AsyncSession) -> importer.ImportReport:
        return await importer.import_households(
            session, data, filename="x.csv", actor="t", progress=lambda *step: seen.append(step)
        )

    report = await run_in_db(settings, work)
    assert (report.households_created, report.people_created, report.bad_rows) == (30, 30, 0)
    assert seen[0] == ("check", 30, 30)
    assert seen[-1] == ("insert", 60, 60)

    await make_user(settings, "someone", Role.LIAISON, [villages[0]])
    stored = await run_in_db(
        settings, lambda session: session.scalar(select(User.password_hash).where(User.username == "someone"))
    )
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


async def test_large_sums_fit_on_both_databases_and_absurd_ones_are_refused(
    client: Client, settings: Settings
) -> None:
    await run_in_db(settings, factories.region_tree)
    await make_user(settings, "admin", Role.ADMIN, [])
    admin = await login(client, "admin")
    fifty_million_yuan = 50_000_000 * 100  # past a 32-bit integer
    program = {
        "code": "BIG-DISTRICT",
        "name": "大区统保",
        "insurer": "人保财险",
        "funding": "district",
        "region_code": "370211",
        "premium_fen": fifty_million_yuan,
        "term_months": 12,
        "perils": [{"peril": "fire", "limit_fen": 30_000_000 * 100}],
        "per_claim_cap_fen": 30_000_000 * 100,
        "starts_on": "2026-01-01",
    }
    created = await client.post("/programs", json=program, headers=admin)
    assert created.status_code == 201, created.text
    blanket = await client.post("/policies/blanket", json={"program_id": created.json()["id"]}, headers=admin)
    assert blanket.status_code == 201, blanket.text
    lump = {
        "payer": "区财政局",
        "amount_fen": fifty_million_yuan,
        "channel": "district_finance",
        "receipt_no": "CZ",
    }
    paid = await client.post(f"/policies/{blanket.json()['id']}/payments", json=lump, headers=admin)
    assert paid.status_code == 201, paid.text

    before = await snapshot(settings)
    absurd = [
        {"per_claim_cap_fen": 10**15},
        {"combined_cap_fen": 10**15},
        {"perils": [{"peril": "fire", "limit_fen": 10**15}]},
        {"perils": [{"peril": "fire", "limit_fen": 2**63}]},
        {"premium_fen": 2**63},
    ]
    for n, changes in enumerate(absurd):
        response = await client.post(
            "/programs", json=program | {"code": f"ABSURD-{n}"} | changes, headers=admin
        )
        assert response.status_code in (400, 422), (changes, response.text)
        assert response.json()["code"] in ("invalid_program", "validation_failed")
    too_much = lump | {"amount_fen": 2**63, "receipt_no": "CZ-2"}
    response = await client.post(f"/policies/{blanket.json()['id']}/payments", json=too_much, headers=admin)
    assert response.status_code in (400, 422), response.text
    assert await snapshot(settings) == before
