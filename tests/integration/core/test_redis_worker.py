"""Production shape: a Redis broker, the outbox sending after commit, a separate `dramatiq` worker process."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def _processed(db: Path, value: str) -> tuple[int, int]:
    with sqlite3.connect(db) as connection:
        audited = connection.execute(
            "SELECT count(*) FROM audit_events WHERE action = 'test.redis_processed' AND subject_id = ?",
            (value,),
        ).fetchone()[0]
        pending = connection.execute("SELECT count(*) FROM outbox_messages WHERE done_at IS NULL").fetchone()[
            0
        ]
    return int(audited), int(pending)


@pytest.mark.redis
def test_outbox_message_travels_through_redis_to_a_worker_process(
    redis_url: str, sqlite_template: Path, tmp_path: Path
) -> None:
    db = tmp_path / "anju.db"
    shutil.copyfile(sqlite_template, db)
    env = os.environ | {"ANJU_BROKER_URL": redis_url, "ANJU_DATABASE_URL": f"sqlite+aiosqlite:///{db}"}
    subprocess.run([sys.executable, "-m", "tests.redis_support", "hello"], env=env, cwd=REPO, check=True)
    assert _processed(db, "hello") == (0, 1)  # committed and sent, not yet done

    worker = subprocess.Popen(
        [sys.executable, "-m", "dramatiq", "tests.redis_support", "--processes", "1", "--threads", "1"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while _processed(db, "hello") != (1, 0):
            assert worker.poll() is None, "the worker process died"
            assert time.monotonic() < deadline, "the worker did not process the message in 60 s"
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
