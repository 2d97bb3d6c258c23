"""Database wiring: the model base, the engine (SQLite tuned for a service, or PostgreSQL), sessions."""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from advanced_alchemy.base import UUIDAuditBase, orm_registry
from advanced_alchemy.extensions.litestar import (
    AlembicAsyncConfig,
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
)
from sqlalchemy import BigInteger, event, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import mapped_column
from sqlalchemy.util import await_

from core.settings import Settings

Base = UUIDAuditBase
metadata = orm_registry.metadata

# The one money column (request and response fields use core.schemas.Fen): integer fen, 64-bit, so a
# district's lump sum fits on PostgreSQL too.
FenColumn = Annotated[int, mapped_column(BigInteger)]

# Execution option marking a transaction that only reads: on SQLite it issues no BEGIN at all.
_READS_ONLY = "anju_reads_only"

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=30000",
)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def tune_engine(engine: AsyncEngine) -> AsyncEngine:
    """SQLite: WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE.

    Every transaction takes the write lock up front, so a read-then-write (the audit chain,
    idempotency keys) never fails half-way with SQLITE_BUSY when another writer got there first.
    The one exception is `reading`, whose statements take no lock and are refused if they write.
    """
    if engine.dialect.name != "sqlite":
        return engine

    database = engine.url.database
    turn_file = f"{database}-writer" if database and database != ":memory:" else None

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()
        if turn_file is not None:
            _forget_turn(dbapi_connection, record)
            record.info[_TURN] = os.open(turn_file, os.O_RDWR | os.O_CREAT, 0o600)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(_READS_ONLY, False):
            return  # each read sees the latest commit, as under PostgreSQL's READ COMMITTED
        turn = connection.connection.info.get(_TURN)
        if turn is not None:
            await_(_wait_for_turn(turn))
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _refuse_writes_while_reading(
        connection: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
    ) -> None:
        # Outside BEGIN, SQLite would commit each write on its own: never let one through.
        if connection.get_execution_options().get(_READS_ONLY, False) and (
            context.isinsert or context.isupdate or context.isdelete or context.isddl
        ):
            raise RuntimeError(f"a write inside `reading`: {statement[:60]}")

    @event.listens_for(engine.sync_engine.pool, "reset")
    def _roll_back_if_open(dbapi_connection: Any, _record: Any, state: Any) -> None:
        # In place of the pool's own rollback-on-return (make_engine turns it off), which would
        # cross to aiosqlite's thread even after a COMMIT, once per request and read.
        open_transaction = dbapi_connection.driver_connection.in_transaction
        if state.asyncio_safe and not state.transaction_was_reset and open_transaction:
            dbapi_connection.rollback()

    event.listen(engine.sync_engine.pool, "checkin", _end_turn)
    event.listen(engine.sync_engine.pool, "close", _forget_turn)
    return engine


# Writers take turns through a lock on a file beside the database, held from BEGIN IMMEDIATE until
# the connection goes back to the pool (after COMMIT or ROLLBACK). SQLite's own lock stays the
# guarantee; this is about waiting well. A writer that finds SQLite's lock taken sleeps in its busy
# handler in growing naps (1, 2, 5 … 100 ms) while the holder, if it has more to write, takes the
# lock straight back: under load one worker process starves for hundreds of milliseconds. The file
# lock is polled every few tenths of a millisecond instead, on the event loop, never blocking it.
_TURN = "anju_writer_turn"
_TURN_POLL_S = 0.0003


async def _wait_for_turn(turn: int) -> None:
    while True:
        try:
            fcntl.flock(turn, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            await asyncio.sleep(_TURN_POLL_S)


def _end_turn(_dbapi_connection: Any, record: Any) -> None:
    turn = record.info.get(_TURN) if record is not None else None
    if turn is not None:
        fcntl.flock(turn, fcntl.LOCK_UN)


def _forget_turn(_dbapi_connection: Any, record: Any) -> None:
    turn = record.info.pop(_TURN, None)
    if turn is not None:
        os.close(turn)  # closing also gives the turn up


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if is_sqlite(url):
        kwargs.setdefault("connect_args", {"timeout": 30})
        kwargs.setdefault("pool_reset_on_return", None)  # tune_engine rolls back only what is open
        if "poolclass" not in kwargs:
            # One connection per process. SQLite lets one transaction write at a time anyway, and
            # this way a process's requests queue for it in the pool, first come first served,
            # instead of each sleeping in SQLite's busy handler (growing naps up to 100 ms).
            kwargs.setdefault("pool_size", 1)
            kwargs.setdefault("max_overflow", 0)
        database = make_url(url).database
        if database and database != ":memory:":  # a fresh checkout has no var/ yet
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    else:
        kwargs.setdefault("pool_pre_ping", True)
    return tune_engine(create_async_engine(url, **kwargs))


def alchemy_config(
    settings: Settings, engine: AsyncEngine | None = None, *, session_info: dict[str, Any] | None = None
) -> SQLAlchemyAsyncConfig:
    """The advanced-alchemy config the app and `litestar database …` share; `session_info` goes
    into every request session's info (the app's broker, for the outbox)."""
    engine = engine or make_engine(settings.database_url)
    return SQLAlchemyAsyncConfig(
        engine_instance=engine,
        # No FileObject columns and no repository cache here: skip their listeners, which would
        # otherwise look up engine options on every flush and commit.
        session_config=AsyncSessionConfig(
            expire_on_commit=False, info={"enable_cache_listener": False, **(session_info or {})}
        ),
        enable_file_object_listener=False,
        engine_config=EngineConfig(),
        before_send_handler="autocommit",
        alembic_config=AlembicAsyncConfig(
            script_config="alembic.ini",
            script_location="migrations",
            render_as_batch=True,
        ),
        metadata=metadata,
        create_all=False,
    )


@asynccontextmanager
async def session_scope(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A unit of work outside a request (CLI, actors): commit on success, roll back on error."""
    async with sessionmaker() as session, session.begin():
        yield session


@asynccontextmanager
async def reading(session: AsyncSession) -> AsyncIterator[None]:
    """Checks that come before a unit of work's writes, kept out of SQLite's write lock.

    On SQLite, when the session has not begun yet, the block's statements run outside any
    transaction, each seeing the latest commit and taking no lock, and a write among them is
    refused; the writes that follow the block begin a transaction (BEGIN IMMEDIATE), so the other
    worker process waits only for the writing part. What the block reads may therefore be a moment
    older than the write transaction: fine for what may be checked a moment early (who may file,
    what covers), not for what must not change under the write (a counter, the audit chain tip),
    which belongs after the block. That is what PostgreSQL's READ COMMITTED gives anyway, so there
    the block simply joins the transaction.
    """
    pending = session.new or session.dirty or session.deleted
    if session.in_transaction() or pending or session.get_bind().dialect.name != "sqlite":
        yield
        return
    await session.connection(execution_options={_READS_ONLY: True})
    try:
        yield
    except BaseException:
        await session.rollback()
        raise
    await session.commit()


def make_sessionmaker(
    engine: AsyncEngine, *, info: dict[str, Any] | None = None
) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, info=info or {})


@asynccontextmanager
async def transaction(url: str, *, info: dict[str, Any] | None = None) -> AsyncIterator[AsyncSession]:
    """One unit of work on the database at `url` from outside the app (CLI, tests, benches):
    its own engine, one transaction committed on success, the engine closed afterwards.
    `info` is the session's info (outbox.session_info(broker) to send what it enqueues)."""
    engine = make_engine(url)
    try:
        async with session_scope(make_sessionmaker(engine, info=info)) as session:
            yield session
    finally:
        await engine.dispose()
