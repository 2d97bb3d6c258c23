"""Users: the account table, its region scope, login and the admin's user management."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody
from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from core.audit import record
from core.auth import Principal, Role, hash_password, require_roles, token_extras, verify_password
from core.database import Base
from core.errors import Conflict, NotAllowed
from core.idempotency import create_once
from core.views import from_row


class User(Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    household_id: Mapped[UUID | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    phone: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)

    def principal(self) -> Principal:
        return Principal(
            user_id=self.id,
            username=self.username,
            role=Role(self.role),
            regions=tuple(self.regions or ()),
            household_id=self.household_id,
        )


class LoginFailed(NotAllowed):
    code = "login_failed"
    message_zh = "用户名或密码错误"
    message_en = "Wrong username or password"


class UserService(SQLAlchemyAsyncRepositoryService[User]):
    class Repo(SQLAlchemyAsyncRepository[User]):
        model_type = User

    repository_type = Repo

    async def authenticate(self, *, username: str, password: str) -> User:
        user = await self.get_one_or_none(username=username)
        if user is None or not user.active or not await verify_password(user.password_hash, password):
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
                password_hash=await hash_password(password),
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


async def provide_users(db_session: NamedDependency[AsyncSession]) -> UserService:
    return UserService(session=db_session)


class Login(msgspec.Struct, forbid_unknown_fields=True):
    username: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class Me(msgspec.Struct):
    id: UUID
    username: str
    display_name: str
    role: Role
    regions: list[str]
    household_id: UUID | None


class LoginResult(msgspec.Struct):
    access_token: str
    token_type: str
    user: Me


class UserCreate(msgspec.Struct, forbid_unknown_fields=True):
    username: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_.-]{3,64}$")]
    password: Annotated[str, msgspec.Meta(min_length=8, max_length=200)]
    role: Role
    display_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    regions: list[Annotated[str, msgspec.Meta(pattern=r"^\d{6}(\d{3})?(\d{3})?(\d{3})?$")]] = []
    household_id: UUID | None = None
    phone: str | None = None


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]
    dependencies = {"users": Provide(provide_users)}

    @post("/login", status_code=200, summary="Log in with a password; returns a bearer token and a cookie")
    async def login(
        self, request: Request, data: JSONBody[Login], users: NamedDependency[UserService]
    ) -> Response[LoginResult]:
        user = await users.authenticate(username=data.username, password=data.password)
        jwt_auth = request.app.state.jwt_auth
        token = jwt_auth.create_token(identifier=str(user.id), token_extras=token_extras(user.principal()))
        cookie = Cookie(
            key=jwt_auth.key,
            value=token,
            httponly=True,
            samesite="lax",
            max_age=int(jwt_auth.default_token_expiration.total_seconds()),
        )
        body = LoginResult(access_token=token, token_type="Bearer", user=from_row(user, Me))
        return Response(body, cookies=[cookie])

    @post("/logout", status_code=200, summary="Forget the login cookie (a liaison sharing a phone)")
    async def logout(self, request: Request[Principal, Any, Any]) -> Response[None]:
        response: Response[None] = Response(None)
        response.delete_cookie(request.app.state.jwt_auth.key)
        return response

    @get("/me", summary="The logged-in user")
    async def me(self, request: Request[Principal, Any, Any], users: NamedDependency[UserService]) -> Me:
        return from_row(await users.get(request.user.user_id), Me)


class UserController(Controller):
    path = "/users"
    tags = ["users"]
    guards = [require_roles(Role.ADMIN)]
    dependencies = {"users": Provide(provide_users)}

    @post("/", summary="Create a user (admin)")
    async def create_user(
        self,
        request: Request[Principal, Any, Any],
        data: JSONBody[UserCreate],
        users: NamedDependency[UserService],
    ) -> Response[Me]:
        async def create() -> Me:
            user = await users.create_user(
                actor=request.user.username,
                username=data.username,
                password=data.password,
                role=data.role,
                display_name=data.display_name,
                regions=data.regions,
                household_id=data.household_id,
                phone=data.phone,
            )
            return from_row(user, Me)

        return await create_once(
            request, users.repository.session, owner=request.user.username, data=data, create=create
        )

    @get("/", summary="List users (admin)")
    async def list_users(self, users: NamedDependency[UserService]) -> list[Me]:
        rows = await users.repository.session.scalars(select(User).order_by(User.username))
        return [from_row(user, Me) for user in rows]
