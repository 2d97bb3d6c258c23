"""Login, logout and "who am I" for everyone; user management for the admin; the login page."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency, Provide
from litestar.exceptions import TooManyRequestsException
from litestar.params import FromPath, JSONBody
from litestar.response import Template
from litestar.types import ControllerRouterHandler

from core.auth import AuthRequest, Role, require_roles, token_extras
from core.idempotency import create_once
from core.openapi import problem_spec
from users import sessions
from users.schemas import Account, Deactivation, Login, LoginResult, Me, UserCreate
from users.services import UserService, provide_users
from users.throttle import LoginThrottle

STATIC_DIR = Path(__file__).parent / "static"


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]
    dependencies = {"users": Provide(provide_users)}

    @post(
        "/login",
        status_code=200,
        summary="Log in with a password; returns a bearer token and a cookie",
        description="At most 10 failed attempts per username and 50 per address in 15 minutes; then 429.",
        # 403: a wrong password or a disabled account, or a browser posting from another site.
        responses={403: problem_spec(403, "Wrong username or password, or the account is disabled")},
        opt={"rate_limited": True},
    )
    async def login(
        self, request: Request, data: JSONBody[Login], users: NamedDependency[UserService]
    ) -> Response[LoginResult]:
        throttle: LoginThrottle = request.app.state.login_throttle
        attempt = await throttle.reserve(
            username=data.username, address=request.client.host if request.client else None
        )
        if isinstance(attempt, int):
            raise TooManyRequestsException(headers={"Retry-After": str(attempt)})
        user = await users.authenticate(username=data.username, password=data.password)
        await throttle.succeeded(attempt)
        jwt_auth = request.app.state.jwt_auth
        lifetime = jwt_auth.default_token_expiration
        session = await sessions.open_session(users.repository.session, user=user, lifetime=lifetime)
        token = jwt_auth.create_token(
            identifier=str(user.id),
            token_unique_jwt_id=str(session.id),
            token_extras=token_extras(user.principal()),
        )
        cookie = Cookie(
            key=jwt_auth.key,
            value=token,
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.https,
            max_age=int(lifetime.total_seconds()),
        )
        body = LoginResult(
            access_token=token, token_type="Bearer", user=users.to_schema(user, schema_type=Me)
        )
        return Response(body, cookies=[cookie])

    @post("/logout", status_code=200, summary="End this login: its token stops working, the cookie goes")
    async def logout(self, request: AuthRequest, users: NamedDependency[UserService]) -> Response[None]:
        await users.log_out(principal=request.user, session_id=UUID(str(request.auth.jti)))
        response: Response[None] = Response(None)
        response.delete_cookie(request.app.state.jwt_auth.key)
        return response

    @get("/me", summary="The logged-in user")
    async def me(self, request: AuthRequest, users: NamedDependency[UserService]) -> Me:
        return users.to_schema(await users.get(request.user.user_id), schema_type=Me)


class UserController(Controller):
    path = "/users"
    tags = ["users"]
    guards = [require_roles(Role.ADMIN)]
    dependencies = {"users": Provide(provide_users)}

    @post("/", summary="Create a user (admin)")
    async def create_user(
        self, request: AuthRequest, data: JSONBody[UserCreate], users: NamedDependency[UserService]
    ) -> Response[Account]:
        async def create() -> Account:
            user = await users.create_user(
                actor=request.user.username,
                username=data.username,
                password=data.password,
                role=data.role,
                display_name=data.display_name,
                regions=data.regions,
                household_id=data.household_id,
                phone=data.phone,
                approval_limit_fen=data.approval_limit_fen,
            )
            return users.to_schema(user, schema_type=Account)

        return await create_once(
            request, users.repository.session, owner=request.user.username, data=data, create=create
        )

    @get("/", summary="List users (admin)")
    async def list_users(self, users: NamedDependency[UserService]) -> list[Account]:
        return [users.to_schema(user, schema_type=Account) for user in await users.list_by_username()]

    @post(
        "/{user_id:uuid}/deactivate",
        status_code=200,
        summary="Deactivate a user (admin): no more logins, and every token of theirs stops at once",
    )
    async def deactivate(
        self,
        request: AuthRequest,
        user_id: FromPath[UUID],
        data: JSONBody[Deactivation],
        users: NamedDependency[UserService],
    ) -> Account:
        user = await users.deactivate(principal=request.user, user_id=user_id, reason=data.reason)
        return users.to_schema(user, schema_type=Account)


# A shell with no data, so it loads without a token; login.js posts to /auth/login.
@get("/login", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
def login_page() -> Template:
    return Template("users/page_login.html", context={"title": "登录"}, headers={"Cache-Control": "no-store"})


ROUTES: list[ControllerRouterHandler] = [AuthController, UserController, login_page]
