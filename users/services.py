"""Accounts: checking a password at login, creating a user (audited), listing them."""

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
from core.auth import Role, hash_password, verify_password
from core.errors import Conflict
from users.errors import LoginFailed
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
        user = await self.get_one_or_none(username=username)
        if (
            user is None
            or not user.active
            or not await verify_password(self.hasher, user.password_hash, password)
        ):
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
            )
        )
        await record(
            self.repository.session,
            actor=actor,
            action="user.created",
            subject_type="user",
            subject_id=user.id,
            after={"username": username, "role": role.value, "regions": regions},
        )
        return user

    async def list_by_username(self) -> Sequence[User]:
        return await self.get_many(order_by=(User.username, False))


async def provide_users(db_session: NamedDependency[AsyncSession], state: State) -> UserService:
    return UserService(db_session, hasher=state.hasher)
