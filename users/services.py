"""Accounts: checking a password at login, creating and deactivating a user (audited), listing them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from argon2 import PasswordHasher
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import record
from core.auth import Principal, Role, hash_password, unknown_user_hash, verify_password
from core.errors import Conflict, NotFound
from users import sessions
from users.errors import CannotDeactivateYourself, LoginFailed
from users.models import User


class UserService(SQLAlchemyAsyncRepositoryService[User]):
    """Users on one session, hashing with the app's hasher (its cost comes from the app's settings)."""

    class Repo(SQLAlchemyAsyncRepository[User]):
        model_type = User

    repository_type = Repo

    def __init__(self, session: AsyncSession, *, hasher: PasswordHasher, **repo_kwargs: Any) -> None:
        super().__init__(session=session, **repo_kwargs)
        self.hasher = hasher

    async def authenticate(self, *, username: str, password: str) -> User:
        """The user whose password this is, or LoginFailed; the same work whether the username exists."""
        user = await self.get_one_or_none(username=username)
        password_hash = user.password_hash if user is not None else await unknown_user_hash(self.hasher)
        right = await verify_password(self.hasher, password_hash, password)
        if user is None or not user.active or not right:
            raise LoginFailed()
        return user

    async def create_user(
        self,
        *,
        actor: str,
        username: str,
        password: str,
        role: Role,
        display_name: str,
        regions: list[str],
        household_id: UUID | None = None,
        phone: str | None = None,
        approval_limit_fen: int | None = None,
    ) -> User:
        if await self.exists(username=username):
            raise Conflict(f"username {username} is taken", field="username")
        user = await self.create(
            User(
                username=username,
                display_name=display_name,
                password_hash=await hash_password(self.hasher, password),
                role=role.value,
                regions=regions,
                household_id=household_id,
                phone=phone,
                approval_limit_fen=approval_limit_fen,
            )
        )
        await record(
            self.repository.session,
            actor=actor,
            action="user.created",
            subject_type="user",
            subject_id=user.id,
            after={"username": username, "role": role.value, "regions": regions}
            | ({} if approval_limit_fen is None else {"approval_limit_fen": approval_limit_fen}),
        )
        return user

    async def deactivate(self, *, principal: Principal, user_id: UUID, reason: str) -> User:
        """The user may no longer log in, and every token they hold stops working at once."""
        if user_id == principal.user_id:
            raise CannotDeactivateYourself()
        user = await self.get_one_or_none(id=user_id)
        if user is None:
            raise NotFound(f"no user {user_id}")
        if not user.active:
            return user
        user.active = False
        await self.update(user)
        ended = await sessions.end_sessions_of(self.repository.session, user_id=user.id)
        await record(
            self.repository.session,
            actor=principal.username,
            action="user.deactivated",
            subject_type="user",
            subject_id=user.id,
            reason=reason,
            before={"username": user.username, "active": True},
            after={"username": user.username, "active": False, "sessions_ended": ended},
        )
        return user

    async def log_out(self, *, principal: Principal, session_id: UUID) -> None:
        """End the session the caller's token belongs to, and say so in the audit log."""
        if await sessions.end_session(self.repository.session, session_id=session_id):
            await record(
                self.repository.session,
                actor=principal.username,
                action="user.session_ended",
                subject_type="user",
                subject_id=principal.user_id,
                reason="logout",
                after={"session_id": str(session_id)},
            )

    async def list_by_username(self) -> Sequence[User]:
        return await self.get_many(order_by=(User.username, False))


async def provide_users(db_session: NamedDependency[AsyncSession], state: State) -> UserService:
    return UserService(db_session, hasher=state.hasher)
