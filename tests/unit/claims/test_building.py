"""One builder for a new claim's row, for the one page and for a catastrophe alike."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from claims.domain import ClaimStatus, Flag
from claims.errors import EstimateOverCap
from claims.models import Claim
from claims.services.building import Claimant, Suspicions, new_claim
from policies.domain import Funding, Peril
from tests.unit.claims.covers import cover

NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)
CLAIMANT = Claimant("张三", "370211199001011234", "13800001234")


def build(**changes: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "status": ClaimStatus.REPORTED,
        "household_id": uuid4(),
        "village_code": "370211001001",
        "peril": Peril.FIRE,
        "loss_at": NOW - timedelta(days=1),
        "loss_on": date(2026, 11, 21),
        "covers": [cover(Funding.DISTRICT, hours=72), cover(Funding.HOUSEHOLD, hours=48)],
        "claimant": CLAIMANT,
        "description": "厨房起火",
        "filed_by": "liaison",
        "now": NOW,
    }
    return new_claim(**(facts | changes))


def test_the_row_fills_the_claims_table_with_what_the_covers_promise() -> None:
    row = build(estimated_loss_fen=1_000_000)
    assert set(row) <= {column.name for column in Claim.__table__.columns}
    assert Claim(**row).claimant_phone == CLAIMANT.phone
    assert row["status"] == "reported"
    assert row["clock_target_hours"] == 48
    assert row["expected_payment_by"] == NOW + timedelta(hours=48)
    assert row["payable_cap_fen"] == 30_000_000  # each cover's 15,000,000 per-claim cap, no combined cap
    assert [snapshot["funding"] for snapshot in row["covers"]] == ["district", "household"]


def test_suspicions_become_flags_and_an_estimate_over_the_cap_is_refused() -> None:
    row = build(suspicions=Suspicions(same_loss_exists=True), status=ClaimStatus.AWAITING_CONFIRMATION)
    assert row["flags"] == [Flag.POSSIBLE_DUPLICATE.value]
    assert row["status"] == "awaiting_confirmation"
    with pytest.raises(EstimateOverCap):
        build(estimated_loss_fen=30_000_001)
