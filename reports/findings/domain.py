"""Pure finding rules over plain rows (reports.findings.rows); no web, no session.

Every rule takes rows the services read in a few set-based queries and returns `Finding`s, each with
the facts that make it one (its evidence) and a link to the claim, entry or event to open. The
cycle-time rule is in cycles.py, the desk-review sample in sampling.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from reports.findings.kinds import Finding, FindingKind, claim_link, finding
from reports.findings.rows import (
    AccountUse,
    ClaimantUse,
    CoverPeriod,
    LedgerCheck,
    PaidClaim,
    PaidPayout,
    VillageFund,
)


def shared_accounts(
    payouts: Iterable[PaidPayout], uses: Iterable[AccountUse], show: Callable[[str], str] = str
) -> list[Finding]:
    """A paid payout whose account another household also names; `show` masks the account if need be."""
    by_account: dict[str, dict[UUID, list[AccountUse]]] = defaultdict(lambda: defaultdict(list))
    for use in uses:
        by_account[use.account][use.household_id].append(use)
    found = []
    for payout in payouts:
        others = {h: u for h, u in by_account[payout.account].items() if h != payout.household_id}
        if others:
            matches = [u for group in others.values() for u in group]
            claims = sorted({(u.claim_number, u.village_code) for u in matches if u.in_scope})
            found.append(
                finding(
                    FindingKind.SHARED_BANK_ACCOUNT,
                    "claim",
                    payout.claim_id,
                    claim_link(payout.claim_id),
                    claim_number=payout.claim_number,
                    payout_id=str(payout.payout_id),
                    amount_fen=payout.amount_fen,
                    account=show(payout.account),
                    other_households=len(others),
                    other_claims=[{"claim_number": n, "village_code": v} for n, v in claims],
                    **_elsewhere([(u.claim_number, u.village_code) for u in matches if not u.in_scope]),
                )
            )
    return found


def _elsewhere(claims: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Matched claims outside the caller's scope: how many and in which districts, never which
    (their numbers, villages and households are another district's to read)."""
    outside = set(claims)
    return {
        "claims_elsewhere": len(outside),
        "districts_elsewhere": sorted({village[:6] for _, village in outside}),
    }


def resident_ids_elsewhere(
    claimants: Iterable[ClaimantUse], show: Callable[[str], str] = str
) -> list[Finding]:
    """A claimant whose resident ID the register lists in another household than the claim's."""
    return [
        finding(
            FindingKind.RESIDENT_ID_TWO_HOUSEHOLDS,
            "claim",
            c.claim_id,
            claim_link(c.claim_id),
            claim_number=c.claim_number,
            resident_id=show(c.resident_id),
            claim_household_id=str(c.household_id),
            registered_household_id=str(c.registered_household_id),
        )
        for c in claimants
        if c.registered_household_id is not None and c.registered_household_id != c.household_id
    ]


def claimants_for_several(
    in_period: Iterable[ClaimantUse], all_claims: Iterable[ClaimantUse], show: Callable[[str], str] = str
) -> list[Finding]:
    """One finding per claimant of the period whose claims (any time) name two or more households."""
    claims_by_id: dict[str, list[ClaimantUse]] = defaultdict(list)
    for claim in all_claims:
        claims_by_id[claim.resident_id].append(claim)
    first_in_period: dict[str, ClaimantUse] = {}
    for claim in sorted(in_period, key=lambda c: c.claim_number):
        first_in_period.setdefault(claim.resident_id, claim)
    found = []
    for resident_id, claim in sorted(first_in_period.items()):
        claims = sorted(claims_by_id[resident_id], key=lambda c: c.claim_number)
        households = {c.household_id for c in claims}
        if len(households) >= 2:
            found.append(
                finding(
                    FindingKind.CLAIMANT_SEVERAL_HOUSEHOLDS,
                    "claim",
                    claim.claim_id,
                    claim_link(claim.claim_id),
                    resident_id=show(resident_id),
                    households=len(households),
                    claims=[
                        {
                            "claim_number": c.claim_number,
                            "village_code": c.village_code,
                            "household_id": str(c.household_id),
                        }
                        for c in claims
                        if c.in_scope
                    ],
                    **_elsewhere([(c.claim_number, c.village_code) for c in claims if not c.in_scope]),
                )
            )
    return found


def snapshot_cap(covers: Sequence[dict[str, Any]]) -> int:
    """What the covers as filed can pay together: each policy up to its limit for the peril, all
    together up to the tightest combined cap (claims.domain.payable_cap over the snapshot)."""
    total = sum(int(cover.get("limit_fen") or 0) for cover in covers)
    caps = [int(cover["combined_cap_fen"]) for cover in covers if cover.get("combined_cap_fen") is not None]
    return min([total, *caps])


