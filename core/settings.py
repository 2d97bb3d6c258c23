"""Settings read once from ANJU_* environment variables, with defaults for the embedded set-up."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import msgspec

DEVELOPMENT_SECRET = "anju-development-secret-change-me-in-production"
DEVELOPMENT_AUDIT_KEY = "anju-development-audit-key-change-me-in-production"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str
    # "" runs an in-process worker; "stub" queues without a worker (tests); "redis://…" uses Redis.
    broker_url: str
    # How long a Redis worker may be silent before its unacknowledged messages go to another worker.
    broker_heartbeat_ms: int
    storage_dir: Path
    secret_key: str
    max_upload_bytes: int
    token_hours: int
    # Argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory). Tests lower them.
    argon2_time_cost: int
    argon2_memory_kib: int
    debug: bool
    # "development" (the default) or anything else, e.g. "production": outside development the
    # public development keys are refused.
    environment: str
    # Served over HTTPS (behind a TLS-terminating balancer too): cookies get Secure.
    https: bool
    # Keys the audit chain's HMAC; kept outside the database, like the secret key.
    audit_key: str
    # Where the audit chain's head is checkpointed, outside the audit table.
    audit_checkpoint_path: Path


def _env(name: str, default: str) -> str:
    return os.environ.get(f"ANJU_{name}", default)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    var = Path(_env("VAR_DIR", "var"))
    return Settings(
        database_url=_env("DATABASE_URL", f"sqlite+aiosqlite:///{var / 'anju.db'}"),
        broker_url=_env("BROKER_URL", ""),
        broker_heartbeat_ms=int(_env("BROKER_HEARTBEAT_MS", "60000")),
        storage_dir=Path(_env("STORAGE_DIR", str(var / "files"))),
        secret_key=_env("SECRET_KEY", DEVELOPMENT_SECRET),
        max_upload_bytes=int(_env("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))),
        token_hours=int(_env("TOKEN_HOURS", "12")),
        argon2_time_cost=int(_env("ARGON2_TIME_COST", "3")),
        argon2_memory_kib=int(_env("ARGON2_MEMORY_KIB", "65536")),
        debug=_env("DEBUG", "0") == "1",
        environment=_env("ENV", "development"),
        https=_env("HTTPS", "0") == "1",
        audit_key=_env("AUDIT_KEY", DEVELOPMENT_AUDIT_KEY),
        audit_checkpoint_path=Path(_env("AUDIT_CHECKPOINT", str(var / "audit-checkpoint.json"))),
    )
