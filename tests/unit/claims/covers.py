"""A household's cover as the claim rules see it, built with only what a test changes."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from policies.domain import Cover, Funding, Peril


def cover(
    funding: Funding = Funding.DISTRICT,
    *,
    perils: dict[Peril, int] | None = None,
    cap: int = 15_000_000,
    combined: int | None = None,
    hours: int = 72,
    window: int = 30,
    starts_on: date = date(2026, 1, 1),
) -> Cover:
    return Cover(
        policy_id=uuid4(),
        policy_number=f"PN-{uuid4().hex[:6]}",
        program_id=uuid4(),
        program_code="P",
        program_name="方案",
        funding=funding,
        perils=perils if perils is not None else {Peril.FIRE: 20_000_000, Peril.THEFT: 2_000_000},
        per_claim_cap_fen=cap,
        combined_cap_fen=combined,
        clock_target_hours=hours,
        reporting_window_days=window,
        starts_on=starts_on,
        ends_on=date(2029, 1, 1),
    )
