"""The production topology under faults: PostgreSQL, Redis, two app processes, two `dramatiq worker`
processes and the `periodiq` scheduler, started as the README starts them.

Claims are filed through both app processes; a worker is killed with SIGKILL while it holds
accruals it has started; an app process is killed with SIGKILL in the middle of a bulk import (and
of claims being filed). To catch each process in the middle of its work, the test holds a table
lock the work needs and waits until PostgreSQL shows the work waiting for it; then it kills, and
lets go. Afterwards nothing is lost, nothing is done twice, the outbox is drained and
`verify-audit` finds the chain intact.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.database import make_engine
from tests.factories import GIVEN, SURNAMES, phone_number, resident_id
from tests.integration.core import topology_world as world
from tests.integration.core.topology import (
    REPO,
    Topology,
    heartbeating,
    lock_waits,
    serving,
    unacknowledged,
    wait_for,
)
from tests.servers import create_database, free_port, redis_server

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

IMPORT_ROWS = 2_000
HEARTBEAT_MS = 2_000  # a dead worker's messages go back to the queue 2 s after its last word
QUARTERS = ["2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01"]


@pytest.fixture
def topology_redis() -> Iterator[str]:
    """A Redis of the test's own: its keys are read to count what the dead worker held."""
    with redis_server() as url:
        yield url


@pytest.fixture
async def topology(postgres_base_url: str, topology_redis: str, tmp_path: Path) -> AsyncIterator[Topology]:
    database_url = await create_database(
        postgres_base_url, f"anju_topology_{secrets.token_hex(4)}", "anju_template"
    )
    (tmp_path / "logs").mkdir()
    running = Topology(
        env={
            **os.environ,
            "ANJU_ENV": "production",
            "ANJU_DATABASE_URL": database_url,
            "ANJU_BROKER_URL": topology_redis,
            "ANJU_BROKER_HEARTBEAT_MS": str(HEARTBEAT_MS),
            "ANJU_SECRET_KEY": secrets.token_urlsafe(32),
            "ANJU_AUDIT_KEY": secrets.token_urlsafe(32),
            "ANJU_AUDIT_CHECKPOINT": str(tmp_path / "audit-checkpoint.json"),
            "ANJU_STORAGE_DIR": str(tmp_path / "files"),
        },
        logs=tmp_path / "logs",
    )
    try:
        yield running
    finally:
        running.stop_all()


def import_file() -> bytes:
    header = "户编号,村代码,地址,户主姓名,联系电话,姓名,身份证号,与户主关系\n"
    villages = [f"370211{t:03d}{v:03d}" for t in (1, 2) for v in (1, 2, 3)]
    rows = [
        f"TP{n:05d},{villages[n % 6]},{n}号,,{phone_number(500_000 + n)},"
        f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[n % len(GIVEN)]},{resident_id(100_000 + n)},户主"
        for n in range(IMPORT_ROWS)
    ]
    return (header + "\n".join(rows) + "\n").encode()


def claim(household: dict[str, Any]) -> dict[str, Any]:
    return {
        "household_id": household["id"],
        "claimant_resident_id": household["resident_id"],
        "claimant_phone": "13800001234",
        "peril": "fire",
        "loss_at": "2026-11-30T20:00:00",
        "loss_place": "东屋厨房",
        "description": "电线老化起火，烧毁厨房家具",
        "estimated_loss_fen": 300_000,
        "payee_name": household["name"],
        "payee_bank_name": "农业银行",
        "payee_account": "6222020200112233",
        "fire_certificate_no": "黄消火证〔2026〕第12号",
    }


async def file_claim(client: httpx.AsyncClient, token: str, household: dict[str, Any]) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"claim-{household['id']}"}
    return await client.post("/claims", json=claim(household), headers=headers)


async def scalar(engine: AsyncEngine, sql: str) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text(sql))).scalar_one())


async def rows(engine: AsyncEngine, sql: str) -> list[tuple[Any, ...]]:
    async with engine.connect() as connection:
        params = {"requested": "rebate_period.accrual_requested"}
        return [tuple(row) for row in (await connection.execute(text(sql), params)).all()]


