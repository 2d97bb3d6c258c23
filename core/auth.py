"""Who is calling: roles, region scope, password hashing, tokens, and the guards that enforce them."""

from __future__ import annotations

import asyncio
import enum
import secrets
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from functools import cache
from typing import Any
from uuid import UUID

import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.security.jwt import JWTCookieAuth, Token

from core.settings import Settings


class Role(enum.StrEnum):
    RESIDENT = "resident"
    LIAISON = "liaison"
    ADJUSTER = "adjuster"
    CLAIMS_OFFICER = "claims_officer"
    FINANCE = "finance"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Principal(msgspec.Struct, frozen=True):
    """The authenticated caller, rebuilt from the token on every request (the only database trip is
    the check that the token's session is still live: users.sessions.LiveSessions)."""

    user_id: UUID
    username: str
    role: Role
    regions: tuple[str, ...] = ()
    household_id: UUID | None = None


def make_hasher(settings: Settings) -> PasswordHasher:
    """Argon2id at the settings' cost; create_app makes one per app and keeps it in app.state."""
    return PasswordHasher(time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib)


async def hash_password(hasher: PasswordHasher, password: str) -> str:
    """Deliberately slow, so it runs off the event loop."""
    return await asyncio.to_thread(hasher.hash, password)


async def verify_password(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    """Checks against the parameters stored in the hash itself, whatever today's settings are."""

    def check() -> bool:
        try:
            return hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(check)


@cache
def _unknown_user_hash(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(32))


async def unknown_user_hash(hasher: PasswordHasher) -> str:
    """A hash no password matches, at the hasher's cost: checking a password for an unknown username
    against it costs what checking a known one does, so the time taken does not tell them apart."""
    return await asyncio.to_thread(_unknown_user_hash, hasher)


async def _principal_from_token(token: Token, _connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    extras = token.extras
    household = extras.get("household_id")
    return Principal(
        user_id=UUID(token.sub),
        username=extras["username"],
        role=Role(extras["role"]),
        regions=tuple(extras.get("regions", ())),
        household_id=UUID(household) if household else None,
    )


PUBLIC_PATHS = ["/schema", "/auth/login", "/health", "/public", "/static", "/$", "/login", "/track"]


RevokedTokenHandler = Callable[[Token, ASGIConnection[Any, Any, Any, Any]], Awaitable[bool]]


def make_jwt_auth(settings: Settings, revoked: RevokedTokenHandler) -> JWTCookieAuth[Principal, Token]:
    """Tokens signed with the secret key; `revoked` says whether a token's session has ended."""
    return JWTCookieAuth[Principal, Token](
        retrieve_user_handler=_principal_from_token,
        revoked_token_handler=revoked,
        token_secret=settings.secret_key,
        default_token_expiration=timedelta(hours=settings.token_hours),
        key="anju_token",
        exclude=PUBLIC_PATHS,
        samesite="lax",
        secure=settings.https,
    )


def token_extras(principal: Principal) -> dict[str, Any]:
    return {
        "username": principal.username,
        "role": principal.role.value,
        "regions": list(principal.regions),
        "household_id": str(principal.household_id) if principal.household_id else None,
    }


Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def require_roles(*roles: Role) -> Guard:
    """A guard letting through only the given roles."""
    allowed = frozenset(roles)

    # A coroutine: Litestar would run a plain function in a worker thread, one trip per request.
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        # OPTIONS (the framework's list of allowed methods) passes the login middleware without a
        # user and reveals nothing else: let it through rather than crash on the missing user.
        if connection.scope.get("method") == "OPTIONS":
            return
        principal = connection.scope.get("user")
        if not isinstance(principal, Principal) or principal.role not in allowed:
            raise PermissionDeniedException("role_not_allowed")

    return guard


AuthRequest = Request[Principal, Any, Any]
"""A request whose caller has logged in (every route outside PUBLIC_PATHS)."""

STAFF: Sequence[Role] = (Role.CLAIMS_OFFICER, Role.FINANCE, Role.ADJUSTER, Role.AUDITOR, Role.ADMIN)
