"""The city the clock bench reports on: 5 districts of 6 towns of 10 villages, 50 households a village,
40 adjusters, and claims spread evenly over 24 business months with their stage times and visits.

Stage times are drawn (seeded) from exponential distributions around STAGE_MEAN_HOURS; a stage not
reached by NOW is left empty, so the last weeks' claims are still open. The clock state is what the
sweep and the payment hook would have stored: breached past the target, at risk from 75 %.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import insert

from claims.clock import domain
from claims.domain import claim_number
from claims.visits.models import Adjuster
from core.clock import business_date, start_of_business_day
from policies.models import Household, Region
from users.models import User

DISTRICTS = [f"3702{n:02d}" for n in range(11, 16)]
TOWNS, VILLAGES, HOMES, ADJUSTERS = 6, 10, 50, 40
FIRST_MONTH = date(2024, 12, 1)
MONTHS = 24
CHUNK = 20_000
# Mean hours in each stage (exponential), in STAGES order: a cycle of about 55 h on average.
STAGE_MEAN_HOURS = (2.0, 4.0, 20.0, 4.0, 4.0, 12.0, 8.0)
PERILS = ("fire", "theft", "robbery", "natural_disaster", "explosion")
# The status a claim is in once the stage time in the key is the last it has.
STATUS_AFTER = {
    "accepted_at": "accepted",
    "visit_scheduled_at": "visit_scheduled",
    "visited_at": "visit_scheduled",
    "assessed_at": "assessed",
    "approved_at": "approved",
    "sent_at": "approved",
    "paid_at": "paid",
}
LAST_MONTH = date(2026, 11, 1)
NOW = datetime(2026, 11, 30, 16, tzinfo=UTC)  # midnight at the end of November in Shanghai


def villages() -> list[str]:
    return [
        f"{d}{t:03d}{v:03d}" for d in DISTRICTS for t in range(1, TOWNS + 1) for v in range(1, VILLAGES + 1)
    ]


def stamp(now: datetime) -> dict[str, Any]:
    return {"created_at": now, "updated_at": now}


async def seed_places(session: Any, now: datetime) -> tuple[list[str], dict[str, list[UUID]], list[UUID]]:
    """Regions, households, adjusters (with their users); returns villages, homes and adjusters."""
    codes = villages()
    regions = [
        {"code": d, "name": f"区{d}", "level": "district", "parent_code": None, **stamp(now)}
        for d in DISTRICTS
    ]
    towns = sorted({code[:9] for code in codes})
    regions += [
        {"code": t, "name": f"镇{t[-3:]}", "level": "town", "parent_code": t[:6], **stamp(now)} for t in towns
    ]
    regions += [
        {"code": v, "name": f"村{v[-3:]}", "level": "village", "parent_code": v[:9], **stamp(now)}
        for v in codes
    ]
    await session.execute(insert(Region), regions)
    homes: dict[str, list[UUID]] = defaultdict(list)
    rows = []
    for index, village in enumerate(codes):
        for n in range(HOMES):
            home = uuid4()
            homes[village].append(home)
            rows.append(
                {
                    "id": home,
                    "village_code": village,
                    "household_no": f"H{index:03d}{n:03d}",
                    "address": f"{n}号",
                }
                | {
                    "head_name": f"户主{n}",
                    "phone": f"138{index:04d}{n:04d}",
                    "registered_at": now,
                    **stamp(now),
                }
            )
    await session.execute(insert(Household), rows)
    users: list[dict[str, Any]] = [
        {"id": uuid4(), "username": f"adjuster{n}", "display_name": f"查勘员{n}", "password_hash": "-"}
        | {"role": "adjuster", "regions": [DISTRICTS[n % len(DISTRICTS)]], "active": True, **stamp(now)}
        for n in range(ADJUSTERS)
    ]
    await session.execute(insert(User), users)
    adjusters = [
        {"id": uuid4(), "user_id": user["id"], "region_code": user["regions"][0], "village_codes": []}
        | {
            "home_village_code": codes[0],
            "daily_capacity": 12,
            "working_weekdays": [1, 2, 3, 4, 5],
            **stamp(now),
        }
        for user in users
    ]
    await session.execute(insert(Adjuster), adjusters)
    return codes, homes, [a["id"] for a in adjusters]


def claim_rows(
    total: int, codes: list[str], homes: dict[str, list[UUID]], adjusters: list[UUID], now: datetime
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """Claims in report order, in chunks, with their site visits; numbered per business day."""
    rng = random.Random(12)
    start = start_of_business_day(FIRST_MONTH)
    span = (start_of_business_day(date(2026, 12, 1)) - start).total_seconds()
    sequence: dict[date, int] = defaultdict(int)
    claims: list[dict[str, Any]] = []
    visits: list[dict[str, Any]] = []
    for n in range(total):
        reported_at = start + timedelta(seconds=span * n / total)
        day = business_date(reported_at)
        sequence[day] += 1
        village_index = rng.randrange(len(codes))
        village = codes[village_index]
        target = 72 if n % 3 else 48
        times: dict[str, datetime | None] = {}
        moment = reported_at
        for (_, column), mean in zip(domain.STAGES, STAGE_MEAN_HOURS, strict=True):
            moment += timedelta(hours=rng.expovariate(1 / mean))
            times[column] = moment if moment < now else None
        paid_at = times["paid_at"]
        reached = [column for column in domain.STAGE_COLUMNS if times[column] is not None]
        status = STATUS_AFTER[reached[-1]] if reached else "reported"
        cycle_end = paid_at or now
        late = (cycle_end - reported_at) > timedelta(hours=target)
        at_risk = (cycle_end - reported_at) >= timedelta(hours=target * 0.75)
        claim_id = uuid4()
        claims.append(
            {"id": claim_id, "number": claim_number(day, sequence[day]), "status": status}
            | {
                "household_id": homes[village][n % HOMES],
                "village_code": village,
                "peril": rng.choice(PERILS),
            }
            | {
                "loss_at": reported_at - timedelta(hours=3),
                "loss_on": day,
                "loss_place": "家中",
                "description": "损失",
            }
            | {
                "estimated_loss_fen": 500_000,
                "claimant_name": "王建国",
                "claimant_resident_id": "370211198001010011",
            }
            | {
                "claimant_phone": "13800001234",
                "liaison_confirmed": False,
                "filed_by": "liaison",
                "covers": [],
            }
            | {"payable_cap_fen": 2_000_000, "advance_paid_fen": 0, "paid_fen": 0, "flags": []}
            | {"clock_target_hours": target, "reported_at": reported_at}
            | {"expected_payment_by": reported_at + timedelta(hours=target), **times}
            | {
                "clock_state": "breached" if late else ("at_risk" if at_risk else None),
                "accepted_by": "officer",
            }
            | stamp(now)
        )
        if times["visit_scheduled_at"] is not None:
            adjuster = adjusters[(village_index + n % 2) % len(adjusters)]
            visits.append(
                {"id": uuid4(), "claim_id": claim_id, "adjuster_id": adjuster, "village_code": village}
                | {
                    "visit_on": day,
                    "route_order": 1,
                    "status": "done",
                    "at_risk": False,
                    "planned_by": "officer",
                }
                | stamp(now)
            )
        if len(claims) == CHUNK:
            yield claims, visits
            claims, visits = [], []
    if claims:
        yield claims, visits
