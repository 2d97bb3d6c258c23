"""The demo district with one user per role, on SQLite, shared by a module's contract tests."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from app import create_app
from core.auth import Role, make_hasher
from core.database import transaction
from core.settings import Settings, get_settings
from policies.services import demo


@dataclass
class DemoWorld:
    settings: Settings
    app: Litestar
    tokens: dict[Role, str]

    def headers(self, role: Role | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}


@pytest.fixture(scope="module")
def demo_world(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoWorld]:
    folder = tmp_path_factory.mktemp("demo")
    shutil.copyfile(sqlite_template, folder / "anju.db")
    settings = msgspec.structs.replace(
        get_settings(),
        database_url=f"sqlite+aiosqlite:///{folder / 'anju.db'}",
        storage_dir=folder / "files",
        broker_url="stub",
        audit_checkpoint_path=folder / "audit-checkpoint.json",
    )

    async def seed() -> None:
        async with transaction(settings.database_url) as session:
            await demo.seed(session, make_hasher(settings))

    asyncio.run(seed())
    app = create_app(settings)
    tokens = {}
    with TestClient(app=app) as client:
        for role in Role:
            answer = client.post("/auth/login", json={"username": role.value, "password": demo.DEMO_PASSWORD})
            assert answer.status_code == 200, answer.text
            tokens[role] = answer.json()["access_token"]
    yield DemoWorld(settings, app, tokens)
