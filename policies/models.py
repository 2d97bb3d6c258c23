"""Tables for regions, households, people, programs, policies and premium payments.

Money columns are BIGINT: a district's lump sum passes PostgreSQL's 32-bit INTEGER (21 million yuan).
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from advanced_alchemy.base import DefaultBase
from advanced_alchemy.mixins import AuditColumns
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.database import Base, FenColumn


class Region(DefaultBase, AuditColumns):
    """A GB/T 2260 district (6 digits), town (9), village (12) or grid (15); codes nest by prefix."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(15), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))  # district | town | village | grid
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]


class Household(Base):
    __tablename__ = "households"
    __table_args__ = (Index("ix_households_village_code", "village_code"),)

    village_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    # The household's number in the village register or import file; optional, unique when given.
    household_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    address: Mapped[str] = mapped_column(String(200))
    head_name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    registered_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))

    people: Mapped[list[Person]] = relationship(back_populates="household", lazy="selectin")


class Person(Base):
    __tablename__ = "people"

    household_id: Mapped[UUID] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    # One person belongs to one household at a time: the ID is unique across the register.
    resident_id: Mapped[str] = mapped_column(String(18), unique=True)
    relation: Mapped[str] = mapped_column(String(20))  # head | spouse | child | parent | sibling | other
    phone: Mapped[str | None] = mapped_column(String(20))

    household: Mapped[Household] = relationship(back_populates="people", lazy="raise")


class Program(Base):
    __tablename__ = "programs"
    __table_args__ = (
        CheckConstraint("premium_fen >= 0", name="premium_not_negative"),
        CheckConstraint("per_claim_cap_fen > 0", name="cap_positive"),
        CheckConstraint("deductible_fen >= 0", name="deductible_not_negative"),
        CheckConstraint("advance_max_bps BETWEEN 0 AND 10000", name="advance_share_whole"),
        CheckConstraint("funding IN ('district', 'household')", name="funding_kind"),
        CheckConstraint("premium_basis IN ('household', 'resident')", name="premium_basis_kind"),
        CheckConstraint(
            "household_share_bps >= 0 AND district_share_bps >= 0 AND township_share_bps >= 0"
            " AND household_share_bps + district_share_bps + township_share_bps = 10000",
            name="shares_whole",
        ),
    )

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    insurer: Mapped[str] = mapped_column(String(100))
    funding: Mapped[str] = mapped_column(String(10))  # district | household
    # District code for a blanket program; the region a voluntary program is sold in.
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    # Household-paid: premium per household per term. District-funded: the lump sum per term.
    premium_fen: Mapped[FenColumn]
    term_months: Mapped[int]
    # Co-funding: premium_fen is per household or per resident; the shares (basis points, summing to
    # 10,000) say who pays what part of each policy's premium (policies.premium_shares.split_premium).
    premium_basis: Mapped[str] = mapped_column(String(10), default="household", server_default="household")
    household_share_bps: Mapped[int] = mapped_column(default=10_000, server_default="10000")
    district_share_bps: Mapped[int] = mapped_column(default=0, server_default="0")
    township_share_bps: Mapped[int] = mapped_column(default=0, server_default="0")
    per_claim_cap_fen: Mapped[FenColumn]
    # Cap on what one claim may draw from this and any other program covering the same loss.
    combined_cap_fen: Mapped[FenColumn | None]
    clock_target_hours: Mapped[int] = mapped_column(default=72)
    # Taken off every assessed loss before limits apply (claims.assessments.domain).
    deductible_fen: Mapped[FenColumn] = mapped_column(default=0, server_default="0")
    # The most an advance (预赔) may be, in basis points of the claim's payable cap; 0: no advances.
    advance_max_bps: Mapped[int] = mapped_column(default=0, server_default="0")
    reporting_window_days: Mapped[int] = mapped_column(default=30)
    # Default village security rebate share, in basis points of premiums received.
    rebate_bps: Mapped[int | None]
    starts_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)

    perils: Mapped[list[ProgramPeril]] = relationship(
        back_populates="program", lazy="selectin", cascade="all, delete-orphan"
    )


