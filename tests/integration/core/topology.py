"""The production processes for the topology test, started as the README starts them, and what it
reads while they run: PostgreSQL locks and Dramatiq's bookkeeping in Redis.

Each process runs in a session of its own, so `kill` takes it and any child it forked (Dramatiq's
worker processes) with SIGKILL, as a lost machine would. Nothing here sleeps a fixed time: `wait_for`
polls a condition until it holds or its deadline passes.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from core.database import make_engine
from tests.integration.core import topology_world as world
from tests.servers import free_port

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
# Dramatiq's Redis keys (dramatiq/brokers/redis/dispatch.lua): each worker's unacknowledged
# messages, and the last time each broker touched Redis.
ACKS = "dramatiq:__acks__."
HEARTBEATS = "dramatiq:__heartbeats__"


@dataclass
class Topology:
    """The processes of one run, by name, all started with `env`; each one's output in `logs`."""

    env: dict[str, str]
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    began: float = field(default_factory=time.monotonic)
    seen: str = ""  # what the condition being waited for saw last, for the failure message

    def start(self, name: str, argv: list[str], **extra_env: str) -> None:
        with (self.logs / f"{name}.log").open("wb") as log:
            self.processes[name] = subprocess.Popen(
                argv,
                cwd=REPO,
                env=self.env | extra_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start_app(self, name: str, port: int) -> None:
        self.start(
            name,
            [str(BIN / "uvicorn"), "app:create_app", "--factory", "--host", "127.0.0.1", "--port", str(port)],
        )

    def start_worker(self, name: str) -> None:
        self.start(name, [str(BIN / "dramatiq"), "worker", "--processes", "1", "--threads", "2"])

    def start_scheduler(self) -> None:
        self.start("scheduler", [str(BIN / "periodiq"), "worker"], TZ="Asia/Shanghai")

    def alive(self, name: str) -> bool:
        return self.processes[name].poll() is None

    def kill(self, name: str) -> None:
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def log_tail(self) -> str:
        return f"last seen: {self.seen}\n" + "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.logs.iterdir())
        )


@dataclass
class Stack:
    """The running topology as the test talks to it: an HTTP client per app process, a login per
    user, the world's ids, and the database and Redis to read the outcome from."""

    topology: Topology
    apps: dict[str, httpx.AsyncClient]
    tokens: dict[str, str]
    scene: dict[str, Any]
    engine: AsyncEngine
    redis: redis.Redis

    def headers(self, username: str, key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.tokens[username]}"}
        return headers | ({"Idempotency-Key": key} if key else {})

    async def scalar(self, sql: str) -> int:
        async with self.engine.connect() as connection:
            return int((await connection.execute(text(sql))).scalar_one())

    async def rows(self, sql: str) -> list[tuple[Any, ...]]:
        async with self.engine.connect() as connection:
            return [tuple(row) for row in (await connection.execute(text(sql))).all()]

    def verify_audit(self) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "litestar"), "--app", "app:create_app", "anju", "verify-audit"],
            cwd=REPO,
            env=self.topology.env,
            capture_output=True,
            text=True,
        )

    async def close(self) -> None:
        for client in self.apps.values():
            await client.aclose()
        await self.engine.dispose()
        self.redis.close()


async def start_stack(topology: Topology) -> Stack:
    """Arrange the world while two app processes, two workers and the scheduler start; log in."""
    arranging = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.core.topology_world"],
        cwd=REPO,
        env=topology.env,
        stdout=subprocess.PIPE,
    )
    ports = {"a": free_port(), "b": free_port()}
    for name, port in ports.items():
        topology.start_app(f"app_{name}", port)
    topology.start_worker("worker_a")
    topology.start_worker("worker_b")
    topology.start_scheduler()
    stdout, _ = await asyncio.to_thread(arranging.communicate, timeout=60)
    assert arranging.returncode == 0, topology.log_tail()
    apps = {
        name: httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30)
        for name, port in ports.items()
    }
    for client in apps.values():
        await wait_for(lambda client=client: serving(client), "the app processes serving", topology=topology)
    tokens = {}
    for username in world.USERS:
        response = await apps["a"].post(
            "/auth/login", json={"username": username, "password": world.PASSWORD}
        )
        assert response.status_code == 200, response.text
        tokens[username] = response.json()["access_token"]
    return Stack(
        topology,
        apps,
        tokens,
        json.loads(stdout),
        make_engine(topology.env["ANJU_DATABASE_URL"]),
        redis.Redis.from_url(topology.env["ANJU_BROKER_URL"]),
    )


async def wait_for(
    condition: Callable[[], Awaitable[bool]], what: str, *, topology: Topology, seconds: float = 45
) -> None:
    """Poll `condition` until it holds; fail naming `what` (with the processes' logs) past the deadline."""
    deadline = time.monotonic() + seconds
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s\n{topology.log_tail()}")
        await asyncio.sleep(0.05)


async def serving(client: httpx.AsyncClient) -> bool:
    try:
        return (await client.get("/health")).status_code == 200
    except httpx.TransportError:
        return False


async def lock_waits(connection: AsyncConnection, table: str) -> list[str]:
    """The lock modes the backends waiting for `table` wait for (others, such as the audit chain's
    advisory lock, may come and go meanwhile)."""
    rows = await connection.execute(
        text(
            "SELECT l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE c.relname = :table AND NOT l.granted ORDER BY l.mode"
        ),
        {"table": table},
    )
    return [str(mode) for (mode,) in rows.all()]


def unacknowledged(client: redis.Redis) -> dict[str, int]:
    """Per Redis broker (one per worker process): how many messages it holds fetched, not acknowledged."""
    held: dict[str, int] = {}
    for key in client.scan_iter(match=f"{ACKS}*"):
        broker_id = key.decode()[len(ACKS) :].split(".", 1)[0]
        held[broker_id] = held.get(broker_id, 0) + int(client.scard(key))
    return held


def heartbeating(client: redis.Redis) -> set[str]:
    """The brokers Dramatiq still counts as alive (a dead one is dropped once its messages are requeued)."""
    return {member.decode() for member in client.zrange(HEARTBEATS, 0, -1)}
