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
import os
import secrets
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from core.clock import BUSINESS_TZ, utcnow
from tests.factories import GIVEN, SURNAMES, phone_number, resident_id
from tests.integration.core.topology import (
    Stack,
    Topology,
    heartbeating,
    lock_waits,
    start_stack,
    unacknowledged,
    wait_for,
)
from tests.servers import create_database, redis_server

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

IMPORT_ROWS = 2_000
# A dead worker's messages go back to the queue 3 s after its last word; a live one speaks to
# Redis at least once a second (dramatiq's --worker-timeout), so it is never taken for dead.
HEARTBEAT_MS = 3_000
QUARTERS = ["2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01"]
VILLAGES = [f"370211{town:03d}{village:03d}" for town in (1, 2) for village in (1, 2, 3)]
UPLOAD = "/imports/households"
# Yesterday in the business calendar, fixed once: a retried body must be the same body.
LOSS_AT = (
    (utcnow() - timedelta(days=1)).astimezone(BUSINESS_TZ).replace(tzinfo=None, microsecond=0).isoformat()
)


@pytest.fixture
async def stack(postgres_base_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    """The production set-up on a fresh database and a Redis of its own (the test reads its keys)."""
    name = f"anju_topology_{secrets.token_hex(4)}"
    database_url = await create_database(postgres_base_url, name, template="anju_template")
    (tmp_path / "logs").mkdir()
    with redis_server() as redis_url:
        topology = Topology(
            env=os.environ
            | {
                "ANJU_ENV": "production",
                "ANJU_DATABASE_URL": database_url,
                "ANJU_BROKER_URL": redis_url,
                "ANJU_BROKER_HEARTBEAT_MS": str(HEARTBEAT_MS),
                "ANJU_SECRET_KEY": secrets.token_urlsafe(32),
                "ANJU_AUDIT_KEY": secrets.token_urlsafe(32),
                "ANJU_AUDIT_CHECKPOINT": str(tmp_path / "audit-checkpoint.json"),
                "ANJU_STORAGE_DIR": str(tmp_path / "files"),
            },
            logs=tmp_path / "logs",
        )
        try:
            running = await start_stack(topology)
            yield running
            await running.close()
        finally:
            topology.stop_all()


def register() -> dict[str, Any]:
    """A household register of IMPORT_ROWS one-person households, as an upload."""
    header = "户编号,村代码,地址,户主姓名,联系电话,姓名,身份证号,与户主关系\n"
    rows = [
        f"TP{n:05d},{VILLAGES[n % len(VILLAGES)]},{n}号,,{phone_number(500_000 + n)},"
        f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[n % len(GIVEN)]},{resident_id(100_000 + n)},户主"
        for n in range(IMPORT_ROWS)
    ]
    return {"file": ("户籍.csv", (header + "\n".join(rows) + "\n").encode(), "text/csv")}


def claim(household: dict[str, Any]) -> dict[str, Any]:
    return {
        "household_id": household["id"],
        "claimant_resident_id": household["resident_id"],
        "claimant_phone": "13800001234",
        "peril": "fire",
        "loss_at": LOSS_AT,
        "loss_place": "东屋厨房",
        "description": "电线老化起火，烧毁厨房家具",
        "estimated_loss_fen": 300_000,
        "payee_name": household["name"],
        "payee_bank_name": "农业银行",
        "payee_account": "6222020200112233",
        "fire_certificate_no": "黄消火证〔2026〕第12号",
    }


async def file_claim(stack: Stack, app: str, household: dict[str, Any]) -> httpx.Response:
    headers = stack.headers("officer", key=f"claim-{household['id']}")
    return await stack.apps[app].post("/claims", json=claim(household), headers=headers)


async def file_through_both(stack: Stack, households: list[dict[str, Any]]) -> dict[str, str]:
    """File a claim for each household, alternately through app a and b, all at once; their ids."""
    filed = await asyncio.gather(*(file_claim(stack, "ab"[n % 2], h) for n, h in enumerate(households)))
    assert [r.status_code for r in filed] == [201] * len(households), [r.text for r in filed]
    return {h["id"]: r.json()["id"] for h, r in zip(households, filed, strict=True)}


async def kill_a_worker_amid_accruals(stack: Stack, accruals: list[tuple[str, str]]) -> dict[str, int]:
    """Request the accruals through both apps; SIGKILL worker_a while both workers are running two
    each (held at the lock on rebate_periods the test takes) and hold more. Returns what each
    worker's broker held unacknowledged at the kill."""
    async with stack.engine.connect() as holder, stack.engine.connect() as probe:
        await holder.execute(text("LOCK TABLE rebate_periods IN EXCLUSIVE MODE"))
        queued = await asyncio.gather(
            *(
                stack.apps["ab"[n % 2]].post(
                    f"/rebates/agreements/{agreement}/accruals",
                    json={"period_start": quarter, "reason": "季度结算"},
                    headers=stack.headers("finance"),
                )
                for n, (agreement, quarter) in enumerate(accruals)
            )
        )
        assert [r.status_code for r in queued] == [202] * len(accruals), [r.text for r in queued]

        async def both_workers_busy() -> bool:
            waits, held = await lock_waits(probe, "rebate_periods"), unacknowledged(stack.redis)
            stack.topology.seen = f"lock waits {waits}, unacknowledged {held}"
            return len(held) == 2 and waits == ["RowShareLock"] * 4

        await wait_for(both_workers_busy, "both workers running two accruals each", topology=stack.topology)
        held_at_kill = unacknowledged(stack.redis)
        stack.topology.kill("worker_a")
        await holder.commit()
    return held_at_kill