async def test_nothing_lost_nothing_twice_when_a_worker_and_an_app_process_die(topology: Topology) -> None:
    began = time.monotonic()
    env = topology.env
    ports = {"app_a": free_port(), "app_b": free_port()}
    arranging = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.core.topology_world"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
    )
    for name, port in ports.items():
        topology.start_app(name, port)
    topology.start_worker("worker_a")
    topology.start_worker("worker_b")
    topology.start_scheduler()
    stdout, _ = await asyncio.to_thread(arranging.communicate, timeout=60)
    assert arranging.returncode == 0, topology.log_tail()
    scene = json.loads(stdout)
    a = httpx.AsyncClient(base_url=f"http://127.0.0.1:{ports['app_a']}", timeout=30)
    b = httpx.AsyncClient(base_url=f"http://127.0.0.1:{ports['app_b']}", timeout=30)
    for port in ports.values():

        async def up(port: int = port) -> bool:
            return await serving(f"http://127.0.0.1:{port}")

        await wait_for(up, "the app processes serving", topology=topology)
    tokens = {}
    for username in world.USERS:
        response = await a.post("/auth/login", json={"username": username, "password": world.PASSWORD})
        assert response.status_code == 200, response.text
        tokens[username] = response.json()["access_token"]
    officer, finance, admin = tokens["officer"], tokens["finance"], tokens["admin"]
    engine = make_engine(env["ANJU_DATABASE_URL"])
    broker_redis = redis.Redis.from_url(env["ANJU_BROKER_URL"])
    households = scene["households"]
    registered = await scalar(engine, "SELECT count(*) FROM households")
    first, through_a, second = households[:24], households[:24:2], households[24:]

    # Claims through both app processes at once.
    filed = await asyncio.gather(*(file_claim((a, b)[n % 2], officer, h) for n, h in enumerate(first)))
    assert [r.status_code for r in filed] == [201] * len(first), [
        r.text for r in filed if r.status_code != 201
    ]
    numbers = {h["id"]: r.json()["id"] for h, r in zip(first, filed, strict=True)}

    # Accruals requested through both, started by both workers, stuck on the lock the test holds.
    held = await engine.connect()
    await held.begin()
    await held.execute(text("LOCK TABLE rebate_periods IN EXCLUSIVE MODE"))
    requests = [(agreement, quarter) for agreement in scene["agreements"] for quarter in QUARTERS]
    queued = await asyncio.gather(
        *(
            (a, b)[n % 2].post(
                f"/rebates/agreements/{agreement}/accruals",
                json={"period_start": quarter, "reason": "季度结算"},
                headers={"Authorization": f"Bearer {finance}"},
            )
            for n, (agreement, quarter) in enumerate(requests)
        )
    )
    assert [r.status_code for r in queued] == [202] * len(requests), [r.text for r in queued]
    async with engine.connect() as probe:

        async def both_workers_busy() -> bool:
            waits, held = await lock_waits(probe), unacknowledged(broker_redis)
            topology.seen = f"lock waits {waits}, unacknowledged {held}"
            return len(held) == 2 and len(waits) == 4

        await wait_for(both_workers_busy, "both workers running two accruals each", topology=topology)
    held_at_kill = unacknowledged(broker_redis)
    topology.kill("worker_a")
    await held.commit()

    # An app process killed in the middle of a bulk import and of claims being filed through it.
    await held.begin()
    await held.execute(text("LOCK TABLE households IN EXCLUSIVE MODE"))
    upload = {"file": ("户籍.csv", import_file(), "text/csv")}
    admin_headers = {"Authorization": f"Bearer {admin}", "Idempotency-Key": "register-2026"}
    importing = asyncio.create_task(a.post("/imports/households", files=upload, headers=admin_headers))
    filing = [asyncio.create_task(file_claim(a, officer, h)) for h in second]
    async with engine.connect() as probe:

        async def import_and_claims_waiting() -> bool:
            waits = await lock_waits(probe)
            topology.seen = f"lock waits {waits}"
            return len(waits) >= 2

        await wait_for(import_and_claims_waiting, "the import and a claim batch waiting", topology=topology)
    topology.kill("app_a")
    await held.commit()
    await held.close()
    for task in [importing, *filing]:
        with pytest.raises(httpx.TransportError):
            await task
    assert await scalar(engine, "SELECT count(*) FROM households") == registered
    assert await scalar(engine, "SELECT count(*) FROM claims") == len(first)

    # Every retry goes to the surviving process: a claim that was filed is a replay, one that died
    # with app_a is filed now; the import goes in once.
    retried = await asyncio.gather(*(file_claim(b, officer, h) for h in [*through_a, *second]))
    assert [r.status_code for r in retried] == [201] * len(retried)
    assert [r.headers.get("Idempotent-Replay") for r in retried] == ["true"] * len(through_a) + [None] * len(
        second
    )
    assert [r.json()["id"] for r in retried[: len(through_a)]] == [numbers[h["id"]] for h in through_a]
    imported = await b.post("/imports/households", files=upload, headers=admin_headers)
    assert imported.status_code == 200, imported.text
    assert (imported.json()["households_created"], imported.json()["people_created"]) == (
        IMPORT_ROWS,
        IMPORT_ROWS,
    )
    again = await b.post(
        "/imports/households", files=upload, headers=admin_headers | {"Idempotency-Key": "again"}
    )
    assert (again.json()["households_created"], again.json()["people_created"]) == (0, 0)

    async def outbox_drained() -> bool:
        return await scalar(engine, "SELECT count(*) FROM outbox_messages WHERE done_at IS NULL") == 0

    await wait_for(outbox_drained, "the outbox drained by the surviving worker", topology=topology)
    dead = [broker_id for broker_id in held_at_kill if broker_id not in heartbeating(broker_redis)]
    redelivered = sum(held_at_kill[broker_id] for broker_id in dead)
    assert len(dead) == 1 and redelivered >= 2, held_at_kill

    assert await scalar(engine, "SELECT count(*) FROM claims") == len(households)
    assert await scalar(engine, "SELECT count(*) FROM audit_events WHERE action = 'claim.reported'") == len(
        households
    )
    assert await scalar(engine, "SELECT count(*) FROM rebate_periods") == len(requests)
    # 10 % of each quarter's 100.00 yuan, posted once: no second entry, no reversal.
    entries = "SELECT kind, amount_fen, reverses_id IS NULL FROM rebate_entries"
    assert await rows(engine, entries) == [("accrual", 1_000, True)] * len(requests)
    accruals = "SELECT action FROM audit_events WHERE action LIKE 'rebate_period.%' AND action <> :requested"
    assert await rows(engine, accruals) == [("rebate_period.accrued",)] * len(requests)
    assert await scalar(engine, "SELECT count(*) FROM households") == registered + IMPORT_ROWS
    verified = subprocess.run(
        [str(Path(sys.executable).parent / "litestar"), "--app", "app:create_app", "anju", "verify-audit"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert [topology.alive(name) for name in ("app_b", "worker_b", "scheduler")] == [True, True, True]
    await engine.dispose()
    await a.aclose()
    await b.aclose()
    print(
        f"\nTOPOLOGY seconds={time.monotonic() - began:.1f} claims={len(households)} "
        f"accruals={len(requests)} redelivered={redelivered} import_rows={IMPORT_ROWS}"
    )
