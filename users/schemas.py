"""What the login and user endpoints take and answer."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from core.auth import Role
from core.schemas import Fen, Reason, RequestBody


class Login(RequestBody):
    verbatim = frozenset({"password"})
    username: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class Me(msgspec.Struct):
    id: UUID
    username: str
    display_name: str
    role: Role
    regions: list[str]
    household_id: UUID | None


class Account(Me):
    """A user as the admin sees one: whether they may still log in, and an officer's authority."""

    active: bool
    approval_limit_fen: int | None = None


class Deactivation(RequestBody):
    reason: Reason


class LoginResult(msgspec.Struct):
    access_token: str
    token_type: str
    user: Me


class UserCreate(RequestBody):
    verbatim = frozenset({"password"})
    username: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_.-]{3,64}$")]
    password: Annotated[str, msgspec.Meta(min_length=8, max_length=200)]
    role: Role
    display_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    regions: list[Annotated[str, msgspec.Meta(pattern=r"^\d{6}(\d{3})?(\d{3})?(\d{3})?$")]] = []
    household_id: UUID | None = None
    phone: str | None = None
    # Payouts a claims officer may approve alone, in fen; above it a second officer approves.
    approval_limit_fen: Fen | None = None