async def kill_an_app_amid_import(stack: Stack, households: list[dict[str, Any]]) -> None:
    """SIGKILL app_a while its bulk import and a batch of its claims wait at the lock on households
    the test takes, i.e. in the middle of their transactions."""
    async with stack.engine.connect() as holder, stack.engine.connect() as probe:
        await holder.execute(text("LOCK TABLE households IN EXCLUSIVE MODE"))
        headers = stack.headers("admin", key="register-2026")
        importing = asyncio.create_task(stack.apps["a"].post(UPLOAD, files=register(), headers=headers))
        filing = [asyncio.create_task(file_claim(stack, "a", h)) for h in households]

        async def import_and_claims_waiting() -> bool:
            waits = await lock_waits(probe, "households")
            stack.topology.seen = f"lock waits {waits}"
            # The import's INSERT, and the claim batch's FOR KEY SHARE of the households it names.
            return waits == ["RowExclusiveLock", "RowShareLock"]

        await wait_for(import_and_claims_waiting, "the import and claims waiting", topology=stack.topology)
        stack.topology.kill("app_a")
        await holder.commit()
    for task in [importing, *filing]:
        with pytest.raises(httpx.TransportError):
            await task


async def test_nothing_lost_nothing_twice_when_a_worker_and_an_app_process_die(stack: Stack) -> None:
    households = stack.scene["households"]
    first, second = households[:24], households[24:]
    through_a = first[::2]
    accruals = [(agreement, quarter) for agreement in stack.scene["agreements"] for quarter in QUARTERS]
    registered = await stack.scalar("SELECT count(*) FROM households")

    claim_ids = await file_through_both(stack, first)
    held_at_kill = await kill_a_worker_amid_accruals(stack, accruals)
    await kill_an_app_amid_import(stack, second)
    assert await stack.scalar("SELECT count(*) FROM households") == registered
    assert await stack.scalar("SELECT count(*) FROM claims") == len(first)

    # Every retry goes to the surviving app: a claim filed through app_a before is a replay, one
    # that died with it is filed now; the import goes in once.
    retried = await asyncio.gather(*(file_claim(stack, "b", h) for h in [*through_a, *second]))
    assert [(r.status_code, r.headers.get("Idempotent-Replay")) for r in retried] == [(201, "true")] * len(
        through_a
    ) + [(201, None)] * len(second)
    assert [r.json()["id"] for r in retried[: len(through_a)]] == [claim_ids[h["id"]] for h in through_a]
    imported = await stack.apps["b"].post(
        UPLOAD, files=register(), headers=stack.headers("admin", "register-2026")
    )
    again = await stack.apps["b"].post(UPLOAD, files=register(), headers=stack.headers("admin", "again"))
    assert [(r.status_code, r.json()["households_created"]) for r in (imported, again)] == [
        (200, IMPORT_ROWS),
        (200, 0),
    ]

    async def outbox_drained() -> bool:
        return await stack.scalar("SELECT count(*) FROM outbox_messages WHERE done_at IS NULL") == 0

    await wait_for(outbox_drained, "the outbox drained by the surviving worker", topology=stack.topology)
    # The dead worker's broker leaves the heartbeats once its messages have gone back to the queue.
    dead = [broker_id for broker_id in held_at_kill if broker_id not in heartbeating(stack.redis)]
    redelivered = sum(held_at_kill[broker_id] for broker_id in dead)
    assert (len(dead), redelivered >= 2) == (1, True), held_at_kill

    assert await stack.scalar("SELECT count(*) FROM claims") == len(households)
    reported = "SELECT count(*) FROM audit_events WHERE action = 'claim.reported'"
    assert await stack.scalar(reported) == len(households)
    assert await stack.scalar("SELECT count(*) FROM households") == registered + IMPORT_ROWS
    assert await stack.scalar("SELECT count(*) FROM rebate_periods") == len(accruals)
    # 10 % of each quarter's 100.00 yuan, posted once: no second entry, no reversal.
    entries = "SELECT kind, amount_fen, reverses_id IS NULL FROM rebate_entries"
    assert await stack.rows(entries) == [("accrual", 1_000, True)] * len(accruals)
    runs = (
        "SELECT action FROM audit_events"
        " WHERE action IN ('rebate_period.accrued', 'rebate_period.recomputed')"
    )
    assert await stack.rows(runs) == [("rebate_period.accrued",)] * len(accruals)
    verified = stack.verify_audit()
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert [stack.topology.alive(name) for name in ("app_b", "worker_b", "scheduler")] == [True] * 3
    print(
        f"\nTOPOLOGY seconds={time.monotonic() - stack.topology.began:.1f} claims={len(households)} "
        f"accruals={len(accruals)} redelivered={redelivered} import_rows={IMPORT_ROWS}"
    )