def paid_over_limit(claims: Iterable[PaidClaim]) -> list[Finding]:
    found = []
    for claim in claims:
        limit = min(claim.payable_cap_fen, snapshot_cap(claim.covers))
        if claim.paid_total_fen > limit:
            found.append(
                finding(
                    FindingKind.PAID_OVER_LIMIT,
                    "claim",
                    claim.claim_id,
                    claim_link(claim.claim_id),
                    claim_number=claim.number,
                    paid_fen=claim.paid_total_fen,
                    limit_fen=limit,
                    over_fen=claim.paid_total_fen - limit,
                    cover_limits=[
                        {"policy_number": c.get("policy_number"), "limit_fen": c.get("limit_fen")}
                        for c in claim.covers
                    ],
                )
            )
    return found


def cover_policy_ids(claims: Iterable[PaidClaim]) -> set[UUID]:
    return {
        UUID(str(cover["policy_id"])) for claim in claims for cover in claim.covers if cover.get("policy_id")
    }


def snapshot_period(cover: dict[str, Any], register: dict[str, CoverPeriod]) -> CoverPeriod | None:
    """A cover's period as the claim's snapshot gives it, else as the policy register has it (claims
    filed before snapshots carried periods); None where neither knows the policy."""
    if cover.get("starts_on") and cover.get("ends_on"):
        return CoverPeriod(
            str(cover.get("policy_number")),
            date.fromisoformat(str(cover["starts_on"])),
            date.fromisoformat(str(cover["ends_on"])),
        )
    return register.get(str(cover.get("policy_id")))


def loss_outside_cover(claims: Iterable[PaidClaim], register: dict[str, CoverPeriod]) -> list[Finding]:
    """A paid claim whose loss date lies in none of its covers' periods (a cover whose period nobody
    knows counts as not covering)."""
    found = []
    for claim in claims:
        covers = [p for p in (snapshot_period(c, register) for c in claim.covers) if p is not None]
        if not any(p.starts_on <= claim.loss_on < p.ends_on for p in covers):
            found.append(
                finding(
                    FindingKind.LOSS_OUTSIDE_COVER,
                    "claim",
                    claim.claim_id,
                    claim_link(claim.claim_id),
                    claim_number=claim.number,
                    loss_on=claim.loss_on.isoformat(),
                    cover_periods=[
                        {
                            "policy_number": p.number,
                            "starts_on": p.starts_on.isoformat(),
                            "ends_on": p.ends_on.isoformat(),
                        }
                        for p in covers
                    ],
                )
            )
    return found


def paid_without_visit(claims: Iterable[PaidClaim]) -> list[Finding]:
    """A final payment with no site visit done or no assessment; an advance alone is allowed."""
    return [
        finding(
            FindingKind.PAID_WITHOUT_VISIT,
            "claim",
            c.claim_id,
            claim_link(c.claim_id),
            claim_number=c.number,
            paid_fen=c.paid_total_fen,
            site_visit_done=c.visited,
            assessed=c.assessed,
        )
        for c in claims
        if c.final_paid and not (c.visited and c.assessed)
    ]


def chain_broken(first_broken_id: int | None, problem: str | None, checked: int) -> list[Finding]:
    subject = first_broken_id if first_broken_id is not None else "checkpoint"
    link = (
        f"/audit/events?before_id={first_broken_id + 1}&limit=1"
        if first_broken_id is not None
        else "/audit/verify"
    )
    return [
        finding(
            FindingKind.AUDIT_CHAIN_BROKEN,
            "audit_event",
            subject,
            link,
            first_broken_id=first_broken_id,
            problem=problem,
            events_checked=checked,
        )
    ]


def ledger_mismatches(checks: Iterable[LedgerCheck]) -> list[Finding]:
    return [
        finding(
            FindingKind.REBATE_LEDGER_MISMATCH,
            "rebate_period",
            check.period_id,
            f"/rebates/entries?period_id={check.period_id}",
            region_code=check.region_code,
            starts_on=check.starts_on.isoformat(),
            ends_on=check.ends_on.isoformat(),
            premiums_fen=check.premiums_fen,
            expected_fen=check.expected_fen,
            accrued_fen=check.accrued_fen,
            difference_fen=check.accrued_fen - check.expected_fen,
        )
        for check in checks
        if check.accrued_fen != check.expected_fen
    ]


def overspent_villages(funds: Iterable[VillageFund]) -> list[Finding]:
    return [
        finding(
            FindingKind.VILLAGE_OVERSPENT,
            "village",
            fund.village_code,
            f"/rebates/villages/{fund.village_code}/fund",
            disbursed_fen=fund.disbursed_fen,
            spent_fen=fund.spent_fen,
            over_fen=fund.spent_fen - fund.disbursed_fen,
        )
        for fund in funds
        if fund.spent_fen > fund.disbursed_fen
    ]