class ProgramPeril(Base):
    __tablename__ = "program_perils"
    __table_args__ = (
        UniqueConstraint("program_id", "peril"),
        CheckConstraint("limit_fen > 0", name="limit_positive"),
    )

    program_id: Mapped[UUID] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    peril: Mapped[str] = mapped_column(String(30))
    limit_fen: Mapped[FenColumn]

    program: Mapped[Program] = relationship(back_populates="perils", lazy="raise")


class Policy(Base):
    """One term of cover. A blanket policy has no household: it covers its whole district."""

    __tablename__ = "policies"
    __table_args__ = (
        Index("ix_policies_household_period", "household_id", "starts_on"),
        Index("ix_policies_region_code", "region_code"),
        CheckConstraint("ends_on > starts_on", name="period_ordered"),
        CheckConstraint("premium_paid_fen BETWEEN 0 AND premium_due_fen", name="paid_within_due"),
        CheckConstraint(
            "status IN ('idle', 'active', 'suspended', 'expired', 'renewed')", name="status_known"
        ),
    )

    number: Mapped[str] = mapped_column(String(40), unique=True)
    program_id: Mapped[UUID] = mapped_column(ForeignKey("programs.id"), index=True)
    household_id: Mapped[UUID | None] = mapped_column(ForeignKey("households.id"))
    # The household's village for a household policy; the district for a blanket policy.
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # exclusive
    status: Mapped[str] = mapped_column(String(12), default="idle")
    premium_due_fen: Mapped[FenColumn]
    premium_paid_fen: Mapped[FenColumn] = mapped_column(default=0)
    activated_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    renewed_from_id: Mapped[UUID | None] = mapped_column(ForeignKey("policies.id"))


class PremiumPayment(Base):
    __tablename__ = "premium_payments"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("share IN ('household', 'district', 'township')", name="share_kind"),
        # A government receipt pays many policies; a household receipt is kept to one policy by the
        # services (premiums.record_payment, the collection-list import).
        UniqueConstraint("channel", "receipt_no", "policy_id"),
        # Premiums received in a period and region, read from the index alone (reports' dashboard).
        Index("ix_premium_payments_paid_region", "paid_at", "region_code", "amount_fen"),
    )

    policy_id: Mapped[UUID] = mapped_column(ForeignKey("policies.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(15), index=True)
    payer: Mapped[str] = mapped_column(String(100))
    amount_fen: Mapped[FenColumn]
    channel: Mapped[str] = mapped_column(String(20))  # cash | bank | wechat | alipay | district_finance
    receipt_no: Mapped[str] = mapped_column(String(60))
    paid_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    # Who took the money: a village liaison's name, a bank branch; from a collection list.
    collector: Mapped[str | None] = mapped_column(String(100))
    # Whose part of the premium this pays: household | district | township (policies.premium_shares.Share).
    share: Mapped[str] = mapped_column(String(10), default="household", server_default="household")
    government_payment_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("government_payments.id"), index=True
    )


class GovernmentPayment(Base):
    """One payment by district or township finance of its share for a list of households."""

    __tablename__ = "government_payments"
    __table_args__ = (
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
        CheckConstraint("payer IN ('district', 'township')", name="payer_kind"),
        UniqueConstraint("payer", "receipt_no"),
    )

    program_id: Mapped[UUID] = mapped_column(ForeignKey("programs.id"), index=True)
    payer: Mapped[str] = mapped_column(String(10))  # district | township
    region_code: Mapped[str] = mapped_column(String(15), index=True)  # the region the list was drawn from
    receipt_no: Mapped[str] = mapped_column(String(60))
    paid_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[FenColumn]  # the sum of the premium payments it made
    policies_paid: Mapped[int]
    actor: Mapped[str] = mapped_column(String(100))
