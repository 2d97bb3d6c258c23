"""`litestar anju verify-audit` as an operator runs it: it checkpoints the head and catches truncation."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import record
from core.settings import get_settings
from tests.conftest import run_in_db

REPO = Path(__file__).resolve().parents[3]


def verify_audit(db: Path, checkpoint: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "ANJU_DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "ANJU_BROKER_URL": "stub",
        "ANJU_AUDIT_CHECKPOINT": str(checkpoint),
    }
    return subprocess.run(
        [sys.executable, "-m", "litestar", "--app", "app:create_app", "anju", "verify-audit"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_verify_audit_checkpoints_the_head_then_catches_the_newest_events_deleted(
    sqlite_template: Path, tmp_path: Path
) -> None:
    db, checkpoint = tmp_path / "anju.db", tmp_path / "checkpoint.json"
    shutil.copyfile(sqlite_template, db)
    settings = msgspec.structs.replace(
        get_settings(), database_url=f"sqlite+aiosqlite:///{db}", audit_checkpoint_path=checkpoint
    )

    async def write(session: AsyncSession) -> None:
        for n in range(3):
            await record(session, actor="t", action="thing.changed", subject_type="thing", subject_id=n)

    await run_in_db(settings, write)
    intact = verify_audit(db, checkpoint)
    assert (intact.returncode, intact.stdout) == (
        0,
        "audit chain intact: 3 events checked, checkpoint at event 3\n",
    )

    with sqlite3.connect(db) as connection:
        connection.execute("DROP TRIGGER audit_events_no_delete")
        connection.execute("DELETE FROM audit_events WHERE id = 3")
    broken = verify_audit(db, checkpoint)
    assert broken.returncode == 1
    assert broken.stderr.endswith(
        "audit chain BROKEN at event 3: checkpointed event missing: the newest events were deleted "
        "(2 events before it are intact)\n"
    )
