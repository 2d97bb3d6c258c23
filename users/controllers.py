"""Login, logout and "who am I" for everyone; user management for the admin; the login page."""

from __future__ import annotations

from pathlib import Path

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody
from litestar.response import Template
from litestar.types import ControllerRouterHandler

from core.auth import AuthRequest, Role, require_roles, token_extras
from core.idempotency import create_once
from core.openapi import problem_spec
from users.schemas import Login, LoginResult, Me, UserCreate
from users.services import UserService, provide_users

STATIC_DIR = Path(__file__).parent / "static"


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]
    dependencies = {"users": Provide(provide_users)}

    @post(
        "/login",
        status_code=200,
        summary="Log in with a password; returns a bearer token and a cookie",
        responses={403: problem_spec(403, "Wrong username or password, or the account is disabled")},
        opt={"rate_limited": True},
    )
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
        body = LoginResult(
            access_token=token, token_type="Bearer", user=users.to_schema(user, schema_type=Me)
        )
        return Response(body, cookies=[cookie])

    @post("/logout", status_code=200, summary="Forget the login cookie (a liaison sharing a phone)")
    async def logout(self, request: AuthRequest) -> Response[None]:
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
            return users.to_schema(user, schema_type=Me)

        return await create_once(
            request, users.repository.session, owner=request.user.username, data=data, create=create
        )

    @get("/", summary="List users (admin)")
    async def list_users(self, users: NamedDependency[UserService]) -> list[Me]:
        return [users.to_schema(user, schema_type=Me) for user in await users.list_by_username()]


# A shell with no data, so it loads without a token; login.js posts to /auth/login.
@get("/login", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
def login_page() -> Template:
    return Template("users/page_login.html", context={"title": "登录"}, headers={"Cache-Control": "no-store"})


ROUTES: list[ControllerRouterHandler] = [AuthController, UserController, login_page]
