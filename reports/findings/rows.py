"""The plain rows the finding rules read: what the services' queries return, no ORM objects."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple
from uuid import UUID


class PaidClaim(NamedTuple):
    """A claim with money confirmed paid in the period, and what the money rests on."""

    claim_id: UUID
    number: str
    household_id: UUID
    village_code: str
    loss_on: date
    reported_at: datetime
    paid_at: datetime  # the clock's stop
    covers: list[dict[str, Any]]
    payable_cap_fen: int
    paid_total_fen: int  # every payout confirmed paid for the claim, advances included
    final_paid: bool
    visited: bool
    assessed: bool


class CoverPeriod(NamedTuple):
    number: str
    starts_on: date
    ends_on: date  # exclusive


class AccountUse(NamedTuple):
    """A bank account named as payee by a claim or a payout of one household."""

    account: str
    household_id: UUID
    claim_number: str
    village_code: str
    in_scope: bool = True  # the caller's region: else shown only as a count and its district


class PaidPayout(NamedTuple):
    payout_id: UUID
    claim_id: UUID
    claim_number: str
    household_id: UUID
    account: str
    amount_fen: int


class ClaimantUse(NamedTuple):
    """A claim's claimant; `registered_household_id` is where the register has their resident ID."""

    resident_id: str
    claim_id: UUID
    claim_number: str
    household_id: UUID
    village_code: str
    registered_household_id: UUID | None = None
    in_scope: bool = True  # the caller's region: else shown only as a count and its district


class LedgerCheck(NamedTuple):
    period_id: UUID
    region_code: str
    starts_on: date
    ends_on: date
    premiums_fen: int  # received in the period, as the premium tables say now
    expected_fen: int  # the agreement's share of them
    accrued_fen: int  # the ledger's accruals net of reversals


class VillageFund(NamedTuple):
    village_code: str
    disbursed_fen: int
    spent_fen: int
