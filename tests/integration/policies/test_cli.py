"""The `litestar anju …` commands as an operator runs them: a real process against a real database."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def anju(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "ANJU_DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "ANJU_BROKER_URL": "stub",
        # The audit checkpoint belongs to this database, not to the test process's shared var/.
        "ANJU_AUDIT_CHECKPOINT": str(db.with_name("audit-checkpoint.json")),
    }
    return subprocess.run(
        [sys.executable, "-m", "litestar", "--app", "app:create_app", "anju", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_seed_demo_then_verify_audit_then_detect_tampering(sqlite_template: Path, tmp_path: Path) -> None:
    db = tmp_path / "anju.db"
    shutil.copyfile(sqlite_template, db)
    seeded = anju(db, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    assert "anju-demo-2026" in seeded.stdout

    intact = anju(db, "verify-audit")
    assert intact.returncode == 0, intact.stderr
    assert "audit chain intact" in intact.stdout

    with sqlite3.connect(db) as connection:
        connection.execute("DROP TRIGGER audit_events_no_update")
        victim = connection.execute("SELECT min(id) FROM audit_events").fetchone()[0]
        connection.execute("UPDATE audit_events SET actor = 'someone else' WHERE id = ?", (victim,))
    broken = anju(db, "verify-audit")
    assert broken.returncode == 1
    assert f"BROKEN at event {victim}" in broken.stderr
