"""Throwaway PostgreSQL and Redis servers on 127.0.0.1 for the test session, started and stopped here."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None)
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed; run ./dev.sh install")
    return found


def _as_postgres_user(argv: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root."""
    if os.geteuid() != 0:
        return argv
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    return ["runuser", "-u", "postgres", "--", *argv]


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a base URL (postgresql+asyncpg://postgres@127.0.0.1:PORT) of a fresh cluster."""
    root = Path(tempfile.mkdtemp(prefix="anju-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        _as_postgres_user([])
        shutil.chown(root, "postgres")
    port = free_port()
    subprocess.run(
        _as_postgres_user(
            [_pg_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    subprocess.run(
        _as_postgres_user(
            [_pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres_user([_pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


async def create_database(base_url: str, name: str, template: str | None = None) -> str:
    """CREATE DATABASE on a server from postgres_server(); returns the new database's URL."""
    from sqlalchemy import text

    from core.database import make_engine

    engine = make_engine(f"{base_url}/postgres", isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        suffix = f" TEMPLATE {template}" if template else ""
        await connection.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    await engine.dispose()
    return f"{base_url}/{name}"


@contextmanager
def redis_server() -> Iterator[str]:
    binary = shutil.which("redis-server")
    if not binary:
        raise RuntimeError("redis-server is not installed; run ./dev.sh install")
    root = Path(tempfile.mkdtemp(prefix="anju-redis-"))
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(root),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
