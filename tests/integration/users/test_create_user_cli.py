"""`litestar anju create-user` as an operator runs it on a fresh deployment: a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.settings import Settings

REPO = Path(__file__).resolve().parents[3]
PASSWORD = "Qd-first-admin-2026"


def anju(settings: Settings, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = os.environ | {"ANJU_DATABASE_URL": settings.database_url, "ANJU_BROKER_URL": "stub"}
    return subprocess.run(
        [sys.executable, "-m", "litestar", "--app", "app:create_app", "anju", "create-user", *args],
        env=env,
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_the_first_admin_from_stdin_can_log_in(
    settings: Settings, client: AsyncTestClient[Litestar]
) -> None:
    made = anju(
        settings,
        "root",
        "--role",
        "admin",
        "--display-name",
        "系统管理员",
        "--password-stdin",
        stdin=f"{PASSWORD}\n",
    )
    assert made.returncode == 0, made.stderr
    assert "created admin root" in made.stdout
    assert PASSWORD not in made.stdout + made.stderr
    response = await client.post("/auth/login", json={"username": "root", "password": PASSWORD})
    assert response.status_code == 200, response.text
    assert (response.json()["user"]["role"], response.json()["user"]["display_name"]) == (
        "admin",
        "系统管理员",
    )


async def test_the_prompt_asks_twice_and_a_liaison_gets_their_villages(
    settings: Settings, client: AsyncTestClient[Litestar]
) -> None:
    made = anju(
        settings,
        "liaison1",
        "--role",
        "liaison",
        "--region",
        "370211001001",
        stdin=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert made.returncode == 0, made.stderr
    response = await client.post("/auth/login", json={"username": "liaison1", "password": PASSWORD})
    assert response.json()["user"]["regions"] == ["370211001001"]


def test_no_password_on_the_command_line_no_short_password_no_second_root(settings: Settings) -> None:
    assert anju(settings, "root", "--role", "admin", "--password", PASSWORD).returncode == 2
    short = anju(settings, "root", "--role", "admin", "--password-stdin", stdin="short\n")
    assert short.returncode == 1
    assert "password" in short.stderr
    assert (
        anju(settings, "root", "--role", "admin", "--password-stdin", stdin=f"{PASSWORD}\n").returncode == 0
    )
    again = anju(settings, "root", "--role", "admin", "--password-stdin", stdin=f"{PASSWORD}\n")
    assert again.returncode == 1
    assert "taken" in again.stderr
