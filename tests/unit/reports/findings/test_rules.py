"""The pure finding rules, the cycle-time outlier rule and the sample, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from reports.findings import cycles, domain, sampling
from reports.findings.rows import AccountUse, CoverPeriod, LedgerCheck, PaidClaim, PaidPayout, VillageFund
from reports.findings.services import mask_account

START = datetime(2026, 1, 5, 1, tzinfo=UTC)


def paid(n: int, hours: float = 50, **changes: object) -> PaidClaim:
    facts: dict[str, object] = {
        "claim_id": UUID(int=n),
        "number": f"C{n:04d}",
        "household_id": UUID(int=1000 + n),
        "village_code": "370211001001",
        "loss_on": date(2026, 1, 4),
        "reported_at": START,
        "paid_at": START + timedelta(hours=hours),
        "covers": [
            {
                "policy_id": str(UUID(int=500)),
                "policy_number": "P1",
                "limit_fen": 1_000,
                "combined_cap_fen": None,
            }
        ],
        "payable_cap_fen": 1_000,
        "paid_total_fen": 800,
        "final_paid": True,
        "visited": True,
        "assessed": True,
    }
    return PaidClaim(**(facts | changes))  # type: ignore[arg-type]


def test_fewer_than_twenty_claims_have_no_usual() -> None:
    assert cycles.cycle_usual([40.0 + n for n in range(19)]) is None
    usual = cycles.cycle_usual([40.0 + n for n in range(20)])
    # 40…59: median 49.5, absolute deviations 0.5…9.5 twice, their median 5; 1.4826 × 5 = 7.413.
    assert usual is not None
    assert (usual.sample, usual.median_hours) == (20, 49.5)
    assert usual.spread_hours == pytest.approx(7.413)
    assert (usual.low, usual.high) == (pytest.approx(27.261), pytest.approx(71.739))


def test_all_alike_no_claim_stands_out() -> None:
    assert cycles.cycle_usual([48.0] * 30) is None
    assert cycles.cycle_outliers([paid(1, hours=500)], None) == []


def test_outliers_lie_outside_three_spreads() -> None:
    usual = cycles.cycle_usual([40.0 + n for n in range(20)])
    found = cycles.cycle_outliers([paid(1, 71.7), paid(2, 71.8), paid(3, 27.2), paid(4, 27.3)], usual)
    assert [(f.subject_id, f.evidence["direction"]) for f in found] == [
        (str(UUID(int=2)), "slower"),
        (str(UUID(int=3)), "faster"),
    ]


def test_the_cap_is_each_limit_summed_within_the_tightest_combined_cap() -> None:
    covers = [
        {"limit_fen": 600, "combined_cap_fen": 900},
        {"limit_fen": 500, "combined_cap_fen": 1_200},
    ]
    assert domain.snapshot_cap(covers) == 900
    assert domain.snapshot_cap([{"limit_fen": 600}, {"limit_fen": 500, "combined_cap_fen": None}]) == 1_100


def test_paid_over_the_limit_by_one_fen() -> None:
    assert domain.paid_over_limit([paid(1, paid_total_fen=1_000)]) == []
    [found] = domain.paid_over_limit([paid(1, paid_total_fen=1_001)])
    assert found.evidence["over_fen"] == 1


def test_a_loss_on_the_day_cover_ends_is_outside() -> None:
    periods = {str(UUID(int=500)): CoverPeriod("P1", date(2025, 1, 4), date(2026, 1, 4))}
    assert len(domain.loss_outside_cover([paid(1)], periods)) == 1
    periods = {str(UUID(int=500)): CoverPeriod("P1", date(2026, 1, 4), date(2027, 1, 4))}
    assert domain.loss_outside_cover([paid(1)], periods) == []


def test_an_advance_alone_needs_no_visit() -> None:
    assert domain.paid_without_visit([paid(1, final_paid=False, visited=False, assessed=False)]) == []
    assert len(domain.paid_without_visit([paid(1, visited=True, assessed=False)])) == 1


def test_an_account_shared_within_one_household_is_no_finding() -> None:
    payout = PaidPayout(UUID(int=9), UUID(int=1), "C0001", UUID(int=1001), "6222000011112222", 800)
    own = AccountUse("6222000011112222", UUID(int=1001), "C0000", "370211001001")
    other = AccountUse("6222000011112222", UUID(int=1002), "C0002", "370211001002")
    assert domain.shared_accounts([payout], [own]) == []
    [found] = domain.shared_accounts([payout], [own, other], mask_account)
    assert found.evidence["account"] == "6222********2222"
    assert found.evidence["other_claims"] == [{"claim_number": "C0002", "village_code": "370211001002"}]


def test_ledger_and_fund_checks() -> None:
    check = LedgerCheck(UUID(int=3), "370211", date(2025, 1, 1), date(2025, 4, 1), 60_001, 6_000, 6_000)
    assert domain.ledger_mismatches([check]) == []
    assert domain.ledger_mismatches([check._replace(accrued_fen=5_999)])[0].evidence["difference_fen"] == -1
    assert domain.overspent_villages([VillageFund("370211001001", 2_000, 2_000)]) == []
    assert domain.overspent_villages([VillageFund("370211001001", 2_000, 2_001)])[0].evidence["over_fen"] == 1


def test_the_sample_is_drawn_in_claim_number_order_whatever_the_input_order() -> None:
    numbers = [f"C{n:04d}" for n in range(50)]
    drawn = sampling.draw_sample(numbers, size=5, seed=42)
    assert sampling.draw_sample(list(reversed(numbers)), size=5, seed=42) == drawn
    assert sampling.draw_sample(numbers, size=5, seed=43) != drawn
    assert sorted(sampling.draw_sample(numbers[:3], size=5, seed=1)) == numbers[:3]


def test_accounts_mask_all_but_eight_digits() -> None:
    assert mask_account("6222020200112233") == "6222********2233"
    assert mask_account("12345678") == "********"


def test_a_snapshot_that_carries_its_period_is_read_before_the_register() -> None:
    register = {str(UUID(int=500)): CoverPeriod("P1", date(2026, 1, 1), date(2027, 1, 1))}
    snapshot = {
        "policy_id": str(UUID(int=500)),
        "policy_number": "P1",
        "starts_on": "2026-01-05",
        "ends_on": "2027-01-05",
    }
    [found] = domain.loss_outside_cover([paid(1, covers=[snapshot])], register)
    assert found.evidence["cover_periods"] == [
        {"policy_number": "P1", "starts_on": "2026-01-05", "ends_on": "2027-01-05"}
    ]
    assert domain.loss_outside_cover([paid(1)], register) == []
    assert len(domain.loss_outside_cover([paid(1)], {})) == 1  # a policy nobody knows covers nothing
