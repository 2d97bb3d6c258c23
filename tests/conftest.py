"""Shared fixtures: a migrated database per test (SQLite and PostgreSQL), the app, users, the worker."""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, cast

# No in-process worker: tests queue messages and run a worker themselves (the `settings` fixture
# says so too; this reaches what reads the environment, such as the CLI in a subprocess).
os.environ["ANJU_BROKER_URL"] = "stub"
os.environ.setdefault("ANJU_VAR_DIR", tempfile.mkdtemp(prefix="anju-test-var-"))
# Real Argon2id, at a cost that lets hundreds of test logins run in seconds.
os.environ["ANJU_ARGON2_TIME_COST"] = "1"
os.environ["ANJU_ARGON2_MEMORY_KIB"] = "1024"

import dramatiq
import hypothesis
import msgspec
import pytest
from advanced_alchemy.alembic.commands import AlembicCommands
from dramatiq.brokers.stub import StubBroker
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from app import create_app
from core import audit_seal
from core.auth import Role, make_hasher
from core.database import alchemy_config, transaction
from core.outbox import OutboxActor, register_actors, session_info
from core.settings import Settings, get_settings
from tests.servers import create_database, postgres_server, redis_server
from users.services import UserService

# Property tests check rules, not speed (speed lives in bench/): no per-example deadline, which a
# busy machine would turn into a flaky failure.
hypothesis.settings.register_profile("anju", deadline=None)
hypothesis.settings.load_profile("anju")

PASSWORD = "correct horse battery"
_counter = itertools.count()


def migrate(url: str) -> None:
    settings = msgspec.structs.replace(get_settings(), database_url=url)
    AlembicCommands(sqlalchemy_config=alchemy_config(settings)).upgrade("head")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "anju.db"
    migrate(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_base_url() -> Iterator[str]:
    with postgres_server() as base_url:
        asyncio.run(create_database(base_url, "anju_template"))
        migrate(f"{base_url}/anju_template")
        yield base_url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A freshly migrated, empty database: every test that uses it runs on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "anju.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    base_url = request.getfixturevalue("postgres_base_url")
    name = f"anju_test_{os.getpid()}_{next(_counter)}"
    return asyncio.run(create_database(base_url, name, template="anju_template"))


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return msgspec.structs.replace(
        get_settings(),
        database_url=database_url,
        storage_dir=tmp_path / "files",
        broker_url="stub",
        audit_checkpoint_path=tmp_path / "audit-checkpoint.json",
    )


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


@pytest.fixture
async def session(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A committed-on-exit session on the test database, for arranging data and checking results."""
    async with transaction(settings.database_url, info=audit_seal.session_info(settings)) as db_session:
        yield db_session


async def run_in_db(settings: Settings, work: Any, *, app: Litestar | None = None) -> Any:
    """Run `await work(session)` in its own committed transaction; with `app`, the outbox messages
    it enqueues go to that app's broker on commit (without, they wait for a redispatch). Its audit
    events are sealed, and the chain checkpointed, with `settings`."""
    info = audit_seal.session_info(settings)
    if app is not None:
        info |= session_info(app.state.broker)
    async with transaction(settings.database_url, info=info) as db_session:
        return await work(db_session)


async def make_user(
    settings: Settings, username: str, role: Role, regions: list[str], household_id: Any = None
) -> None:
    async def create(db_session: AsyncSession) -> None:
        await UserService(db_session, hasher=make_hasher(settings)).create_user(
            actor="test",
            username=username,
            password=PASSWORD,
            role=role,
            display_name=username,
            regions=regions,
            household_id=household_id,
        )

    await run_in_db(settings, create)


async def login(client: AsyncTestClient[Litestar], username: str) -> dict[str, str]:
    response = await client.post("/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def add_actors(app: Litestar, *actors: OutboxActor) -> None:
    """Register a test's own actors on `app`'s broker, as create_app does with the packages' ACTORS."""
    register_actors(app.state.broker, actors, app.state.actor_sessionmaker)


@pytest.fixture
def worker(app: Litestar) -> Iterator[dramatiq.Worker]:
    """A worker on the `app` fixture's broker."""
    broker = app.state.broker
    broker.flush_all()
    running = dramatiq.Worker(broker, worker_timeout=50, worker_threads=1)
    running.start()
    yield running
    running.stop()
    broker.flush_all()


async def drain(worker: dramatiq.Worker) -> None:
    """Wait until every queued message has been processed; re-raise the first actor error."""

    stub = cast(StubBroker, worker.broker)

    def wait() -> None:
        for queue in list(stub.queues):
            stub.join(queue, fail_fast=True)
        worker.join()

    await asyncio.to_thread(wait)
