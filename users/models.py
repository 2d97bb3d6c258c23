"""The account table (who may log in, with which role and which regions) and the login sessions."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.auth import Principal, Role
from core.database import Base, FenColumn


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
    # A claims officer's authority: payouts above it need a second officer (None: none alone).
    approval_limit_fen: Mapped[FenColumn | None]

    def principal(self) -> Principal:
        return Principal(
            user_id=self.id,
            username=self.username,
            role=Role(self.role),
            regions=tuple(self.regions or ()),
            household_id=self.household_id,
        )


class UserSession(Base):
    """One login. Its id is the token's `jti`: the token works while this row is not revoked and its
    user is active, which every process sees, so a logout or a deactivation ends it everywhere."""

    __tablename__ = "user_sessions"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
