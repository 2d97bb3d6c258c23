"""A small district whose March 2026 is known by heart, for the dashboard and the monthly report.

黄岛区 370211: town 001 (villages A = 001001, B = 001002), town 002 (village C = 002001, D = 002002).
A second district, 370212, with one claim that must never count for 370211.

Households: A three of two people, B two of three, C one of one, D none; a blanket policy for the
whole district (13 people in 6 households) and voluntary policies for one household in A and one in B
(2 + 3 people). March 2026 (Beijing time):
- premiums: the district's blanket 10,000.00 (3-05), A 200.00 (3-10), B 200.00 (3-31 23:30, still
  March in Beijing), A 200.00 at 4-01 00:30 Beijing (March 31 in UTC: April's);
- c1 A fire, reported 3-02 10:00, paid 3-04 10:00 (48 h of 72), 3,000.00;
- c2 B theft, reported 3-10 08:00, an advance 500.00 paid 3-11, the final 1,000.00 paid 3-15 08:00
  (120 h): accepted +1 h, scheduled +24 h, visited +48 h, assessed +3 h, approved +20 h, sent +22 h,
  paid +2 h;
- c3 C fire, reported 3-20 10:00, accepted 3-20 12:00, still unpaid (past its 72 h);
- c4 A theft, reported 2-25 10:00, paid 3-01 10:00 (96 h), 800.00;
- c5 A fire reported 4-02 (April); c6 in 370212, paid 5,000.00 in March.
- rebates: A accrued 1,000.00 and disbursed 600.00 in March; A spent 300.00 on patrols (3-15) and
  500.00 on cameras (3-20), more than disbursed; B spent 100.00 on publicity on 4-02.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim
from core.auth import Role
from core.clock import business_time
from core.settings import Settings
from payouts.models import Payout
from payouts.rebates.models import RebateAgreement, RebateEntry, RebatePeriod, SecurityExpenditure
from policies.models import Household, Policy, PremiumPayment, Program
from tests import factories
from tests.conftest import make_user, run_in_db

DISTRICT = "370211"
OTHER_DISTRICT = "370212"
TOWN_1 = "370211001"
TOWN_2 = "370211002"
A, B, C = "370211001001", "370211001002", "370211002001"
MARCH_FROM, MARCH_TO = "2026-03-01", "2026-03-31"


@dataclass
class World:
    claims: dict[str, UUID]


def beijing(text: str) -> datetime:
    return business_time(datetime.fromisoformat(text))


_claims = iter(range(1, 1_000_000))


def claim_row(household: Household, peril: str, status: str, reported: str, **fields: Any) -> Claim:
    reported_at = beijing(reported)
    return Claim(
        id=uuid4(),
        number=f"LP{next(_claims):08d}",
        status=status,
        household_id=household.id,
        village_code=household.village_code,
        peril=peril,
        loss_at=reported_at,
        loss_on=reported_at.date(),
        loss_place="家中",
        description="损失",
        claimant_name=household.head_name,
        claimant_resident_id=factories.resident_id(900_000 + next(_claims)),
        claimant_phone=household.phone,
        filed_by="test",
        covers=[],
        payable_cap_fen=15_000_000,
        clock_target_hours=72,
        reported_at=reported_at,
        expected_payment_by=reported_at,
        **{key: beijing(value) if key.endswith("_at") else value for key, value in fields.items()},
    )


def payout_row(claim: Claim, kind: str, amount_fen: int, paid: str) -> Payout:
    return Payout(
        claim_id=claim.id,
        kind=kind,
        amount_fen=amount_fen,
        region_code=claim.village_code,
        payee_name=claim.claimant_name,
        payee_account="6222000011112222",
        status="paid",
        requested_by="test",
        paid_at=beijing(paid),
    )


def premium_row(policy: Policy, region_code: str, amount_fen: int, paid: str) -> PremiumPayment:
    return PremiumPayment(
        policy_id=policy.id,
        region_code=region_code,
        payer="test",
        amount_fen=amount_fen,
        channel="cash",
        receipt_no=f"R-{uuid4().hex[:10]}",
        paid_at=beijing(paid),
    )


async def build_march(session: AsyncSession) -> World:
    await factories.region_tree(session, DISTRICT, towns=2, villages_per_town=2)
    await factories.region_tree(session, OTHER_DISTRICT, towns=1, villages_per_town=1)
    homes = {
        A: [await factories.household(session, A, members=2) for _ in range(3)],
        B: [await factories.household(session, B, members=3) for _ in range(2)],
        C: [await factories.household(session, C, members=1)],
    }
    other = await factories.household(session, f"{OTHER_DISTRICT}001001", members=2)
    blanket_program: Program = await factories.program(
        session, funding="district", region_code=DISTRICT, premium_fen=1_000_000, term_months=12
    )
    blanket = await factories.blanket_policy(session, blanket_program, starts_on=date(2026, 1, 1))
    voluntary_program = await factories.program(session, region_code=DISTRICT)
    policy_a = await factories.active_policy(
        session, homes[A][0], voluntary_program, starts_on=date(2026, 1, 1)
    )
    policy_b = await factories.active_policy(
        session, homes[B][0], voluntary_program, starts_on=date(2026, 1, 1)
    )
    session.add_all(
        [
            premium_row(blanket, DISTRICT, 1_000_000, "2026-03-05 09:00"),
            premium_row(policy_a, A, 20_000, "2026-03-10 09:00"),
            premium_row(policy_b, B, 20_000, "2026-03-31 23:30"),
            premium_row(policy_a, A, 20_000, "2026-04-01 00:30"),
        ]
    )
    c1 = claim_row(
        homes[A][1], "fire", "paid", "2026-03-02 10:00", paid_at="2026-03-04 10:00", paid_fen=300_000
    )
    c2 = claim_row(
        homes[B][1],
        "theft",
        "paid",
        "2026-03-10 08:00",
        accepted_at="2026-03-10 09:00",
        visit_scheduled_at="2026-03-11 09:00",
        visited_at="2026-03-13 09:00",
        assessed_at="2026-03-13 12:00",
        approved_at="2026-03-14 08:00",
        sent_at="2026-03-15 06:00",
        paid_at="2026-03-15 08:00",
        paid_fen=150_000,
        advance_paid_fen=50_000,
    )
    c3 = claim_row(homes[C][0], "fire", "accepted", "2026-03-20 10:00", accepted_at="2026-03-20 12:00")
    c4 = claim_row(
        homes[A][2], "theft", "paid", "2026-02-25 10:00", paid_at="2026-03-01 10:00", paid_fen=80_000
    )
    c5 = claim_row(homes[A][0], "fire", "reported", "2026-04-02 10:00")
    c6 = claim_row(other, "fire", "paid", "2026-03-03 10:00", paid_at="2026-03-04 10:00", paid_fen=500_000)
    session.add_all([c1, c2, c3, c4, c5, c6])
    await session.flush()
    session.add_all(
        [
            payout_row(c1, "final", 300_000, "2026-03-04 10:00"),
            payout_row(c2, "advance", 50_000, "2026-03-11 10:00"),
            payout_row(c2, "final", 100_000, "2026-03-15 08:00"),
            payout_row(c4, "final", 80_000, "2026-03-01 10:00"),
            payout_row(c6, "final", 500_000, "2026-03-04 10:00"),
        ]
    )
    agreement = RebateAgreement(
        id=uuid4(),
        program_id=voluntary_program.id,
        region_code=DISTRICT,
        share_bps=1000,
        period_kind="quarter",
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 1, 1),
        approver_role="finance",
    )
    session.add(agreement)
    await session.flush()
    period = RebatePeriod(
        id=uuid4(),
        agreement_id=agreement.id,
        region_code=DISTRICT,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 4, 1),
        premiums_fen=1_000_000,
        households=6,
        rebate_due_fen=100_000,
    )
    session.add(period)
    await session.flush()
    session.add_all(
        [
            RebateEntry(
                period_id=period.id,
                village_code=A,
                kind=kind,
                amount_fen=amount,
                actor="test",
                created_at=beijing(when),
            )
            for kind, amount, when in (
                ("accrual", 100_000, "2026-03-02 09:00"),
                ("disbursement", 60_000, "2026-03-06 09:00"),
            )
        ]
    )
    session.add_all(
        [
            SecurityExpenditure(
                village_code=village,
                category=category,
                amount_fen=amount,
                spent_on=date.fromisoformat(day),
                description="支出",
                receipt_sha256="0" * 64,
                receipt_media_type="image/jpeg",
                receipt_name="r.jpg",
                recorded_by="test",
            )
            for village, category, amount, day in (
                (A, "patrol_staff", 30_000, "2026-03-15"),
                (A, "video_surveillance", 50_000, "2026-03-20"),
                (B, "publicity", 10_000, "2026-04-02"),
            )
        ]
    )
    await session.flush()
    return World(claims={"c1": c1.id, "c2": c2.id, "c3": c3.id, "c4": c4.id, "c5": c5.id, "c6": c6.id})


async def march_world(settings: Settings) -> World:
    world: World = await run_in_db(settings, build_march)
    for name, role, regions in (
        ("auditor", Role.AUDITOR, [DISTRICT]),
        ("other_auditor", Role.AUDITOR, [OTHER_DISTRICT]),
        ("officer", Role.CLAIMS_OFFICER, [DISTRICT]),
        ("town_officer", Role.CLAIMS_OFFICER, [TOWN_2]),
        ("admin", Role.ADMIN, []),
        ("finance", Role.FINANCE, [DISTRICT]),
        ("liaison", Role.LIAISON, [A]),
    ):
        await make_user(settings, name, role, regions)
    return world
