"""The demo `litestar anju seed-demo` loads is what the README says: its district, users and password."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Role, make_hasher
from core.settings import Settings
from policies.models import Program
from policies.services import demo
from tests.conftest import run_in_db
from users.models import User

Client = AsyncTestClient[Litestar]
REPO = Path(__file__).resolve().parents[3]


async def test_demo_data_is_what_the_readme_says(client: Client, settings: Settings) -> None:
    readme = (REPO / "README.md").read_text()
    assert f"**`{demo.DEMO_PASSWORD}`**" in readme
    towns = len(demo.TOWNS)
    villages = sum(len(names) for _name, names in demo.TOWNS.values())
    assert f"{towns} towns, {villages} villages and {demo.HOUSEHOLDS:,} households" in readme
    listed = re.findall(r"^\| `([a-z_]+)` \| ", readme, flags=re.MULTILINE)
    assert sorted(listed) == sorted(role.value for role in Role)

    await run_in_db(settings, lambda session: demo.seed(session, make_hasher(settings)))

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
