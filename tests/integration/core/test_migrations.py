"""The schema comes only from Alembic: an empty database migrates to head and then matches the models."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

import app  # noqa: F401  (imports every model)
from core.database import make_engine, metadata
from core.settings import Settings


async def test_migrated_database_matches_the_models(settings: Settings) -> None:
    engine = make_engine(settings.database_url)

    def differences(connection: Connection) -> list[Any]:
        # Column types too (INTEGER vs BIGINT matters there); SQLite reflects GUID and DateTimeUTC
        # as their storage types, which would read as differences that are not.
        compare_type = connection.dialect.name == "postgresql"
        context = MigrationContext.configure(connection, opts={"compare_type": compare_type})
        return [
            diff
            for diff in compare_metadata(context, metadata)
            if not (diff[0] == "remove_table" and diff[1].name == "alembic_versions")
        ]

    async with engine.connect() as connection:
        found = await connection.run_sync(differences)
    await engine.dispose()
    assert found == []
