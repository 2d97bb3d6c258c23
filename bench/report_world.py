"""The district bench/report.py measures, as rows for bulk insert: 300 villages, households and
people, a blanket and voluntary policies, two years of premiums, claims, payouts, rebates, spending."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

from stdnum.cn import ric

from claims.models import Claim
from core.clock import start_of_business_day
from payouts.models import Payout
from payouts.rebates.models import RebateAgreement, RebateEntry, RebatePeriod, SecurityExpenditure
from policies.models import Household, Person, Policy, PremiumPayment, Program, Region

DISTRICT = "370211"
TOWNS, VILLAGES_PER_TOWN = 10, 30
MONTH = date(2026, 3, 1)  # the month measured; the history runs back from it
PERILS = ("fire", "theft", "natural_disaster", "explosion", "robbery")
CATEGORIES = ("patrol_staff", "video_surveillance", "door_window_alarms", "security_doors", "publicity")
STAGES = (
    "accepted_at",
    "visit_scheduled_at",
    "visited_at",
    "assessed_at",
    "approved_at",
    "sent_at",
    "paid_at",
)


def resident_id(seq: int) -> str:
    born = date(1940, 1, 1) + timedelta(days=seq // 1000)
    body = f"{DISTRICT}{born:%Y%m%d}{seq % 1000:03d}"
    return body + ric.calc_check_digit(body)


def month_start(months_back: int) -> datetime:
    year, month = divmod(MONTH.year * 12 + MONTH.month - 1 - months_back, 12)
    return start_of_business_day(date(year, month + 1, 1))


def rows_for(households: int, claims_per_month: int, months: int) -> dict[Any, list[dict[str, Any]]]:
    rng = random.Random(13)
    now = datetime.now(UTC)
    stamp = {"created_at": now, "updated_at": now}
    regions = [{"code": DISTRICT, "name": "黄岛区", "level": "district", "parent_code": None, **stamp}]
    villages = []
    for t in range(1, TOWNS + 1):
        town = f"{DISTRICT}{t:03d}"
        regions.append({"code": town, "name": f"街道{t}", "level": "town", "parent_code": DISTRICT, **stamp})
        for v in range(1, VILLAGES_PER_TOWN + 1):
            villages.append(f"{town}{v:03d}")
            regions.append(
                {"code": villages[-1], "name": f"村{t}-{v}", "level": "village", "parent_code": town, **stamp}
            )
    program = {
        "insurer": "人保财险",
        "term_months": 36,
        "per_claim_cap_fen": 15_000_000,
        "combined_cap_fen": None,
        "reporting_window_days": 30,
        "rebate_bps": None,
        "starts_on": date(2024, 1, 1),
        "description": None,
        "region_code": DISTRICT,
        "clock_target_hours": 72,
        **stamp,
    }
    blanket_program, voluntary_program = uuid4(), uuid4()
    programs = [
        program
        | {"id": blanket_program, "code": "B", "name": "统保", "funding": "district", "premium_fen": 0},
        program
        | {"id": voluntary_program, "code": "V", "name": "自愿", "funding": "household"}
        | {"premium_fen": 20_000},
    ]
    policy = {"starts_on": date(2024, 1, 1), "ends_on": date(2027, 1, 1), "status": "active", **stamp}
    blanket = policy | {"id": uuid4(), "number": "B-1", "program_id": blanket_program, "household_id": None}
    policies = [blanket | {"region_code": DISTRICT, "premium_due_fen": 0, "premium_paid_fen": 0}]
    homes, people, premiums = [], [], []
    person = 0
    for n in range(households):
        household_id, village, policy_id = uuid4(), villages[n % len(villages)], uuid4()
        homes.append(
            {"id": household_id, "village_code": village, "household_no": f"H{n:07d}", "address": f"{n}号"}
            | {"head_name": f"户主{n}", "phone": f"138{n:08d}", "registered_at": now, **stamp}
        )
        for m in range(2 if n % 7 == 0 else 3):
            people.append(
                {"id": uuid4(), "household_id": household_id, "name": f"成员{n}-{m}", "relation": "other"}
                | {"resident_id": resident_id(person), "phone": None, **stamp}
            )
            person += 1
        policies.append(
            policy
            | {"id": policy_id, "number": f"V-{n:07d}", "program_id": voluntary_program}
            | {"household_id": household_id, "region_code": village, "premium_due_fen": 20_000}
            | {"premium_paid_fen": 20_000}
        )
        paid_at = month_start(n % months) + timedelta(minutes=rng.randrange(27 * 24 * 60))
        premiums.append(
            {"id": uuid4(), "policy_id": policy_id, "region_code": village, "payer": f"户主{n}"}
            | {"amount_fen": 20_000, "channel": "cash", "receipt_no": f"R{n}", "paid_at": paid_at, **stamp}
        )
    claims, payouts = [], []
    for m in range(months):
        for k in range(claims_per_month):
            n = rng.randrange(households)
            claim_id, village = uuid4(), villages[n % len(villages)]
            reported = month_start(m) + timedelta(minutes=rng.randrange(27 * 24 * 60))
            times: dict[str, Any] = {stage: None for stage in STAGES}
            # Nine in ten paid; of the rest, those of the last month still open, older ones rejected.
            moment, paid, still_open = reported, k % 10 != 0, m == 0
            for stage in STAGES if paid else STAGES[:2] if still_open else ():
                moment += timedelta(minutes=rng.randrange(60, 16 * 60))
                times[stage] = moment
            status = "paid" if paid else "visit_scheduled" if still_open else "rejected"
            amount = rng.randrange(10_000, 2_000_000)
            claims.append(
                {
                    "id": claim_id,
                    "number": f"C{m:02d}{k:06d}",
                    "status": status,
                }
                | {"household_id": homes[n]["id"], "village_code": village, "catastrophe_id": None}
                | {"peril": PERILS[k % len(PERILS)], "loss_at": reported, "loss_on": reported.date()}
                | {"loss_place": "家中", "description": "损失", "estimated_loss_fen": amount}
                | {
                    "claimant_name": "户主",
                    "claimant_resident_id": resident_id(k),
                    "claimant_phone": "13800000000",
                }
                | {"payee_name": "户主", "payee_bank_name": "农商银行", "payee_account": f"62{n:014d}"}
                | {"police_report_no": None, "fire_certificate_no": None, "liaison_confirmed": False}
                | {"filed_by": "bench", "covers": [], "payable_cap_fen": 15_000_000, "flags": []}
                | {"advance_paid_fen": 0, "paid_fen": amount if paid else 0, "clock_target_hours": 72}
                | {"reported_at": reported, "expected_payment_by": reported + timedelta(hours=72)}
                | {"confirmed_at": None, "cleared_at": None, "reopened_at": None}
                | {"rejected_at": None if paid or still_open else reported + timedelta(hours=5)}
                | {"withdrawn_at": None, "closed_at": None, "rejection_reason": None, "reopen_reason": None}
                | {"withdrawal_reason": None, **times, **stamp}
            )
            if paid:
                payouts.append(
                    {"id": uuid4(), "claim_id": claim_id, "kind": "final", "amount_fen": amount}
                    | {"region_code": village, "payee_name": "户主", "payee_bank_name": None}
                    | {"payee_account": f"62{n:014d}", "status": "paid", "batch_id": None}
                    | {"bank_reference": None, "requested_by": "bench", "approved_by": None}
                    | {"second_approved_by": None, "approved_at": None, "sent_at": times["sent_at"]}
                    | {"paid_at": times["paid_at"], "failed_at": None, "failure_reason": None, **stamp}
                )
    agreement, period = uuid4(), uuid4()
    rebate_month = month_start(0) + timedelta(days=3)
    rebate_stamp = {"created_at": rebate_month, "updated_at": rebate_month}
    entries = [
        {"id": uuid4(), "period_id": period, "village_code": v, "kind": kind, "amount_fen": 100_000}
        | {
            "reverses_id": None,
            "basis": None,
            "reference": None,
            "actor": "bench",
            "reason": None,
            **rebate_stamp,
        }
        for v in villages
        for kind in ("accrual", "approval", "disbursement")
    ]
    spending = [
        {"id": uuid4(), "village_code": v, "category": CATEGORIES[i % 5], "amount_fen": 20_000 + i}
        | {"spent_on": MONTH + timedelta(days=i % 28), "description": "支出", "receipt_sha256": "0" * 64}
        | {"receipt_media_type": "image/jpeg", "receipt_name": "r.jpg", "recorded_by": "bench", **stamp}
        for i, v in enumerate(villages * 3)
    ]
    return {
        Region: regions,
        Program: programs,
        Household: homes,
        Person: people,
        Policy: policies,
        PremiumPayment: premiums,
        Claim: claims,
        Payout: payouts,
        RebateAgreement: [
            {"id": agreement, "program_id": voluntary_program, "region_code": DISTRICT, "share_bps": 500}
            | {"per_household_fen": None, "period_kind": "year", "starts_on": date(2025, 1, 1)}
            | {"ends_on": date(2026, 1, 1), "approver_role": "finance", "note": None, **stamp}
        ],
        RebatePeriod: [
            {"id": period, "agreement_id": agreement, "region_code": DISTRICT, "starts_on": date(2025, 1, 1)}
            | {"ends_on": date(2026, 1, 1), "premiums_fen": 0, "households": 0, "rebate_due_fen": 0, **stamp}
        ],
        RebateEntry: entries,
        SecurityExpenditure: spending,
    }
